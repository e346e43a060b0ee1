"""Signed links: unsubscribing and confirming an address work without signing in.

A link carries its fields in the clear and an HMAC-SHA256 over a purpose, the fields and
anything ``bound`` to it that the link does not show (the address being confirmed), so a
link made for one purpose or one address is refused for another. The key is
``SAFEPLAY_SECRET_KEY`` when set, else a random key kept in ``app_settings``: every replica
and the command line read the same one, and the first to need it creates it with
``INSERT … ON CONFLICT DO NOTHING``, so two replicas starting together agree on one key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence

from geo.errors import InvalidInput
from geo.storage.db import Store

KEY_SETTING = "signing_key"
_SEPARATOR = "~"


def secret_key(store: Store) -> bytes:
    """The signing key: the environment's, else the one stored for all processes."""
    configured = os.environ.get("SAFEPLAY_SECRET_KEY")
    if configured:
        return configured.encode()
    stored = store.value("SELECT value FROM app_settings WHERE name = ?", [KEY_SETTING])
    if stored is None:
        with store.write(shown=False) as cursor:
            cursor.execute(
                "INSERT INTO app_settings (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                [KEY_SETTING, secrets.token_urlsafe(32)],
            )
            stored = cursor.execute(
                "SELECT value FROM app_settings WHERE name = ?", [KEY_SETTING]
            ).fetchone()[0]
    return str(stored).encode()


def sign(store: Store, purpose: str, fields: Sequence[object], bound: Sequence[object] = ()) -> str:
    """A token showing ``fields`` and proving they were signed for ``purpose`` (and
    ``bound``)."""
    shown = [str(field) for field in fields]
    if any(_SEPARATOR in field or "." in field for field in shown):
        raise ValueError("a signed field cannot hold '~' or '.'")
    payload = _SEPARATOR.join(shown)
    return f"{payload}.{_mac(store, purpose, payload, bound)}"


def fields(token: str) -> list[str]:
    """The fields a token shows, not yet checked (to look up what it is bound to)."""
    payload, dot, mac = str(token).rpartition(".")
    if not dot or not payload or not mac or len(token) > 500:
        raise InvalidInput("this link is incomplete; open it again from the e-mail")
    return payload.split(_SEPARATOR)


def verify(store: Store, purpose: str, token: str, bound: Sequence[object] = ()) -> list[str]:
    """The fields of ``token`` if it was signed for ``purpose`` and ``bound``, else
    ``InvalidInput``."""
    shown = fields(token)
    payload, _, mac = token.rpartition(".")
    if not hmac.compare_digest(mac, _mac(store, purpose, payload, bound)):
        raise InvalidInput("this link is not valid; open it again from the latest e-mail")
    return shown


def _mac(store: Store, purpose: str, payload: str, bound: Sequence[object]) -> str:
    message = "\n".join([purpose, payload, *(str(part) for part in bound)]).encode()
    digest = hmac.new(secret_key(store), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
