"""Roster imports as jobs: one transaction, invitations queued in the outbox and owed ones sent
on a second import, a whole file refused for one bad line, a progress page that reloads."""

from __future__ import annotations

import io
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.cohorts import import_jobs, imports, services
from lms.cohorts.models import CohortMembership, RosterImport
from lms.cohorts.roster import parse_roster
from lms.db import get_session, utcnow
from lms.outbox.models import QueuedMail
from tests.support.smtp import Mailbox
from tests.web.helpers import csrf_token
from tests.web.staff_helpers import add_cohort

HEADER = "Email,First name,Last name,FRQ sector,Fellowship number\r\n"


def upload(client: FlaskClient, cohort_id: int, text: str) -> TestResponse:
    path = f"/staff/cohorts/{cohort_id}/import"
    return client.post(
        path,
        data={
            "roster": (io.BytesIO(text.encode()), "roster.csv"),
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
    )


def count(app: Flask, model: type[object]) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


def test_a_second_import_invites_whoever_is_still_owed_an_invitation(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    text = HEADER + "".join(
        f"{who}@example.org,{who.title()},Person,FRQS,{n}\r\n"
        for n, who in enumerate(["lost", "accepted", "received"])
    )
    assert upload(client, cohort, text).status_code == 303
    assert len(mailbox.messages) == 3
    with app.app_context():
        session = get_session()
        # What the timed-out imports left: lines written, invitations never sent.
        session.execute(update(CohortMembership).values(invited_at=None))
        session.execute(
            update(User).where(User.email == "accepted@example.org").values(password_hash="set")
        )
        session.execute(
            update(CohortMembership)
            .where(CohortMembership.email == "received@example.org")
            .values(invited_at=utcnow())
        )
        session.commit()

    again = upload(client, cohort, text)

    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "3 updated" in page
    assert [m["To"] for m in mailbox.messages[3:]] == ["lost@example.org"]
    third = upload(client, cohort, text)
    assert "Invitations queued</dt><dd>0" in client.get(third.headers["Location"]).get_data(
        as_text=True
    )
    assert len(mailbox.messages) == 4


def test_one_bad_line_among_two_thousand_refuses_the_whole_file(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    cohort = add_cohort(app)
    lines = [f"p{n}@example.org,P,N,FRQS,{n}\r\n" for n in range(2_000)]
    lines[1_500] = "p1500@example.org,P,N,Astrologie,1500\r\n"

    response = upload(client, cohort, HEADER + "".join(lines))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The file has 1 problem: nothing was imported." in page
    assert '<th scope="row">1502</th>' in page
    users = count(app, User)
    assert (users, count(app, CohortMembership), count(app, RosterImport)) == (1, 0, 0)
    assert (count(app, AuditEvent), count(app, QueuedMail)) == (0, 0)
    assert mailbox.messages == []


def test_the_progress_page_reloads_in_both_languages_while_queued_and_once_done(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    cohort = add_cohort(app)
    with app.app_context():
        session = get_session()
        job = imports.queue_import(
            session,
            services.find_cohort(session, cohort),
            filename="liste.csv",
            rows=parse_roster((HEADER + "ada@example.org,Ada,L,FRQS,1\r\n").encode(), "l.csv").rows,
            actor=None,
        )
        session.commit()
        job_id = job.id
    path = f"/staff/cohorts/{cohort}/imports/{job_id}"

    client.get(path)  # the sign-in's message goes
    waiting = client.get(path).get_data(as_text=True)
    assert "waits to be imported" in waiting
    assert client.get(path).get_data(as_text=True) == waiting
    _set_language(app, staff, "fr")
    french = client.get(path).get_data(as_text=True)
    assert "attend d’être importé" in french
    _set_language(app, staff, "en")

    with app.app_context():
        import_jobs.run_import(job_id)
        import_jobs.run_import(job_id)  # run twice (a retry): imports once

    done = client.get(path).get_data(as_text=True)
    assert "is imported." in done
    assert "1 person added" in done
    assert count(app, CohortMembership) == 1
    with app.app_context():
        stored = get_session().get(RosterImport, job_id)
        assert stored is not None
        assert (stored.status, stored.data, stored.invitations_queued) == ("done", None, 1)


def test_an_import_stopped_midway_says_so_and_another_cohorts_import_is_not_found(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    cohort, other = add_cohort(app), add_cohort(app, "Other")
    with app.app_context():
        session = get_session()
        session.add(
            RosterImport(
                cohort_id=cohort,
                filename="x.csv",
                status="running",
                created_at=utcnow() - timedelta(hours=1),
            )
        )
        session.commit()

    page = client.get(f"/staff/cohorts/{cohort}/imports/1").get_data(as_text=True)

    assert "was interrupted: nothing was imported" in page
    assert client.get(f"/staff/cohorts/{other}/imports/1").status_code == 404


def _set_language(app: Flask, user_id: int, language: str) -> None:
    with app.app_context():
        session = get_session()
        session.execute(update(User).where(User.id == user_id).values(language=language))
        session.commit()


def test_an_address_with_an_apostrophe_is_looked_up_and_invited_once(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    # Addresses are written into the look-up's statement (lms.accounts.queries.literal_values).
    cohort = add_cohort(app)
    text = HEADER + "o'brien@example.org,Seán,O'Brien,FRQSC,1\r\n"

    assert upload(client, cohort, text).status_code == 303
    assert upload(client, cohort, text).status_code == 303

    assert [m["To"] for m in mailbox.messages] == ["o'brien@example.org"]
    assert count(app, User) == 2
