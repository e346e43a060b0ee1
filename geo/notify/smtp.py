"""How e-mail leaves SafePlay: SMTP settings and a transport over ``smtplib``.

Settings come from the environment (``SAFEPLAY_SMTP_HOST`` and friends) or, when no host
is set there, from the ``[smtp]`` section of Streamlit's secrets, which the ``ui`` layer
reads and passes in as a mapping (``geo`` does not import Streamlit). No host anywhere
means e-mail is off: notices still reach the inbox and the outbox waits until a host is
set. A transport's failures say whether the recipient's server refused for good (a 5xx
answer to the message), the recipient could not be reached this time, or our own server
could not be used; the sender treats the three differently.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Protocol

from geo.errors import InvalidInput, SafePlayError
from geo.i18n import t

SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT_S = 30
_FIELDS = ("host", "port", "security", "user", "password", "sender")


class DeliveryFailed(SafePlayError):
    """An e-mail did not go. ``reason`` is ``refused`` (a permanent 5xx about this
    message or address), ``recipient`` (try later) or ``server`` (our SMTP server could
    not be used: every e-mail would fail the same way). The message never holds a secret."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand e-mail over; the password is never shown."""

    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        """The settings in words for an administrator (no password)."""
        server = f"{self.host}:{self.port}"
        if self.user:
            return t(
                "{server} ({security}, signing in as {user}), from {sender}",
                server=server,
                security=self.security,
                user=self.user,
                sender=self.sender,
            )
        return t(
            "{server} ({security}), from {sender}",
            server=server,
            security=self.security,
            sender=self.sender,
        )


def smtp_settings(
    secrets: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> SmtpSettings | None:
    """The SMTP settings, or None when no host is set (e-mail is off). ``secrets`` is the
    ``[smtp]`` section of Streamlit's secrets, if any."""
    environ = os.environ if environ is None else environ
    if environ.get("SAFEPLAY_SMTP_HOST"):
        given = {name: environ.get(f"SAFEPLAY_SMTP_{name.upper()}") for name in _FIELDS}

        def setting(name: str) -> str:
            return f"SAFEPLAY_SMTP_{name}"
    elif secrets and secrets.get("host"):
        given = {name: secrets.get(name) for name in _FIELDS}

        def setting(name: str) -> str:
            return t("the [smtp] secret {name}", name=name)
    else:
        return None
    security = str(given["security"] or "starttls").strip().lower()
    if security not in SECURITIES:
        raise InvalidInput(
            t(
                "{setting} must be starttls, tls or none, not {value}",
                setting=setting("SECURITY"),
                value=repr(security),
            )
        )
    try:
        port = int(given["port"] or DEFAULT_PORTS[security])
    except ValueError:
        raise InvalidInput(t("{setting} must be a number", setting=setting("PORT"))) from None
    sender = str(given["sender"] or "").strip()
    if "@" not in parseaddr(sender)[1]:
        raise InvalidInput(
            t(
                "{setting} must be an address, e.g. SafePlay <play@council.gov>",
                setting=setting("SENDER"),
            )
        )
    return SmtpSettings(
        host=str(given["host"]).strip(),
        port=port,
        security=security,
        sender=sender,
        user=str(given["user"]) if given["user"] else None,
        password=str(given["password"]) if given["password"] else None,
    )


class Transport(Protocol):
    """What the sender needs: who e-mail is from, and a way to hand one over."""

    sender: str

    def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """One SMTP connection per e-mail: slow for thousands, simple and robust for the few
    hundred a council sends a day (a dropped connection never strands a batch)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.sender = settings.sender

    def send(self, message: EmailMessage) -> None:
        settings = self.settings
        try:
            if settings.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=TIMEOUT_S,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(
                "server",
                f"could not reach the SMTP server {settings.host}:{settings.port} "
                f"({type(error).__name__})",
            ) from None
        try:
            with client:
                if settings.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if settings.user:
                    client.login(settings.user, settings.password or "")
                client.send_message(message)
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryFailed(
                "server", f"the SMTP server refused our login ({error.smtp_code})"
            ) from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _answer(min(codes) if codes else 550) from None
        except smtplib.SMTPSenderRefused as error:
            raise DeliveryFailed(
                "server", f"the SMTP server refused our sender address ({error.smtp_code})"
            ) from None
        except smtplib.SMTPDataError as error:
            raise _answer(error.smtp_code) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed("server", "the SMTP server does not offer STARTTLS") from None
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(
                "server", f"the SMTP connection failed ({type(error).__name__})"
            ) from None


def _answer(code: int) -> DeliveryFailed:
    if 500 <= code < 600:
        return DeliveryFailed("refused", f"refused permanently ({code})")
    return DeliveryFailed("recipient", f"not accepted this time ({code})")
