"""The mail service: messages built in full, sent over SMTP, logged without a server."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.config import ConfigurationError, load_settings
from lms.mail import Mail, build_message, external_url

from .conftest import MakeApp

MAIL = Mail(
    to="ada@example.org",
    subject="Bonjour – été",
    text="Un lien : https://parcours.example.org/x\n",
    html="<p>Un <a href='https://parcours.example.org/x'>lien</a></p>",
    language="fr",
)


def test_a_message_has_text_then_html_and_its_headers() -> None:
    settings = load_settings({"LMS_MAIL_FROM": "Équipe Parcours <parcours@example.org>"})

    message = build_message(MAIL, settings)

    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["From"] == "Équipe Parcours <parcours@example.org>"
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Bonjour – été"
    assert message["Content-Language"] == "fr"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.org>")
    assert message["Date"]


def test_a_message_without_html_is_plain_text() -> None:
    message = build_message(Mail(to="a@example.org", subject="S", text="T"), load_settings({}))
    assert message.get_content_type() == "text/plain"


def test_external_urls_need_no_request(make_app: MakeApp) -> None:
    app: Flask = make_app(base_url="https://parcours.example.org/formation/")
    with app.app_context():
        assert (
            external_url("links.confirm_email", token="abc")
            == "https://parcours.example.org/formation/accounts/confirm/abc"
        )
        assert (
            external_url("accounts.privacy_notice")
            == "https://parcours.example.org/formation/privacy"
        )


def test_the_mail_settings_are_read_from_the_environment() -> None:
    settings = load_settings(
        {
            "LMS_BASE_URL": "https://parcours.example.org/",
            "LMS_SMTP_HOST": " smtp.example.org ",
            "LMS_SMTP_PORT": "2525",
            "LMS_SMTP_USERNAME": "parcours",
            "LMS_SMTP_PASSWORD": "s3cret",
            "LMS_SMTP_STARTTLS": "no",
            "LMS_MAIL_FROM": "Parcours <no-reply@example.org>",
            "LMS_RATELIMIT_STORAGE_URL": "redis://cache:6379/0",
        }
    )
    assert settings.base_url == "https://parcours.example.org"
    assert settings.smtp_host == "smtp.example.org"
    assert settings.smtp_port == 2525
    assert (settings.smtp_username, settings.smtp_password) == ("parcours", "s3cret")
    assert settings.smtp_starttls is False
    assert settings.mail_from == "Parcours <no-reply@example.org>"
    assert settings.ratelimit_storage_url == "redis://cache:6379/0"
    assert settings.mail_is_sent
    assert "s3cret" not in repr(settings)


def test_the_mail_defaults_log_instead_of_sending() -> None:
    settings = load_settings({})
    assert settings.smtp_host == ""
    assert not settings.mail_is_sent
    assert settings.base_url == "http://127.0.0.1:5000"
    assert settings.ratelimit_storage_url == "memory://"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LMS_SMTP_PORT": "smtp"}, "LMS_SMTP_PORT must be a number"),
        ({"LMS_SMTP_PORT": "70000"}, "LMS_SMTP_PORT must be 1 to 65535"),
        ({"LMS_SMTP_PASSWORD": "pw"}, "LMS_SMTP_USERNAME is empty"),
        ({"LMS_SMTP_STARTTLS": "maybe"}, "LMS_SMTP_STARTTLS must be true or false"),
        ({"LMS_MAIL_FROM": "not an address"}, "LMS_MAIL_FROM must be an address"),
        ({"LMS_MAIL_FROM": "a@example.org, b@example.org"}, "LMS_MAIL_FROM must be"),
        ({"LMS_BASE_URL": "parcours.example.org"}, "LMS_BASE_URL must be an http"),
        ({"LMS_BASE_URL": "ftp://parcours.example.org"}, "LMS_BASE_URL must be an http"),
        ({"LMS_CONTACT_EMAIL": "formation"}, "LMS_CONTACT_EMAIL must be one address"),
        ({"LMS_CONTACT_EMAIL": "Team <t@example.org>"}, "LMS_CONTACT_EMAIL must be one address"),
    ],
)
def test_bad_mail_settings_are_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_settings(environ)
