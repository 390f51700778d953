"""Outgoing mail: built from templates in the recipient's language; the SMTP connection.

Mails are not sent from here: they are queued in the outbox (``lms.outbox``), which sends them.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from lms.config import Settings, current_settings

SMTP_TIMEOUT_SECONDS = 15
"""A stalled server must not hold a request (and its worker) for long."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """One message to one recipient, already rendered in the recipient's language."""

    to: str
    subject: str
    text: str
    html: str | None = None
    language: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    """More header fields, in order (``List-Unsubscribe``); never one ``build_message`` sets."""


def render_mail(
    template: str,
    *,
    to: str,
    language: str,
    subject: str,
    headers: tuple[tuple[str, str], ...] = (),
    **context: Any,
) -> Mail:
    """Render ``<template>.txt`` (and ``<template>.html`` if it exists) in ``language``.

    ``subject`` may be a lazy string: it is translated here, in ``language``. ``context``
    goes to both templates; links in it must be absolute (see ``external_url``).
    """
    with force_locale(language):
        text = render_template(f"{template}.txt", **context)
        try:
            html: str | None = render_template(f"{template}.html", **context)
        except TemplateNotFound:
            html = None
        return Mail(
            to=to, subject=str(subject), text=text, html=html, language=language, headers=headers
        )


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for ``endpoint`` under ``LMS_BASE_URL``, with or without a request.

    The request's Host header is not used: an attacker could set it to make reset links
    in mails point to their own site.
    """
    base = urlsplit(current_settings().base_url)
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def build_message(mail: Mail, settings: Settings, message_id: str | None = None) -> EmailMessage:
    """The ``EmailMessage`` for ``mail``: plain text, plus an HTML alternative if it has one.

    ``message_id`` (its part before the ``@``) stays the same on every try of one mail.
    """
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = settings.mail_from.rpartition("@")[2].rstrip(">").strip() or None
    if message_id is None:
        message["Message-ID"] = make_msgid(domain=domain)
    else:
        message["Message-ID"] = f"<{message_id}@{domain or 'localhost'}>"
    # Tells well-behaved servers not to send vacation replies to a robot.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
    # After the content: setting it clears every Content-* header.
    if mail.language:
        message["Content-Language"] = mail.language
    return message


@contextmanager
def smtp_connection(settings: Settings) -> Iterator[smtplib.SMTP]:
    """An open, authenticated connection to ``LMS_SMTP_HOST``; closed on leaving.

    Raises ``smtplib.SMTPException`` or ``OSError`` when the server cannot be reached.
    """
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        yield smtp


def log_unsent(message: EmailMessage, settings: Settings) -> None:
    """Write ``message`` to the log, for a site without an SMTP server."""
    if settings.is_production:
        # Recipients, names and links are personal data: never in a production log.
        logger.info("Mail not sent (LMS_SMTP_HOST is empty): %r", message["Subject"])
    else:
        # In development the log is the only way to read a confirmation link.
        logger.info("Mail not sent (LMS_SMTP_HOST is empty):\n%s", message.as_string())


def init_app(app: Flask, settings: Settings) -> None:
    if settings.mail_is_sent:
        return
    # Without a server, the log is the only way to read a confirmation link: show it.
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    # Flask gives its logger ("lms", this module's parent) a console handler on first use.
    _ = app.logger
    if settings.is_production:
        app.logger.warning(
            "LMS_SMTP_HOST is empty: mails (with their sign-in links) are written to the "
            "log instead of being sent."
        )
