"""Expiry and renewal: telling learners before a certificate expires, and renewing it.

Renewing means completing the required courses again, in their latest version. The learner
asks for it once renewal opens (``certificate_renewal_days`` before expiry, or after): their
completion of each required course is reset, and when they have completed every one again,
a new certificate is issued (see ``issuing``). The old one is left as it is: it stays valid
until its own expiry, and the new one records the versions completed this time.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

from lms.certificates import mails, queries
from lms.certificates.models import Certificate, CertificateStatus
from lms.content import Catalog, ItemKind
from lms.db import rows_changed, utcnow
from lms.errors import DomainError
from lms.learning import services as learning
from lms.mail import Mail
from lms.quizzes import services as quizzes

if TYPE_CHECKING:
    from lms.accounts.models import User


class RenewalNotOpen(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate cannot be renewed now. Renewal opens shortly before a certificate "
        "expires, once per certificate; if you have started it, complete the courses again."
    )


class RenewalBlockedByQuizLimit(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate cannot be renewed here: you have used every attempt at a quiz of its "
        "courses, so you could not pass it again. Ask the program staff."
    )


class Renewal(enum.StrEnum):
    """Where a certificate that expires stands towards its renewal."""

    NOT_YET = "not_yet"
    OPEN = "open"
    STARTED = "started"


def renewal_opens_at(certificate: Certificate, days: int) -> datetime | None:
    """When the learner is reminded and may renew, ``days`` before expiry
    (``LMS_CERTIFICATE_RENEWAL_DAYS``); None for a certificate that never expires."""
    if certificate.expires_at is None:
        return None
    return certificate.expires_at - timedelta(days=days)


def renewal_of(
    certificate: Certificate, *, latest: bool, days: int, now: datetime | None = None
) -> Renewal | None:
    """Where ``certificate`` stands towards renewal; None when it cannot be renewed at all.

    Only the learner's latest active certificate of a definition that expires can be:
    ``latest`` says whether ``certificate`` is it.
    """
    opens_at = renewal_opens_at(certificate, days)
    if opens_at is None or not latest or certificate.status is not CertificateStatus.ACTIVE:
        return None
    if certificate.renewal_started_at is not None:
        return Renewal.STARTED
    return Renewal.OPEN if (now or utcnow()) >= opens_at else Renewal.NOT_YET


def start_renewal(
    session: Session, user: User, certificate: Certificate, catalog: Catalog, *, days: int
) -> tuple[str, ...]:
    """Reset ``user``'s completion of the courses ``certificate`` requires; their ids.

    The courses' lessons and quizzes are to be done again: their completion records go
    (the quiz attempts stay, as the record of what was answered). Raises
    ``RenewalNotOpen`` unless renewal is open, and for a second request, even at the same
    instant, so that a second click never wipes what was redone since the first.
    """
    latest = queries.latest_certificate(session, user.id, certificate.definition_id)
    is_latest = latest is not None and latest.id == certificate.id
    state = renewal_of(certificate, latest=is_latest, days=days)
    if certificate.user_id != user.id or state is not Renewal.OPEN:
        raise RenewalNotOpen
    definition = catalog.certificates.get(certificate.definition_id)
    courses = definition.requires if definition is not None else tuple(certificate.course_versions)
    _require_attempts_left(session, user, catalog, courses)
    started = update(Certificate).where(
        Certificate.id == certificate.id,
        Certificate.status == CertificateStatus.ACTIVE,
        Certificate.renewal_started_at.is_(None),
    )
    renewing = started.values(renewal_started_at=utcnow()).execution_options(
        synchronize_session=False
    )
    if rows_changed(session, renewing) != 1:
        raise RenewalNotOpen
    session.refresh(certificate)
    learning.reset_progress(session, user, courses)
    return courses


def _require_attempts_left(
    session: Session, user: User, catalog: Catalog, course_ids: tuple[str, ...]
) -> None:
    # Quizzes count every attempt ever made against their limit: a learner with none left
    # could never pass again, and resetting their courses would strand them.
    for course_id in course_ids:
        course = catalog.course(course_id)
        for item in course.items() if course is not None else ():
            if item.kind is not ItemKind.QUIZ:
                continue
            ref = quizzes.find_quiz(catalog, course_id, item.key)
            if quizzes.overview(session, user, ref).left == 0:
                raise RenewalBlockedByQuizLimit


def expiring_certificates(
    session: Session, *, within_days: int, now: datetime | None = None
) -> list[Certificate]:
    """Valid certificates expiring within ``within_days``, whose learner was not told yet.

    Only each learner's latest of a definition, not renewed: a learner who has renewed,
    or started to, has nothing to be reminded of.
    """
    moment = now or utcnow()
    newer = aliased(Certificate)
    return list(
        session.scalars(
            select(Certificate)
            .where(
                Certificate.status == CertificateStatus.ACTIVE,
                Certificate.expires_at > moment,
                Certificate.expires_at <= moment + timedelta(days=within_days),
                Certificate.expiry_reminded_at.is_(None),
                Certificate.renewal_started_at.is_(None),
                Certificate.holder_withdrawn_at.is_(None),
                ~exists().where(
                    newer.user_id == Certificate.user_id,
                    newer.definition_id == Certificate.definition_id,
                    newer.sequence > Certificate.sequence,
                ),
            )
            .order_by(Certificate.expires_at, Certificate.id)
        )
    )


def remind_expiring(
    session: Session, *, within_days: int, now: datetime | None = None
) -> list[Mail]:
    """Mark each certificate of ``expiring_certificates`` reminded; the mails to send.

    The caller commits, then sends: a reminder is recorded once and never sent twice, even
    by two runs at the same moment (a crash between the two leaves it unsent, not doubled).
    """
    moment = now or utcnow()
    found = []
    for certificate in expiring_certificates(session, within_days=within_days, now=moment):
        reminded = (
            update(Certificate)
            .where(Certificate.id == certificate.id, Certificate.expiry_reminded_at.is_(None))
            .values(expiry_reminded_at=moment)
            .execution_options(synchronize_session=False)
        )
        if rows_changed(session, reminded) == 1:
            found.append(mails.expiring_mail(certificate.user, certificate))
    return found
