"""Outgoing mail: built from templates in the recipient's language, sent by SMTP or logged."""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Iterable
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


def render_mail(template: str, *, to: str, language: str, subject: str, **context: Any) -> Mail:
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
        return Mail(to=to, subject=str(subject), text=text, html=html, language=language)


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


def build_message(mail: Mail, settings: Settings) -> EmailMessage:
    """The ``EmailMessage`` for ``mail``: plain text, plus an HTML alternative if it has one."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = settings.mail_from.rpartition("@")[2].rstrip(">").strip() or None
    message["Message-ID"] = make_msgid(domain=domain)
    # Tells well-behaved servers not to send vacation replies to a robot.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html")
    # After the content: setting it clears every Content-* header.
    if mail.language:
        message["Content-Language"] = mail.language
    return message


def send_mail(mails: Mail | Iterable[Mail]) -> int:
    """Send ``mails`` over one SMTP connection, or log them when ``LMS_SMTP_HOST`` is empty.

    Call it after committing: a mail cannot be taken back, and a failure to send is logged
    rather than raised, so that it never undoes what the request saved. Returns how many
    messages the server accepted (or were logged).
    """
    batch = [mails] if isinstance(mails, Mail) else list(mails)
    if not batch:
        return 0
    settings = current_settings()
    return _deliver([build_message(mail, settings) for mail in batch], settings)


_pending: set[threading.Thread] = set()
_pending_lock = threading.Lock()


def send_mail_soon(mails: Mail | Iterable[Mail]) -> None:
    """Like ``send_mail``, but from a thread, so that the response does not wait for SMTP.

    For answers that must not tell, by how long they take, whether a mail was sent (a reset
    asked for an unknown address sends nothing). The thread is not a daemon: a stopping
    worker still sends what it promised.
    """
    batch = [mails] if isinstance(mails, Mail) else list(mails)
    if not batch:
        return
    settings = current_settings()
    messages = [build_message(mail, settings) for mail in batch]
    thread = threading.Thread(
        target=_deliver_in_background, args=(messages, settings), name="lms-mail"
    )
    with _pending_lock:
        _pending.add(thread)
    thread.start()


def wait_for_mail(timeout: float | None = None) -> None:
    """Wait until the mails given to ``send_mail_soon`` are sent (or failed); for tests, CLI."""
    with _pending_lock:
        threads = list(_pending)
    for thread in threads:
        thread.join(timeout)


def _deliver_in_background(messages: list[EmailMessage], settings: Settings) -> None:
    try:
        _deliver(messages, settings)
    except Exception:
        # Nobody is left to raise to in this thread: the log is where the failure goes.
        logger.exception("Unexpected failure while sending %d mail(s)", len(messages))
    finally:
        with _pending_lock:
            _pending.discard(threading.current_thread())


def _deliver(messages: list[EmailMessage], settings: Settings) -> int:
    if not settings.mail_is_sent:
        for message in messages:
            if settings.is_production:
                # Recipients, names and links are personal data: never in a production log.
                logger.info("Mail not sent (LMS_SMTP_HOST is empty): %r", message["Subject"])
            else:
                # In development the log is the only way to read a confirmation link.
                logger.info("Mail not sent (LMS_SMTP_HOST is empty):\n%s", message.as_string())
        return len(messages)
    try:
        return _send_smtp(messages, settings)
    except (smtplib.SMTPException, OSError):
        logger.exception(
            "Could not send %d mail(s) through %s:%d",
            len(messages),
            settings.smtp_host,
            settings.smtp_port,
        )
        return 0


def _send_smtp(messages: list[EmailMessage], settings: Settings) -> int:
    sent = 0
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        for message in messages:
            try:
                smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused:
                # One bad address must not keep the others from their mail.
                # The count, not the address: logs must hold no personal data.
                logger.warning(
                    "The SMTP server refused the recipient of 1 mail (%r)", message["Subject"]
                )
            else:
                sent += 1
    return sent


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
