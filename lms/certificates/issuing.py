"""Issuing: a certificate, once, when a learner has completed every course it requires."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import queries as account_queries
from lms.accounts.signals import email_confirmed
from lms.catalog import current_catalog, held_back_certificates
from lms.certificates import artifacts, keys, mails, queries, status_lists
from lms.certificates.artifacts import Statement
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificatePdf, CertificateStatus
from lms.certificates.pdf import Mode
from lms.config import Settings
from lms.content import Catalog, CertificateDefinition, Course, Localized
from lms.db import utcnow
from lms.i18n import language_or_default
from lms.learning import queries as learning
from lms.learning.signals import course_completed
from lms.live import queries as live
from lms.live.signals import attendance_recorded
from lms.outbox.services import enqueue

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.learning.models import Enrolment

logger = logging.getLogger(__name__)


def issue_due_certificates(
    session: Session,
    user: User,
    catalog: Catalog,
    *,
    course_id: str | None = None,
    sessions_only: bool = False,
    held_back: Collection[str] = (),
) -> list[Certificate]:
    """Issue each certificate of ``catalog`` that ``user`` has become due; the new ones.

    ``course_id`` limits the look to the definitions requiring that course (the one just
    completed), ``sessions_only`` to those requiring live sessions (attendance was just
    recorded). A certificate is due when every course it requires is completed, and the
    live sessions it requires attended (``requires_sessions``), and the learner has none of
    it yet, or has renewed the latest one (``renewal``) and done all of it again since. The
    unique (user, definition, sequence) settles two requests issuing at once: the second
    one's insert fails, and it issues nothing. Nothing is issued
    while the learner's name for certificates is empty: it would be printed blank; nor while
    their address is unconfirmed: the badge would assert an address nobody proved (they are
    issued once it is, ``_on_email_confirmed``); nor from the ``held_back`` definitions
    (placeholder text in production): it would print too.
    The learner is mailed once the caller commits.
    """
    if not (user.certificate_name or "").strip() or not user.email_confirmed:
        return []
    definitions: Iterable[CertificateDefinition] = (
        catalog.certificates_requiring(course_id)
        if course_id is not None
        else catalog.certificates.values()
    )
    if sessions_only:
        definitions = [d for d in definitions if d.requires_sessions is not None]
    completed = learning.completed_enrolments(session, user)
    issued = []
    for definition in definitions:
        if definition.id in held_back:
            continue
        sequence = _due_sequence(session, user, definition, completed)
        if sequence is not None:
            certificate = _issue(session, user, catalog, definition, sequence, completed)
            if certificate is not None:
                issued.append(certificate)
    return issued


def due_definitions(
    session: Session, user: User, catalog: Catalog, *, held_back: Collection[str] = ()
) -> list[CertificateDefinition]:
    """The definitions whose certificate ``user`` has earned but not received.

    Those of a learner with no name for certificates, or whose issue failed: the learner's
    list offers to issue them (``issue_due_certificates``); not the ``held_back`` ones,
    which no claim would issue until staff fix them.
    """
    completed = learning.completed_enrolments(session, user)
    return [
        definition
        for definition in catalog.certificates.values()
        if definition.id not in held_back
        and _due_sequence(session, user, definition, completed) is not None
    ]


def _due_sequence(
    session: Session,
    user: User,
    definition: CertificateDefinition,
    completed: Mapping[str, Enrolment],
) -> int | None:
    """The sequence of the certificate to issue now, or None when none is due."""
    if not all(course_id in completed for course_id in definition.requires):
        return None
    if not _attended_enough(session, user, definition):
        return None
    latest = queries.latest_certificate(session, user.id, definition.id)
    if latest is None:
        return 1
    renewing_since = latest.renewal_started_at
    if renewing_since is None or latest.status is CertificateStatus.REVOKED:
        return None
    # Renewal reset the required courses: each must be completed again since it began,
    # and the sessions attended again (sessions that started since).
    again = all(
        (completed_at := completed[course_id].completed_at) is not None
        and completed_at >= renewing_since
        for course_id in definition.requires
    ) and _attended_enough(session, user, definition, since=renewing_since)
    return latest.sequence + 1 if again else None


def _attended_enough(
    session: Session,
    user: User,
    definition: CertificateDefinition,
    *,
    since: datetime | None = None,
) -> bool:
    """Whether ``user`` attended the live sessions ``definition`` requires (if any)."""
    requirement = definition.requires_sessions
    if requirement is None:
        return True
    return live.attended_count(session, user.id, requirement, since=since) >= requirement.count


def _issue(
    session: Session,
    user: User,
    catalog: Catalog,
    definition: CertificateDefinition,
    sequence: int,
    completed: Mapping[str, Enrolment],
) -> Certificate | None:
    now = utcnow()
    learner_language = language_or_default(user.language)
    certificate = Certificate(
        user_id=user.id,
        definition_id=definition.id,
        sequence=sequence,
        code=new_code(),
        certificate_name=(user.certificate_name or "").strip(),
        title=dict(definition.title.values),
        statement=dict(definition.statement.values),
        issuer={"name": dict(definition.issuer.name.values), "url": definition.issuer.url},
        course_versions={
            course_id: completed[course_id].completed_version for course_id in definition.requires
        },
        language=Mode.BILINGUAL.value if definition.bilingual else learner_language,
        duration_minutes=artifacts.duration_minutes(catalog, definition.requires),
        issued_at=now,
        expires_at=(
            now + timedelta(days=definition.valid_for_days) if definition.valid_for_days else None
        ),
        status=CertificateStatus.ACTIVE,
        status_index=status_lists.new_status_index(session),
    )
    try:
        make_artifacts(certificate, definition, catalog, user)
    except Exception:
        # A broken asset (a logo deleted since the catalogue was read) must not undo the
        # learner's completion: it is logged, and `lms certificates issue-due` catches up.
        logger.exception("Could not render certificate %s for user %s", definition.id, user.id)
        return None
    try:
        with session.begin_nested():
            session.add(certificate)
    except IntegrityError:
        # Issued by a concurrent request (same user, definition and sequence): that one
        # stands, and this request leaves it be. (Or, once in a blue moon, the same status
        # index drawn at the same instant: `lms certificates issue-due` issues it later.)
        return None
    enqueue(session, mails.issued_mail(user, certificate))
    return certificate


def statement_of(certificate: Certificate) -> Statement:
    """What ``certificate`` states, from its row."""
    return Statement(
        definition_id=certificate.definition_id,
        code=certificate.code,
        holder_name=certificate.certificate_name,
        title=Localized.of(certificate.title),
        statement=Localized.of(certificate.statement),
        issuer_name=Localized.of(certificate.issuer.get("name") or {}),
        issuer_url=str(certificate.issuer.get("url") or ""),
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        language=certificate.language,
        duration_minutes=certificate.duration_minutes,
    )


def make_artifacts(
    certificate: Certificate, definition: CertificateDefinition, catalog: Catalog, user: User
) -> None:
    """Render ``certificate``'s PDFs and sign its badge, from what its row states (its
    ``status_index`` given)."""
    statement = statement_of(certificate)
    certificate.pdfs = [
        CertificatePdf(language=language, sha256=artifacts.sha256(content), content=content)
        for language, content in artifacts.render_pdfs(statement, definition).items()
    ]
    language = language_or_default(user.language)
    certificate.badge_jwt = artifacts.sign_badge(
        statement,
        # A reissue for a holder whose address is unconfirmed (issued before certificates
        # waited for one) must not assert it either.
        email=user.email if user.email_confirmed else None,
        language=language,
        criteria=artifacts.criteria_text(
            catalog, definition.requires, language, certificate.duration_minutes
        ),
        status_index=certificate.status_index,
    )


_ISSUED_ON_COMPLETION = "lms.certificates.issued_on_completion"


def _on_course_completed(session: Session, **values: Any) -> None:
    user: User = values["user"]
    course: Course = values["course"]
    catalog, held_back = current_catalog(), held_back_certificates()
    issued = issue_due_certificates(
        session, user, catalog, course_id=course.id, held_back=held_back
    )
    session.info.setdefault(_ISSUED_ON_COMPLETION, []).extend(issued)


def _on_attendance_recorded(session: Session, **values: Any) -> None:
    catalog, held_back = current_catalog(), held_back_certificates()
    user_ids: list[int] = values["user_ids"]
    for user in account_queries.users_by_id(session, set(user_ids)).values():
        issue_due_certificates(session, user, catalog, sessions_only=True, held_back=held_back)


def _on_email_confirmed(session: Session, **values: Any) -> None:
    user: User = values["user"]
    issue_due_certificates(session, user, current_catalog(), held_back=held_back_certificates())


def issued_on_completion(session: Session) -> list[Certificate]:
    """The certificates that completed courses issued in ``session`` since the last call:
    what a completion's signal issued, which its sender cannot know (``lms certificates
    issue-due`` counts those of the completions it repairs)."""
    issued: list[Certificate] = session.info.pop(_ISSUED_ON_COMPLETION, [])
    return issued


def init_app(app: Flask, settings: Settings) -> None:
    keys.init_app(app, settings)
    # One receiver for every app: the catalogue it reads is the current app's.
    course_completed.connect(_on_course_completed, weak=False)
    attendance_recorded.connect(_on_attendance_recorded, weak=False)
    email_confirmed.connect(_on_email_confirmed, weak=False)
