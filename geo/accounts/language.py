"""The language an account reads SafePlay in: set by its owner, read for screens and mail.

Kept on the account (not only in a cookie) because an e-mail is written when its reader is
not there to say which language they read; ``geo.i18n.speaking(language_of(...))`` writes it
in theirs.
"""

from __future__ import annotations

from geo.errors import InvalidInput, PermissionDenied
from geo.i18n import LANGUAGES, t
from geo.permissions import Actor
from geo.permissions.actors import rereads_actor
from geo.storage.db import Store


def language_of(store: Store, user_id: int | None) -> str | None:
    """The language the account chose, or None when it has not chosen (or is a visitor)."""
    if user_id is None:
        return None
    return store.value("SELECT language FROM users WHERE id = ?", [user_id])


@rereads_actor
def set_language(store: Store, actor: Actor, language: str) -> None:
    """The signed-in person chooses the language of their own account."""
    if actor.user_id is None:
        raise PermissionDenied(t("sign in to keep a language on your account"))
    if language not in LANGUAGES:
        raise InvalidInput(t("SafePlay does not speak that language yet"))
    with store.write() as cursor:
        cursor.execute("UPDATE users SET language = ? WHERE id = ?", [language, actor.user_id])
