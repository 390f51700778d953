"""Reminders to members who are behind: in their language, never twice within the interval,
from the command line (with a dry run) and from the dashboard; read from a real SMTP server."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.cli import cli
from lms.cohorts.models import Reminder
from lms.db import get_session
from tests.support.smtp import Mailbox, links_in, text_of
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import (
    BASICS,
    PRACTICE,
    add_cohort,
    add_member,
    add_user,
    audit_events,
    site_today,
    staff_app,
)


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return staff_app(
        make_app, reminder_window_days=10, reminder_interval_days=7, **mailbox.settings
    )


def day_offset(app: Flask, days: int) -> date:
    with app.app_context():
        return site_today() + timedelta(days=days)


@pytest.fixture
def cohorts(app: Flask) -> dict[str, int]:
    """ "Soon" is due in 5 days (inside the window), "Later" in 30 (outside), "Past" 3 days ago.

    In Soon: Ann (English, nothing done), Ben (French, half done), Cat (done: no reminder),
    and Dan, invited but without a password yet. In Past: Ann again, and Eve.
    """
    soon = add_cohort(app, "Soon", due_date=day_offset(app, 5))
    later = add_cohort(app, "Later", due_date=day_offset(app, 30))
    past = add_cohort(app, "Past", due_date=day_offset(app, -3))
    ann = add_user(app, "ann@example.org", language="en")
    ben = add_user(app, "ben@example.org", language="fr", password=None)
    cat = add_user(app, "cat@example.org", password=None)  # no name: no certificate mail
    dan = add_user(app, "dan@example.org", language=None, password=None)
    eve = add_user(app, "eve@example.org", language="en", password=None)
    add_member(app, soon, "ann@example.org", "Ann", "A", user_id=ann)
    add_member(app, soon, "ben@example.org", "Ben", "B", user_id=ben)
    add_member(app, soon, "cat@example.org", "Cat", "C", user_id=cat)
    add_member(app, soon, "dan@example.org", "Dan", "D", user_id=dan)
    add_member(app, later, "fay@example.org", "Fay", "F", user_id=add_user(app, "fay@example.org"))
    add_member(app, past, "ann@example.org", "Ann", "A", user_id=ann)
    add_member(app, past, "eve@example.org", "Eve", "E", user_id=eve)
    record(app, ben, BASICS, "welcome", "partners", "check.quiz")
    record(app, cat, BASICS, "welcome", "partners", "check.quiz")
    record(app, cat, PRACTICE, "apply")
    return {"soon": soon, "later": later, "past": past}


def reminders_in(app: Flask) -> list[tuple[str, int]]:
    with app.app_context():
        rows = get_session().execute(select(Reminder.email, Reminder.cohort_id)).all()
        return sorted((email, cohort_id) for email, cohort_id in rows)


def test_a_dry_run_prints_who_and_sends_nothing(
    app: Flask, cohorts: dict[str, int], mailbox: Mailbox
) -> None:
    result = app.test_cli_runner().invoke(cli, ["reminders", "send", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "ann@example.org: Past" in result.output  # one line per learner, both cohorts
    assert "ben@example.org: Soon" in result.output
    assert "practice" in result.output.split("ben@example.org")[1].split("\n")[0]
    assert "dan@example.org" in result.output
    assert "eve@example.org" in result.output
    assert "cat@example.org" not in result.output  # completed
    assert "fay@example.org" not in result.output  # due date not near yet
    assert "4 reminder(s) would be sent; nothing was sent." in result.output
    assert mailbox.messages == []
    assert reminders_in(app) == []
    assert audit_events(app) == []


def test_a_real_run_sends_once_in_each_language_and_a_second_run_sends_nothing(
    app: Flask, cohorts: dict[str, int], mailbox: Mailbox
) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(cli, ["reminders", "send"])

    assert first.exit_code == 0, first.output
    assert "Sent 4 of 4 reminder(s)." in first.output
    assert sorted(m["To"] for m in mailbox.messages) == [
        "ann@example.org",
        "ben@example.org",
        "dan@example.org",
        "eve@example.org",
    ]
    ann = mailbox.last("ann@example.org")
    assert ann["Content-Language"] == "en"
    assert ann["Subject"] == "Reminder: your Parcours training is due soon"
    assert "Soon, due" in text_of(ann)
    assert "Past, due" in text_of(ann)
    assert "Still to complete: Partnership basics" in text_of(ann)
    assert mailbox.last("ben@example.org")["Content-Language"] == "fr"
    assert "Partnership basics" not in text_of(mailbox.last("ben@example.org"))
    # Dan never set a password: the reminder carries a new invitation link.
    assert any("/invitation/" in link for link in links_in(mailbox.last("dan@example.org")))
    assert not any("/invitation/" in link for link in links_in(ann))
    soon, past = cohorts["soon"], cohorts["past"]
    assert reminders_in(app) == sorted(
        [
            ("ann@example.org", past),
            ("ann@example.org", soon),
            ("ben@example.org", soon),
            ("dan@example.org", soon),
            ("eve@example.org", past),
        ]
    )
    assert sorted(e.target for e in audit_events(app)) == sorted(
        [f"cohort:{past}", f"cohort:{soon}"]
    )

    second = runner.invoke(cli, ["reminders", "send"])

    assert "Sent 0 of 0 reminder(s)." in second.output
    assert len(mailbox.messages) == 4
    assert len(reminders_in(app)) == 5


def test_the_interval_has_an_end(
    app: Flask, cohorts: dict[str, int], mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = app.test_cli_runner()
    runner.invoke(cli, ["reminders", "send", "--cohort", "Past"])
    assert sorted(m["To"] for m in mailbox.messages) == ["ann@example.org", "eve@example.org"]
    with app.app_context():
        session = get_session()
        for reminder in session.scalars(select(Reminder)):
            reminder.sent_at -= timedelta(days=8)
        session.commit()

    again = runner.invoke(cli, ["reminders", "send", "--cohort", "Past"])

    assert "Sent 2 of 2 reminder(s)." in again.output


def test_staff_send_reminders_from_the_dashboard_once_however_often_the_form_is_posted(
    app: Flask, client: FlaskClient, cohorts: dict[str, int], mailbox: Mailbox
) -> None:
    staff = add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    page = f"/staff/cohorts/{cohorts['soon']}"
    confirm = f"{page}/reminders"
    form = hidden_fields(client.get(confirm).get_data(as_text=True), confirm)

    response = client.post(confirm, data=form)
    again = client.post(confirm, data=form)

    assert (response.status_code, again.status_code) == (303, 303)
    assert response.headers["Location"] == page
    assert "This was done already" in client.get(page).get_data(as_text=True)
    assert sorted(m["To"] for m in mailbox.messages) == [
        "ann@example.org",
        "ben@example.org",
        "dan@example.org",
    ]
    [event] = audit_events(app)
    assert (event.actor_id, event.action, event.details) == (
        staff,
        "reminder.send",
        {"recipients": 3},
    )

    # Shown again, the confirmation has nobody left to remind, and no button to send.
    later = client.get(confirm).get_data(as_text=True)
    assert "Nobody to remind" in later
    assert hidden_fields(later, confirm) == {}
    assert len(mailbox.messages) == 3


def test_the_reminder_settings_come_from_the_environment() -> None:
    from lms.config import ConfigurationError, load_settings

    settings = load_settings(
        {"LMS_REMINDER_WINDOW_DAYS": " 21 ", "LMS_REMINDER_INTERVAL_DAYS": "3"}
    )

    assert (settings.reminder_window_days, settings.reminder_interval_days) == (21, 3)
    assert load_settings({}).reminder_window_days == 14
    assert load_settings({}).reminder_interval_days == 7
    for variable, value in (
        ("LMS_REMINDER_WINDOW_DAYS", "two weeks"),
        ("LMS_REMINDER_WINDOW_DAYS", "-1"),
        ("LMS_REMINDER_INTERVAL_DAYS", "0"),
    ):
        with pytest.raises(ConfigurationError, match=variable):
            load_settings({variable: value})
