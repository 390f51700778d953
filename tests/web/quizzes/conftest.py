"""The quiz tests' app (the quiz fixture content) and learner; a module may override either."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from tests.web.conftest import MadeUser, MakeApp
from tests.web.quiz_helpers import QUIZ_CONTENT


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=QUIZ_CONTENT)


@pytest.fixture
def learner(make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]) -> MadeUser:
    """A learner reading in English, signed in on ``client``."""
    user = make_user(email="learner@example.org", language="en")
    login(user.email)
    return user
