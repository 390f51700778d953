"""Every form of communities, sent hostile values by someone who reaches it: never a 500,
never a half-written change (a refused request changes no row), and whatever is kept is
rendered harmless."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms import create_app
from lms.communities.models import Post
from lms.db import database, get_session
from lms.extensions import limiter
from lms.models import Base
from tests.support.databases import Databases
from tests.web.authz_world import World, build_world
from tests.web.test_hostile_input import HOSTILE_WORDS, STAFF_CONTENT

from .helpers import add_space, ask, posts_of, reply

EXAMPLES = 60
COMMUNITY_TABLES = [t for t in Base.metadata.sorted_tables if t.name.startswith("communit")]
FIELD_NAME = re.compile(r'\bname="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, dict[str, str]]]:
    """The authorization matrix's world, plus an open space where B answered A: each form's
    page, and who sends it (B for members' forms, staff for moderators', admin for staff's)."""
    databases = Databases(tmp_path_factory.mktemp("communities-hostile"))
    url = databases.url("hostile", with_schema=True)
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("LMS_")]:
            patch.delenv(name)
        built = build_world(
            lambda **_o: create_app(
                {"env": "testing", "database_url": url, "content_dir": STAFF_CONTENT,
                 "content_reload": False}
            )
        )  # fmt: skip
    app, users = built.app, built.users
    space = add_space(app, name="Open", staff_id=users["staff"])
    thread = ask(app, users["learner_a"], space, title="Open question")
    answer = reply(app, users["learner_b"], thread, "B's answer")
    opening = posts_of(app, thread)[0].id
    forms = {
        f"/communities/{space}/ask": "learner_b",
        "/communities/courses/basics/ask": "learner_b",
        f"/communities/threads/{thread}/reply": "learner_b",
        f"/communities/threads/{thread}/follow": "learner_b",
        f"/communities/posts/{answer}/edit": "learner_b",
        f"/communities/posts/{opening}/report": "learner_b",
        "/communities/settings": "learner_b",
        f"/communities/{space}/follow": "learner_b",
        f"/communities/threads/{thread}/pin": "staff",
        f"/communities/threads/{thread}/lock": "staff",
        f"/communities/posts/{answer}/hide": "staff",
        f"/communities/posts/{answer}/restore": "staff",
        f"/communities/posts/{opening}/dismiss": "staff",
        "/staff/communities/new": "admin",
        f"/staff/communities/{space}/edit": "admin",
    }
    yield built, forms
    database(app).engine.dispose()
    databases.close()


def _rows(world: World) -> dict[str, list[tuple[Any, ...]]]:
    with world.app.app_context():
        session = get_session()
        found = {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in COMMUNITY_TABLES
        }
        session.rollback()
        return found


def _fields(world: World, role: str, path: str) -> list[str]:
    client, _token = world.client_as(role)
    page = client.get(
        path.removesuffix("/follow")
        .removesuffix("/pin")
        .removesuffix("/lock")
        .removesuffix("/reply")
        .removesuffix("/dismiss")
        .removesuffix("/ask")
    )
    names = (
        set(FIELD_NAME.findall(page.get_data(as_text=True))) if page.status_code == 200 else set()
    )
    return sorted(names - {"csrf_token"}) or ["state", "body", "title", "reason"]


TEXT = st.one_of(
    st.sampled_from((*HOSTILE_WORDS, "[x](javascript:alert(1))", "![p](https://t.example/p.png)")),
    st.text(max_size=60),
    st.integers(min_value=1_000, max_value=30_000).map(lambda n: "A" * n),
)


CHOICES = {
    "language": ["fr", "en"],
    "state": ["on", "off"],
    "mail_mode": ["immediate", "digest", "off"],
    "audience": ["everyone", "cohorts"],
    "lesson": ["", "welcome"],
    "cohorts": ["1"],
}


PRINTABLE = st.one_of(
    st.sampled_from([w for w in HOSTILE_WORDS if w.isprintable() and w.strip()]),
    st.sampled_from(["[x](javascript:alert(1))", "![p](https://t.example/p.png)", "<b>b</b>"]),
    st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=80),
)


def _value_for(name: str) -> st.SearchStrategy[Any]:
    """A form well made but for its text, which is hostile: some are kept, to be checked."""
    if name == "action_key":
        return st.from_regex(r"\A[A-Za-z0-9_-]{16,64}\Z")
    if name in CHOICES:
        return st.sampled_from(CHOICES[name])
    return PRINTABLE


@pytest.mark.parametrize("index", range(15))
def test_hostile_values_in_each_form_change_nothing_when_refused(
    world: tuple[World, dict[str, str]], index: int, caplog: pytest.LogCaptureFixture
) -> None:
    built, forms = world
    path, role = sorted(forms.items())[index]
    names = _fields(built, role, path)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        fields=st.one_of(
            # Any fields at all, or every field of the form, each with a hostile value.
            st.dictionaries(
                st.one_of(st.sampled_from(names), st.text(max_size=8)),
                st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3)),
                max_size=6,
            ),
            st.fixed_dictionaries({name: _value_for(name) for name in names}),
        )
    )
    def send(fields: dict[str, Any]) -> None:
        with built.app.app_context():
            limiter.reset()
        before = _rows(built)
        client, token = built.client_as(role, same_device=True)
        response = client.post(path, data={**fields, "csrf_token": token})
        status = response.status_code
        response.close()
        assert status < 500, f"{path} with {fields!r}: {status}"
        if status >= 400:
            assert _rows(built) == before, f"{path} refused ({status}) but changed rows"

    send()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


TAG = re.compile(r"</?([a-zA-Z0-9]+)([^>]*)>")
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "pre", "blockquote", "h4",
                "h5", "h6", "hr", "br"}  # fmt: skip


def test_what_was_kept_is_rendered_harmless(world: tuple[World, dict[str, str]]) -> None:
    """Every tag of every post kept is one Markdown makes, with no attribute but a link's
    address (to the web or this site) and its rel."""
    built, _forms = world
    with built.app.app_context():
        session = get_session()
        kept = list(session.scalars(select(Post.html)))
    assert len(kept) > 10, "the hostile forms should have been kept now and then"
    for html in kept:
        for name, attributes in TAG.findall(html):
            assert name in ALLOWED_TAGS, html
            found = dict(ATTRIBUTE.findall(attributes))
            assert set(found) <= {"href", "rel", "start"}, html
            if "href" in found:
                assert found["href"].startswith(("http://", "https://", "mailto:", "/")), html
                assert not found["href"].startswith("//"), html
                assert found["rel"] == "nofollow ugc"
