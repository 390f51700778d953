"""Every mail reaches its reader in their language: each one rendered in French and in
English, with no English sentence left in the French one (plain text and HTML alike)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from lms.accounts import mails as account_mails
from lms.accounts.models import User
from lms.certificates import mails as certificate_mails
from lms.certificates.models import Certificate
from lms.cohorts.mails import ReminderItem, reminder_mail
from lms.mail import Mail
from tests.web.test_translations import TRANSLATIONS

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def english_fragments() -> set[str]:
    """Pieces of English text of each interface string whose French differs: long enough
    (25 characters) that finding one in a French mail means a string went untranslated."""
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        french = read_po(po_file)
    fragments = set()
    for message in french:
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        for text in ids:
            if not text or text in strings:
                continue
            fragments |= {f.strip() for f in PLACEHOLDER.split(text) if len(f.strip()) >= 25}
    return fragments


def _user(language: str) -> User:
    return User(email="ana@example.org", certificate_name="Ana Lima", language=language)


def _certificate() -> Certificate:
    return Certificate(
        code="ABCD-EFGH-JKMN",
        certificate_name="Ana Lima",
        title={"en": "Patient partnership basics", "fr": "Les bases du partenariat patient"},
        issued_at=datetime(2026, 12, 1, tzinfo=UTC),
        expires_at=datetime(2029, 12, 1, tzinfo=UTC),
        revoked_reason="Identity fraud.",
    )


MAILS: dict[str, Callable[[str], Mail]] = {
    "confirmation": lambda lang: account_mails.confirmation_mail(_user(lang), "token"),
    "account exists": lambda lang: account_mails.account_exists_mail(_user(lang), "token"),
    "reset password": lambda lang: account_mails.reset_password_mail(_user(lang), "token"),
    "password changed": lambda lang: account_mails.password_changed_mail(_user(lang)),
    "invitation": lambda lang: account_mails.invitation_mail(
        to="ana@example.org", language=lang, name="Ana", cohort="FRQ 2026", token="token"
    ),
    "certificate issued": lambda lang: certificate_mails.issued_mail(_user(lang), _certificate()),
    "certificate reissued": lambda lang: certificate_mails.issued_mail(
        _user(lang), _certificate(), reissued=True
    ),
    "certificate expiring": lambda lang: certificate_mails.expiring_mail(
        _user(lang), _certificate()
    ),
    "certificate revoked": lambda lang: certificate_mails.revoked_mail(_user(lang), _certificate()),
    "reminder": lambda lang: reminder_mail(
        to="ana@example.org",
        language=lang,
        name="Ana",
        items=(ReminderItem("FRQ 2026", date(2027, 3, 31), ("Module 101",)),),
        invitation_token=None,
    ),
    "reminder with invitation": lambda lang: reminder_mail(
        to="ana@example.org", language=lang, name="Ana", items=(), invitation_token="token"
    ),
}


@pytest.fixture(scope="module")
def fragments() -> set[str]:
    return english_fragments()


@pytest.mark.parametrize("name", sorted(MAILS))
def test_a_french_mail_has_no_english_left(app: Flask, fragments: set[str], name: str) -> None:
    with app.test_request_context():
        french, english = MAILS[name]("fr"), MAILS[name]("en")

    assert french.language == "fr"
    assert english.language == "en"
    assert french.text != english.text
    for part in (french.subject, french.text, french.html or ""):
        left = sorted(f for f in fragments if f in part)
        assert not left, f"{name}: English in the French mail: {left}"
    # The lines that once slipped through, by name, and the signature every mail ends with.
    for line in ("Continue where you left off:", "To sign in:", "The Parcours team"):
        assert line not in french.text
