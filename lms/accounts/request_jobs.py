"""The jobs that answer sign-ups and reset requests, after the response.

A request checks its form (every rule, the password's hash computed) and queues one of these,
whatever the address: its answer, and the time it takes, are then the same whether the
address has an account or not. The job looks the address up, writes the account or not, and
mails the address's owner, within ``MAILS_PER_EMAIL`` counted on the mails it sends: a
stranger's requests never refuse the owner a page, and what they do send lands in the
owner's own mailbox, with links that work.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask

from lms import jobs
from lms.accounts import links, services
from lms.accounts.access import may_mail
from lms.config import current_settings
from lms.db import get_session
from lms.mail import Mail
from lms.outbox.services import enqueue

SIGN_UP = "accounts.sign_up"
RESET_REQUEST = "accounts.reset_request"

logger = logging.getLogger(__name__)


def sign_up(
    email: str, password_hash: str, profile: services.Profile, consented_at: datetime
) -> None:
    """Create the account of a sign-up the request took, or tell the address's owner."""
    session = get_session()
    mail = services.sign_up(
        session,
        email,
        password_hash,
        profile,
        consented_at=consented_at,
        secret_key=current_settings().secret_key,
    )
    _send(mail)
    session.commit()


def reset_request(email: str) -> None:
    """Mail a reset link to the account of ``email``, if there is one."""
    session = get_session()
    _send(links.request_password_reset(session, email, current_settings().secret_key))
    session.commit()


def _send(mail: Mail | None) -> None:
    if mail is None:
        return
    if may_mail(mail.to):
        enqueue(get_session(), mail)
    else:
        # No address in the log: a count is what the operator needs.
        logger.info("An account mail was not sent: its address had its share for now")


RETRIES = 15
"""A request taken while the database is down is answered once it is back (15 minutes)."""


def init_app(app: Flask) -> None:
    jobs.register(app, SIGN_UP, sign_up, retries=RETRIES)
    jobs.register(app, RESET_REQUEST, reset_request, retries=RETRIES)
