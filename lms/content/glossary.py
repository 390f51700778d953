"""One term per concept: ``courses/glossary.yaml`` names, per language, the term to use and
the variants to avoid; ``lms courses check`` warns where a course file uses a variant (pure).

```yaml
- use: {fr: "participation symbolique", en: "tokenism"}
  avoid: {fr: ["participation de façade", "tokénisme"]}
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lms.content.files import read_text
from lms.content.model import SUPPORTED_LANGUAGES
from lms.content.problems import Problem, Severity
from lms.content.yamlnodes import Reader, Report, compose

GLOSSARY_FILE = "glossary.yaml"
_LANGUAGE_KEY = re.compile(r"(?:^|[\s{,])(fr|en):")
_OTHER_KEY = re.compile(r"^\s*(?:-\s*)?[a-z_]+:")


@dataclass(frozen=True)
class Variant:
    language: str
    avoid: str
    use: str
    pattern: re.Pattern[str]


def read_glossary(courses: Path, report: Report) -> list[Variant]:
    """The variants ``courses/glossary.yaml`` lists; none when there is no such file."""
    path = courses / GLOSSARY_FILE
    if not path.is_file():
        return []
    text = read_text(path, report)
    node = compose(text, report) if text is not None else None
    if node is None:
        return []
    reader, found = Reader(report), []
    for item in reader.sequence(node, "the glossary") or []:
        values = reader.mapping(item, "glossary entry", required=["use", "avoid"])
        if values is None or not {"use", "avoid"} <= values.keys():
            continue
        use = reader.localized(values["use"], "'use'", SUPPORTED_LANGUAGES)
        avoid = reader.mapping(values["avoid"], "'avoid'", optional=SUPPORTED_LANGUAGES)
        if use is None or avoid is None:
            continue
        for language, variants in avoid.items():
            for variant_node in reader.sequence(variants, f"'avoid' ({language})") or []:
                variant = reader.text(variant_node, f"'avoid' ({language})")
                if variant is None:
                    continue
                pattern = re.compile(rf"(?<!\w){re.escape(variant)}(?!\w)", re.IGNORECASE)
                found.append(Variant(language, variant, use.get(language), pattern))
    return found


def glossary_problems(courses: Path, variants: list[Variant]) -> list[Problem]:
    """A warning at each use of a variant to avoid, in the lessons and quizzes of
    ``courses``: a ``.fr.md`` lesson is French, another ``.md`` English; a quiz's line
    is in the language of its ``fr:`` or ``en:`` key."""
    problems = []
    for path in sorted(courses.glob("*/*.md")) + sorted(courses.glob("*/*.quiz.yaml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        whole = "fr" if path.name.endswith(".fr.md") else "en" if path.suffix == ".md" else None
        current: frozenset[str] = frozenset()  # a quiz's text may go on over several lines
        for number, line in enumerate(text.splitlines(), start=1):
            current = _quiz_languages(line, current)
            languages = {whole} if whole else current
            for variant in variants:
                if variant.language not in languages:
                    continue
                for match in variant.pattern.finditer(line):
                    problems.append(
                        Problem(
                            path,
                            number,
                            match.start() + 1,
                            Severity.WARNING,
                            f"« {match.group(0)} »: the glossary uses « {variant.use} »",
                        )
                    )
    return problems


def _quiz_languages(line: str, current: frozenset[str]) -> frozenset[str]:
    """The languages of a quiz file's ``line``: its ``fr:`` and ``en:`` keys', the line
    before's for a line that goes on with its text, none after another key."""
    keys = frozenset(_LANGUAGE_KEY.findall(line))
    if keys:
        return keys
    return frozenset() if _OTHER_KEY.match(line) else current
