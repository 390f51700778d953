"""A member's name in communities is theirs to choose and never their email; their data is
in their export; deleting their account keeps their posts as a former member's, or erases
them when they ask."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from tests.web.learning_helpers import sign_in

from .helpers import add_space, ask, post_form, posts_of, reply, thread_row

SETTINGS = "/communities/settings"


def test_posts_are_signed_with_a_neutral_name_until_the_member_chooses_one(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space)
    sign_in(client, "alice@example.org")
    page = client.get(f"/communities/threads/{thread}").get_data(as_text=True)
    assert f"<strong>Member {people['alice']}</strong>" in page
    assert "alice@" not in page
    assert ">alice<" not in page.lower()

    settings = client.get(SETTINGS).get_data(as_text=True)
    assert f"your posts are signed “Member {people['alice']}”" in settings
    refused = post_form(
        client, SETTINGS, {"display_name": "alice@example.org", "mail_mode": "immediate"}, SETTINGS
    )
    assert refused.status_code == 400
    assert "Choose a name that is not an email address." in refused.get_data(as_text=True)
    saved = post_form(
        client,
        SETTINGS,
        {"display_name": "  Alice, patient partner ", "mail_mode": "immediate"},
        SETTINGS,
    )
    assert saved.status_code == 303
    page = client.get(f"/communities/threads/{thread}").get_data(as_text=True)
    assert "<strong>Alice, patient partner</strong>" in page
    assert 'value="Alice, patient partner"' in client.get(SETTINGS).get_data(as_text=True)


def test_staff_posts_say_so(app: Flask, client: FlaskClient, people: dict[str, int]) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space)
    reply(app, people["sam"], thread, "Staff here.")
    sign_in(client, "alice@example.org")
    assert "Program staff" in client.get(f"/communities/threads/{thread}").get_data(as_text=True)


def _export(client: FlaskClient) -> dict[str, object]:
    response = post_form(client, "/accounts/my-data/export", {}, "/accounts/my-data")
    assert response.status_code == 200
    data: dict[str, object] = json.loads(response.get_data(as_text=True))
    return data


def test_the_export_holds_the_members_posts_follows_and_reports_and_nobody_elses(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    own = ask(app, people["alice"], space, title="Alice asks", body="Alice's words")
    other = ask(app, people["bruno"], space, title="Bruno asks", body="Bruno's words")
    reply(app, people["alice"], other, "Alice answers")
    sign_in(client, "alice@example.org")
    post_form(client, SETTINGS, {"display_name": "Alice T.", "mail_mode": "digest"}, SETTINGS)
    bruno_post = posts_of(app, other)[0].id
    report = f"/communities/posts/{bruno_post}/report"
    post_form(client, report, {"reason": "Off topic"}, report)

    data = _export(client)["communities"]
    assert isinstance(data, dict)
    assert data["settings"]["display_name"] == "Alice T."
    assert data["settings"]["mail"] == "digest"
    assert data["settings"]["mail_chosen_at"] is not None
    assert [t["title"] for t in data["threads_opened"]] == ["Alice asks"]
    assert [p["text"] for p in data["posts"]] == ["Alice's words", "Alice answers"]
    assert sorted(data["following"]["threads"]) == sorted([own, other])
    assert data["reports_made"][0]["reason"] == "Off topic"
    assert "Bruno's words" not in json.dumps(data)


def _delete(client: FlaskClient, email: str, *, remove_posts: bool) -> None:
    fields = {"confirmation": email, **({"remove_posts": "y"} if remove_posts else {})}
    response = post_form(client, "/accounts/my-data/delete", fields, "/accounts/my-data")
    assert response.status_code == 303


def test_a_deleted_members_posts_stay_signed_as_a_former_members(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space, title="Still useful", body="My advice")
    sign_in(client, "alice@example.org")
    post_form(client, SETTINGS, {"display_name": "Alice T.", "mail_mode": "immediate"}, SETTINGS)
    _delete(client, "alice@example.org", remove_posts=False)

    bruno = app.test_client()
    sign_in(bruno, "bruno@example.org")
    page = bruno.get(f"/communities/threads/{thread}").get_data(as_text=True)
    assert "Alice T." not in page
    assert "<strong>Ex-membre</strong>" in page  # Bruno reads French
    assert "My advice" in page
    assert "Still useful" in page


def test_a_deleted_member_who_asks_has_their_words_removed(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space, title="My story", body="Something personal")
    reply(app, people["bruno"], thread, "Thank you")
    sign_in(client, "alice@example.org")
    _delete(client, "alice@example.org", remove_posts=True)

    opening, answer = posts_of(app, thread)
    assert (opening.body, opening.html) == ("", "")
    assert opening.erased_at is not None
    assert answer.body == "Thank you"
    assert thread_row(app, thread).title == ""
    sam = app.test_client()
    sign_in(sam, "sam@example.org")
    page = sam.get(f"/communities/threads/{thread}").get_data(as_text=True)
    assert "Something personal" not in page
    assert "My story" not in page
    assert "This post was removed at its author’s request." in page
    assert "A discussion whose title was removed" in page
    assert "Thank you" in page
