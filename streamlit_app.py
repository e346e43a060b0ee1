"""SafePlay's entry point: page configuration, who is signed in, and the navigation.

The page list is built from the signed-in person's role with ``st.navigation``: a page
left out cannot be opened by URL either. Permissions are still checked again in ``geo``
on every write. Who is signed in is read from the session cookie on every run
(``ui/session.py``); run the app with ``streamlit run server.py``, which adds the sign-in
routes.
"""

import streamlit as st

import ui.language
from geo.escape import for_markdown
from geo.i18n import t
from geo.mapping.assets import missing_assets
from geo.notify.notices import unread_count
from geo.vocabulary import ROLE_NAMES
from ui.common import store
from ui.inbox import menu_title
from ui.menu import show_menu
from ui.notices import APP_NOTICE
from ui.pages_table import SIGNED_IN_PAGES, menu
from ui.session import current_actor, out_of_reach_page, sign_out_button
from ui.skip_links import skip_links
from ui.touch_targets import touch_targets

st.set_page_config(page_title="SafePlay", page_icon="🛝", layout="wide")
ui.language.restore()  # the tab's language until the signed-in person's is known
skip_links()
touch_targets()

if missing_assets():
    st.error(
        t(
            "Map files are not installed. Run `bash scripts/start.sh` (or "
            "`.venv/bin/python -m geo install-assets`) and reload this page."
        )
    )
    st.stop()

actor = current_actor()
language = ui.language.choose_language(actor)  # ?lang=, account, cookie, browser (ui/language.py)
ui.language.page_language()
unread = unread_count(store(), actor)  # the Inbox's title says it: one count per run
# The menu in sections, each page only for the people who may open it (ui/pages_table.py).
built = {
    name: [
        (
            page,
            st.Page(
                page.file,
                title=menu_title(page, unread),
                icon=page.icon,
                default=page.default,
                visibility="hidden" if page.hidden else "visible",
            ),
        )
        for page in listed
    ]
    for name, listed in menu(actor).items()
}
sections = {name: [made for _row, made in pages] for name, pages in built.items()}
# A link to a page this person cannot open (a shared workspace link opened signed out, or
# the page they were on when their session ended) gets a hidden page at its address that
# says what to do — never Streamlit's "Page not found".
listed_paths = {page.url_path for listed in sections.values() for page in listed}
sections.setdefault("Account", []).extend(
    st.Page(
        out_of_reach_page(name),
        title=t("Sign in") if not actor.signed_in else t("Not available"),
        url_path=name,
        visibility="hidden",
    )
    for name in sorted(SIGNED_IN_PAGES - listed_paths)
)

APP_NOTICE.show(st.info)
with st.sidebar:
    ui.language.language_picker(actor)
    if actor.signed_in:
        st.caption(
            t(
                "Signed in as **{name}** ({role})",
                name=for_markdown(actor.display_name),
                role=for_markdown(ROLE_NAMES.get(actor.role, actor.role)),
            )
        )
        sign_out_button()

# Streamlit routes (hidden: its own page list is not accessible markup); ui/menu.py draws
# the menu people use, after who is signed in.
opened = st.navigation(sections, position="hidden")
show_menu(built, opened)
opened.run()
