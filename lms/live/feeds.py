"""The secret in a learner's calendar feed address: made from their feed's nonce and the
site's key, so that the database holds nothing a reader could subscribe with; pure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

TOKEN = re.compile(r"(?P<user>[1-9][0-9]{0,9})-(?P<mac>[A-Za-z0-9_-]{32})\Z")
MAC_BYTES = 24
"""192 bits: no one guesses an address."""
LARGEST_ID = 2**31 - 1
"""PostgreSQL's ``integer`` (as ``lms.guards``, which this pure module may not import)."""


def new_nonce() -> str:
    """What a new (or regenerated) feed's token is made from; a new one kills the old token."""
    return secrets.token_urlsafe(24)


def address_version(nonce: str) -> str:
    """Which address of a feed a page showed, without its secret: a digest of the nonce, so
    that a form posted twice gives the feed a new address once."""
    return hashlib.sha256(f"parcours-calendar-feed-version:{nonce}".encode()).hexdigest()[:16]


ADDRESS_VERSION = re.compile(r"[0-9a-f]{16}\Z")


def _mac(secret_key: str, user_id: int, nonce: str) -> str:
    digest = hmac.new(
        secret_key.encode("utf-8"),
        f"parcours-calendar-feed:{user_id}:{nonce}".encode(),
        hashlib.sha256,
    ).digest()[:MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def feed_token(secret_key: str, user_id: int, nonce: str) -> str:
    """The token of ``user_id``'s feed: their id (to find the feed) and a MAC of its nonce."""
    return f"{user_id}-{_mac(secret_key, user_id, nonce)}"


def token_user(token: str) -> int | None:
    """The user id a well-formed ``token`` names (to look its feed up); None if malformed."""
    found = TOKEN.match(token)
    if found is None or int(found["user"]) > LARGEST_ID:
        return None
    return int(found["user"])


def token_matches(secret_key: str, token: str, user_id: int, nonce: str) -> bool:
    """Whether ``token`` is the current token of ``user_id``'s feed (compared in constant time)."""
    return hmac.compare_digest(token.encode(), feed_token(secret_key, user_id, nonce).encode())
