"""Keys for the HTTP API: issued and revoked by an administrator, stored only as a hash.

A partner app (a FixMyStreet-style tool, a council's own app) sends its key with each
request. The key is 32 random bytes shown once, at issue; the database keeps its SHA-256,
so a backup or a leaked copy of the file holds no working key, and a lost key is revoked
and replaced, never looked up. A key carries scopes: ``read`` (the public data, with a
higher rate limit than an anonymous caller) and ``write`` (filing concern reports). A
revoked key stays listed with who revoked it, and answers like a wrong one.

``metered`` is the rate limit of every API request, through the same mechanism as the
forms' (``rate_limits.attempt``): counted per key, or per address for a request without one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from geo.accounts.rate_limits import Client, attempt
from geo.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from geo.i18n import N_, Words, t
from geo.permissions import Actor, require, rereads_actor
from geo.storage.db import Store, next_id

SCOPES = Words({"read": N_("Read public data"), "write": N_("File concern reports")})
# What a key without the scope is told (a whole sentence per scope: word order differs).
_REFUSED = {
    "read": N_("this API key may not read public data"),
    "write": N_("this API key may not file concern reports"),
}
PREFIX = "sp_"
MAX_NAME = 100
# last_used is written at most this often per key, so a busy partner does not turn every
# read into a write (one writer on DuckDB).
LAST_USED_STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiKey:
    """A key that was sent and is valid: its number, whose it is and what it may do."""

    key_id: int
    name: str
    scopes: frozenset[str]

    @property
    def rate_client(self) -> Client:
        """The key as the rate limit's sender: all of a partner's requests count together."""
        return Client(session=f"key:{self.key_id}")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@rereads_actor
def issue_key(
    store: Store, actor: Actor, name: str, scopes: list[str], now: datetime
) -> tuple[int, str]:
    """A new key named ``name`` with ``scopes``: its number and the key itself, which is
    shown to the administrator now and can never be read again."""
    require(actor, "manage_api_keys")
    name = " ".join(name.split())
    if not 2 <= len(name) <= MAX_NAME:
        raise InvalidInput(
            t("name the key (whose app it is) in 2 to {most} characters", most=MAX_NAME)
        )
    chosen = sorted(set(scopes))
    if not chosen or any(scope not in SCOPES for scope in chosen):
        raise InvalidInput(t("choose what the key may do: read, write or both"))
    key = PREFIX + secrets.token_urlsafe(32)
    with store.write() as cursor:
        key_id = next_id(cursor, "api_key_ids")
        cursor.execute(
            "INSERT INTO api_keys (id, name, key_hash, scopes, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [key_id, name, _hash(key), chosen, actor.login or "SafePlay", now],
        )
    return key_id, key


@rereads_actor
def revoke_key(store: Store, actor: Actor, key_id: int, now: datetime) -> None:
    """Stop a key working from its next request on; it stays listed as revoked."""
    require(actor, "manage_api_keys")
    with store.write() as cursor:
        done = cursor.execute(
            "UPDATE api_keys SET revoked_at = ?, revoked_by = ? "
            "WHERE id = ? AND revoked_at IS NULL RETURNING id",
            [now, actor.login or "SafePlay", key_id],
        ).fetchone()
    if done is None:
        raise NotFound(t("there is no working key number {number}", number=key_id))


def list_keys(store: Store, actor: Actor) -> pd.DataFrame:
    """Every key ever issued, newest first, without its hash (which is useless anyway)."""
    require(actor, "manage_api_keys")
    return store.frame(
        "SELECT id, name, array_to_string(scopes, ', ') AS scopes, created_by, created_at, "
        "last_used, revoked_at, revoked_by FROM api_keys ORDER BY created_at DESC, id DESC"
    )


def authenticate(store: Store, sent: str, scope: str, now: datetime) -> ApiKey:
    """The key ``sent``, if it is one we issued, not revoked, with ``scope``.

    A wrong, malformed or revoked key gets one answer (``AuthenticationFailed``), so keys
    cannot be probed; a valid key without the scope is told what it lacks
    (``PermissionDenied``)."""
    sent = sent.strip()
    if not sent.startswith(PREFIX) or not 20 <= len(sent) <= 100:
        raise AuthenticationFailed(t("this API key is not valid"))
    row = store.row(
        "SELECT id, name, scopes, last_used FROM api_keys "
        "WHERE key_hash = ? AND revoked_at IS NULL",
        [_hash(sent)],
    )
    if row is None:
        raise AuthenticationFailed(t("this API key is not valid"))
    key = ApiKey(int(row[0]), row[1], frozenset(row[2]))
    if scope not in key.scopes:
        raise PermissionDenied(t(_REFUSED[scope]))
    if row[3] is None or row[3] < now - LAST_USED_STEP:
        with store.write(shown=False) as cursor:
            cursor.execute("UPDATE api_keys SET last_used = ? WHERE id = ?", [now, key.key_id])
    return key


@contextmanager
def metered(store: Store, key: ApiKey | None, address: str | None, now: datetime) -> Iterator[None]:
    """Count one API request against its key's limit, or its address's when it has no key;
    ``TooManyAttempts`` (with ``retry_after``) when that is used up."""
    client = key.rate_client if key is not None else Client(f"address:{address}", address)
    with attempt(store, client, "api", now):
        yield
