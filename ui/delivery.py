"""The app's side of e-mail: the SMTP settings (environment, else Streamlit's secrets) and
this process's delivery thread.

``geo`` has no Streamlit import, so the ``[smtp]`` section of the secrets is read here and
passed in as a mapping. The settings are read again every round, so an administrator who
fixes them does not need to restart the app.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st

from geo.delivery import worker
from geo.errors import SafePlayError
from geo.i18n import N_, t
from geo.notify.smtp import SmtpSettings, SmtpTransport, smtp_settings
from ui.common import store

log = logging.getLogger(__name__)
NO_HOST = N_("no SMTP host is set (SAFEPLAY_SMTP_HOST or the [smtp] secrets)")


def _secrets() -> Mapping[str, object] | None:
    try:
        section = st.secrets.get("smtp")
    except Exception:  # no secrets file at all is the usual case, not an error
        return None
    return dict(section) if section else None


def mail_settings() -> tuple[SmtpSettings | None, str | None]:
    """The settings, or None and why e-mail is off (no host, or a setting is wrong), in
    the reader's words."""
    try:
        settings = smtp_settings(_secrets())
    except SafePlayError as error:
        return None, str(error)
    if settings is None:
        return None, t(NO_HOST)
    return settings, None


def transport() -> SmtpTransport | None:
    """The delivery thread's way out; a wrong setting is logged (no host is the usual
    case of a machine without e-mail, not worth a line every round)."""
    try:
        settings = smtp_settings(_secrets())
    except SafePlayError as error:
        log.warning("e-mail is off: %s", error)
        return None
    return SmtpTransport(settings) if settings else None


def start_delivery() -> None:
    """Start this process's delivery thread (once; not when SAFEPLAY_SENDER=off)."""
    worker.start_background(store(), transport)
