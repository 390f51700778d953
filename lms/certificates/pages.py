"""What certificates' pages show: a learner's list, and the public verification of one."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from lms.certificates.artifacts import local_day, pdf_languages, verify_url
from lms.certificates.document import format_hours
from lms.certificates.models import Certificate
from lms.certificates.renewal import Renewal, renewal_of, renewal_opens_at
from lms.certificates.services import Prospect, Standing, standing_of
from lms.certificates.sharing import linkedin_url
from lms.content import SUPPORTED_LANGUAGES, Catalog
from lms.content.placeholders import Placeholder
from lms.db import utcnow
from lms.learning.pages import CourseLink, catalog_entry


@dataclass(frozen=True)
class Text:
    """A snapshot text in the language closest to the one asked for."""

    value: str
    language: str | None
    """Its language; None when the text is the same in every language."""


def text_in(values: Mapping[str, Any], language: str) -> Text:
    for key in (language, "*", *SUPPORTED_LANGUAGES, *values):
        if key in values:
            return Text(str(values[key]), None if key == "*" else key)
    return Text("", None)


@dataclass(frozen=True)
class CertificateEntry:
    """One certificate as its holder's list shows it."""

    code: str
    title: Text
    issued_at: datetime
    expires_at: datetime | None
    standing: Standing
    revoked_at: datetime | None
    revoked_reason: str | None
    replacement_code: str | None
    own_language: str
    pdf_languages: tuple[str, ...]
    renewal: Renewal | None
    renewal_opens_at: datetime | None
    verify_url: str
    """The public page that proves it: the address to share."""
    linkedin_url: str
    """LinkedIn's form to add it to the holder's profile."""

    @property
    def downloadable(self) -> bool:
        return self.standing in (Standing.VALID, Standing.EXPIRED)


def entries(
    certificates: Sequence[Certificate],
    language: str,
    renewal_days: int,
    zone: tzinfo,
    now: datetime | None = None,
) -> list[CertificateEntry]:
    """``certificates`` (one learner's) as their list shows them, in ``language``; renewal
    opens ``renewal_days`` before expiry; months (for LinkedIn) are counted in ``zone``."""
    moment = now or utcnow()
    latest: dict[str, int] = {}
    for certificate in certificates:
        known = latest.get(certificate.definition_id, 0)
        latest[certificate.definition_id] = max(known, certificate.sequence)
    return [
        CertificateEntry(
            code=c.code,
            title=text_in(c.title, language),
            issued_at=c.issued_at,
            expires_at=c.expires_at,
            standing=standing_of(c, moment),
            revoked_at=c.revoked_at,
            revoked_reason=c.revoked_reason,
            replacement_code=c.superseded_by.code if c.superseded_by is not None else None,
            own_language=c.language,
            pdf_languages=pdf_languages(c.language),
            renewal=renewal_of(
                c, latest=latest[c.definition_id] == c.sequence, days=renewal_days, now=moment
            ),
            renewal_opens_at=renewal_opens_at(c, renewal_days),
            verify_url=verify_url(c.code),
            linkedin_url=linkedin_url(
                title=text_in(c.title, language).value,
                issuer=text_in(c.issuer.get("name") or {}, language).value,
                issued_on=local_day(c.issued_at, zone),
                expires_on=local_day(c.expires_at, zone) if c.expires_at else None,
                verify_url=verify_url(c.code),
                code=c.code,
            ),
        )
        for c in certificates
    ]


@dataclass(frozen=True)
class Document:
    language: str
    sha256: str


@dataclass(frozen=True)
class Verification:
    """What anyone may know of a certificate: nothing of its holder but the printed name."""

    code: str
    url: str
    holder_name: str
    title: Text
    issuer_name: Text
    issuer_url: str
    issued_on: date
    expires_on: date | None
    standing: Standing
    revoked_on: date | None
    revoked_reason: str | None
    replacement_code: str | None
    replacement_url: str | None
    documents: tuple[Document, ...]
    withdrawn_on: date | None = None
    """When the holder withdrew it (deleting their account): ``holder_name`` is then empty."""
    duration_minutes: int | None = None
    learning_time: str | None = None
    """``duration_minutes`` as the certificate prints it, in the page's language."""

    @property
    def linkedin_url(self) -> str:
        """LinkedIn's form to add this certificate to its holder's profile."""
        return linkedin_url(
            title=self.title.value,
            issuer=self.issuer_name.value,
            issued_on=self.issued_on,
            expires_on=self.expires_on,
            verify_url=self.url,
            code=self.code,
        )


def verification(
    certificate: Certificate, language: str, zone: tzinfo, now: datetime | None = None
) -> Verification:
    """The public facts of ``certificate``, texts in ``language`` where it has them, days
    in ``zone``."""
    replacement = certificate.superseded_by
    standing = standing_of(certificate, now)
    withdrawn = certificate.holder_withdrawn_at
    return Verification(
        code=certificate.code,
        url=verify_url(certificate.code),
        holder_name="" if withdrawn else certificate.certificate_name,
        title=text_in(certificate.title, language),
        issuer_name=text_in(certificate.issuer.get("name") or {}, language),
        issuer_url=str(certificate.issuer.get("url") or ""),
        issued_on=local_day(certificate.issued_at, zone),
        expires_on=local_day(certificate.expires_at, zone) if certificate.expires_at else None,
        standing=standing,
        revoked_on=local_day(certificate.revoked_at, zone) if certificate.revoked_at else None,
        revoked_reason=certificate.revoked_reason if standing is Standing.REVOKED else None,
        replacement_code=replacement.code if replacement is not None else None,
        replacement_url=verify_url(replacement.code) if replacement is not None else None,
        documents=(
            () if withdrawn else tuple(Document(p.language, p.sha256) for p in certificate.pdfs)
        ),
        withdrawn_on=local_day(withdrawn, zone) if withdrawn else None,
        duration_minutes=certificate.duration_minutes,
        learning_time=(
            format_hours(certificate.duration_minutes, language)
            if certificate.duration_minutes is not None
            else None
        ),
    )


def verification_json(
    certificate: Certificate, zone: tzinfo, now: datetime | None = None
) -> dict[str, Any]:
    """The verification as JSON: the same facts, texts in every language."""
    facts = verification(certificate, SUPPORTED_LANGUAGES[0], zone, now)

    def day(value: date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "code": facts.code,
        "url": facts.url,
        "status": facts.standing.value,
        "holder_name": facts.holder_name or None,
        "title": _every_language(certificate.title),
        "issuer": {
            "name": _every_language(certificate.issuer.get("name") or {}),
            "url": facts.issuer_url,
        },
        "issued_on": day(facts.issued_on),
        "expires_on": day(facts.expires_on),
        "revoked_on": day(facts.revoked_on) if facts.standing is Standing.REVOKED else None,
        "revocation_reason": facts.revoked_reason,
        "superseded_by": (
            {"code": facts.replacement_code, "url": facts.replacement_url}
            if facts.replacement_code is not None
            else None
        ),
        "documents": [{"language": d.language, "sha256": d.sha256} for d in facts.documents],
        "withdrawn_on": day(facts.withdrawn_on),
        "duration_minutes": facts.duration_minutes,
    }


def _every_language(values: Mapping[str, Any]) -> dict[str, str]:
    return {language: text_in(values, language).value for language in SUPPORTED_LANGUAGES}


@dataclass(frozen=True)
class ProspectEntry:
    """A certificate requiring a course the learner completed, as its pages tell them of it."""

    definition_id: str
    title: Text
    code: str | None
    missing_courses: tuple[CourseLink, ...]
    name_missing: bool
    email_unconfirmed: bool
    sessions_missing: int = 0


def prospect_entry(prospect: Prospect, catalog: Catalog, language: str) -> ProspectEntry:
    missing = tuple(
        catalog_entry(catalog, course, language)
        for course_id in prospect.missing_courses
        if (course := catalog.course(course_id)) is not None
    )
    return ProspectEntry(
        definition_id=prospect.definition.id,
        title=text_in(prospect.definition.title.values, language),
        code=prospect.code,
        missing_courses=tuple(CourseLink(e.course_id, e.title, e.language) for e in missing),
        name_missing=prospect.name_missing,
        email_unconfirmed=prospect.email_unconfirmed,
        sessions_missing=prospect.sessions_missing,
    )


@dataclass(frozen=True)
class HeldBack:
    """A definition production issues nothing from, for the staff pages' banner."""

    definition_id: str
    title: Text
    file: str
    """As seen from the content root, where staff edit it."""
    line: int
    text: str
    """The value holding the placeholder, as written (shortened when long)."""


def held_back(
    placeholders: Mapping[str, Placeholder], catalog: Catalog, language: str
) -> list[HeldBack]:
    entries = []
    for definition_id, placeholder in sorted(placeholders.items()):
        definition = catalog.certificates.get(definition_id)
        title = text_in(definition.title.values, language) if definition else Text("", None)
        file = os.path.relpath(placeholder.path, catalog.root)
        entries.append(HeldBack(definition_id, title, file, placeholder.line, placeholder.excerpt))
    return entries
