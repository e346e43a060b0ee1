"""SafePlay's entry point: page configuration, who is signed in, and the navigation.

The page list is built from the signed-in person's role with ``st.navigation``: a page
left out cannot be opened by URL either. Permissions are still checked again in ``geo``
on every write. Who is signed in is read from the session cookie on every run
(``ui/session.py``); run the app with ``streamlit run server.py``, which adds the sign-in
routes.
"""

import streamlit as st

from geo.escape import for_markdown
from geo.mapping.assets import missing_assets
from geo.permissions import allowed
from geo.vocabulary import ROLE_NAMES
from ui.session import SIGNED_IN_PAGES, current_actor, out_of_reach_page, sign_out_button
from ui.touch_targets import touch_targets

st.set_page_config(page_title="SafePlay", page_icon="🛝", layout="wide")
touch_targets()

if missing_assets():
    st.error(
        "Map files are not installed. Run `bash scripts/start.sh` (or "
        "`.venv/bin/python -m geo install-assets`) and reload this page."
    )
    st.stop()

actor = current_actor()
# The menu in sections, each page only for the roles that may use it.
sections: dict[str, list] = {
    "Explore": [
        st.Page("app_pages/explore_map.py", title="Explore the map", icon="🗺️", default=True),
        st.Page("app_pages/proposals.py", title="Proposals", icon="💬"),
        st.Page("app_pages/initiatives_under_way.py", title="Initiatives under way", icon="🚧"),
        st.Page("app_pages/partners.py", title="Partners", icon="🤝"),
        st.Page("app_pages/newsletter.py", title="Newsletter", icon="📰"),
    ],
    "Take part": [
        st.Page("app_pages/have_your_say.py", title="Have your say", icon="🗣️"),
        st.Page("app_pages/voices.py", title="Voices", icon="📣"),
        st.Page("app_pages/report_concern.py", title="Report a concern", icon="⚠️"),
        st.Page("app_pages/events.py", title="Events", icon="📅"),
    ],
    "Lead": [],
    "Council": [],
    "Account": [],
}
if allowed(actor, "propose"):
    sections["Lead"] += [
        st.Page("app_pages/propose.py", title="Propose", icon="✏️"),
        st.Page("app_pages/my_proposals.py", title="My proposals", icon="📋"),
        st.Page("app_pages/needs_me.py", title="What needs me now", icon="⏰"),
    ]
if allowed(actor, "review_proposals"):
    sections["Council"].append(st.Page("app_pages/review.py", title="Review proposals", icon="⚖️"))
if allowed(actor, "moderate_comments"):
    sections["Council"].append(st.Page("app_pages/moderation.py", title="Moderation", icon="🧹"))
if allowed(actor, "handle_concerns"):
    sections["Council"].append(st.Page("app_pages/concerns.py", title="Concerns", icon="🚧"))
if allowed(actor, "record_inspections"):
    sections["Council"].append(st.Page("app_pages/inspections.py", title="Inspections", icon="🔍"))
if allowed(actor, "use_workspace"):
    sections["Council"] += [
        st.Page("app_pages/workspace.py", title="Council workspace", icon="🗂️"),
        st.Page("app_pages/wards.py", title="Wards at a glance", icon="📊"),
        st.Page("app_pages/play_gaps.py", title="Play gaps", icon="🧭"),
    ]
if actor.role == "visitor":
    sections["Account"] += [
        st.Page("app_pages/sign_in.py", title="Sign in", icon="🔑"),
        st.Page("app_pages/sign_up.py", title="Create an account", icon="✍️"),
    ]
else:
    sections["Account"].append(st.Page("app_pages/account.py", title="My account", icon="👤"))
if allowed(actor, "manage_users"):
    sections["Account"].append(st.Page("app_pages/users.py", title="Users and roles", icon="🛡️"))
# A link to a page this person cannot open (a shared workspace link opened signed out, or
# the page they were on when their session ended) gets a hidden page at its address that
# says what to do — never Streamlit's "Page not found".
listed_paths = {page.url_path for listed in sections.values() for page in listed}
sections["Account"] += [
    st.Page(
        out_of_reach_page(name),
        title="Sign in" if actor.role == "visitor" else "Not available",
        url_path=name,
        visibility="hidden",
    )
    for name in sorted(SIGNED_IN_PAGES - listed_paths)
]
sections = {name: listed for name, listed in sections.items() if listed}

notice = st.session_state.pop("notice", None)
if notice:
    st.info(for_markdown(notice))
with st.sidebar:
    if actor.role != "visitor":
        st.caption(
            f"Signed in as **{for_markdown(actor.display_name)}** "
            f"({for_markdown(ROLE_NAMES.get(actor.role, actor.role))})"
        )
        sign_out_button()

st.navigation(sections, expanded=True).run()
