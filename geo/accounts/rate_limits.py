"""How often one person may send what needs no trust: voices, concerns, sign-ups, flags.

These forms are open to anyone on purpose, which makes them the cheapest to flood: a
script could bury the moderators under voices, create accounts to outvote residents, or
flag comments away. Each sending is counted per browser session and per client address
over a sliding window. The address allows more than the session, because a school, a
library or a family shares one address; IPv6 addresses count per /64, the block one
household gets. Only sendings that went through are counted: a refused form costs
nothing, so a child correcting a typo is never locked out.

The counts live in memory, per open database (the app holds one), with time passed in as
``now`` so tests need no sleeping. A restart forgets them; that gives an attacker nothing
that waiting for the window would not. A session key is only as good as the browser's
honesty (a script can open a new session for each sending); the address limit is the one
a script cannot shed so easily.
"""

from __future__ import annotations

import ipaddress
import math
import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from geo.errors import TooManyAttempts
from geo.i18n import tn
from geo.storage.db import Store


@dataclass(frozen=True)
class Client:
    """Who is sending, as far as the server can tell: the browser session's random key
    and the address the request came from (None when unknown, as in tests)."""

    session: str
    address: str | None = None


@dataclass(frozen=True)
class Limit:
    per_session: int
    per_address: int
    window: timedelta


LIMITS: dict[str, Limit] = {
    "voice": Limit(per_session=5, per_address=40, window=timedelta(minutes=10)),
    "concern": Limit(per_session=5, per_address=20, window=timedelta(minutes=10)),
    "sign_up": Limit(per_session=3, per_address=10, window=timedelta(hours=1)),
    "flag": Limit(per_session=10, per_address=30, window=timedelta(minutes=10)),
    # Every request to the HTTP API (geo/accounts/api_keys.py): the "session" is the key,
    # shared by all of a partner app's users; a request without a key counts per address.
    "api": Limit(per_session=600, per_address=120, window=timedelta(minutes=1)),
}

_recent: WeakKeyDictionary[Store, dict[tuple[str, str, str], deque[datetime]]] = WeakKeyDictionary()
_lock = threading.Lock()


@contextmanager
def attempt(
    store: Store, client: Client | None, action: str, now: datetime | None
) -> Iterator[None]:
    """Refuse with ``TooManyAttempts`` when ``client`` has used up ``action``'s limit, and
    count the sending when the block finishes without an error.

    ``client`` is None only for callers that are not a browser (the command line, tests);
    every page passes one, with the time (a test over app_pages/ and ui/ checks that).
    """
    if client is None:
        yield
        return
    if now is None:
        raise ValueError("a rate-limited sending needs the time it happens")
    limit = LIMITS[action]
    keys = [(action, "session", client.session)]
    if client.address:
        keys.append((action, "address", _household(client.address)))
    caps = (limit.per_session, limit.per_address)
    with _lock:
        recent = _recent.setdefault(store, {})
        for key, cap in zip(keys, caps, strict=False):
            times = recent.setdefault(key, deque())
            while times and times[0] <= now - limit.window:
                times.popleft()
            if len(times) >= cap:
                wait = times[0] + limit.window - now
                minutes = max(1, math.ceil(wait.total_seconds() / 60))
                raise TooManyAttempts(
                    tn(
                        "You have sent several in a short time; please try again in {n} minute.",
                        "You have sent several in a short time; please try again in {n} minutes.",
                        minutes,
                    ),
                    retry_after=max(1, math.ceil(wait.total_seconds())),
                )
    yield
    with _lock:
        recent = _recent.setdefault(store, {})
        for key in keys:
            recent.setdefault(key, deque()).append(now)


def trusted_proxies() -> int:
    """How many reverse proxies stand in front of the app (``SAFEPLAY_TRUSTED_PROXIES``,
    usually 1 behind nginx; unset: none, and ``X-Forwarded-For`` is not believed)."""
    return int(os.environ.get("SAFEPLAY_TRUSTED_PROXIES", "0") or 0)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str | None:
    """The address to count a request against.

    Without a proxy it is the connection's own address (``peer``). Behind ``trusted_proxies``
    reverse proxies, each of which appends the address it saw to ``X-Forwarded-For``, it is
    the entry the outermost trusted proxy added; entries left of it are whatever the client
    chose to send and are never believed.
    """
    if trusted_proxies <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return peer
    return hops[-trusted_proxies]


def _household(address: str) -> str:
    """IPv6 addresses count per /64 (one household's block); anything else as given."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is that IPv4 sender
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
