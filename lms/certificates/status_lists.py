"""Revocation status lists: each certificate's bit, and the signed lists verifiers fetch.

A certificate's ``status_index`` names a list (index // ``STATUS_LIST_BITS``) of its
definition and a bit in it; the list, served at ``certificates.status_list``, has the bit
set once the certificate is revoked, superseded or withdrawn, so that a badge downloaded
before reads as revoked to any verifier that checks ``credentialStatus``.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from lms.certificates import queries
from lms.certificates.badges import (
    STATUS_LIST_BITS,
    BadgeStatus,
    build_status_list_credential,
    encode_status_list,
    sign_status_list,
)
from lms.certificates.keys import signing_key
from lms.db import utcnow
from lms.mail import external_url

DRAWS = 32
"""Random draws before giving up on finding a free index: lists are kept at most half full,
so that each draw is free at least every other time."""

MAX_LISTS = 2**31 // STATUS_LIST_BITS
"""Lists an index of the column (a 32-bit integer) can name."""


def new_status_index(session: Session) -> int:
    """A free status index, at random among those of enough lists to stay half empty.

    Random, as the W3C Bitstring Status List asks, so that neighbouring bits say nothing
    of who was issued when. Two issues drawing the same free index at the same instant
    collide on the unique column: the second issues nothing, and ``issue-due`` catches up.
    """
    lists = 1 + 2 * queries.certificate_count(session) // STATUS_LIST_BITS
    for _ in range(DRAWS):
        index = secrets.randbelow(lists * STATUS_LIST_BITS)
        if not queries.status_index_taken(session, index):
            return index
    raise RuntimeError("no free status index found")  # 2**-32 for a half-full list


def badge_status(definition_id: str, index: int) -> BadgeStatus:
    """The ``credentialStatus`` of a badge: its list's URL and its bit there."""
    number, position = divmod(index, STATUS_LIST_BITS)
    return BadgeStatus(list_url=list_url(definition_id, number), index=position)


def list_url(definition_id: str, number: int) -> str:
    return external_url("certificates.status_list", definition_id=definition_id, number=number)


def status_list_token(session: Session, definition_id: str, number: int) -> str:
    """List ``number`` of ``definition_id``, as it stands now, signed (VC-JWT) like badges."""
    first = number * STATUS_LIST_BITS
    invalid = queries.invalid_status_indices(
        session, definition_id, first, first + STATUS_LIST_BITS - 1
    )
    credential = build_status_list_credential(
        list_url=list_url(definition_id, number),
        issuer_id=external_url("certificates.issuer", definition_id=definition_id),
        valid_from=utcnow(),
        encoded_list=encode_status_list(index - first for index in invalid),
    )
    return sign_status_list(credential, signing_key(), jwks_url=external_url("certificates.jwks"))
