"""Random and hostile values in every form and URL parameter: never a 500, and never a change
to another learner's data. Learner B (or nobody) sends them; learner A's rows must not move."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms import create_app
from lms.db import database, get_session
from lms.extensions import limiter
from lms.models import Base
from tests.support.databases import Databases

from .authz_world import ROLES, World, build_world, concrete_url
from .staff_helpers import STAFF_CONTENT
from .test_authorization_matrix import EXPECTED

STAFF_ENDPOINTS = (
    "staff.",
    "staff_learners.",
    "staff_quizzes.",
    "admin.",
    "live_staff.",
    "community_staff.",
)
FIELD_NAME = re.compile(r'\bname="([^"]+)"')

HOSTILE_WORDS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "../../../../etc/passwd",
    "%00",
    "\x00",
    "\r\nSet-Cookie: evil=1",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "true",
    "[]",
    "{}",
    "null",
    "﷽" * 20,
    "\u202e\u200b\ufeff",
    "\ud7ff\ue000",
)


def _hostile_text(world: World) -> st.SearchStrategy[str]:
    foreign = (
        str(world.users["learner_a"]),
        world.certificate_code,
        str(world.cohort_id),
        "alice@example.org",
    )
    return st.one_of(
        st.sampled_from(HOSTILE_WORDS + foreign),
        st.text(max_size=40),
        st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.integers(min_value=1_000, max_value=200_000).map(lambda n: "A" * n),
    )


def _hostile_value(world: World) -> st.SearchStrategy[Any]:
    text = _hostile_text(world)
    # A list sends the field several times: a wrong type for a single-valued field.
    return st.one_of(text, st.lists(text, min_size=2, max_size=4))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world for the whole module: built once, as the matrix's, with no LMS_* leaking in."""
    # The shared chooser of test databases: a SQLite file, or PostgreSQL in that pass.
    databases = Databases(tmp_path_factory.mktemp("hostile"))
    url = databases.url("hostile", with_schema=True)

    def make(**overrides: Any) -> Any:
        with pytest.MonkeyPatch.context() as patch:
            import os

            for name in [n for n in os.environ if n.startswith("LMS_")]:
                patch.delenv(name)
            return create_app(
                {
                    "env": "testing",
                    "database_url": url,
                    "content_dir": overrides.get("content_dir", STAFF_CONTENT),
                    "content_reload": False,
                }
            )

    built = build_world(make)
    yield built
    database(built.app).engine.dispose()
    databases.close()


def _actor(endpoint: str, method: str) -> str:
    """Who sends: staff pages need an admin; for the rest, whoever reaches the form."""
    if endpoint.startswith(STAFF_ENDPOINTS):
        return "admin"
    answers = dict(zip(ROLES, EXPECTED[(endpoint, method)].split(), strict=True))
    return "learner_b" if answers["learner_b"] not in {"302", "302S"} else "anonymous"


def _snapshot(world: World, user_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row about ``user_id``: their account and each table with a user_id column."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with world.app.app_context():
        session = get_session()
        for table in Base.metadata.sorted_tables:
            column = table.c.get("user_id")
            if table.name == "users":
                found = session.execute(select(table).where(table.c.id == user_id))
            elif column is not None:
                found = session.execute(select(table).where(column == user_id))
            else:
                continue
            rows[table.name] = sorted((tuple(row) for row in found), key=repr)
        session.rollback()
    return rows


def _field_names(world: World, role: str, url: str) -> list[str]:
    """The names of the fields in the page at ``url`` (its form), if it has one."""
    client, _token = world.client_as(role)
    response = client.get(url)
    page = response.get_data(as_text=True) if response.status_code == 200 else ""
    response.close()
    return sorted(set(FIELD_NAME.findall(page)) - {"csrf_token"})


def _url_for(world: World, endpoint: str) -> str:
    (rule,) = [r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint]
    return concrete_url(world, rule)


ROUTES = sorted(EXPECTED)
EXAMPLES_PER_ROUTE = 200
"""Generated requests for each route and method (issue #14: at least 200)."""


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records that carry an exception: an error the app did not answer as a 4xx."""
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def _send(client: Any, method: str, url: str, fields: dict[str, Any], token: str, how: str) -> int:
    """One request with ``fields`` as a form, a JSON body or a query string."""
    if method == "GET":
        response = client.get(url, query_string=fields)
    elif how == "json":
        response = client.post(url, json=fields, headers={"X-CSRFToken": token})
    elif how == "query":
        response = client.post(url, query_string=fields, data={"csrf_token": token})
    else:
        response = client.post(url, data={**fields, "csrf_token": token})
    status: int = response.status_code
    response.close()
    return status


@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{m} {e}" for e, m in ROUTES])
def test_hostile_values_never_break_a_page_nor_touch_another_learner(
    world: World, endpoint: str, method: str, caplog: pytest.LogCaptureFixture
) -> None:
    role = _actor(endpoint, method)
    url = _url_for(world, endpoint)
    names = _field_names(world, role, url) or ["q", "page", "code", "lang", "next", "start"]
    victim = world.users["learner_a"]
    before = _snapshot(world, victim)
    own_staff_route = role == "admin"

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        fields=st.dictionaries(
            st.one_of(st.sampled_from(names), st.text(max_size=12)),
            _hostile_value(world),
            max_size=6,
        ),
        how=st.sampled_from(("form", "form", "json", "query")),
    )
    def send(fields: dict[str, Any], how: str) -> None:
        with world.app.app_context():
            limiter.reset()
        client, token = world.client_as(role, same_device=True)
        status = _send(client, method, url, fields, token, how)
        assert status < 500, f"{method} {url} ({how}) with {fields!r}: {status}"

    send()
    assert not _tracebacks(caplog), f"{method} {url} logged an error"
    if not own_staff_route:
        assert _snapshot(world, victim) == before, f"{method} {url} changed learner A's data"


def _string_arguments(world: World) -> list[str]:
    return sorted(
        {
            rule.endpoint
            for rule in world.app.url_map.iter_rules()
            if any(
                type(converter).__name__ in {"UnicodeConverter", "PathConverter"}
                for converter in rule._converters.values()
            )
        }
    )


def test_hostile_url_parts_never_break_a_page(world: World) -> None:
    """Each text part of every URL (course ids, codes, tokens, paths) given hostile values."""
    endpoints = _string_arguments(world)
    assert endpoints
    victim = world.users["learner_a"]
    before = _snapshot(world, victim)

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        endpoint=st.sampled_from(endpoints),
        value=_hostile_text(world).filter(lambda v: len(v) < 5_000),
        role=st.sampled_from(("anonymous", "learner_b")),
    )
    def send(endpoint: str, value: str, role: str) -> None:
        (rule,) = [r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint]
        values = world.url_values()
        with world.app.test_request_context():
            arguments = {name: values[name] for name in rule.arguments}
            for name, converter in rule._converters.items():
                if type(converter).__name__ in {"UnicodeConverter", "PathConverter"}:
                    arguments[name] = "\uffff"
            url = url_for(endpoint, **arguments)
        url = url.replace(quote("\uffff"), quote(value, safe=""))
        with world.app.app_context():
            limiter.reset()
        client, token = world.client_as(role, same_device=True)
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        if "GET" in methods:
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        status = response.status_code
        response.close()
        assert status < 500, f"{url} as {role}: {status}"

    send()
    assert _snapshot(world, victim) == before


def test_the_world_has_learner_a_data(world: World) -> None:
    """The check above means something only if learner A has rows to protect."""
    rows = _snapshot(world, world.users["learner_a"])
    assert sum(len(found) for found in rows.values()) >= 4


def _id_arguments(world: World) -> list[str]:
    return sorted(
        {
            rule.endpoint
            for rule in world.app.url_map.iter_rules()
            if any(
                type(converter).__name__ == "DatabaseInteger"
                for converter in rule._converters.values()
            )
        }
    )


def test_hostile_ids_never_break_a_page(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Every number in a URL (a learner, a cohort, an attempt) given any whole number."""
    endpoints = _id_arguments(world)
    assert endpoints

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        endpoint=st.sampled_from(endpoints),
        number=st.one_of(
            st.integers(min_value=0, max_value=2**31 + 10),
            st.integers(min_value=2**31 - 2, max_value=2**80),
        ),
    )
    def send(endpoint: str, number: int) -> None:
        (rule,) = [r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint]
        values = world.url_values()
        with world.app.test_request_context():
            arguments = {name: values[name] for name in rule.arguments}
            url = url_for(endpoint, **arguments)
        # The first id of the URL, rewritten: url_for would refuse a number past the converter.
        first = next(
            n for n, c in rule._converters.items() if type(c).__name__ == "DatabaseInteger"
        )
        url = url.replace(f"/{arguments[first]}", f"/{number}", 1)
        with world.app.app_context():
            limiter.reset()
        client, token = world.client_as("admin", same_device=True)
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        status = _send(client, "GET" if "GET" in methods else "POST", url, {}, token, "form")
        assert status < 500, f"{url}: {status}"

    send()
    assert not _tracebacks(caplog)
