"""The app's menu, drawn by us in the sidebar instead of Streamlit's own page list.

Why our own: Streamlit's sidebar navigation writes its sections as ``<ul>``s whose children
are ``<div>``s and its links as ``<li>``s outside any list, which screen readers announce
wrongly (axe: ``list`` and ``listitem``, serious). ``streamlit_app.py`` keeps
``st.navigation`` for routing, hidden, and this module draws the same pages as headed
sections of ``st.page_link``s, in the order of ``ui/pages_table.py``: each section a level-2
heading (the page's own title is its only h1), the page open marked ``aria-current="page"``
by Streamlit's link, and the footer section (the accessibility statement) after a rule.
The links sit in a container keyed ``menu`` (class ``st-key-menu``) so tests find them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from json import dumps

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from geo.escape import for_markdown
from ui.pages_table import FOOTER, Page, section_words

MENU_KEY = "menu"
# The section headings read as small labels, as Streamlit's own were; the page links fill
# the sidebar's width so each is one easy target.
STYLE = f"""<style>
.st-key-{MENU_KEY} h2.menu-section {{
  font-size: 0.875rem; font-weight: 600; margin: 0.75rem 0 0; padding: 0;
}}
.st-key-{MENU_KEY} [data-testid="stPageLink"] a {{ width: 100%; }}
</style>"""


# Streamlit's page link shows the open page in bold on grey but tells a screen reader
# nothing; this marks it by its address (the script's text names the page, so Streamlit
# runs it again on every change of page), and again whenever Streamlit redraws the links.
MARK_OPEN = """<script>
(() => {
  window.safeplayOpenPage = HREF;
  const mark = () => document.querySelectorAll(".st-key-MENU a").forEach((link) => {
    if (link.getAttribute("href") === window.safeplayOpenPage) {
      if (link.getAttribute("aria-current") !== "page") link.setAttribute("aria-current", "page");
    } else if (link.hasAttribute("aria-current")) link.removeAttribute("aria-current");
  });
  mark();
  if (!window.safeplayMarking) {  // one watcher: Streamlit redraws the links as it likes
    window.safeplayMarking = new MutationObserver(mark);
    window.safeplayMarking.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def show_menu(
    sections: Mapping[str, Sequence[tuple[Page, StreamlitPage]]], opened: StreamlitPage
) -> None:
    """Draw the menu in the sidebar: ``sections`` maps a section's name to its pages (our
    row and the ``st.Page`` made of it), ``opened`` is the page this run shows; pages
    reached only by a link are left out."""
    with st.sidebar, st.container(key=MENU_KEY):
        st.html(STYLE)
        for name, pages in sections.items():
            shown = [made for row, made in pages if not row.hidden]
            if not shown:
                continue
            if name == FOOTER:
                st.divider()
            else:
                # Our own words, escaped for HTML anyway: a heading, not a Markdown
                # header (which would add an anchor link to every section).
                st.html(f'<h2 class="menu-section">{escape(section_words(name))}</h2>')
            for made in shown:
                st.page_link(page=made, label=for_markdown(made.title), icon=made.icon)
        # A page link's address is the page's path, and empty for the default page.
        default = any(
            row.default and made is opened for pages in sections.values() for row, made in pages
        )
        href = "" if default else opened.url_path
        st.html(
            MARK_OPEN.replace("MENU", MENU_KEY).replace("HREF", dumps(href)),
            unsafe_allow_javascript=True,
        )
