"""A real SMTP server for tests: aiosmtpd on a free local port, keeping every message it gets."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

LINK = re.compile(r"https?://[^\s<>\"]+")
REFUSED_DOMAIN = "refused.example.org"
"""The server refuses every recipient there for good (550), as for an unknown mailbox."""


class _Collector:
    """aiosmtpd handler: parses each message and keeps it (the server runs in a thread)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self.open_connections = 0
        self.all_closed = threading.Condition(self.lock)
        self.refusals = 0

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address.endswith(f"@{REFUSED_DOMAIN}"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.refusals > 0:
                self.refusals -= 1
                return "451 4.3.0 Try again later"
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
            self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class _CountingSMTP(SMTP):
    """Counts open connections, so that the server stops only once each one has closed."""

    def __init__(self, collector: _Collector, **kwargs: Any) -> None:
        super().__init__(collector, **kwargs)
        self.collector = collector

    def connection_made(self, transport: Any) -> None:
        with self.collector.lock:
            self.collector.open_connections += 1
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        super().connection_lost(error)
        with self.collector.lock:
            self.collector.open_connections -= 1
            self.collector.all_closed.notify_all()


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _CountingSMTP(self.handler, **self.SMTP_kwargs)


class Mailbox:
    """What the test SMTP server received, and the settings that make an app send to it."""

    def __init__(self, host: str, port: int, collector: _Collector) -> None:
        self.host = host
        self.port = port
        self._collector = collector

    @property
    def settings(self) -> dict[str, Any]:
        return {"smtp_host": self.host, "smtp_port": self.port, "smtp_starttls": False}

    def refuse(self, count: int) -> None:
        """Answer the next ``count`` messages with a temporary failure (451), as a server
        that is overloaded or greylisting does."""
        with self._collector.lock:
            self._collector.refusals = count

    @property
    def messages(self) -> list[EmailMessage]:
        with self._collector.lock:
            return list(self._collector.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last(self, address: str) -> EmailMessage:
        received = self.to(address)
        assert received, f"no mail to {address}; got mail to {[m['To'] for m in self.messages]}"
        return received[-1]


def _part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    content: str = body.get_content()
    # SMTP carries lines ended by CRLF; compare them as Python writes them.
    return content.replace("\r\n", "\n")


def text_of(message: EmailMessage) -> str:
    return _part(message, "plain")


def html_of(message: EmailMessage) -> str:
    return _part(message, "html")


def links_in(message: EmailMessage) -> list[str]:
    """The absolute links of the plain-text part, in order."""
    return LINK.findall(text_of(message))


def path_of(link: str) -> str:
    """The path of ``link``, to follow it with a test client."""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def free_port() -> int:
    # aiosmtpd checks that its server answers by connecting to the port it was given,
    # so it needs a real number rather than 0.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_mailbox() -> Iterator[Mailbox]:
    collector = _Collector()
    controller = _Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield Mailbox(controller.hostname, controller.port, collector)
    finally:
        # Stopping the server with a conversation under way leaves its socket unclosed
        # (a ResourceWarning): let connections close first.
        with collector.lock:
            collector.all_closed.wait_for(lambda: collector.open_connections == 0, timeout=10)
        controller.stop()
