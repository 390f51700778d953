"""A cohort's dashboard: statuses, totals, filters, search, sorting, pages, the chart, and a
number of SQL queries that does not grow with the cohort."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.cohorts.models import CohortMembership
from lms.db import get_session, utcnow
from lms.learning.models import Enrolment, ItemCompletion
from tests.web.certificate_helpers import certificates_in
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import (
    BASICS,
    PRACTICE,
    add_cohort,
    add_member,
    add_user,
    counting_statements,
    site_today,
    staff_app,
)

BASICS_ITEMS = ("welcome", "partners", "check.quiz")


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def staff_client(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


@pytest.fixture
def cohort(app: Flask) -> int:
    """Five members, the due date passed yesterday: one completed, two in progress, two not
    started (one of them without an account)."""
    with app.app_context():
        yesterday = site_today() - timedelta(days=1)
    cohort_id = add_cohort(app, "FRQ 2026", due_date=yesterday)
    # No passwords: nobody signs in as them.
    ada = add_user(app, "ada@example.org", name="Ada Lovelace", password=None)
    rene = add_user(app, "rene@example.org", name="René Bélanger", password=None)
    zoe = add_user(app, "zoe@example.org", name="Zoé Côté", password=None)
    luc = add_user(app, "luc@example.org", name="Luc Arsenault", password=None)
    add_member(app, cohort_id, "ada@example.org", "Ada", "Lovelace", user_id=ada)
    add_member(
        app, cohort_id, "rene@example.org", "René", "Bélanger", sector="society_culture",
        user_id=rene,
    )  # fmt: skip
    add_member(
        app, cohort_id, "zoe@example.org", "Zoé", "Côté", sector="nature_technologies",
        user_id=zoe,
    )  # fmt: skip
    add_member(app, cohort_id, "luc@example.org", "Luc", "Arsenault", user_id=luc)
    add_member(app, cohort_id, "gone@example.org", "Gone", "Away")
    with app.app_context():  # certificates wait for a confirmed address: Ada's is
        session = get_session()
        session.get_one(User, ada).email_confirmed_at = utcnow()
        session.commit()
    record(app, ada, BASICS, *BASICS_ITEMS)
    record(app, ada, PRACTICE, "apply")
    record(app, rene, BASICS, "welcome")
    record(app, zoe, BASICS, *BASICS_ITEMS)
    return cohort_id


def rows_of(page: str) -> list[str]:
    """The member names of the members' table, in order."""
    table = page[page.index('id="members-caption"') :] if 'id="members-caption"' in page else ""
    return re.findall(r'<th scope="row">\s*(?:<a [^>]*>)?([^<,]+),', table)


def test_statuses_and_totals(app: Flask, staff_client: FlaskClient, cohort: int) -> None:
    page = staff_client.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)

    totals = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>(\d+)</dd></div>", page))
    assert totals == {
        "Members": "5",
        "Completed": "1",
        "In progress": "2",
        "Not started": "2",
        "Overdue": "4",
        "Blocked: attempts used up": "0",
    }
    ada = page[page.index("Lovelace, Ada") :].split("</tr>")[0]
    assert ada.count("Completed on") == 2
    assert "Overdue" not in ada
    rene = page[page.index("Bélanger, René") :].split("</tr>")[0]
    assert "In progress, 16%" in rene  # the mean of 33% and 0%
    assert "In progress, 33%" in rene
    assert "Not started" in rene
    assert "Overdue" in rene
    assert "Partnership basics" in page
    assert "Partnership in practice" in page
    assert '<table class="data-table matrix">' in page
    assert 'role="region" aria-labelledby="members-caption" tabindex="0"' in page


def test_the_certificate_earned_shows_with_its_code(
    app: Flask, staff_client: FlaskClient, cohort: int
) -> None:
    # Ada has a name for certificates and completed both courses: the program was issued.
    [certificate] = certificates_in(app)

    page = staff_client.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)

    ada = page[page.index("Lovelace, Ada") :].split("</tr>")[0]
    assert f"<code>{certificate.code}</code>" in ada


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Arsenault", "Away", "Bélanger", "Côté", "Lovelace"]),
        ("?status=completed", ["Lovelace"]),
        ("?status=in_progress", ["Bélanger", "Côté"]),
        ("?status=not_started", ["Arsenault", "Away"]),
        ("?status=overdue", ["Arsenault", "Away", "Bélanger", "Côté"]),
        ("?sector=society_culture", ["Bélanger"]),
        ("?q=COTE", ["Côté"]),
        ("?q=ada%40example", ["Lovelace"]),
        ("?sort=progress&dir=desc", ["Lovelace", "Côté", "Bélanger", "Arsenault", "Away"]),
        ("?sort=name&dir=desc", ["Lovelace", "Côté", "Bélanger", "Away", "Arsenault"]),
        ("?status=in_progress&sort=email", ["Bélanger", "Côté"]),
    ],
)
def test_filters_search_and_sorting(
    staff_client: FlaskClient, cohort: int, query: str, expected: list[str]
) -> None:
    page = staff_client.get(f"/staff/cohorts/{cohort}{query}").get_data(as_text=True)

    assert rows_of(page) == expected


def test_sortable_headers_are_links_with_aria_sort(staff_client: FlaskClient, cohort: int) -> None:
    page = staff_client.get(f"/staff/cohorts/{cohort}?sort=status&dir=desc").get_data(as_text=True)

    assert page.count("aria-sort=") == 1
    header = re.search(r'<th scope="col" aria-sort="descending">\s*<a [^>]*href="([^"]+)"', page)
    assert header is not None
    # Its link reverses the order (ascending, the default, goes without saying).
    assert header.group(1) == f"/staff/cohorts/{cohort}?sort=status"
    assert f'href="/staff/cohorts/{cohort}?sort=email"' in page.replace("&amp;", "&")


def test_pagination(staff_client: FlaskClient, cohort: int) -> None:
    first = staff_client.get(f"/staff/cohorts/{cohort}?per_page=2").get_data(as_text=True)
    third = staff_client.get(f"/staff/cohorts/{cohort}?per_page=2&page=3").get_data(as_text=True)

    assert rows_of(first) == ["Arsenault", "Away"]
    assert '<nav class="pagination" aria-label="Pagination">' in first
    assert "Members 1 to 2 of 5." in first
    assert rows_of(third) == ["Lovelace"]
    assert re.search(r'href="[^"]*page=3[^"]*" aria-current="page"', third)
    assert "Previous page" in third
    assert "Next page" not in third


def test_an_empty_filter_result_says_so(staff_client: FlaskClient, cohort: int) -> None:
    page = staff_client.get(f"/staff/cohorts/{cohort}?q=nobody").get_data(as_text=True)

    assert "No member matches these filters." in page
    assert rows_of(page) == []


class _HeaderNames(HTMLParser):
    """The members' table's column headers as (what is seen, the accessible name): the
    name is the text outside aria-hidden parts, or the aria-label; what is seen leaves out
    the visually hidden parts too. As browsers compute them, simplified to this markup."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[tuple[str, str]] = []
        self._in_matrix = self._in_head = False
        self._open: list[tuple[bool, bool]] = []  # (aria-hidden, visually hidden) per element
        self._seen: list[str] | None = None
        self._heard: list[str] = []
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._in_matrix = self._in_matrix or "matrix" in (found.get("class") or "").split()
        self._in_head = self._in_head or (self._in_matrix and tag == "thead")
        if self._in_head and tag == "th":
            self._seen, self._heard, self._label, self._open = [], [], found.get("aria-label"), []
        elif self._seen is not None:
            self._open.append(
                (
                    found.get("aria-hidden") == "true",
                    "visually-hidden" in (found.get("class") or ""),
                )
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_matrix = self._in_head = False
        elif tag == "th" and self._seen is not None:
            heard = self._label or " ".join("".join(self._heard).split())
            self.headers.append((" ".join("".join(self._seen).split()), heard))
            self._seen = None
        elif self._seen is not None and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._seen is None:
            return
        if not any(hidden for hidden, _ in self._open):
            self._heard.append(data)
            if not any(invisible for _, invisible in self._open):
                self._seen.append(data)
        elif not any(invisible for _, invisible in self._open):
            self._seen.append(data)


def matrix_headers(page: str) -> list[tuple[str, str]]:
    parser = _HeaderNames()
    parser.feed(page)
    return parser.headers


@pytest.mark.parametrize(
    ("language", "short", "full"),
    [("en", "Basics", "Partnership basics"), ("fr", "Les bases", "Les bases du partenariat")],
)
def test_course_columns_show_their_short_label_and_are_named_by_their_title(
    app: Flask, client: FlaskClient, cohort: int, language: str, short: str, full: str
) -> None:
    add_user(app, "lea@example.org", role=Role.STAFF, language=language)
    sign_in(client, "lea@example.org")

    page = client.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)

    headers = matrix_headers(page)
    assert (short, full) in headers
    # A course without a short label shows and is named by its title.
    practice = "Partnership in practice" if language == "en" else "Le partenariat en pratique"
    assert (practice, practice) in headers
    assert len(headers) == 8


def test_the_chart_is_an_svg_with_text_labels(
    app: Flask, staff_client: FlaskClient, cohort: int
) -> None:
    page = staff_client.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert '<title id="chart-title">Members who completed, over time</title>' in svg
    assert "1 of 5 members completed by" in svg
    assert "Due date:" in svg
    assert ">All 5 members</text>" in svg
    assert ">1 completed</text>" in svg
    assert 'stroke-dasharray="8 4"' in svg  # the due date's line differs by its dashes
    assert "Members completed, by day" in page  # the same figures as a table


def test_an_unknown_cohort_is_404(staff_client: FlaskClient) -> None:
    assert staff_client.get("/staff/cohorts/999").status_code == 404


def test_the_cohort_list(staff_client: FlaskClient, cohort: int) -> None:
    page = staff_client.get("/staff/").get_data(as_text=True)

    assert f'<a href="/staff/cohorts/{cohort}">FRQ 2026</a>' in page
    assert "Complementary training program" in page


def populate(app: Flask, cohort_id: int, size: int) -> None:
    """``size`` members in every state (not started, in progress, completed), written in one
    transaction with bulk inserts: ten thousand take a second, not a minute."""
    now = utcnow()
    emails = [f"m{cohort_id}-{n}@example.org" for n in range(size)]
    with app.app_context():
        session = get_session()
        session.execute(insert(User), [{"email": e, "role": Role.LEARNER} for e in emails])
        ids = dict(session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
        session.execute(
            insert(CohortMembership),
            [
                {"cohort_id": cohort_id, "user_id": ids[e], "email": e, "first_name": "Member",
                 "last_name": str(n), "sector": "health"}
                for n, e in enumerate(emails)
            ],
        )  # fmt: skip
        started = [ids[e] for n, e in enumerate(emails) if n % 3 != 0]
        finished = [ids[e] for n, e in enumerate(emails) if n % 3 == 2]
        if started:
            session.execute(
                insert(Enrolment), [{"user_id": u, "course_id": BASICS} for u in started]
            )
            session.execute(
                insert(ItemCompletion),
                [
                    {"user_id": u, "course_id": BASICS, "item": "welcome", "content_version": "v"}
                    for u in started
                ],
            )
        if finished:
            session.execute(
                insert(Enrolment),
                [{"user_id": u, "course_id": PRACTICE, "completed_at": now} for u in finished],
            )
        session.commit()


def test_the_dashboard_runs_as_many_queries_for_10000_members_as_for_5(
    app: Flask, staff_client: FlaskClient
) -> None:
    small = add_cohort(app, "Small", due_date=date(2030, 1, 1))
    large = add_cohort(app, "Large", due_date=date(2030, 1, 1))
    populate(app, small, 5)
    populate(app, large, 10_000)
    staff_client.get(f"/staff/cohorts/{small}")  # warm up: first-request work is not counted

    counts = {}
    for cohort_id in (small, large):
        with counting_statements(app) as statements:
            response = staff_client.get(f"/staff/cohorts/{cohort_id}")
        assert response.status_code == 200
        counts[cohort_id] = len(statements)

    assert counts[small] == counts[large]
    # 13 with the header's unread count of communities (lms.communities), on every page.
    assert counts[large] <= 13
