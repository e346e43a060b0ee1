"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1 and a free port), and helpers
to read what it received.

``Mailbox.refuse`` makes it answer RCPT with a chosen SMTP code (e.g. 550, 451) so the
sender's permanent and temporary failures are tested over the wire, not with a mock.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from geo.notify.smtp import SmtpSettings, SmtpTransport


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the server received, in order, and how it should answer next."""

    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # as sent, before parsing decodes headers
    recipients: list[list[str]] = field(default_factory=list)
    refuse: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse is not None:
            return f"{self.refuse} {'No such mailbox' if self.refuse >= 500 else 'Try later'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)
            self.raw.append(envelope.content)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, r in zip(self.messages, self.recipients, strict=True) if address in r]


class SmtpServer:
    """A started server; ``transport`` hands e-mail to it as SafePlay would (no TLS)."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller: Controller | None = None
        self.start()
        self.settings = SmtpSettings(
            host="127.0.0.1", port=self.port, security="none", sender="SafePlay <play@test.org>"
        )
        self.transport = SmtpTransport(self.settings)

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def text_part(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()
