"""`lms certificates keygen` and `preview`, and where the signing key comes from."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from pypdf import PdfReader

from lms import create_app
from lms.certificates import keys
from lms.certificates.badges import load_signing_key
from lms.cli import cli
from lms.config import ConfigurationError
from lms.db import database
from tests.web.certificate_helpers import CERTIFICATE_CONTENT, PROGRAM, RENEWABLE
from tests.web.conftest import MakeApp


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_keygen_writes_a_private_key_once(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "badges.pem"

    status, output = invoke("certificates", "keygen", str(path), "--bits", "2048")

    assert status == 0, output
    assert f"LMS_SIGNING_KEY_FILE={path}" in output
    assert load_signing_key(path).key_size == 2048
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    status, output = invoke("certificates", "keygen", str(path), "--bits", "2048")
    assert status == 1
    assert "exists already" in output
    assert path.read_bytes() == before
    status, output = invoke("certificates", "keygen", str(tmp_path / "weak.pem"), "--bits", "1024")
    assert status == 2
    assert not (tmp_path / "weak.pem").exists()


def test_keygen_defaults_to_the_configured_file(tmp_path: Path) -> None:
    path = tmp_path / "configured.pem"
    status, output = invoke(
        "certificates", "keygen", "--bits", "2048", env={"LMS_SIGNING_KEY_FILE": str(path)}
    )
    assert status == 0, output
    assert path.exists()


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Rappel sur le partenariat"), ("en", "Partnership refresher")]
)
def test_preview_renders_a_definition_with_any_name(
    tmp_path: Path, language: str, expected: str
) -> None:
    output_file = tmp_path / "preview.pdf"
    status, output = invoke(
        "certificates",
        "preview",
        RENEWABLE,
        "--name",
        "Zoë Ngô-Lévesque",
        "--lang",
        language,
        "-o",
        str(output_file),
        env={"LMS_CONTENT_DIR": str(CERTIFICATE_CONTENT)},
    )

    assert status == 0, output
    assert f"({language})" in output
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(output_file.read_bytes())).pages
    )
    assert "Zoë Ngô-Lévesque" in text
    assert expected in text


def test_preview_of_a_bilingual_definition_and_of_an_unknown_one(tmp_path: Path) -> None:
    env = {"LMS_CONTENT_DIR": str(CERTIFICATE_CONTENT)}
    output_file = tmp_path / "program.pdf"
    status, output = invoke(
        "certificates", "preview", PROGRAM, "--name", "A", "-o", str(output_file), env=env
    )
    assert status == 0, output
    assert "(bilingual)" in output

    status, output = invoke(
        "certificates", "preview", "nope", "--name", "A", "-o", str(tmp_path / "x.pdf"), env=env
    )
    assert status == 1
    assert "No valid certificate definition 'nope'" in output
    assert RENEWABLE in output


# Where the key comes from ------------------------------------------------------------------


def test_a_configured_key_file_signs_the_badges(make_app: MakeApp, tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    invoke("certificates", "keygen", str(path), "--bits", "2048")
    app = make_app(signing_key_file=path)
    expected = load_signing_key(path).public_key().public_numbers()
    assert keys.signing_key(app).public_key().public_numbers() == expected


def test_a_missing_or_unreadable_key_file_stops_the_app(tmp_path: Path) -> None:
    base = {"env": "testing", "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    with pytest.raises(ConfigurationError, match="lms certificates keygen"):
        create_app({**base, "signing_key_file": tmp_path / "missing.pem"})
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(ConfigurationError, match="LMS_SIGNING_KEY_FILE"):
        create_app({**base, "signing_key_file": tmp_path / "junk.pem"})


def test_production_refuses_to_start_without_a_key_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="LMS_SIGNING_KEY_FILE is not set"):
        create_app(
            {
                "env": "production",
                "secret_key": "a-real-secret-for-this-test",
                "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}",
                "content_dir": CERTIFICATE_CONTENT,
            }
        )


def test_development_makes_a_key_under_instance_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "instance" / "badge-signing-key.pem"
    monkeypatch.setattr(keys, "DEVELOPMENT_KEY_FILE", path)
    settings = {
        "env": "development",
        "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "content_dir": CERTIFICATE_CONTENT,
        "content_reload": False,
    }
    first: Flask = create_app(settings)
    assert path.exists()
    made = path.read_bytes()
    second: Flask = create_app(settings)
    assert path.read_bytes() == made
    assert (
        keys.signing_key(first).public_key().public_numbers()
        == keys.signing_key(second).public_key().public_numbers()
    )
    for app in (first, second):
        database(app).engine.dispose()
