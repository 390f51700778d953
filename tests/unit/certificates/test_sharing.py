"""LinkedIn's "Add to profile" address, filled in from a certificate's public facts."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

from lms.certificates.sharing import linkedin_url


def test_the_form_names_the_certificate_its_issuer_dates_page_and_code() -> None:
    url = linkedin_url(
        title="Module 101 – Les bases du partenariat patient",
        issuer="Unité de soutien SSA Québec",
        issued_on=date(2026, 12, 2),
        expires_on=date(2029, 12, 2),
        verify_url="https://parcours.example.org/verify/PRC-7KQ2-M9XD-4TFA-0WZE",
        code="PRC-7KQ2-M9XD-4TFA-0WZE",
    )

    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qs(parts.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Module 101 – Les bases du partenariat patient"],
        "organizationName": ["Unité de soutien SSA Québec"],
        "issueYear": ["2026"],
        "issueMonth": ["12"],
        "expirationYear": ["2029"],
        "expirationMonth": ["12"],
        "certUrl": ["https://parcours.example.org/verify/PRC-7KQ2-M9XD-4TFA-0WZE"],
        "certId": ["PRC-7KQ2-M9XD-4TFA-0WZE"],
    }


def test_a_certificate_that_does_not_expire_gives_no_expiry() -> None:
    url = linkedin_url(
        title="T",
        issuer="I",
        issued_on=date(2026, 1, 31),
        expires_on=None,
        verify_url="u",
        code="c",
    )
    assert "expiration" not in url
    assert "issueMonth=1&" in url
