"""How a request's transaction ends: what its view did not commit is undone, and one that
only read is committed, which on PostgreSQL keeps the driver's prepared statements from one
request to the next (psycopg forgets them at every rollback)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import event, select, text, update

from lms.accounts.models import User
from lms.db import database, get_session, run_in_transaction
from tests.support.databases import on_postgresql

from .conftest import MadeUser


@pytest.fixture
def routed_app(app: Flask) -> Flask:
    """The app with test pages that change a learner's certificate name without committing,
    or only read it."""

    @app.get("/test/change/<how>/<int:user_id>")
    def change(how: str, user_id: int) -> str:
        session = get_session()
        if how == "statement":
            session.execute(
                update(User).where(User.id == user_id).values(certificate_name="Changed")
            )
            return "changed"
        user = session.get(User, user_id)
        assert user is not None
        user.certificate_name = "Changed"
        if how == "flushed":
            session.flush()
        return "changed"

    @app.get("/test/read/<int:user_id>")
    def read(user_id: int) -> str:
        session = get_session()
        name = session.scalar(select(User.certificate_name).where(User.id == user_id))
        if on_postgresql():
            prepared = session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
            return f"{name} {prepared}"
        return str(name)

    @app.get("/test/record-then-read/<int:user_id>")
    def record_then_read(user_id: int) -> str:
        # As a lesson page does: run_in_transaction for its possible write, then reads.
        name = run_in_transaction(
            lambda session: session.scalar(select(User.certificate_name).where(User.id == user_id))
        )
        return f"{name} {get_session().scalar(select(User.email).where(User.id == user_id))}"

    return app


def _transaction_ends(app: Flask) -> Counter[str]:
    """Counts of the app's transactions begun, committed and rolled back, from now on."""
    ends: Counter[str] = Counter()
    engine = database(app).engine
    for name in ("begin", "commit", "rollback"):
        event.listen(engine, name, lambda _connection, name=name: ends.update([name]))
    return ends


def _certificate_name(app: Flask, user_id: int) -> str | None:
    with app.app_context():
        return get_session().scalar(select(User.certificate_name).where(User.id == user_id))


@pytest.mark.parametrize("how", ["pending", "flushed", "statement"])
def test_a_change_the_view_did_not_commit_is_undone(
    routed_app: Flask, make_user: Callable[..., MadeUser], how: str
) -> None:
    learner = make_user()

    response = routed_app.test_client().get(f"/test/change/{how}/{learner.id}")

    assert response.status_code == 200
    assert _certificate_name(routed_app, learner.id) is None


def test_a_transaction_that_only_read_ends_in_a_commit(
    routed_app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    learner = make_user()
    ends = _transaction_ends(routed_app)

    response = routed_app.test_client().get(f"/test/read/{learner.id}")

    assert response.status_code == 200
    assert ends == {"begin": 1, "commit": 1}


def test_a_page_whose_recorded_transaction_only_read_reads_on_in_the_same_one(
    routed_app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    learner = make_user()
    ends = _transaction_ends(routed_app)

    response = routed_app.test_client().get(f"/test/record-then-read/{learner.id}")

    assert response.get_data(as_text=True) == f"None {learner.email}"
    assert ends == {"begin": 1, "commit": 1}


@pytest.mark.skipif(not on_postgresql(), reason="psycopg's prepared statements: PostgreSQL")
def test_pages_that_only_read_keep_the_prepared_statements_of_their_connection(
    routed_app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    learner = make_user()
    client = routed_app.test_client()

    # psycopg prepares a statement at its sixth run on a connection (prepare_threshold 5).
    answers = [client.get(f"/test/read/{learner.id}").get_data(as_text=True) for _ in range(8)]

    assert answers[0] == "None 0"
    assert int(answers[-1].split()[1]) >= 1
