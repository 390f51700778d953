"""The communities tests' app: the staff content (courses ``basics`` and ``practice``), mail to
a real SMTP server; people to sign in."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.accounts.categories import Role
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.staff_helpers import add_user, staff_app


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return staff_app(make_app, **mailbox.settings)


@pytest.fixture
def people(app: Flask) -> dict[str, int]:
    """Two learners (English, then French), a staff member, by first name."""
    return {
        "alice": add_user(app, "alice@example.org"),
        "bruno": add_user(app, "bruno@example.org", language="fr"),
        "sam": add_user(app, "sam@example.org", role=Role.STAFF),
    }
