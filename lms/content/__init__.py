"""Course and certificate files in, an immutable Catalog out: pure Python, no Flask, no DB."""

from lms.content.loader import ContentLoad, load_content
from lms.content.model import (
    SUPPORTED_LANGUAGES,
    Catalog,
    CertificateDefinition,
    Choice,
    Course,
    Issuer,
    ItemKind,
    Lesson,
    Localized,
    OutlineItem,
    Question,
    QuestionType,
    Quiz,
    Scoring,
    Section,
    SessionRequirement,
    ShowAnswers,
    Signatory,
)
from lms.content.problems import Problem, Severity
from lms.content.store import CatalogStore

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Catalog",
    "CatalogStore",
    "CertificateDefinition",
    "Choice",
    "ContentLoad",
    "Course",
    "Issuer",
    "ItemKind",
    "Lesson",
    "Localized",
    "OutlineItem",
    "Problem",
    "Question",
    "QuestionType",
    "Quiz",
    "Scoring",
    "Section",
    "SessionRequirement",
    "Severity",
    "ShowAnswers",
    "Signatory",
    "load_content",
]
