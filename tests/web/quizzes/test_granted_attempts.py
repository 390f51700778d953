"""Staff's way back in: a learner blocked on a quiz is shown on their record, staff grant
more attempts with a reason (audited), and the learner may start one at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.audit.models import AuditEvent
from lms.db import get_session
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import csrf_token, submit_form
from tests.web.quiz_helpers import EVERY_TYPE, QUIZ_CONTENT, RIGHT, take, text_of

WRONG = {"answer-when-to-involve": "0"}
GRANT = "/staff/learners/{user}/quizzes/quiz-lab/every-type/grant"


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=QUIZ_CONTENT)


@pytest.fixture
def blocked(client: FlaskClient, learner: MadeUser) -> MadeUser:
    """The signed-in learner, after failing every-type.quiz as often as it allows (2)."""
    take(client, WRONG)
    take(client, WRONG)
    assert "No attempt left" in text_of(client.get(EVERY_TYPE))
    return learner


@pytest.fixture
def staff_client(app: Flask, make_user: Callable[..., MadeUser]) -> FlaskClient:
    staff = make_user(email="staff@example.org", role=Role.STAFF, language="en")
    other = app.test_client()
    token = csrf_token(other, "/accounts/sign-in")
    other.post(
        "/accounts/sign-in",
        data={"email": staff.email, "password": staff.password or "", "csrf_token": token},
    )
    return other


def grant(staff: FlaskClient, user_id: int, **data: str) -> tuple[int, str]:
    response = submit_form(staff, GRANT.format(user=user_id), data, f"/staff/learners/{user_id}")
    return response.status_code, response.get_data(as_text=True)


def test_staff_see_the_blocked_quiz_and_grant_an_attempt_the_learner_takes_at_once(
    app: Flask, client: FlaskClient, blocked: MadeUser, staff_client: FlaskClient
) -> None:
    record = text_of(staff_client.get(f"/staff/learners/{blocked.id}"))
    assert "Blocked: attempts used up" in record
    assert GRANT.format(user=blocked.id) in record

    status, _ = grant(staff_client, blocked.id, extra="1", reason="Asked by mail, 7 Dec.")
    assert status == 303

    page = text_of(client.get(EVERY_TYPE))
    assert "No attempt left" not in page
    assert "Start a new attempt" in page
    take(client, RIGHT)
    assert "Passed" in text_of(client.get(f"{EVERY_TYPE}/attempts/3"))
    assert "Blocked: attempts used up" not in text_of(
        staff_client.get(f"/staff/learners/{blocked.id}")
    )
    with app.app_context():
        (event,) = get_session().scalars(
            select(AuditEvent).where(AuditEvent.action == "quiz.attempts_grant")
        )
        assert event.target == "quiz:quiz-lab/every-type"
        assert event.details == {"user": blocked.id, "extra": 1, "reason": "Asked by mail, 7 Dec."}


def test_a_used_grant_blocks_again_after_its_attempts(
    client: FlaskClient, blocked: MadeUser, staff_client: FlaskClient
) -> None:
    grant(staff_client, blocked.id, extra="1", reason="One more")
    take(client, WRONG)
    assert "No attempt left" in text_of(client.get(EVERY_TYPE))
    assert "the 3 attempts this quiz allows" in text_of(client.get(EVERY_TYPE))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"extra": "1", "reason": "  "}, "Give the reason"),
        ({"extra": "0", "reason": "x"}, "Give from 1 to 5 attempts."),
        ({"extra": "99", "reason": "x"}, "Give from 1 to 5 attempts."),
        ({"extra": "two", "reason": "x"}, "Enter a whole number, such as 2."),
    ],
)
def test_a_bad_grant_is_refused_with_its_reason_and_grants_nothing(
    client: FlaskClient,
    blocked: MadeUser,
    staff_client: FlaskClient,
    data: dict[str, str],
    message: str,
) -> None:
    status, page = grant(staff_client, blocked.id, **data)
    assert status == 400
    assert message in page
    assert "No attempt left" in text_of(client.get(EVERY_TYPE))


def test_a_learner_cannot_grant_themselves_attempts(client: FlaskClient, blocked: MadeUser) -> None:
    token = csrf_token(client, EVERY_TYPE)
    response = client.post(
        GRANT.format(user=blocked.id), data={"extra": "5", "reason": "me", "csrf_token": token}
    )
    assert response.status_code == 403
    assert "No attempt left" in text_of(client.get(EVERY_TYPE))


def test_an_unknown_quiz_is_404(blocked: MadeUser, staff_client: FlaskClient) -> None:
    token = csrf_token(staff_client, f"/staff/learners/{blocked.id}")
    response = staff_client.post(
        f"/staff/learners/{blocked.id}/quizzes/quiz-lab/nope/grant",
        data={"extra": "1", "reason": "x", "csrf_token": token},
    )
    assert response.status_code == 404
