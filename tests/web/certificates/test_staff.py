"""Staff actions on certificates, as services: revoking and reissuing, and their refusals."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.certificates import corrections, queries, services
from lms.certificates.models import Certificate, CertificateStatus
from lms.db import database, get_session
from tests.support.smtp import Mailbox
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    RENEWABLE,
    add_learner,
    certificates_in,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT, **mailbox.settings)


@pytest.fixture
def code(app: Flask) -> str:
    user_id = add_learner(app, "lea@example.org")
    complete_course(app, user_id, RENEWABLE)
    add_learner(app, "staff@example.org", name="Staff", role=Role.STAFF)
    return only_certificate(app).code


@dataclass(frozen=True)
class Acting:
    session: Session
    actor: User
    certificate: Certificate


def user_by_email(session: Session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


@contextmanager
def acting(app: Flask, code: str, actor_email: str = "staff@example.org") -> Iterator[Acting]:
    """A staff member (or anyone) about to act on ``code``, in an app context."""
    with app.app_context():
        session = get_session()
        certificate = queries.find_certificate_by_code(session, code)
        assert certificate is not None
        yield Acting(session, user_by_email(session, actor_email), certificate)


def test_revoking_records_who_when_and_why(app: Flask, code: str) -> None:
    with acting(app, code) as it:
        corrections.revoke_certificate(
            it.session, it.certificate, reason="  Identity fraud.  ", actor=it.actor
        )
        it.session.commit()
        staff_id = it.actor.id

    revoked = only_certificate(app)
    assert revoked.status is CertificateStatus.REVOKED
    assert revoked.revoked_reason == "Identity fraud."
    assert revoked.revoked_at is not None
    assert revoked.revoked_by_id == staff_id


def test_revoking_mails_the_learner_the_reason_in_their_language(
    app: Flask, code: str, mailbox: Mailbox
) -> None:
    with app.app_context():
        session = get_session()
        user_by_email(session, "lea@example.org").language = "fr"
        session.commit()
    with acting(app, code) as it:
        corrections.revoke_certificate(it.session, it.certificate, reason="Fraude.", actor=it.actor)
        assert len(mailbox.to("lea@example.org")) == 1  # only the issue's: not before commit
        it.session.commit()

    _issued, revoked = mailbox.to("lea@example.org")
    assert revoked["Subject"] == "Votre attestation a été révoquée\u00a0: Rappel sur le partenariat"
    text = revoked.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "La raison donnée\u00a0:\r\nFraude." in text
    assert code in text


def test_revoking_is_refused_twice_without_a_reason_or_to_a_learner(app: Flask, code: str) -> None:
    with acting(app, code, "lea@example.org") as it, pytest.raises(corrections.StaffOnly):
        corrections.revoke_certificate(it.session, it.certificate, reason="x", actor=it.actor)
    with acting(app, code) as it:
        for reason in ("", "   ", "x" * (corrections.REASON_MAX_LENGTH + 1)):
            with pytest.raises(corrections.RevocationReasonMissing):
                corrections.revoke_certificate(
                    it.session, it.certificate, reason=reason, actor=it.actor
                )
        corrections.revoke_certificate(it.session, it.certificate, reason="Fraud.", actor=it.actor)
        it.session.commit()
        with pytest.raises(corrections.CertificateAlreadyRevoked):
            corrections.revoke_certificate(
                it.session, it.certificate, reason="Again.", actor=it.actor
            )
        with pytest.raises(corrections.CertificateRevokedCannotBeReissued):
            corrections.reissue_certificate(
                it.session, it.certificate, actor=it.actor, catalog=current_catalog()
            )


def test_a_revocation_resting_on_a_stale_read_is_refused(app: Flask, code: str) -> None:
    """Two staff members revoke at once: the second one's read predates the first's write."""
    stale = database(app).sessions(expire_on_commit=False)
    try:
        with app.app_context():
            actor = user_by_email(stale, "staff@example.org")
            read_before = queries.find_certificate_by_code(stale, code)
            assert read_before is not None
            stale.commit()
        with acting(app, code) as it:
            corrections.revoke_certificate(
                it.session, it.certificate, reason="First.", actor=it.actor
            )
            it.session.commit()
        with app.app_context(), pytest.raises(corrections.CertificateAlreadyRevoked):
            corrections.revoke_certificate(stale, read_before, reason="Second.", actor=actor)
    finally:
        stale.rollback()
        stale.close()
    assert only_certificate(app).revoked_reason == "First."


def test_reissuing_prints_the_current_name_under_a_new_code(
    app: Flask, code: str, mailbox: Mailbox
) -> None:
    with app.app_context():
        session = get_session()
        learner = user_by_email(session, "lea@example.org")
        learner.certificate_name = "Léa Tremblay"
        session.commit()
    with acting(app, code) as it:
        replacement = corrections.reissue_certificate(
            it.session, it.certificate, actor=it.actor, catalog=current_catalog()
        )
        assert replacement.code != code
        it.session.commit()

    old, new = certificates_in(app)
    assert old.status is CertificateStatus.SUPERSEDED
    assert old.superseded_by_id == new.id
    assert old.superseded_at is not None
    assert new.status is CertificateStatus.ACTIVE
    assert new.sequence == 2
    assert new.certificate_name == "Léa Tremblay"
    for kept in ("title", "statement", "issuer", "course_versions", "language"):
        assert getattr(new, kept) == getattr(old, kept), kept
    assert (new.issued_at, new.expires_at) == (old.issued_at, old.expires_at)
    assert new.badge_jwt != old.badge_jwt
    pdf = new.pdfs[0].content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Léa Tremblay" in text
    assert new.code in text
    assert "Tremblay-Côté" not in text
    # Both mails: issued, then reissued; the second after the commit only.
    _issued, reissued = mailbox.to("lea@example.org")
    assert reissued["Subject"] == "Your certificate was reissued: Partnership refresher"
    assert new.code in reissued.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_reissuing_is_refused_for_a_superseded_certificate_or_a_gone_definition(
    app: Flask, code: str
) -> None:
    with acting(app, code) as it:
        gone = replace(current_catalog(), certificates={})
        with pytest.raises(corrections.CertificateDefinitionGone):
            corrections.reissue_certificate(
                it.session, it.certificate, actor=it.actor, catalog=gone
            )
        corrections.reissue_certificate(
            it.session, it.certificate, actor=it.actor, catalog=current_catalog()
        )
        it.session.commit()
        with pytest.raises(corrections.CertificateAlreadySuperseded):
            corrections.reissue_certificate(
                it.session, it.certificate, actor=it.actor, catalog=current_catalog()
            )
        with pytest.raises(corrections.CertificateAlreadySuperseded):
            corrections.revoke_certificate(it.session, it.certificate, reason="x", actor=it.actor)


def test_finding_and_listing(app: Flask, code: str) -> None:
    with app.app_context():
        session = get_session()
        typed = code.lower().replace("-", " ")
        found = queries.find_certificate_by_code(session, typed)
        assert found is not None
        assert found.code == code
        assert queries.find_certificate_by_code(session, "PRC-0000-0000-0000-0000") is None
        assert queries.find_certificate_by_code(session, "nonsense") is None
        learner = user_by_email(session, "lea@example.org")
        staff = user_by_email(session, "staff@example.org")
        assert [c.code for c in queries.certificates_of(session, learner)] == [code]
        assert queries.certificates_of(session, staff) == []
        assert services.standing_of(found) is services.Standing.VALID
