"""Every page of the app, declared once: its file, title, icon, section and who may open it.

Two places need this list and must never disagree: the navigation (``streamlit_app.py``
builds its ``st.Page``s from it, per person) and the page-load gate that sends a
signed-out visitor on a link behind sign-in to the sign-in form (``ui/session_routes.py``,
which runs before Streamlit in ``server.py``). A page added to one by hand and forgotten
in the other was either unreachable or opened signed out, so both read ``PAGES``.

The table lives in ``ui/`` because it is about pages, and imports no Streamlit so the
gate (a Starlette middleware) and the tests read it without starting a script run; who
may open a page is asked of ``geo.permissions``, the same table every write consults.

Adding a page: put the file in ``app_pages/`` and one ``Page`` row below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from geo.i18n import N_, t
from geo.permissions import Actor, allowed

EVERYONE = "everyone"
VISITORS = "visitors"  # signing in and creating an account: not for the signed-in
SIGNED_IN = "signed in"  # any account; anything else in ``who`` is an action of geo.permissions


@dataclass(frozen=True)
class Page:
    """One page: ``who`` is EVERYONE, VISITORS, SIGNED_IN or a permission action.

    ``title`` and ``section`` are the English words (marked for the catalogue): the table is
    built at import, before anyone's language is known; ``shown_title`` and
    ``shown_section`` are what the reader sees."""

    file: str
    title: str
    icon: str
    section: str
    who: str = EVERYONE
    default: bool = False
    hidden: bool = False  # reached only by a link (a private tracking link), not the menu

    def shown_title(self) -> str:
        """The page's title in the reader's language (menu, headings, links to it)."""
        return t(self.title)

    def shown_section(self) -> str:
        """The page's section of the menu in the reader's language."""
        return section_words(self.section)

    @property
    def url_path(self) -> str:
        """The page's address, as Streamlit derives it from the file name."""
        return PurePosixPath(self.file).stem

    def opens_for(self, actor: Actor) -> bool:
        """Whether ``actor`` sees this page in the navigation (and may open its address)."""
        if self.who == EVERYONE:
            return True
        if self.who == VISITORS:
            return not actor.signed_in
        if self.who == SIGNED_IN:
            return actor.signed_in
        return allowed(actor, self.who)

    @property
    def needs_sign_in(self) -> bool:
        """Whether a visitor is sent to sign in first: no one signed out may open it."""
        return self.who not in (EVERYONE, VISITORS)


# The last section is the menu's footer: drawn after a rule, without a heading.
FOOTER = N_("About")
SECTIONS = (N_("Explore"), N_("Take part"), N_("Lead"), N_("Council"), N_("Account"), FOOTER)
# In the order of the menu.
PAGES: tuple[Page, ...] = (
    Page("app_pages/explore_map.py", N_("Explore the map"), "🗺️", N_("Explore"), default=True),
    Page("app_pages/proposals.py", N_("Proposals"), "💬", N_("Explore")),
    Page("app_pages/initiatives_under_way.py", N_("Initiatives under way"), "🚧", N_("Explore")),
    Page("app_pages/partners.py", N_("Partners"), "🤝", N_("Explore")),
    Page("app_pages/newsletter.py", N_("Newsletter"), "📰", N_("Explore")),
    Page("app_pages/have_your_say.py", N_("Have your say"), "🗣️", N_("Take part")),
    Page("app_pages/voices.py", N_("Voices"), "📣", N_("Take part")),
    Page("app_pages/report_concern.py", N_("Report a concern"), "⚠️", N_("Take part")),
    Page("app_pages/events.py", N_("Events"), "📅", N_("Take part")),
    Page("app_pages/track_concern.py", N_("Your concern"), "🔎", N_("Take part"), hidden=True),
    Page("app_pages/propose.py", N_("Propose"), "✏️", N_("Lead"), "propose"),
    Page("app_pages/my_proposals.py", N_("My proposals"), "📋", N_("Lead"), "propose"),
    Page("app_pages/needs_me.py", N_("What needs me now"), "⏰", N_("Lead"), "propose"),
    Page("app_pages/review.py", N_("Review proposals"), "⚖️", N_("Council"), "review_proposals"),
    Page("app_pages/moderation.py", N_("Moderation"), "🧹", N_("Council"), "moderate_comments"),
    Page("app_pages/concerns.py", N_("Concerns"), "🚧", N_("Council"), "handle_concerns"),
    Page("app_pages/inspections.py", N_("Inspections"), "🔍", N_("Council"), "record_inspections"),
    Page("app_pages/workspace.py", N_("Council workspace"), "🗂️", N_("Council"), "use_workspace"),
    Page("app_pages/wards.py", N_("Wards at a glance"), "📊", N_("Council"), "use_workspace"),
    Page("app_pages/play_gaps.py", N_("Play gaps"), "🧭", N_("Council"), "use_workspace"),
    Page(
        "app_pages/play_sufficiency.py",
        N_("Play sufficiency"),
        "📑",
        N_("Council"),
        "assess_play_sufficiency",
    ),
    Page("app_pages/sign_in.py", N_("Sign in"), "🔑", N_("Account"), VISITORS),
    Page("app_pages/sign_up.py", N_("Create an account"), "✍️", N_("Account"), VISITORS),
    Page("app_pages/inbox.py", N_("Inbox"), "📬", N_("Account"), SIGNED_IN),
    Page("app_pages/account.py", N_("My account"), "👤", N_("Account"), SIGNED_IN),
    Page("app_pages/users.py", N_("Users and roles"), "🛡️", N_("Account"), "manage_users"),
    Page("app_pages/accessibility.py", N_("Accessibility statement"), "♿", FOOTER),
)

# Pages behind sign-in, by their address: a link to one opened signed out goes to the
# sign-in form first, then to the page with its query.
SIGNED_IN_PAGES = frozenset(page.url_path for page in PAGES if page.needs_sign_in)


def section_words(section: str) -> str:
    """A section's name (one of ``SECTIONS``) in the reader's language; ``menu`` keys its
    sections by the English name, so code that adds to a section still finds it."""
    return t(section)


def menu(actor: Actor) -> dict[str, list[Page]]:
    """The pages ``actor`` may open, by section in menu order (empty sections left out)."""
    sections: dict[str, list[Page]] = {name: [] for name in SECTIONS}
    for page in PAGES:
        if page.opens_for(actor):
            sections[page.section].append(page)
    return {name: listed for name, listed in sections.items() if listed}
