"""Staff define communities (both languages, who they are open to, moderators) and change
them; every change is audited; learners reach none of it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.db import get_session
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_user

from .helpers import BASICS, ask, post_form

NEW = "/staff/communities/new"
FIELDS = {
    "name_fr": "Partenaires patients",
    "name_en": "Patient partners",
    "description_fr": "Pour *échanger*.",
    "description_en": "To *talk*.",
    "audience": "cohorts",
    "moderators": "mona@example.org",
}


def _events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        session = get_session()
        found = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action.like("community.%"))
                .order_by(AuditEvent.id)
            )
        )
        session.expunge_all()
        return found


def test_staff_create_a_community_for_a_cohort_with_its_moderators(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    cohort = add_cohort(app, "FRQ 2026")
    moderator = add_user(app, "mona@example.org")
    sign_in(client, "sam@example.org")
    form = client.get(NEW).get_data(as_text=True)
    assert "FRQ 2026" in form
    created = post_form(client, NEW, {**FIELDS, "cohorts": str(cohort)}, NEW)
    assert created.status_code == 303
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "<h1>Patient partners</h1>" in page
    assert "To <em>talk</em>." in page
    assert f"<li>Member {moderator}</li>" in page
    (event,) = _events(app)
    assert event.action == "community.create"
    assert event.details["cohorts"] == [cohort]
    assert event.details["moderators"] == [moderator]

    french = app.test_client()
    sign_in(french, "bruno@example.org")  # not in the cohort: not for him
    assert french.get(created.headers["Location"]).status_code == 404


def test_a_community_is_refused_without_its_names_cohorts_or_known_moderators(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    add_cohort(app, "FRQ 2026")
    sign_in(client, "sam@example.org")
    for change, message in (
        ({"name_fr": ""}, "Name the community in French."),
        ({"cohorts": ""}, "Choose at least one cohort, or open the community to everyone."),
        ({"cohorts": "99999"}, "Choose cohorts from the list."),
        (
            {"audience": "everyone", "moderators": "nobody@example.org"},
            "No account has these addresses: nobody@example.org.",
        ),
        ({"audience": "everybody"}, "Choose who the community is open to."),
    ):
        response = post_form(client, NEW, {**FIELDS, "moderators": "", **change}, NEW)
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
    assert _events(app) == []


def test_staff_change_a_community_and_a_courses_moderators(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    add_user(app, "mona@example.org")
    sign_in(client, "sam@example.org")
    created = post_form(client, NEW, {**FIELDS, "audience": "everyone", "moderators": ""}, NEW)
    community_id = int(created.headers["Location"].rsplit("/", 1)[1])
    edit = f"/staff/communities/{community_id}/edit"
    assert 'value="Patient partners"' in client.get(edit).get_data(as_text=True)
    changed = post_form(
        client, edit, {**FIELDS, "audience": "everyone", "name_en": "Partners"}, edit
    )
    assert changed.status_code == 303
    event = _events(app)[-1]
    assert event.action == "community.update"
    assert event.details["name"] == "Partners"
    assert event.details["previous_name"] == "Patient partners"
    assert "moderators" in event.details
    unchanged = post_form(
        client, edit, {**FIELDS, "audience": "everyone", "name_en": "Partners"}, edit
    )
    assert unchanged.status_code == 303
    assert len(_events(app)) == 2

    thread = ask(app, people["alice"], course_id=BASICS)
    listed = client.get("/staff/communities/").get_data(as_text=True)
    assert "Partners" in listed
    with app.app_context():
        from lms.communities import queries

        course = queries.course_community(get_session(), BASICS)
        assert course is not None
        course_id = course.id
    course_edit = f"/staff/communities/{course_id}/edit"
    assert (
        post_form(client, course_edit, {"moderators": "mona@example.org"}, course_edit).status_code
        == 303
    )
    mona = app.test_client()
    sign_in(mona, "mona@example.org")
    assert "Hide" in mona.get(f"/communities/threads/{thread}").get_data(as_text=True)


def test_learners_reach_no_staff_page(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    sign_in(client, "alice@example.org")
    assert client.get("/staff/communities/").status_code == 403
    assert client.get(NEW).status_code == 403


def test_staff_find_a_moderator_by_name_or_address_and_add_them_in_one_click(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    mona = add_user(app, "mona@example.org", name="Mona Tremblay")
    for number in range(8):
        add_user(app, f"tremblay{number}@example.org")
    sign_in(client, "sam@example.org")
    created = post_form(client, NEW, {**FIELDS, "audience": "everyone", "moderators": ""}, NEW)
    community_id = int(created.headers["Location"].rsplit("/", 1)[1])
    edit = f"/staff/communities/{community_id}/edit"

    found = client.get(f"{edit}?find=mona+TREMB").get_data(as_text=True)
    assert "Mona Tremblay (mona@example.org)" in found
    many = client.get(f"{edit}?find=tremblay").get_data(as_text=True)
    assert many.count('name="user_id"') == 5  # a few: the search narrows the rest
    for hostile in ("%00", "%25", "_", "\\", "x" * 5000):
        assert client.get(f"{edit}?find={hostile}").status_code in {200, 400}
    nobody = client.get(f"{edit}?find=zzz").get_data(as_text=True)
    assert "Nobody’s name or address contains “zzz”." in nobody

    page = f"{edit}?find=mona"
    add = f"/staff/communities/{community_id}/moderators"
    for _twice in range(2):
        assert post_form(client, add, {"user_id": str(mona)}, page).status_code == 303
    events = [e for e in _events(app) if e.action == "community.update"]
    assert len(events) == 1
    assert events[0].details["moderators"] == [mona]
    assert "a moderator already" in client.get(page).get_data(as_text=True)
    for nobody in ("99999", "2147483648", "999999999999"):
        assert post_form(client, add, {"user_id": nobody}, page).status_code == 404
    for hostile in ("-1", "1e3", "", "9" * 13):
        assert post_form(client, add, {"user_id": hostile}, page).status_code == 400

    alice = app.test_client()
    sign_in(alice, "alice@example.org")
    assert alice.get(page).status_code == 403
