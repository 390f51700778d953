"""The live sessions' tests: an app on their content with a real SMTP server, staff signed in."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp

from .helpers import LIVE_CONTENT


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return make_app(content_dir=LIVE_CONTENT, **mailbox.settings)
