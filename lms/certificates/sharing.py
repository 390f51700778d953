"""Sharing a certificate: the address of LinkedIn's "Add to profile" form, filled in. Pure."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"
"""LinkedIn's documented "Add to Profile" address for certifications; the fields are its own."""


def linkedin_url(
    *,
    title: str,
    issuer: str,
    issued_on: date,
    expires_on: date | None,
    verify_url: str,
    code: str,
) -> str:
    """The form that adds the certificate to the holder's LinkedIn profile: its name, issuer,
    issue (and expiry) month and year, the page that verifies it and its code."""
    fields: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": title,
        "organizationName": issuer,
        "issueYear": issued_on.year,
        "issueMonth": issued_on.month,
    }
    if expires_on is not None:
        fields |= {"expirationYear": expires_on.year, "expirationMonth": expires_on.month}
    fields |= {"certUrl": verify_url, "certId": code}
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(fields)}"
