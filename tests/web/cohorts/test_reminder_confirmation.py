""" "Send reminders now" shows first how many, who, who is skipped and why, and the mail in
each language; then sends once, even posted twice or to two servers at once; the dashboard
shows each member's last reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.cli import cli
from lms.cohorts import services
from lms.cohorts.models import Reminder
from lms.db import get_session, utcnow
from tests.support.databases import Databases
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import sign_in
from tests.web.races import Race, at_once
from tests.web.staff_helpers import (
    STAFF_CONTENT,
    add_cohort,
    add_member,
    add_user,
    audit_events,
    site_today,
)


def soon_cohort(app: Flask) -> int:
    """Due in five days: Ann (English) and Ben (French) are behind."""
    with app.app_context():
        due = site_today() + timedelta(days=5)
    cohort_id = add_cohort(app, "Soon", due_date=due)
    for first, language in (("Ann", "en"), ("Ben", "fr")):
        email = f"{first.lower()}@example.org"
        user_id = add_user(app, email, language=language)
        add_member(app, cohort_id, email, first, "Lee", user_id=user_id)
    return cohort_id


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return make_app(content_dir=STAFF_CONTENT, reminder_window_days=10, **mailbox.settings)


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


@pytest.fixture
def cohort(app: Flask, staff: FlaskClient) -> int:
    """Soon, plus Noa, added by staff a moment ago (so invited), and Eve, reminded two days
    ago about another cohort."""
    cohort_id = soon_cohort(app)
    submit_form(
        staff,
        f"/staff/cohorts/{cohort_id}/members/new",
        {"email": "noa@example.org", "first_name": "Noa", "last_name": "Roy", "sector": "health"},
    )
    other = add_cohort(app, "Other")
    eve = add_user(app, "eve@example.org")
    add_member(app, cohort_id, "eve@example.org", "Eve", "Roy", user_id=eve)
    with app.app_context():
        session = get_session()
        session.add(
            Reminder(
                cohort_id=other,
                user_id=eve,
                email="eve@example.org",
                sent_at=utcnow() - timedelta(days=2),
            )
        )
        session.commit()
    return cohort_id


def reminders_sent(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(get_session().scalars(select(Reminder.email).where(Reminder.cohort_id == 1)))


def test_the_confirmation_says_who_who_is_skipped_and_why_and_shows_both_mails(
    app: Flask, staff: FlaskClient, cohort: int, mailbox: Mailbox
) -> None:
    page = staff.get(f"/staff/cohorts/{cohort}/reminders").get_data(as_text=True)

    assert "2 people get a reminder" in page
    assert "Ann Lee – ann@example.org" in page
    assert "Ben Lee – ben@example.org" in page
    assert "2 people skipped" in page
    skipped = page[page.index('id="skipped-title"') : page.index('id="preview-title"')]
    assert "Noa Roy – noa@example.org:" in skipped
    assert "invited on" in skipped.split("noa@example.org")[1].split("</li>")[0]
    assert "reminded on" in skipped.split("eve@example.org")[1].split("</li>")[0]
    # The real mail, rendered for Ann, in each language.
    assert "Reminder: your Parcours training is due soon" in page
    assert "Rappel\u00a0: l’échéance de votre formation Parcours approche" in page
    assert "Hello Ann Lee," in page
    assert "Still to complete: Partnership basics" in page
    assert "Reste à terminer\u00a0:" in page
    assert "Send 2 reminders" in page
    # Nothing is sent, nor recorded, by showing the page.
    assert [m["To"] for m in mailbox.messages] == ["noa@example.org"]  # the invitation
    assert reminders_sent(app) == []


def test_sending_skips_them_and_the_dashboard_shows_each_last_reminder(
    app: Flask, staff: FlaskClient, cohort: int, mailbox: Mailbox
) -> None:
    confirm = f"/staff/cohorts/{cohort}/reminders"
    form = hidden_fields(staff.get(confirm).get_data(as_text=True), confirm)

    response = staff.post(confirm, data=form)

    assert response.status_code == 303
    assert reminders_sent(app) == ["ann@example.org", "ben@example.org"]
    assert sorted(m["To"] for m in mailbox.messages) == [
        "ann@example.org",
        "ben@example.org",
        "noa@example.org",
    ]
    dashboard = staff.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)
    ann_row = dashboard.split("ann@example.org")[1].split("</tr>")[0]
    noa_row = dashboard.split("noa@example.org")[1].split("</tr>")[0]
    assert "Last reminder:" in ann_row
    assert "No reminder yet" in noa_row


def test_a_send_without_its_key_is_refused(
    app: Flask, staff: FlaskClient, cohort: int, mailbox: Mailbox
) -> None:
    confirm = f"/staff/cohorts/{cohort}/reminders"
    form = hidden_fields(staff.get(confirm).get_data(as_text=True), confirm)
    del form["action_key"]

    assert staff.post(confirm, data=form).status_code == 400
    assert reminders_sent(app) == []


def test_the_same_form_posted_to_two_servers_at_once_sends_once(
    make_app: MakeApp, databases: Databases, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.url("reminders")
    one = make_app(
        content_dir=STAFF_CONTENT, database_url=url, reminder_window_days=10, **mailbox.settings
    )
    two = make_app(
        content_dir=STAFF_CONTENT,
        database_url=url,
        with_schema=False,
        reminder_window_days=10,
        **mailbox.settings,
    )
    add_user(one, "sam@example.org", role=Role.STAFF)
    cohort_id = soon_cohort(one)
    clients = [one.test_client(), two.test_client()]
    for client in clients:
        sign_in(client, "sam@example.org")
    confirm = f"/staff/cohorts/{cohort_id}/reminders"
    # The same form (one key) sent by both: each server checks its own session's CSRF token.
    key = hidden_fields(clients[0].get(confirm).get_data(as_text=True), confirm)["action_key"]
    forms = [
        {**hidden_fields(c.get(confirm).get_data(as_text=True), confirm), "action_key": key}
        for c in clients
    ]
    # Both have found the cohort before either claims the form's key.
    race = Race((one, two))
    monkeypatch.setattr(services, "find_cohort", race.hold(services.find_cohort))

    responses = at_once(
        race,
        *(
            lambda c=client, f=form: c.post(confirm, data=f)
            for client, form in zip(clients, forms, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    assert sorted(m["To"] for m in mailbox.messages) == ["ann@example.org", "ben@example.org"]
    assert [e.action for e in audit_events(one)].count("reminder.send") == 1


def test_a_dry_run_says_who_is_skipped_and_why(app: Flask, cohort: int) -> None:
    result = app.test_cli_runner().invoke(cli, ["reminders", "send", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "noa@example.org: skipped, invited " in result.output
    assert "eve@example.org: skipped, reminded " in result.output
    assert "2 reminder(s) would be sent; nothing was sent." in result.output
