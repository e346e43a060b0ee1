"""Where the app is reached from outside, for links in e-mails and feeds.

A page of the app can use relative links; an e-mail cannot, so the address people open
the app at is a setting (``SAFEPLAY_PUBLIC_URL``), not guessed from a request.
"""

from __future__ import annotations

import os

DEFAULT_PUBLIC_URL = "http://localhost:8501"


def public_url() -> str:
    """The app's address as people open it, without a trailing slash."""
    return (os.environ.get("SAFEPLAY_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")


def absolute(path: str) -> str:
    """``path`` of the app (``proposals?id=12`` or ``/unsubscribe?t=…``) as a full address."""
    return f"{public_url()}/{path.lstrip('/')}"
