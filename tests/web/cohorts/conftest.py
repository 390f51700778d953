"""The cohort tests' app (staff content, a real SMTP server) and a signed-in staff member;
a module with an app of its own keeps it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, staff_app


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return staff_app(make_app, **mailbox.settings)


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> int:
    staff_id = add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return staff_id
