"""The inbox's two jobs outside its page: the menu title with the unread count, and where
a notice's link leads.

A notice's link is an app path such as ``proposals?id=12``, written by our own code but
stored in the database; it is only followed to a page of the menu that the reader may
open, with its query as page parameters, so a stored link can never send anyone to an
address outside the app or past the navigation's gate.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from geo.i18n import number, t
from geo.permissions import Actor
from ui.pages_table import PAGES, Page

INBOX_PATH = "inbox"


def menu_title(page: Page, unread: int) -> str:
    """A page's title in the menu, in the reader's language; the Inbox's says how many
    notices are unread: "Inbox (3)"."""
    if page.url_path == INBOX_PATH and unread > 0:
        return t("{title} ({unread})", title=page.shown_title(), unread=number(unread))
    return page.shown_title()


def link_target(link: str | None, actor: Actor) -> tuple[Page, dict[str, str]] | None:
    """The page and query a notice's link opens, or None if it names no page the actor
    may open (a page since removed, one their role lost, anything outside the app)."""
    if not link:
        return None
    parts = urlsplit(str(link).strip())
    if parts.scheme or parts.netloc:
        return None
    path = parts.path.strip("/")
    for page in PAGES:
        if page.url_path == path and page.opens_for(actor):
            return page, dict(parse_qsl(parts.query))
    return None
