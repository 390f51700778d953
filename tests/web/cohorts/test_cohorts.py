"""Cohorts: creation, roster imports (CSV, XLSX, errors), invitations that work once, the CLI."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.cli import cli
from lms.cohorts.models import Cohort, CohortMembership
from lms.db import get_session
from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.account_helpers import post_form
from tests.web.helpers import csrf_token, hidden_fields
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_user, audit_events, user_by_email

HEADER = "Email,First name,Last name,FRQ sector,Fellowship number,Notes\r\n"
NEW_PASSWORD = "a long enough passphrase"


def upload(client: FlaskClient, cohort_id: int, data: bytes, filename: str) -> TestResponse:
    path = f"/staff/cohorts/{cohort_id}/import"
    return client.post(
        path,
        data={"roster": (io.BytesIO(data), filename), "csrf_token": csrf_token(client, path)},
        content_type="multipart/form-data",
    )


def members_of(app: Flask, cohort_id: int) -> list[CohortMembership]:
    with app.app_context():
        session = get_session()
        found = list(
            session.scalars(
                select(CohortMembership)
                .where(CohortMembership.cohort_id == cohort_id)
                .order_by(CohortMembership.email)
            )
        )
        session.expunge_all()
        return found


def test_staff_create_a_cohort(app: Flask, client: FlaskClient, staff: int) -> None:
    page = client.get("/staff/cohorts/new").get_data(as_text=True)
    assert '<option value="program">' in page

    response = post_form(
        client,
        "/staff/cohorts/new",
        {"name": " FRQ fellows 2026 ", "certificate_id": "program", "due_date": "2026-12-15"},
    )

    assert response.status_code == 302
    with app.app_context():
        cohort = get_session().scalars(select(Cohort)).one()
        assert (cohort.name, cohort.certificate_id, str(cohort.due_date)) == (
            "FRQ fellows 2026",
            "program",
            "2026-12-15",
        )
        assert response.headers["Location"] == f"/staff/cohorts/{cohort.id}/import"
    [event] = audit_events(app)
    assert (event.action, event.actor_id) == ("cohort.create", staff)


def test_a_cohort_name_is_unique_and_a_certificate_required(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    add_cohort(app, "Taken")

    taken = post_form(client, "/staff/cohorts/new", {"name": "Taken", "certificate_id": "program"})
    missing = post_form(client, "/staff/cohorts/new", {"name": "New", "certificate_id": ""})
    unknown = post_form(client, "/staff/cohorts/new", {"name": "New", "certificate_id": "nope"})

    assert taken.status_code == 400
    assert "already exists" in taken.get_data(as_text=True)
    assert missing.status_code == unknown.status_code == 400
    assert len(members_of(app, 1)) == 0
    assert audit_events(app) == []


def test_a_utf8_csv_with_a_bom_links_known_people_and_invites_the_others(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    known = add_user(app, "known@example.org", name="Known Person")
    data = (
        HEADER
        + "KNOWN@example.org,Known,Person,FRQS,A-1,\r\n"
        + "new@example.org,Zoé,Côté,Nature et technologies,B-2,=cmd|' /C calc'!A0\r\n"
    ).encode("utf-8-sig")

    response = upload(client, cohort, data, "roster.csv")

    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/cohorts/{cohort}/imports/1"
    progress = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 people added" in progress
    assert "is imported." in progress
    known_member, new_member = members_of(app, cohort)
    assert (known_member.user_id, known_member.sector) == (known, "health")
    assert (new_member.first_name, new_member.last_name) == ("Zoé", "Côté")
    assert new_member.sector == "nature_technologies"
    invited = user_by_email(app, "new@example.org")
    assert invited is not None
    assert invited.password_hash is None
    assert new_member.user_id == invited.id
    # Only the new person is invited; the known one has an account already.
    assert [m["To"] for m in mailbox.messages] == ["new@example.org"]
    actions = [e.action for e in audit_events(app)]
    assert actions == ["invitation.send", "roster.import"]
    assert audit_events(app)[1].details == {"added": 2, "updated": 0, "linked": 1, "invited": 1}


def test_a_windows_1252_csv_with_french_headers(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    cohort = add_cohort(app)
    data = (
        "Courriel;Prénom;Nom;Secteur;Numéro de bourse\r\n"
        "rene@example.org;René;Bélanger;Société et culture;123\r\n"
    ).encode("cp1252")

    assert upload(client, cohort, data, "liste.csv").status_code == 303

    [member] = members_of(app, cohort)
    assert (member.first_name, member.last_name, member.sector) == (
        "René",
        "Bélanger",
        "society_culture",
    )


def test_an_xlsx_roster_and_a_second_import_updates_rather_than_duplicates(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Email", "First name", "Last name", "Sector", "Fellowship number"])
    sheet.append(["luc@example.org", "Luc", "Tremblay", "FRQSC", 271828])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert upload(client, cohort, buffer.getvalue(), "roster.xlsx").status_code == 303
    again = (HEADER + "luc@example.org,Luc,Tremblay-Roy,FRQSC,271828,\r\n").encode()
    assert upload(client, cohort, again, "roster.csv").status_code == 303

    [member] = members_of(app, cohort)
    assert (member.last_name, member.fellowship_number) == ("Tremblay-Roy", "271828")
    # Invited once: the second import found Luc in the cohort already.
    assert len(mailbox.to("luc@example.org")) == 1


def test_a_file_with_errors_reports_every_bad_row_and_imports_nothing(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    data = (
        HEADER
        + "good@example.org,Good,Row,Santé,1,\r\n"
        + "not-an-email,Bad,Email,Santé,2,\r\n"
        + "good@example.org,Twice,Listed,Santé,3,\r\n"
        + "odd@example.org,Odd,Sector,Médecine,4,\r\n"
    ).encode()

    response = upload(client, cohort, data, "roster.csv")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file has 3 problems: nothing was imported." in page
    assert '<th scope="row">3</th>' in page
    assert "“not-an-email” is not a valid email address." in page
    assert '<th scope="row">4</th>' in page
    assert "already on line 2" in page
    assert '<th scope="row">5</th>' in page
    assert "Unknown sector “Médecine”" in page
    assert members_of(app, cohort) == []
    assert user_by_email(app, "good@example.org") is None
    assert mailbox.messages == []
    assert audit_events(app) == []


def test_a_missing_column_and_an_unreadable_file(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    cohort = add_cohort(app)

    missing = upload(client, cohort, b"Email,First name\r\na@example.org,A\r\n", "r.csv")
    unreadable = upload(client, cohort, b"PK\x03\x04garbage", "r.xlsx")
    nothing = client.post(
        f"/staff/cohorts/{cohort}/import",
        data={"csrf_token": csrf_token(client, f"/staff/cohorts/{cohort}/import")},
    )

    assert missing.status_code == 400
    assert "The header has no “Last name” column." in missing.get_data(as_text=True)
    assert unreadable.status_code == 400
    assert "could not be read" in unreadable.get_data(as_text=True)
    assert nothing.status_code == 400
    assert "Choose a CSV or XLSX file" in nothing.get_data(as_text=True)


def test_the_invitation_link_sets_a_password_once(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app, "Cohorte Automne")
    upload(client, cohort, (HEADER + "zoe@example.org,Zoé,Côté,FRQS,F-9,\r\n").encode(), "r.csv")
    message = mailbox.last("zoe@example.org")
    # A new account has no language yet: the mail is in the default, French.
    assert message["Content-Language"] == "fr"
    assert "Cohorte Automne" in text_of(message)
    [link] = [link for link in links_in(message) if "/invitation/" in link]
    invitee = app.test_client()
    invitee.set_cookie("lang", "en")

    page = invitee.get(path_of(link))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "zoe@example.org" in body
    assert 'value="Zoé Côté"' in body  # the roster's name, to check rather than type
    form = {
        "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
        "certificate_name": "Zoé Côté",
        "language": "en",
        "research_roles": "trainee",
        "affiliation": "university",
        "frq_fellowship": "yes",
        "frq_sector": "health",
        "privacy_consent": "y",
    }
    accepted = post_form(invitee, path_of(link), form)

    assert accepted.status_code == 302
    assert accepted.headers["Location"] == "/dashboard"
    assert invitee.get("/dashboard").status_code == 200
    user = user_by_email(app, "zoe@example.org")
    assert user is not None
    assert user.password_hash is not None
    assert user.email_confirmed_at is not None
    assert user.privacy_consent_at is not None
    assert user.language == "en"
    # Spent: the second use is refused, even with a fresh form.
    stranger = app.test_client()
    stranger.set_cookie("lang", "en")
    again = stranger.get(path_of(link))
    assert again.status_code == 404
    assert "already been used" in again.get_data(as_text=True)
    assert sign_in(app.test_client(), "zoe@example.org", NEW_PASSWORD).status_code == 302


def test_an_invitation_needs_consent_and_a_long_password(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    upload(client, cohort, (HEADER + "zoe@example.org,Zoé,Côté,FRQS,F-9,\r\n").encode(), "r.csv")
    [link] = [x for x in links_in(mailbox.last("zoe@example.org")) if "/invitation/" in x]
    invitee = app.test_client()

    refused = post_form(
        invitee,
        path_of(link),
        {"password": "short", "confirm_password": "short", "certificate_name": "Zoé"},
    )

    assert refused.status_code == 400
    user = user_by_email(app, "zoe@example.org")
    assert user is not None
    assert user.password_hash is None
    assert invitee.get(path_of(link)).status_code == 200  # still usable


def test_a_tampered_invitation_link_is_refused(app: Flask) -> None:
    stranger = app.test_client()
    stranger.set_cookie("lang", "en")
    response = stranger.get("/invitation/not-a-real-token")

    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_staff_resend_an_invitation_from_the_learner_record(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    upload(client, cohort, (HEADER + "zoe@example.org,Zoé,Côté,FRQS,F-9,\r\n").encode(), "r.csv")
    user = user_by_email(app, "zoe@example.org")
    assert user is not None
    record = f"/staff/learners/{user.id}"
    assert "Send the invitation again" in client.get(record).get_data(as_text=True)

    form = hidden_fields(client.get(record).get_data(as_text=True), f"{record}/invitation")
    response = client.post(f"{record}/invitation", data=form)
    again = client.post(f"{record}/invitation", data=form)

    assert (response.status_code, again.status_code) == (303, 303)
    assert len(mailbox.to("zoe@example.org")) == 2
    assert [e.action for e in audit_events(app)][-1] == "invitation.send"


def test_import_from_the_command_line(app: Flask, tmp_path: Path, mailbox: Mailbox) -> None:
    add_cohort(app, "FRQ 2026")
    good = tmp_path / "roster.csv"
    good.write_bytes((HEADER + "luc@example.org,Luc,Tremblay,FRQNT,1,\r\n").encode("utf-8-sig"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes((HEADER + "nope,Luc,Tremblay,FRQNT,1,\r\nx@example.org,X,Y,Z,2,\r\n").encode())
    runner = app.test_cli_runner()

    failed = runner.invoke(cli, ["cohorts", "import", "FRQ 2026", str(bad), "--language", "en"])
    assert failed.exit_code == 1
    assert f"{bad}:2: “nope” is not a valid email address." in failed.output
    assert f"{bad}:3: Unknown sector “Z”" in failed.output
    assert "nothing was imported" in failed.output
    assert members_of(app, 1) == []

    result = runner.invoke(cli, ["cohorts", "import", "FRQ 2026", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 added (0 with an account, 1 invited)" in result.output
    assert [m["To"] for m in mailbox.messages] == ["luc@example.org"]
    assert audit_events(app)[-1].details["via"] == "cli"
    assert runner.invoke(cli, ["cohorts", "import", "nope", str(good)]).exit_code == 1


def test_create_a_cohort_from_the_command_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        cli, ["cohorts", "create", "FRQ 2027", "--certificate", "program", "--due", "2027-06-30"]
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        cohort = get_session().scalars(select(Cohort)).one()
        assert str(cohort.due_date) == "2027-06-30"
