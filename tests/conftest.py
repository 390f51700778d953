"""Fixtures shared by the test tiers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp import Mailbox, running_mailbox


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on a free local port; ``mailbox.messages`` holds what it received.

    Give an app ``mailbox.settings`` to make it send there (web and browser tiers alike).
    """
    with running_mailbox() as box:
        yield box
