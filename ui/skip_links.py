"""Skip links: "Skip to main content" first in the tab order, "Skip the map" before each map.

Why: a keyboard user otherwise tabs through the whole menu before the page, and through
every marker and control of a map (inside its own frame) before what follows it (WCAG
2.4.1 Bypass blocks):

- "Skip to main content" is Streamlit's own (``stSkipToContent``, the first Tab stop of
  every page since 1.4x; its words are Streamlit's, in English);
- ``map_skipped(key)`` wraps one map: a link before it and a focusable mark after it;
- one listener on the document moves the focus (``focus()``, not a change of the
  address's ``#``, which Streamlit's router would keep in the URL).

Focus is always visible: the same style gives every focused element a thick outline that
Streamlit's own styles cannot take away.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from json import dumps

import streamlit as st

from geo.i18n import t

SKIP_CLASS = "safeplay-skip"

STYLE = f"""<style>
.{SKIP_CLASS} {{
  position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden;
}}
.{SKIP_CLASS}:focus {{
  position: fixed; left: 0.5rem; top: 0.5rem; width: auto; height: auto; z-index: 1000100;
  padding: 0.75rem 1rem; background: #ffdd00; color: #0b0c0c; font-weight: 700;
  text-decoration: underline;
}}
.safeplay-after-map {{ display: block; height: 0; }}
:focus-visible, .{SKIP_CLASS}:focus {{
  outline: 3px solid #0b0c0c !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #ffdd00 !important;
}}
[data-testid="stMain"]:focus, .safeplay-after-map:focus {{
  outline: none !important; box-shadow: none !important;
}}
</style>"""

# Kept free of any value from a person or the database: only our own (translated) label.
SCRIPT = """<script>
(() => {
  if (document.safeplaySkipping) return;
  document.safeplaySkipping = true;
  document.addEventListener("click", (event) => {
    const skip = event.target.closest && event.target.closest("a." + SKIP_CLASS);
    if (!skip) return;
    const target = document.getElementById(skip.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({block: "start"});
  });
})();
</script>"""


# Streamlit's own "Skip to main content" link is written in English by its frontend: this
# gives it the reader's words, and again whenever Streamlit draws it anew.
RENAME = """<script>
(() => {
  window.safeplaySkipLabel = LABEL;
  const rename = () => document.querySelectorAll('[data-testid="stSkipToContent"]').forEach(
    (link) => { if (link.textContent !== window.safeplaySkipLabel) {
      link.textContent = window.safeplaySkipLabel; } });
  rename();
  if (!window.safeplaySkipWatch) {
    window.safeplaySkipWatch = new MutationObserver(rename);
    window.safeplaySkipWatch.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def skip_links() -> None:
    """The skip links' behaviour and words, and the focus style (once per run, first)."""
    script = SCRIPT.replace("SKIP_CLASS", dumps(SKIP_CLASS))
    rename = RENAME.replace("LABEL", dumps(t("Skip to main content")))
    st.html(STYLE + script + rename, unsafe_allow_javascript=True)


@contextmanager
def map_skipped(key: str) -> Iterator[None]:
    """Draw one map inside this block: a "Skip the map" link comes before it, and pressing
    it puts the focus just after the map (``key``, unique on the page, names the mark)."""
    after = f"after-map-{escape(key)}"
    label = escape(t("Skip the map"))
    st.html(f'<a class="{SKIP_CLASS}" href="#{after}">{label}</a>')
    yield
    st.html(f'<span class="safeplay-after-map" id="{after}" tabindex="-1"></span>')
