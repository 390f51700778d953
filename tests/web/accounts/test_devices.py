"""Sessions the server ends: sign-out, one device, every device, the lifetime, a new password.

Each test copies cookies as a thief (or a shared computer) would keep them, then checks that
the server no longer lets them in. Run on SQLite and, with LMS_TEST_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts import services
from lms.accounts.categories import Role
from lms.accounts.models import DeviceSession
from lms.accounts.sign_in_steps import DEVICE_COOKIE
from lms.accounts.tokens import Purpose
from lms.config import current_settings
from lms.db import get_session
from tests.web.conftest import MadeUser
from tests.web.helpers import PASSWORD, stored_hash, submit_form

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
REMEMBER_COOKIE = "remember_token"
DEVICE_FORM = re.compile(r'action="/accounts/devices/(\d+)/sign-out"')
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def user(make_user: Callable[..., MadeUser]) -> MadeUser:
    return make_user(email="grace@example.org", language="en")


def signed_in(
    app: Flask, user: MadeUser, *, remember: bool = False, agent: str = FIREFOX
) -> FlaskClient:
    """A new browser (its own cookies), signed in through the form."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = submit_form(client, "/accounts/sign-in", data)
    assert response.status_code == 302
    return client


def copy_of(app: Flask, client: FlaskClient, *names: str) -> FlaskClient:
    """Another browser holding copies of ``client``'s cookies ``names``, as they are now."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        other.set_cookie(name, cookie.value)
    return other


def opens_profile(client: FlaskClient) -> bool:
    response = client.get("/accounts/profile")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/accounts/sign-in")
        return False
    assert response.status_code == 200
    return True


def device_ids(client: FlaskClient) -> list[int]:
    """The ids of the devices the profile lists, in its order (this device first)."""
    return [int(found) for found in DEVICE_FORM.findall(profile_page(client))]


def profile_page(client: FlaskClient) -> str:
    return client.get("/accounts/profile", headers=ENGLISH).get_data(as_text=True)


def sign_out(client: FlaskClient) -> None:
    assert (
        submit_form(client, "/accounts/sign-out", {}, page="/accounts/profile").status_code == 302
    )


def age_sessions(app: Flask, user: MadeUser, **back: timedelta) -> None:
    """Move ``user``'s sessions' ``created_at`` or ``last_seen_at`` back in time."""
    with app.app_context():
        session = get_session()
        for device in session.scalars(
            select(DeviceSession).where(DeviceSession.user_id == user.id)
        ):
            for column, delta in back.items():
                setattr(device, column, getattr(device, column) - delta)
        session.commit()


def stored_devices(app: Flask, user: MadeUser) -> list[DeviceSession]:
    with app.app_context():
        session = get_session()
        found = list(
            session.scalars(
                select(DeviceSession)
                .where(DeviceSession.user_id == user.id)
                .order_by(DeviceSession.id)
            )
        )
        session.expunge_all()
        return found


def test_a_session_cookie_copied_before_sign_out_opens_nothing_after(
    app: Flask, user: MadeUser
) -> None:
    browser = signed_in(app, user)
    stolen = copy_of(app, browser, "session")
    assert opens_profile(stolen)

    sign_out(browser)

    assert not opens_profile(browser)
    assert not opens_profile(stolen)
    (device,) = stored_devices(app, user)
    assert device.ended_at is not None


def test_a_remember_me_cookie_dies_with_its_session_at_sign_out(app: Flask, user: MadeUser) -> None:
    browser = signed_in(app, user, remember=True)
    stolen = copy_of(app, browser, REMEMBER_COOKIE)
    # Alone (no session cookie), it signs its holder in: until the sign-out.
    assert opens_profile(stolen)
    assert opens_profile(copy_of(app, browser, REMEMBER_COOKIE))

    sign_out(browser)

    assert browser.get_cookie(REMEMBER_COOKIE) is None
    assert not opens_profile(copy_of(app, stolen, REMEMBER_COOKIE))
    assert not opens_profile(stolen)


def test_the_server_keeps_a_hash_of_the_secret_never_the_secret(app: Flask, user: MadeUser) -> None:
    browser = signed_in(app, user, remember=True)
    with browser.session_transaction() as cookie_session:
        user_id, _sep, secret = cookie_session["_user_id"].partition(":")
    assert user_id == str(user.id)
    assert len(secret) >= 43
    (device,) = stored_devices(app, user)
    assert device.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(vars(device))
    assert (device.browser, device.system, device.remember) == ("Firefox", "Windows", True)


def test_the_profile_lists_each_signed_in_device_this_one_first(app: Flask, user: MadeUser) -> None:
    phone = signed_in(app, user, agent=SAFARI_IPHONE)
    laptop = signed_in(app, user, agent=FIREFOX)
    signed_in(app, user, agent="curl/8.5.0")

    page = profile_page(laptop)

    ids = device_ids(laptop)
    assert len(ids) == 3
    # Each browser sees itself first, then the others, the latest active first.
    assert device_ids(phone) == [ids[2], ids[1], ids[0]]
    first = page.index(f'id="device-{ids[0]}"')
    assert "Firefox on Windows" in page[first : first + 200]
    assert "(this device)" in page[first : first + 300]
    assert page.count("(this device)") == 1
    assert "Safari on iPhone" in page
    assert "Unknown browser" in page
    assert "Sign out everywhere" in page


def test_signing_out_one_device_ends_that_one_only(app: Flask, user: MadeUser) -> None:
    laptop = signed_in(app, user)
    phone = signed_in(app, user, remember=True, agent=SAFARI_IPHONE)
    phone_remembered = copy_of(app, phone, REMEMBER_COOKIE)
    this_one, phone_id = device_ids(laptop)

    page = "/accounts/profile"
    path = f"/accounts/devices/{phone_id}/sign-out"
    response = submit_form(laptop, path, {}, page=page)

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/profile"
    assert "That device is signed out." in profile_page(laptop)
    assert not opens_profile(phone)
    assert not opens_profile(phone_remembered)
    assert opens_profile(laptop)
    assert device_ids(laptop) == [this_one]

    # The same form again (a double click) does nothing more, and says so.
    again = submit_form(laptop, path, {}, page=page)
    assert again.status_code == 302
    assert "nothing more happened" in profile_page(laptop)


def test_signing_out_this_device_from_its_own_list_signs_out_here(
    app: Flask, user: MadeUser
) -> None:
    laptop = signed_in(app, user)
    this_one = device_ids(laptop)[0]

    response = submit_form(
        laptop, f"/accounts/devices/{this_one}/sign-out", {}, "/accounts/profile"
    )

    assert response.headers["Location"] == "/accounts/sign-in"
    assert not opens_profile(laptop)


def test_nobody_signs_out_another_persons_device(
    app: Flask, user: MadeUser, make_user: Callable[..., MadeUser]
) -> None:
    victim = signed_in(app, user)
    (victim_device,) = device_ids(victim)
    intruder = signed_in(app, make_user(email="mallory@example.org"))

    response = submit_form(
        intruder, f"/accounts/devices/{victim_device}/sign-out", {}, "/accounts/profile"
    )

    assert response.status_code == 404
    assert opens_profile(victim)
    assert opens_profile(intruder)
    missing = submit_form(intruder, "/accounts/devices/999999/sign-out", {}, "/accounts/profile")
    assert missing.status_code == 404


def test_sign_out_everywhere_ends_every_session_this_one_included(
    app: Flask, user: MadeUser, make_user: Callable[..., MadeUser]
) -> None:
    laptop = signed_in(app, user, remember=True)
    phone = signed_in(app, user, remember=True, agent=SAFARI_IPHONE)
    tablet = signed_in(app, user)
    kept_cookies = [copy_of(app, c, "session", REMEMBER_COOKIE) for c in (laptop, phone)]
    someone_else = signed_in(app, make_user(email="ada@example.org"))
    laptop.set_cookie(DEVICE_COOKIE, "remembered for the second factor")

    response = submit_form(laptop, "/accounts/devices/sign-out-everywhere", {}, "/accounts/profile")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/sign-in"
    page = laptop.get("/accounts/sign-in", headers=ENGLISH).get_data(as_text=True)
    assert "You are signed out on every device, this one included." in page
    for browser in (laptop, phone, tablet, *kept_cookies):
        assert not opens_profile(browser)
    assert opens_profile(someone_else)
    assert all(d.ended_at is not None for d in stored_devices(app, user))
    assert laptop.get_cookie(DEVICE_COOKIE) is None  # nor does it skip the second factor

    # Signing in again works, and prunes the ended sessions.
    fresh = signed_in(app, user)
    assert opens_profile(fresh)
    assert len(stored_devices(app, user)) == 1


def _user_on(app: Flask) -> MadeUser:
    """A learner on ``app`` (the ``make_user`` fixture serves the default app only)."""
    with app.app_context():
        session = get_session()
        made = services.create_user(session, "lin@example.org", None, Role.LEARNER, "en")
        made.password_hash = stored_hash(PASSWORD)
        session.commit()
        return MadeUser(made.id, made.email, PASSWORD, made.role)


def test_a_session_ends_after_its_absolute_lifetime_however_active(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(session_max_days=3)
    with app.app_context():
        assert current_settings().session_max_days == 3
    person = _user_on(app)
    browser = signed_in(app, person, remember=True)
    remembered = copy_of(app, browser, REMEMBER_COOKIE)

    age_sessions(app, person, created_at=timedelta(days=2, hours=23))
    assert opens_profile(browser)  # active all along, and younger than 3 days

    age_sessions(app, person, created_at=timedelta(hours=1, seconds=1))
    assert not opens_profile(browser)
    assert not opens_profile(remembered)


def test_the_default_lifetime_is_thirty_days(app: Flask, user: MadeUser) -> None:
    browser = signed_in(app, user, remember=True)
    age_sessions(app, user, created_at=timedelta(days=29, hours=23))
    assert opens_profile(browser)
    age_sessions(app, user, created_at=timedelta(hours=1))
    assert not opens_profile(browser)


def test_a_session_without_keep_me_signed_in_ends_when_idle_on_the_server_too(
    app: Flask, user: MadeUser
) -> None:
    idle = signed_in(app, user)
    kept = signed_in(app, user, remember=True)

    # The cookie alone would still be accepted (its own timestamp is fresh): the row decides.
    age_sessions(app, user, last_seen_at=timedelta(hours=13))

    assert not opens_profile(idle)
    assert opens_profile(kept)


def test_last_seen_is_written_every_few_minutes_not_on_every_request(
    app: Flask, user: MadeUser
) -> None:
    browser = signed_in(app, user)
    (before,) = stored_devices(app, user)
    assert opens_profile(browser)
    (unchanged,) = stored_devices(app, user)
    assert unchanged.last_seen_at == before.last_seen_at

    age_sessions(app, user, last_seen_at=timedelta(minutes=6))
    (aged,) = stored_devices(app, user)
    assert opens_profile(browser)
    (seen,) = stored_devices(app, user)
    assert seen.last_seen_at > aged.last_seen_at + timedelta(minutes=5)


def test_a_password_change_ends_the_other_sessions_remember_me_included(
    app: Flask, user: MadeUser
) -> None:
    laptop = signed_in(app, user, remember=True)
    phone = signed_in(app, user, remember=True, agent=SAFARI_IPHONE)
    phone_remembered = copy_of(app, phone, REMEMBER_COOKIE)
    new = "another long passphrase"

    response = submit_form(
        laptop,
        "/accounts/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        page="/accounts/profile",
    )

    assert response.status_code == 302
    assert opens_profile(laptop)
    assert opens_profile(copy_of(app, laptop, REMEMBER_COOKIE))
    assert not opens_profile(phone)
    assert not opens_profile(phone_remembered)


def test_a_password_reset_ends_every_session_and_signs_in_the_browser_that_made_it(
    app: Flask, user: MadeUser
) -> None:
    laptop = signed_in(app, user, remember=True)
    laptop_remembered = copy_of(app, laptop, REMEMBER_COOKIE)
    with app.app_context():
        owner = services.find_user(get_session(), user.id)
        token = services.link_token(owner, Purpose.RESET_PASSWORD, current_settings().secret_key)
    elsewhere = app.test_client()
    new = "a brand new passphrase"

    response = submit_form(
        elsewhere, f"/accounts/reset/{token}", {"password": new, "confirm_password": new}
    )

    assert response.status_code == 302
    assert opens_profile(elsewhere)
    assert not opens_profile(laptop)
    assert not opens_profile(laptop_remembered)


def test_deleting_the_account_deletes_its_sessions_and_the_export_lists_them(
    app: Flask, user: MadeUser
) -> None:
    browser = signed_in(app, user, remember=True)
    signed_in(app, user, agent=SAFARI_IPHONE)
    kept = copy_of(app, browser, "session", REMEMBER_COOKIE)

    export = submit_form(browser, "/accounts/my-data/export", {}, page="/accounts/my-data")
    listed = export.get_json()["signed_in_devices"]
    assert [(d["browser"], d["system"]) for d in listed] == [
        ("Firefox", "Windows"),
        ("Safari", "iPhone"),
    ]
    assert set(listed[0]) == {
        "browser",
        "system",
        "kept_signed_in",
        "signed_in_at",
        "last_seen_at",
        "signed_out_at",
    }

    response = submit_form(
        browser, "/accounts/my-data/delete", {"confirmation": user.email}, page="/accounts/my-data"
    )

    assert response.status_code == 303
    assert stored_devices(app, user) == []
    assert not opens_profile(kept)


def test_the_devices_section_speaks_french_by_default(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    browser = signed_in(app, make_user(email="zoe@example.org"))
    page = browser.get("/accounts/profile").get_data(as_text=True)
    assert "Appareils connectés" in page
    assert "Firefox sur Windows" in page
    assert "(cet appareil)" in page
    assert "Se déconnecter de cet appareil" in page
    assert "Se déconnecter partout" in page
