"""Certificate definitions (``certificates/ID.yaml``) and the assets they use."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from lms.content.files import read_text
from lms.content.model import (
    SUPPORTED_LANGUAGES,
    CertificateDefinition,
    Issuer,
    Localized,
    SessionRequirement,
    Signatory,
)
from lms.content.placeholders import Placeholder, certificate_placeholders
from lms.content.problems import Problem, Severity
from lms.content.typography import typeset
from lms.content.yamlnodes import Node, Place, Reader, Report, compose, suggest

_KEYS = ("id", "title", "requires", "statement", "issuer")
_OPTIONAL = ("signatories", "logo", "valid_for_days", "bilingual", "requires_sessions")


@dataclass(frozen=True)
class SessionReference:
    """A session id or tag that a definition's ``requires_sessions`` names, and its place.

    Sessions are scheduled by staff in the app, not written in files: whether one has this
    id or tag is for the database to say (``lms courses check`` asks it, see ``unknown``).
    """

    path: Path
    reference: str
    line: int
    column: int | None

    def unknown(self, known: Collection[str]) -> Problem:
        """The error for a reference that no session (id or tag) in ``known`` answers to."""
        return Problem(
            self.path,
            self.line,
            self.column,
            Severity.ERROR,
            f"'requires_sessions': no live session has the id or tag '{self.reference}'"
            + suggest(self.reference, known),
        )


@dataclass(frozen=True)
class CertificateLoad:
    """One definition file: the definition if valid, its problems, and what it requires."""

    path: Path
    definition: CertificateDefinition | None
    problems: tuple[Problem, ...]
    declared_id: str | None
    id_place: Place | None
    requires: tuple[tuple[str, Place], ...]
    placeholders: tuple[Placeholder, ...] = ()
    """Placeholder text in printed fields: not a problem until the checker's environment says."""
    session_references: tuple[SessionReference, ...] = ()
    """What ``requires_sessions`` names, checked against the sessions staff scheduled."""


class _CertificateReader:
    def __init__(self, path: Path, report: Report) -> None:
        self.path = path
        self.folder = path.parent
        self.report = report
        self.reader = Reader(report)
        self.assets: list[Path] = []

    def definition(self, node: Node) -> CertificateLoad:
        read, languages = self.reader, SUPPORTED_LANGUAGES
        values = read.mapping(node, "certificate", required=_KEYS, optional=_OPTIONAL) or {}
        cert_id = read.identifier(values["id"], "certificate 'id'") if "id" in values else None
        if cert_id is not None and cert_id != self.path.stem.removesuffix(".yaml"):
            self.report.warning(
                values["id"], f"the id '{cert_id}' differs from the file name '{self.path.name}'"
            )
        title = (
            typeset(read.localized(values["title"], "'title'", languages))
            if "title" in values
            else None
        )
        statement = None
        if "statement" in values:
            statement = typeset(read.localized(values["statement"], "'statement'", languages))
        requires = self._requires(values.get("requires"))
        issuer = self._issuer(values.get("issuer"))
        signatories = self._signatories(values.get("signatories"))
        logo = self._asset(values["logo"], "'logo'") if "logo" in values else None
        valid_for_days = None
        if "valid_for_days" in values:
            valid_for_days = read.integer(values["valid_for_days"], "'valid_for_days'", minimum=1)
        bilingual = False
        if "bilingual" in values:
            bilingual = bool(read.boolean(values["bilingual"], "'bilingual'"))
        sessions, references = self._requires_sessions(values.get("requires_sessions"))
        definition = None
        if not self.report.has_errors and cert_id and title and statement and issuer:
            definition = CertificateDefinition(
                id=cert_id,
                title=title,
                requires=tuple(course_id for course_id, _ in requires),
                statement=statement,
                issuer=issuer,
                signatories=signatories,
                logo=logo,
                valid_for_days=valid_for_days,
                bilingual=bilingual,
                path=self.path,
                version=self._version(),
                requires_sessions=sessions,
            )
        return CertificateLoad(
            self.path,
            definition,
            tuple(self.report.problems),
            cert_id,
            self.report.place_of(values["id"]) if "id" in values else None,
            requires,
            certificate_placeholders(values, self.report, cert_id),
            references,
        )

    def _requires(self, node: Node | None) -> tuple[tuple[str, Place], ...]:
        if node is None:
            return ()
        items = self.reader.sequence(node, "'requires'")
        if items is not None and not items:
            self.report.error(node, "'requires' must list at least one course id")
        found: list[tuple[str, Place]] = []
        for item in items or []:
            course_id = self.reader.identifier(item, "required course")
            if course_id is not None and course_id in {c for c, _ in found}:
                self.report.error(item, f"course '{course_id}' is required twice")
            elif course_id is not None:
                found.append((course_id, self.report.place_of(item)))
        return tuple(found)

    def _requires_sessions(
        self, node: Node | None
    ) -> tuple[SessionRequirement | None, tuple[SessionReference, ...]]:
        """``requires_sessions: {count: 2, of: [session-id-or-tag, ...]}``, and each entry's
        place for the check against the sessions scheduled."""
        if node is None:
            return None, ()
        what = "'requires_sessions'"
        values = self.reader.mapping(node, what, required=["count", "of"])
        if not values or "count" not in values or "of" not in values:
            return None, ()
        count = self.reader.integer(values["count"], f"{what} 'count'", minimum=1)
        items = self.reader.sequence(values["of"], f"{what} 'of'")
        if items is not None and not items:
            self.report.error(values["of"], f"{what} 'of' must list at least one session id or tag")
        found: dict[str, SessionReference] = {}
        for item in items or []:
            reference = self.reader.identifier(item, "session id or tag")
            if reference is None:
                continue
            if reference in found:
                self.report.error(item, f"{what} lists '{reference}' twice")
                continue
            line, column = self.report.place_of(item)
            found[reference] = SessionReference(self.path, reference, line, column)
        if count is None or not found:
            return None, tuple(found.values())
        return SessionRequirement(count, tuple(found)), tuple(found.values())

    def _issuer(self, node: Node | None) -> Issuer | None:
        if node is None:
            return None
        values = self.reader.mapping(node, "'issuer'", required=["name", "url"])
        if not values or "name" not in values or "url" not in values:
            return None
        name = typeset(self.reader.localized(values["name"], "issuer 'name'", SUPPORTED_LANGUAGES))
        url = self.reader.text(values["url"], "issuer 'url'")
        if url is not None and not url.startswith(("https://", "http://")):
            self.report.error(values["url"], f"issuer 'url' must start with https:// ('{url}')")
            return None
        return Issuer(name, url) if name and url else None

    def _signatories(self, node: Node | None) -> tuple[Signatory, ...]:
        if node is None:
            return ()
        signatories = []
        for item in self.reader.sequence(node, "'signatories'") or []:
            # A role alone ("Scientific direction") signs until a deployment names the person.
            values = self.reader.mapping(item, "signatory", optional=["name", "title", "signature"])
            if not values:
                continue
            if "name" not in values and "title" not in values:
                self.report.error(item, "a signatory needs a 'name', a 'title' or both")
                continue
            name = None
            if "name" in values:
                name = self.reader.text(values["name"], "signatory 'name'")
                if name is None:
                    continue
            title = None
            if "title" in values:
                title = typeset(
                    self.reader.localized(values["title"], "signatory 'title'", SUPPORTED_LANGUAGES)
                )
            signature = None
            if "signature" in values:
                signature = self._asset(values["signature"], "'signature'")
            signatories.append(Signatory(name, title or Localized.plain(""), signature))
        return tuple(signatories)

    def _asset(self, node: Node, what: str) -> Path | None:
        relative = self.reader.text(node, what)
        if relative is None:
            return None
        folder = self.folder.resolve()
        path = (folder / posixpath.normpath(relative)).resolve()
        if not path.is_relative_to(folder):
            self.report.error(node, f"{what} '{relative}' leads outside the certificates folder")
            return None
        if not path.is_file():
            self.report.error(node, f"{what}: missing file '{relative}'")
            return None
        self.assets.append(path)
        return path

    def _version(self) -> str:
        digest = hashlib.sha256(self.path.read_bytes())
        for asset in self.assets:
            digest.update(asset.read_bytes())
        return digest.hexdigest()


def load_certificate(path: Path) -> CertificateLoad:
    report = Report(path)
    text = read_text(path, report)
    node = compose(text, report) if text is not None else None
    if node is None:
        return CertificateLoad(path, None, tuple(report.problems), None, None, ())
    return _CertificateReader(path, report).definition(node)
