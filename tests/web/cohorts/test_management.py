"""Cohorts managed after their creation: renamed, given another certificate or due date,
archived (off the list, kept in reports) and back; one person added by address; a member
removed (kept in the audit trail) or given a due date of their own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.cli import cli
from lms.cohorts import queries
from lms.cohorts.models import Cohort, CohortMembership
from lms.db import get_session
from tests.support.databases import Databases
from tests.support.smtp import Mailbox, links_in
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import sign_in
from tests.web.races import Race, at_once
from tests.web.staff_helpers import (
    add_cohort,
    add_member,
    add_user,
    audit_events,
    site_today,
    staff_app,
    user_by_email,
)


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return staff_app(make_app, reminder_window_days=10, **mailbox.settings)


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


@pytest.fixture
def cohort(app: Flask) -> int:
    """Due in five days; Ann (an account) is its member."""
    cohort_id = add_cohort(app, "FRQ 2026", due_date=in_days(app, 5))
    ann = add_user(app, "ann@example.org", name="Ann Lee")
    add_member(app, cohort_id, "ann@example.org", "Ann", "Lee", user_id=ann)
    return cohort_id


def in_days(app: Flask, days: int) -> date:
    with app.app_context():
        return site_today() + timedelta(days=days)


def cohort_row(app: Flask, cohort_id: int) -> Cohort:
    with app.app_context():
        session = get_session()
        found = session.get(Cohort, cohort_id)
        assert found is not None
        session.expunge(found)
        return found


def page_of(client: FlaskClient, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def test_staff_rename_a_cohort_and_change_its_due_date_with_the_old_values_audited(
    app: Flask, staff: FlaskClient, cohort: int
) -> None:
    edit = f"/staff/cohorts/{cohort}/edit"
    later = in_days(app, 40)

    response = submit_form(
        staff,
        edit,
        {"name": "FRQ fellows 2026", "certificate_id": "program", "due_date": later.isoformat()},
    )

    assert response.status_code == 303
    found = cohort_row(app, cohort)
    assert (found.name, found.due_date) == ("FRQ fellows 2026", later)
    event = audit_events(app)[-1]
    assert (event.action, event.target) == ("cohort.update", f"cohort:{cohort}")
    assert event.details == {
        "name": "FRQ fellows 2026",
        "previous_name": "FRQ 2026",
        "due_date": later.isoformat(),
        "previous_due_date": in_days(app, 5).isoformat(),
    }
    assert "The cohort is saved." in page_of(staff, f"/staff/cohorts/{cohort}")


def test_the_audit_trail_says_what_changed_in_words(
    app: Flask, staff: FlaskClient, cohort: int
) -> None:
    submit_form(
        staff, f"/staff/cohorts/{cohort}/edit", {"name": "Renamed", "certificate_id": "program"}
    )
    add_user(app, "ada@example.org", role=Role.ADMIN)
    admin = app.test_client()
    sign_in(admin, "ada@example.org")

    trail = page_of(admin, "/admin/audit")

    assert "Cohort changed" in trail
    assert "Cohort Renamed" in trail  # the target, named as it is now
    assert "Previous name" in trail
    assert "FRQ 2026" in trail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "certificate_id": "program"}, "Name the cohort."),
        ({"name": "X", "certificate_id": ""}, "Choose the certificate the cohort works toward."),
        ({"name": "X", "certificate_id": "nope"}, "Not a valid choice"),
        ({"name": "X", "certificate_id": "program", "due_date": "soon"}, "Enter a date such as"),
    ],
)
def test_bad_changes_are_refused_with_a_message(
    app: Flask, staff: FlaskClient, cohort: int, data: dict[str, str], message: str
) -> None:
    response = submit_form(staff, f"/staff/cohorts/{cohort}/edit", data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert cohort_row(app, cohort).name == "FRQ 2026"


def test_a_name_another_cohort_has_is_refused(app: Flask, staff: FlaskClient, cohort: int) -> None:
    add_cohort(app, "Taken")

    response = submit_form(
        staff, f"/staff/cohorts/{cohort}/edit", {"name": "Taken", "certificate_id": "program"}
    )

    assert response.status_code == 400
    assert "A cohort with this name already exists" in response.get_data(as_text=True)
    assert cohort_row(app, cohort).name == "FRQ 2026"


def test_an_archived_cohort_leaves_the_list_stays_exportable_and_comes_back(
    app: Flask, staff: FlaskClient, cohort: int
) -> None:
    edit = f"/staff/cohorts/{cohort}/edit"
    form = hidden_fields(page_of(staff, edit), f"/staff/cohorts/{cohort}/archive")

    first = staff.post(f"/staff/cohorts/{cohort}/archive", data=form)
    second = staff.post(f"/staff/cohorts/{cohort}/archive", data=form)

    assert (first.status_code, second.status_code) == (303, 303)
    assert [e.action for e in audit_events(app)].count("cohort.archive") == 1
    assert "FRQ 2026" not in page_of(staff, "/staff/")
    archived = page_of(staff, "/staff/?archived=1")
    assert "FRQ 2026" in archived
    assert "Archived cohorts" in archived
    assert "Show the 1 archived cohort" in page_of(staff, "/staff/")
    dashboard = page_of(staff, f"/staff/cohorts/{cohort}")
    assert "This cohort is archived since" in dashboard
    export = staff.get(f"/staff/cohorts/{cohort}/export.csv")
    assert export.status_code == 200
    assert "ann@example.org" in export.get_data(as_text=True)

    back = hidden_fields(dashboard, f"/staff/cohorts/{cohort}/unarchive")
    assert staff.post(f"/staff/cohorts/{cohort}/unarchive", data=back).status_code == 303
    assert "FRQ 2026" in page_of(staff, "/staff/")
    assert cohort_row(app, cohort).archived_at is None


def test_an_archived_cohort_gets_no_reminder_scheduled_or_asked_for(
    app: Flask, staff: FlaskClient, cohort: int, mailbox: Mailbox
) -> None:
    form = hidden_fields(
        page_of(staff, f"/staff/cohorts/{cohort}/edit"), f"/staff/cohorts/{cohort}/archive"
    )
    staff.post(f"/staff/cohorts/{cohort}/archive", data=form)

    scheduled = app.test_cli_runner().invoke(cli, ["reminders", "send"])
    asked = app.test_cli_runner().invoke(cli, ["reminders", "send", "--cohort", "FRQ 2026"])

    assert "Sent 0 of 0 reminder(s)." in scheduled.output
    assert "Sent 0 of 0 reminder(s)." in asked.output
    confirmation = page_of(staff, f"/staff/cohorts/{cohort}/reminders")
    assert "An archived cohort gets no reminder." in confirmation
    assert hidden_fields(confirmation, f"/staff/cohorts/{cohort}/reminders") == {}
    assert mailbox.messages == []


def test_one_person_added_by_address_gets_an_account_and_an_invitation(
    app: Flask, staff: FlaskClient, cohort: int, mailbox: Mailbox
) -> None:
    response = submit_form(
        staff,
        f"/staff/cohorts/{cohort}/members/new",
        {
            "email": " Noa@Example.org ",
            "first_name": "Noa",
            "last_name": "Gagné",
            "sector": "health",
            "fellowship_number": "F-9",
        },
    )

    assert response.status_code == 303
    user = user_by_email(app, "noa@example.org")
    assert user is not None
    assert user.password_hash is None
    invitation = mailbox.last("noa@example.org")
    assert any("/invitation/" in link for link in links_in(invitation))
    dashboard = page_of(staff, f"/staff/cohorts/{cohort}")
    assert "Gagné, Noa" in dashboard
    assert "Invitation not accepted yet" in dashboard
    actions = [(e.action, e.details.get("email")) for e in audit_events(app)]
    assert ("invitation.send", "noa@example.org") in actions
    assert ("membership.add", "noa@example.org") in actions


def test_someone_with_an_account_is_linked_without_an_invitation(
    app: Flask, staff: FlaskClient, cohort: int, mailbox: Mailbox
) -> None:
    known = add_user(app, "kim@example.org")

    response = submit_form(
        staff,
        f"/staff/cohorts/{cohort}/members/new",
        {"email": "kim@example.org", "first_name": "Kim", "last_name": "Roy", "sector": "health"},
    )

    assert response.status_code == 303
    with app.app_context():
        line = get_session().scalar(
            select(CohortMembership).where(CohortMembership.email == "kim@example.org")
        )
        assert line is not None
        assert line.user_id == known
    assert mailbox.messages == []
    assert "they already had an account" in page_of(staff, f"/staff/cohorts/{cohort}")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "ann@example.org"}, "This person is already a member of the cohort."),
        ({"email": "not-an-address"}, "Enter an email address such as name@example.org."),
        ({"email": "x@example.org", "first_name": ""}, "Enter the first name."),
        ({"email": "x@example.org", "sector": "mars"}, "Not a valid choice"),
    ],
)
def test_a_bad_addition_is_refused_with_a_message(
    app: Flask,
    staff: FlaskClient,
    cohort: int,
    mailbox: Mailbox,
    data: dict[str, str],
    message: str,
) -> None:
    typed = {"first_name": "Ann", "last_name": "Lee", "sector": "health", **data}

    response = submit_form(staff, f"/staff/cohorts/{cohort}/members/new", typed)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert mailbox.messages == []
    assert "membership.add" not in [e.action for e in audit_events(app)]


def test_a_removed_member_leaves_the_dashboard_and_stays_in_the_audit_trail(
    app: Flask, staff: FlaskClient, cohort: int
) -> None:
    ann = user_by_email(app, "ann@example.org")
    assert ann is not None
    remove = f"/staff/cohorts/{cohort}/members/{ann.id}/remove"
    confirmation = page_of(staff, remove)
    assert "Remove Ann Lee from FRQ 2026?" in confirmation
    assert audit_events(app) == []  # showing the page removes nothing
    form = hidden_fields(confirmation, remove)

    first = staff.post(remove, data={**form, "reason": "Left the program."})
    second = staff.post(remove, data={**form, "reason": "Left the program."})

    assert (first.status_code, second.status_code) == (303, 303)
    assert "Lee, Ann" not in page_of(staff, f"/staff/cohorts/{cohort}")
    export = staff.get(f"/staff/cohorts/{cohort}/export.csv").get_data(as_text=True)
    assert "ann@example.org" not in export
    removals = [e for e in audit_events(app) if e.action == "membership.remove"]
    assert len(removals) == 1
    assert removals[0].details == {
        "user": ann.id,
        "email": "ann@example.org",
        "reason": "Left the program.",
    }
    add_user(app, "ada@example.org", role=Role.ADMIN)
    admin = app.test_client()
    sign_in(admin, "ada@example.org")
    trail = page_of(admin, "/admin/audit")
    assert "Member removed" in trail
    assert "Ann Lee (ann@example.org)" in trail
    assert "Left the program." in trail


def test_a_removal_needs_a_reason(app: Flask, staff: FlaskClient, cohort: int) -> None:
    ann = user_by_email(app, "ann@example.org")
    assert ann is not None
    remove = f"/staff/cohorts/{cohort}/members/{ann.id}/remove"

    response = submit_form(staff, remove, {"reason": "  "})

    assert response.status_code == 400
    assert "Give the reason" in response.get_data(as_text=True)
    assert "Lee, Ann" in page_of(staff, f"/staff/cohorts/{cohort}")


def test_someone_not_in_the_cohort_has_no_member_page(
    app: Flask, staff: FlaskClient, cohort: int
) -> None:
    other = add_user(app, "out@example.org")

    assert staff.get(f"/staff/cohorts/{cohort}/members/{other}").status_code == 404
    assert staff.get(f"/staff/cohorts/{cohort}/members/{other}/remove").status_code == 404


def test_a_members_own_due_date_is_shown_audited_and_decides_overdue(
    app: Flask, staff: FlaskClient, make_app: MakeApp
) -> None:
    past = add_cohort(app, "Past", due_date=in_days(app, -3))
    ann = add_user(app, "ann@example.org", name="Ann Lee")
    add_member(app, past, "ann@example.org", "Ann", "Lee", user_id=ann)
    assert "Overdue</span>" in page_of(staff, f"/staff/cohorts/{past}")
    later = in_days(app, 60)

    response = submit_form(
        staff,
        f"/staff/cohorts/{past}/members/{ann}/due-date",
        {"due_date": later.isoformat(), "reason": "Parental leave."},
        f"/staff/cohorts/{past}/members/{ann}",
    )

    assert response.status_code == 303
    dashboard = page_of(staff, f"/staff/cohorts/{past}")
    assert "Overdue</span>" not in dashboard
    assert "Own due date:" in dashboard
    event = audit_events(app)[-1]
    assert (event.action, event.details["due_date"], event.details["reason"]) == (
        "membership.due_date",
        later.isoformat(),
        "Parental leave.",
    )
    assert event.details["previous_due_date"] is None


def test_an_extended_member_is_not_reminded_and_an_early_one_is(
    app: Flask, staff: FlaskClient, mailbox: Mailbox
) -> None:
    soon = add_cohort(app, "Soon", due_date=in_days(app, 5))
    later = add_cohort(app, "Later", due_date=in_days(app, 90))
    ann = add_user(app, "ann@example.org", name="Ann Lee")
    bea = add_user(app, "bea@example.org", name="Bea Roy")
    add_member(app, soon, "ann@example.org", "Ann", "Lee", user_id=ann)
    add_member(app, later, "bea@example.org", "Bea", "Roy", user_id=bea)
    for cohort_id, user_id, day in ((soon, ann, 60), (later, bea, 2)):
        submit_form(
            staff,
            f"/staff/cohorts/{cohort_id}/members/{user_id}/due-date",
            {"due_date": in_days(app, day).isoformat(), "reason": "Agreed with the program."},
            f"/staff/cohorts/{cohort_id}/members/{user_id}",
        )

    result = app.test_cli_runner().invoke(cli, ["reminders", "send"])

    assert "Sent 1 of 1 reminder(s)." in result.output
    assert [m["To"] for m in mailbox.messages] == ["bea@example.org"]


def test_a_due_date_change_needs_a_reason_and_a_real_date(
    app: Flask, staff: FlaskClient, cohort: int
) -> None:
    ann = user_by_email(app, "ann@example.org")
    assert ann is not None
    path = f"/staff/cohorts/{cohort}/members/{ann.id}"

    for data, message in (
        ({"due_date": "2027-01-01", "reason": ""}, "Give the reason"),
        ({"due_date": "next week", "reason": "Why not."}, "Enter a date such as"),
    ):
        response = submit_form(staff, f"{path}/due-date", data, path)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert "membership.due_date" not in [e.action for e in audit_events(app)]


def test_the_same_person_added_on_two_servers_at_once_is_added_once(
    make_app: MakeApp, databases: Databases, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.url("add-member")
    one = staff_app(make_app, database_url=url, **mailbox.settings)
    two = staff_app(make_app, database_url=url, with_schema=False, **mailbox.settings)
    add_user(one, "sam@example.org", role=Role.STAFF)
    cohort_id = add_cohort(one, "FRQ 2026")
    clients = [one.test_client(), two.test_client()]
    for client in clients:
        sign_in(client, "sam@example.org")
    path = f"/staff/cohorts/{cohort_id}/members/new"
    typed = {
        "email": "noa@example.org",
        "first_name": "Noa",
        "last_name": "Roy",
        "sector": "health",
    }
    forms = [{**hidden_fields(c.get(path).get_data(as_text=True), path), **typed} for c in clients]
    # Both have looked for the address in the cohort before either adds it.
    race = Race((one, two))
    monkeypatch.setattr(queries, "membership_by_email", race.hold(queries.membership_by_email))

    responses = at_once(
        race,
        *(
            lambda c=client, f=form: c.post(path, data=f)
            for client, form in zip(clients, forms, strict=True)
        ),
    )

    assert sorted(r.status_code for r in responses) == [303, 400]
    with one.app_context():
        lines = get_session().scalars(select(CohortMembership.email)).all()
    assert lines == ["noa@example.org"]
    assert [e.action for e in audit_events(one)].count("membership.add") == 1
