"""Documents and keys for the certificate tests, and the Debian tools that read PDFs back."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from lms.certificates.pdf import CertificateDocument, Mode
from lms.content.model import Localized, Signatory

ROOT = Path(__file__).resolve().parents[3]
LOGO = ROOT / "certificates" / "assets" / "logo.png"
CODE = "PRC-7KQ2-M9XD-4TFA-0WZE"
VERIFY_URL = f"https://parcours.example.org/verify/{CODE}"

TITLE = Localized.of(
    {
        "fr": "Module 101 – Les bases du partenariat patient",
        "en": "Module 101 – Basics of patient partnership",
    }
)
STATEMENT = Localized.of(
    {
        "fr": "a complété avec succès la formation en ligne « Module 101 – Les bases du "
        "partenariat patient ».",
        "en": "has successfully completed the online training “Module 101 – Basics of "
        "patient partnership”.",
    }
)

MakeDocument = Callable[..., CertificateDocument]


def needs(*tools: str) -> pytest.MarkDecorator:
    """Skips where a tool is missing, except in CI: there the test runs, and fails."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(
        bool(missing) and not os.environ.get("CI"),
        reason=f"needs {', '.join(missing)} (Debian: poppler-utils, zbar-tools)",
    )


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(part) for part in command], check=True, capture_output=True, text=True
    ).stdout


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def signature_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("assets") / "signature.png"
    image = Image.new("RGBA", (360, 110), (0, 0, 0, 0))
    ImageDraw.Draw(image).line(
        [(10, 80), (70, 20), (110, 95), (190, 25), (250, 75), (350, 35)],
        fill=(20, 30, 90, 255),
        width=5,
    )
    image.save(path)
    return path


@pytest.fixture
def make_document(signature_image: Path) -> MakeDocument:
    def make(**changes: Any) -> CertificateDocument:
        document = CertificateDocument(
            holder_name="Émilie Grenier",
            title=TITLE,
            statement=STATEMENT,
            issuer_name=Localized.of(
                {"fr": "Unité de soutien SRAP du Québec", "en": "Quebec SPOR SUPPORT Unit"}
            ),
            issued_on=date(2026, 11, 21),
            expires_on=None,
            code=CODE,
            verify_url=VERIFY_URL,
            mode=Mode.FR,
            signatories=(
                Signatory(
                    "Marie-Ève Tremblay",
                    Localized.of({"fr": "Directrice scientifique", "en": "Scientific director"}),
                    signature_image,
                ),
            ),
            logo=LOGO,
        )
        return dataclasses.replace(document, **changes)

    return make
