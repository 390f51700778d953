"""Signing up: the profile and consent stored, the confirmation mail, nothing revealed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lms.accounts import services
from lms.accounts.categories import Affiliation, FrqSector, ResearchRole
from lms.accounts.models import User
from lms.accounts.services import PRIVACY_NOTICE_VERSION, Profile
from lms.cli import cli
from lms.db import get_session, utcnow
from tests.support.smtp import Mailbox, html_of, links_in, path_of, text_of
from tests.web.account_helpers import post_form, sign_up, sign_up_data
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import CSRF_INPUT, PASSWORD


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


def stored_user(app: Flask, email: str) -> User:
    with app.app_context():
        user = get_session().scalar(select(User).where(User.email == email))
        assert user is not None
        get_session().expunge(user)
        return user


def user_count(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count(User.id))) or 0


def without_tokens(response: TestResponse) -> str:
    return CSRF_INPUT.sub("", response.get_data(as_text=True))


def confirmation_path(mailbox: Mailbox, email: str) -> str:
    (link,) = [link for link in links_in(mailbox.last(email)) if "/accounts/confirm/" in link]
    return path_of(link)


def test_the_sign_up_page_labels_every_field(client: FlaskClient) -> None:
    page = client.get("/accounts/sign-up").get_data(as_text=True)

    for name in ("email", "password", "confirm_password", "certificate_name", "affiliation_other"):
        assert f'<label for="{name}">' in page
    for group in ("language", "research_roles", "affiliation", "frq_fellowship"):
        assert f'<fieldset class="field choice-group" id="{group}"' in page
    # Each radio and checkbox has its own label.
    for input_id in re.findall(r'<input [^>]*type="(?:radio|checkbox)"[^>]*id="([^"]+)"', page):
        assert f'for="{input_id}"' in page
    assert 'href="/privacy"' in page
    assert '<input checked id="language-0" name="language" type="radio" value="fr">' in page


def test_sign_up_stores_the_profile_and_the_consent_and_mails_a_link(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    before = utcnow()

    response = sign_up(client, "Ada@Example.org", language="en")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/sign-up/check-email"
    user = stored_user(app, "ada@example.org")
    assert user.certificate_name == "Ada Lovelace-Côté"
    assert user.language == "en"
    assert user.roles_in_research == {ResearchRole.PATIENT, ResearchRole.RESEARCHER}
    assert user.affiliation is Affiliation.UNIVERSITY
    assert user.affiliation_other is None
    assert user.frq_fellowship is True
    assert user.frq_sector is FrqSector.SOCIETY_CULTURE
    assert user.privacy_consent_at is not None
    assert before <= user.privacy_consent_at <= utcnow()
    assert user.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert user.email_confirmed_at is None
    assert user.password_hash is not None
    assert PASSWORD not in user.password_hash

    (message,) = mailbox.messages
    assert message["To"] == "ada@example.org"
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "Confirm your email address for Parcours"
    assert "Hello Ada Lovelace-Côté," in text_of(message)
    link = links_in(message)[0]
    assert link.startswith("http://127.0.0.1:5000/accounts/confirm/")
    assert link in html_of(message)
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "<h1>Check your email</h1>" in page.get_data(as_text=True)


def test_the_mail_is_in_the_language_chosen(client: FlaskClient, mailbox: Mailbox) -> None:
    sign_up(client, "marie@example.org", language="fr")
    assert mailbox.last("marie@example.org")["Content-Language"] == "fr"


def test_absolute_links_use_the_base_url_not_the_host_header(
    make_app: MakeApp, mailbox: Mailbox
) -> None:
    client = make_app(**mailbox.settings, base_url="https://parcours.example.org/lms").test_client()
    # As if an attacker's request said another Host: the link must not point there.
    evil = "http://evil.example"
    page = client.get("/accounts/sign-up", base_url=evil).get_data(as_text=True)
    found = CSRF_INPUT.search(page)
    assert found
    data = {**sign_up_data(), "csrf_token": found.group(1)}

    response = client.post("/accounts/sign-up", data=data, base_url=evil)

    assert response.status_code == 302
    link = links_in(mailbox.last("ada@example.org"))[0]
    assert link.startswith("https://parcours.example.org/lms/accounts/confirm/")


def test_the_confirmation_link_works_once(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    sign_up(client)
    path = confirmation_path(mailbox, "ada@example.org")

    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/sign-in"
    assert stored_user(app, "ada@example.org").email_confirmed_at is not None

    again = client.get(path)
    assert again.status_code == 409
    assert "already confirmed" in client.get(path, headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_sign_up_confirm_sign_in(client: FlaskClient, mailbox: Mailbox) -> None:
    client.set_cookie("lang", "en")
    sign_up(client)

    confirmed = client.get(confirmation_path(mailbox, "ada@example.org"), follow_redirects=True)
    assert "Thank you: your email address is confirmed." in confirmed.get_data(as_text=True)

    response = post_form(
        client, "/accounts/sign-in", {"email": "ada@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/courses").get_data(as_text=True)
    assert "You are signed in." in page
    assert "not confirmed yet" not in page


def test_an_expired_confirmation_link_is_refused(
    app: Flask, client: FlaskClient, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(client)
    path = confirmation_path(mailbox, "ada@example.org")
    four_days_later = int(time.time()) + 4 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: four_days_later)

    response = client.get(path, headers={"Accept-Language": "en"})

    assert response.status_code == 410
    assert "This confirmation link has expired." in response.get_data(as_text=True)
    assert stored_user(app, "ada@example.org").email_confirmed_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(".", "x", 1),
        lambda _token: "not-a-token",
        lambda _token: "x" * 5000,
    ],
)
def test_a_tampered_confirmation_link_is_refused(
    app: Flask, client: FlaskClient, mailbox: Mailbox, tamper: Callable[[str], str]
) -> None:
    sign_up(client)
    token = confirmation_path(mailbox, "ada@example.org").rsplit("/", 1)[1]

    response = client.get(f"/accounts/confirm/{tamper(token)}", headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert "This confirmation link is not valid." in response.get_data(as_text=True)
    assert stored_user(app, "ada@example.org").email_confirmed_at is None


def test_a_reset_token_cannot_confirm_an_address(
    client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    user = make_user()
    post_form(client, "/accounts/reset", {"email": user.email})
    (reset_link,) = [link for link in links_in(mailbox.last(user.email)) if "/reset/" in link]

    token = reset_link.rsplit("/", 1)[1]
    assert client.get(f"/accounts/confirm/{token}").status_code == 404


def test_a_taken_email_gets_the_same_answer_and_its_owner_a_note(
    app: Flask, client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    make_user(email="taken@example.org", language="en")
    other = app.test_client()

    new = sign_up(other, "new@example.org")
    taken = sign_up(client, "Taken@example.org", certificate_name="Mallory")

    assert (taken.status_code, taken.headers["Location"]) == (
        new.status_code,
        new.headers["Location"],
    )
    assert taken.get_data() == new.get_data()
    # The pages differ only by each browser's own CSRF token, and the address each one typed.
    taken_page = without_tokens(client.get(taken.headers["Location"]))
    new_page = without_tokens(other.get(new.headers["Location"]))
    assert taken_page.replace("Taken@example.org", "ADDRESS") == new_page.replace(
        "new@example.org", "ADDRESS"
    )
    assert user_count(app) == 2
    assert stored_user(app, "taken@example.org").certificate_name is None

    note = mailbox.last("taken@example.org")
    assert note["Subject"] == "You already have a Parcours account"
    text = text_of(note)
    assert "tried to create a Parcours account" in text
    assert any("/accounts/reset/" in link for link in links_in(note))
    assert "Mallory" not in text


@pytest.mark.parametrize(
    "changes",
    [
        {"certificate_name": "   "},
        {"certificate_name": "\u00a0\t"},
        {"privacy_consent": ""},
        {"confirm_password": "another one entirely"},
        {"password": "password"},
    ],
)
def test_a_form_refused_for_a_new_address_is_refused_alike_for_a_taken_one(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    changes: dict[str, str],
) -> None:
    make_user(email="taken@example.org", language="en")
    other = app.test_client()

    new = sign_up(other, "new@example.org", **changes)
    taken = sign_up(client, "taken@example.org", **changes)

    assert new.status_code == taken.status_code == 400
    assert without_tokens(taken).replace("taken@", "x@") == without_tokens(new).replace(
        "new@", "x@"
    )
    assert user_count(app) == 1


def test_the_owners_note_links_to_a_working_reset(
    client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    user = make_user(email="taken@example.org")
    sign_up(client, user.email)
    (reset_link,) = [link for link in links_in(mailbox.last(user.email)) if "/reset/" in link]

    assert client.get(path_of(reset_link)).status_code == 200


def test_the_account_is_kept_when_the_mail_cannot_be_sent(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support.smtp import free_port

    app = make_app(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    client = app.test_client()

    response = sign_up(client)

    assert response.status_code == 302
    assert user_count(app) == 1
    assert "Could not reach the SMTP server" in caplog.text


def test_without_an_smtp_host_the_mail_is_logged(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_app().test_client()
    caplog.set_level("INFO", logger="lms.mail")

    sign_up(client)

    assert "Mail not sent (LMS_SMTP_HOST is empty)" in caplog.text
    assert "http://127.0.0.1:5000/accounts/confirm/" in caplog.text


def form_error(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter an email address such as"),
        ({"email": "a" * 300 + "@example.org"}, "email", "at most 254 characters"),
        ({"email": "victim(x)@example.org"}, "email", "Enter an email address such as"),
        ({"email": "<a@example.org>"}, "email", "Enter an email address such as"),
        ({"email": "hélène@example.org"}, "email", "Enter an email address such as"),
        ({"password": "short", "confirm_password": "short"}, "password", "at least 12"),
        ({"confirm_password": "something else entirely"}, "confirm_password", "not the same"),
        ({"certificate_name": ""}, "certificate_name", "Enter your name"),
        ({"certificate_name": "N" * 5000}, "certificate_name", "at most 200 characters"),
        ({"language": "de"}, "language", "Choose your preferred language."),
        ({"research_roles": []}, "research_roles", "Choose at least one role"),
        ({"research_roles": ["patient", "astronaut"]}, "research_roles", "Choose at least one"),
        ({"affiliation": "moon"}, "affiliation", "Choose your affiliation."),
        ({"affiliation": "other"}, "affiliation_other", "Name your affiliation"),
        ({"affiliation": "other", "affiliation_other": "x" * 201}, "affiliation_other", "200"),
        ({"frq_fellowship": "maybe"}, "frq_fellowship", "Say whether you hold"),
        ({"frq_sector": ""}, "frq_sector", "Choose the sector"),
        ({"frq_sector": "astronomy"}, "frq_sector", "Choose the sector"),
        ({"privacy_consent": ""}, "privacy_consent", "agree to the privacy notice"),
        ({"privacy_consent": "false"}, "privacy_consent", "agree to the privacy notice"),
    ],
)
def test_bad_input_gets_a_message_on_its_field(
    app: Flask,
    client: FlaskClient,
    mailbox: Mailbox,
    changes: dict[str, str | list[str]],
    field: str,
    message: str,
) -> None:
    client.set_cookie("lang", "en")
    response = post_form(client, "/accounts/sign-up", sign_up_data(**changes))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error-summary"' in page
    assert f'href="#{field}"' in page
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert error is not None, page
    assert message in error.group(1)
    assert f'aria-describedby="{field}-hint {field}-error"' in page or (
        f'aria-describedby="{field}-error"' in page
    )
    assert user_count(app) == 0
    assert mailbox.messages == []


def test_the_sector_and_other_text_are_dropped_when_they_do_not_apply(
    app: Flask, client: FlaskClient
) -> None:
    sign_up(client, frq_fellowship="no", frq_sector="health", affiliation_other="Ignored")

    user = stored_user(app, "ada@example.org")
    assert (user.frq_fellowship, user.frq_sector, user.affiliation_other) == (False, None, None)


def test_an_other_affiliation_keeps_its_text(app: Flask, client: FlaskClient) -> None:
    sign_up(client, affiliation="other", affiliation_other="  Patient partners’ network ")
    user = stored_user(app, "ada@example.org")
    assert (user.affiliation, user.affiliation_other) == (
        Affiliation.OTHER,
        "Patient partners’ network",
    )


def test_a_signed_in_user_is_sent_to_the_profile(
    client: FlaskClient, make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    login(make_user().email)
    assert client.get("/accounts/sign-up").headers["Location"] == "/accounts/profile"


def test_the_rules_hold_without_the_form(app: Flask) -> None:
    profile = Profile(
        certificate_name="Ada",
        language="fr",
        research_roles=frozenset({ResearchRole.TRAINEE}),
        affiliation=Affiliation.OTHER,
        affiliation_other=None,
        frq_fellowship=False,
        frq_sector=None,
    )
    with app.app_context():
        session = get_session()
        with pytest.raises(services.PrivacyConsentMissing):
            services.check_sign_up("a@example.org", PASSWORD, profile, privacy_consent=False)
        with pytest.raises(services.PasswordTooShort):
            services.check_sign_up("a@example.org", "short", profile, privacy_consent=True)
        with pytest.raises(services.ProfileIncomplete):
            services.check_sign_up("a@example.org", PASSWORD, profile, privacy_consent=True)
        assert session.scalar(select(func.count(User.id))) == 0


def test_accounts_made_from_the_command_line_are_confirmed(make_app: MakeApp) -> None:
    app = make_app()
    result = app.test_cli_runner().invoke(
        cli, ["users", "create", "--email", "staff@example.org", "--role", "staff"]
    )
    assert result.exit_code == 0, result.output
    assert stored_user(app, "staff@example.org").email_confirmed_at is not None


def test_the_error_summary_follows_the_order_of_the_fields(client: FlaskClient) -> None:
    page = post_form(client, "/accounts/sign-up", {}).get_data(as_text=True)
    summary = page[page.index('class="error-summary"') :]
    targets = re.findall(r'<a href="#([\w-]+)"', summary[: summary.index("</ul>")])
    assert targets[:3] == ["email", "password", "confirm_password"]
    assert targets.index("certificate_name") < targets.index("privacy_consent")


def test_switching_language_keeps_what_was_typed_but_the_passwords(
    app: Flask, client: FlaskClient
) -> None:
    english = client.get("/accounts/sign-up", headers={"Accept-Language": "en"})
    assert 'form="sign-up-form" formaction="/accounts/sign-up"' in english.get_data(as_text=True)

    switched = post_form(
        client, "/accounts/sign-up", sign_up_data(language="en", switch_language="fr")
    )

    page = switched.get_data(as_text=True)
    assert switched.status_code == 200
    assert "lang=fr" in switched.headers["Set-Cookie"]
    assert '<html lang="fr">' in page
    assert "Créer un compte" in page
    assert 'value="ada@example.org"' in page
    assert 'value="Ada Lovelace-Côté"' in page
    assert PASSWORD not in page
    assert 'class="field-error"' not in page  # nothing was submitted: no error yet
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User)) == 0


def test_switching_language_is_not_counted_as_a_sign_up(client: FlaskClient) -> None:
    for _ in range(35):  # more than the 30 sign-ups an address may try in an hour
        response = post_form(client, "/accounts/sign-up", sign_up_data(switch_language="en"))
        assert response.status_code == 200


def test_check_your_email_names_the_address_the_link_went_to(client: FlaskClient) -> None:
    response = sign_up(client, "grace@example.org")

    assert "grace@example.org" not in response.headers["Location"]  # URLs end up in logs
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Un message est en route vers grace@example.org" in page
    assert 'href="/accounts/sign-up"' in page

    elsewhere = client.application.test_client().get("/accounts/sign-up/check-email")
    assert "grace@example.org" not in elsewhere.get_data(as_text=True)
