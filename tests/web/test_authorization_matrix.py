"""Every route, every method, as anonymous, learner A, learner B, staff and admin: one table of
the answers each gets, and a route missing from the table fails the test."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.extensions import limiter

from .authz_world import ROLES, World, build_world, concrete_url
from .conftest import MakeApp

SIGN_IN = "302S"
"""A redirect to the sign-in page (anonymous on a page that needs an account)."""

# (endpoint, method): the answers of anonymous, learner A, learner B, staff, admin, in order.
# URLs name learner A's objects (A's certificate, A's record for staff, attempt 1, which only
# A has taken). Learner B must never get 200 on A's things; learners never reach staff pages.
# POSTs carry a valid CSRF token and no other field: most are refused as incomplete (400).
EXPECTED: dict[tuple[str, str], str] = {
    ("learning.index", "GET"): "200 302 302 302 302",
    ("certificates.jwks", "GET"): "200 200 200 200 200",
    ("links.confirm_email", "GET"): "404 404 404 404 404",
    ("links.resend_confirmation", "POST"): "302S 302 302 302 302",
    ("accounts.set_language", "POST"): "400 400 400 400 400",
    ("personal_data.index", "GET"): "302S 200 200 200 200",
    ("personal_data.delete", "POST"): "302S 400 400 400 400",
    ("personal_data.export", "POST"): "302S 200 200 200 200",
    ("accounts.change_password", "POST"): "302S 400 400 400 400",
    ("accounts.profile", "GET"): "302S 200 200 200 200",
    ("accounts.profile", "POST"): "302S 400 400 400 400",
    ("links.request_reset", "GET"): "200 200 200 200 200",
    ("links.request_reset", "POST"): "400 400 400 400 400",
    ("links.reset_password", "GET"): "404 404 404 404 404",
    ("links.reset_password", "POST"): "404 404 404 404 404",
    ("links.reset_sent", "GET"): "200 200 200 200 200",
    ("accounts.sign_in", "GET"): "200 302 302 302 302",
    ("accounts.sign_in", "POST"): "400 302 302 302 302",
    ("accounts.sign_out", "POST"): "302 302 302 302 302",
    # A's own device is signed out (back to the profile); anyone else's is not found.
    ("devices.sign_out_device", "POST"): "302S 302 404 404 404",
    # Everyone signed in is signed out, then sent to the sign-in page.
    ("devices.sign_out_everywhere", "POST"): "302S 302S 302S 302S 302S",
    ("accounts.sign_up", "GET"): "200 302 302 302 302",
    ("accounts.sign_up", "POST"): "400 302 302 302 302",
    ("accounts.check_email", "GET"): "200 200 200 200 200",
    ("certificates.achievement", "GET"): "200 200 200 200 200",
    ("admin.index", "GET"): "302S 403 403 403 302",
    ("admin.audit_trail", "GET"): "302S 403 403 403 200",
    ("admin.users", "GET"): "302S 403 403 403 200",
    ("admin.export_audit", "GET"): "302S 403 403 403 200",
    ("content_problems.index", "GET"): "302S 403 403 200 200",
    ("admin.set_role", "POST"): "302S 403 403 403 303",
    ("admin.confirm_role", "GET"): "302S 403 403 403 303",
    ("mail_admin.index", "GET"): "302S 403 403 403 200",
    ("mail_admin.retry", "POST"): "302S 403 403 403 400",
    ("certificates.index", "GET"): "302S 200 200 200 200",
    # A certificate's files are its owner's alone: 404 (not 403) so as not to confirm it exists.
    ("certificates.pdf", "GET"): "302S 200 404 404 404",
    ("certificates.badge", "GET"): "302S 200 404 404 404",
    ("certificates.badge_image", "GET"): "302S 200 404 404 404",
    ("certificates.request_reissue", "POST"): "302S 303 404 404 404",
    ("certificates.renew", "POST"): "302S 409 404 404 404",
    ("certificates.claim", "POST"): "302S 303 303 303 303",
    ("learning.catalog", "GET"): "200 200 200 200 200",
    ("learning.course", "GET"): "200 200 200 200 200",
    ("learning.lesson", "GET"): "302S 200 200 200 200",
    ("learning.complete_lesson", "POST"): "302S 302 302 302 302",
    ("quizzes.quiz", "GET"): "302S 200 200 200 200",
    ("quizzes.start", "POST"): "302S 303 303 303 303",
    # Attempts are numbered per learner: "attempt 1" of B is B's own (none yet), never A's.
    ("quizzes.attempt", "GET"): "302S 200 404 404 404",
    ("quizzes.submit", "POST"): "302S 303 303 303 303",
    ("quizzes.review", "GET"): "302S 200 404 404 404",
    ("learning.asset", "GET"): "404 404 404 404 404",
    ("learning.dashboard", "GET"): "302S 200 200 200 200",
    ("health.healthz", "GET"): "200 200 200 200 200",
    ("links.accept_invitation", "GET"): "404 404 404 404 404",
    ("links.accept_invitation", "POST"): "404 404 404 404 404",
    ("certificates.issuer", "GET"): "200 200 200 200 200",
    ("certificates.status_list", "GET"): "200 200 200 200 200",
    ("accounts.privacy_notice", "GET"): "200 200 200 200 200",
    # Nobody in the world has a second factor: the code page has nothing to ask.
    ("second_factor.sign_in_code", "GET"): "302S 302 302 302 302",
    ("second_factor.sign_in_code", "POST"): "302S 302 302 302 302",
    ("second_factor.settings", "GET"): "302S 200 200 200 200",
    ("second_factor.set_up", "GET"): "302S 200 200 200 200",
    ("second_factor.set_up", "POST"): "302S 400 400 400 400",
    ("second_factor.turn_off", "POST"): "302S 302 302 302 302",
    ("second_factor.renew_codes", "POST"): "302S 302 302 302 302",
    ("cohorts.index", "GET"): "302S 403 403 200 200",
    ("cohorts.cohort", "GET"): "302S 403 403 200 200",
    ("cohorts.export", "GET"): "302S 403 403 200 200",
    ("cohorts.import_roster", "GET"): "302S 403 403 200 200",
    ("cohorts.import_roster", "POST"): "302S 403 403 400 400",
    ("cohorts.import_progress", "GET"): "302S 403 403 404 404",
    # One-shot forms posted without their key (or fields) are refused, and change nothing.
    ("cohorts.send_reminders", "POST"): "302S 403 403 400 400",
    ("cohorts.confirm_reminders", "GET"): "302S 403 403 200 200",
    ("cohorts.edit_cohort", "GET"): "302S 403 403 200 200",
    ("cohorts.edit_cohort", "POST"): "302S 403 403 400 400",
    ("cohorts.archive", "POST"): "302S 403 403 400 400",
    ("cohorts.unarchive", "POST"): "302S 403 403 400 400",
    ("cohorts.add_member", "GET"): "302S 403 403 200 200",
    ("cohorts.add_member", "POST"): "302S 403 403 400 400",
    ("cohorts.member", "GET"): "302S 403 403 200 200",
    ("cohorts.set_due_date", "POST"): "302S 403 403 400 400",
    ("cohorts.remove_member", "GET"): "302S 403 403 200 200",
    ("cohorts.remove_member", "POST"): "302S 403 403 400 400",
    ("cohorts.grant_attempts", "GET"): "302S 403 403 200 200",
    ("cohorts.grant_attempts", "POST"): "302S 403 403 400 400",
    ("cohorts.new_cohort", "GET"): "302S 403 403 200 200",
    ("cohorts.new_cohort", "POST"): "302S 403 403 400 400",
    ("learners.search", "GET"): "302S 403 403 200 200",
    ("learners.record", "GET"): "302S 403 403 200 200",
    ("learners.reissue", "POST"): "302S 403 403 400 400",
    ("learners.confirm_reissue", "GET"): "302S 403 403 200 200",
    ("learners.revoke", "POST"): "302S 403 403 400 400",
    ("learners.confirm_revoke", "GET"): "302S 403 403 200 200",
    ("progress.confirm_reset", "GET"): "302S 403 403 200 200",
    ("progress.reset", "POST"): "302S 403 403 400 400",
    ("progress.mark_done", "POST"): "302S 403 403 400 400",
    ("learners.grant_attempts", "POST"): "302S 403 403 400 400",
    ("learners.resend_invitation", "POST"): "302S 403 403 400 400",
    ("quiz_analysis.index", "GET"): "302S 403 403 200 200",
    ("quiz_analysis.analysis", "GET"): "302S 403 403 200 200",
    # Communities: the URLs name a community open to A's cohort only and A's thread and post
    # there. B, in no cohort of it, gets 404 everywhere (not 403: its existence is not told);
    # staff and admins moderate every community; learners never reach staff's pages.
    ("communities.index", "GET"): "302S 200 200 200 200",
    ("communities.settings", "GET"): "302S 200 200 200 200",
    # Posted without fields, the settings are kept as they are.
    ("communities.settings", "POST"): "302S 303 303 303 303",
    ("communities.community", "GET"): "302S 200 404 200 200",
    ("communities.ask", "POST"): "302S 400 404 400 400",
    ("communities.follow", "POST"): "302S 400 404 400 400",
    ("communities.reports", "GET"): "302S 403 404 200 200",
    # A course's discussion is open to everyone signed in, as its lessons are.
    ("communities.course", "GET"): "302S 200 200 200 200",
    ("communities.ask_course", "POST"): "302S 400 400 400 400",
    ("communities.thread", "GET"): "302S 200 404 200 200",
    ("communities.reply", "POST"): "302S 400 404 400 400",
    ("communities.follow_thread", "POST"): "302S 400 404 400 400",
    ("communities.pin", "POST"): "302S 400 404 400 400",
    ("communities.lock", "POST"): "302S 400 404 400 400",
    ("communities.post", "GET"): "302S 302 404 302 302",
    # Only its author changes a post, within 30 minutes: staff too get 403.
    ("communities.edit", "GET"): "302S 200 404 403 403",
    ("communities.edit", "POST"): "302S 400 404 403 403",
    # A report's reason is optional: posted without one, it is made (once per person).
    ("communities.report", "GET"): "302S 200 404 200 200",
    ("communities.report", "POST"): "302S 303 404 303 303",
    ("communities.hide", "GET"): "302S 403 404 200 200",
    ("communities.hide", "POST"): "302S 403 404 400 400",
    ("communities.restore", "GET"): "302S 403 404 200 200",
    ("communities.restore", "POST"): "302S 403 404 400 400",
    ("communities.dismiss", "POST"): "302S 403 404 400 400",
    ("community_staff.index", "GET"): "302S 403 403 200 200",
    ("community_staff.new", "GET"): "302S 403 403 200 200",
    ("community_staff.new", "POST"): "302S 403 403 400 400",
    ("community_staff.edit", "GET"): "302S 403 403 200 200",
    ("community_staff.edit", "POST"): "302S 403 403 400 400",
    ("community_staff.add_moderator", "POST"): "302S 403 403 400 400",
    # A made-up unsubscribe token names nothing, whoever asks (no sign-in needed).
    ("community_mail.unsubscribe", "GET"): "404 404 404 404 404",
    ("community_mail.unsubscribe", "POST"): "404 404 404 404 404",
    ("static", "GET"): "200 200 200 200 200",
    ("certificates.verify_form", "GET"): "200 200 200 200 200",
    ("certificates.verify", "GET"): "200 200 200 200 200",
    ("certificates.verify_json", "GET"): "200 200 200 200 200",
    # The world's session is under way, its only seat learner A's: the others who register
    # join the waiting list, and get neither its calendar file nor its captions; nobody
    # cancels once it started. A feed's address with a wrong token names no one.
    ("live.index", "GET"): "200 200 200 200 200",
    ("live.session_page", "GET"): "200 200 200 200 200",
    ("live.register", "POST"): "302S 303 303 303 303",
    ("live.cancel", "GET"): "302S 409 409 409 409",
    ("live.cancel", "POST"): "302S 409 409 409 409",
    ("live.session_calendar", "GET"): "302S 200 404 404 404",
    ("live.captions", "GET"): "302S 200 404 200 200",
    ("live.mine", "GET"): "302S 200 200 200 200",
    ("live.start_feed", "POST"): "302S 303 303 303 303",
    # The world's learner has a feed; the others make one by the time they ask to stop it.
    ("live.renew_feed", "GET"): "302S 200 303 303 303",
    ("live.renew_feed", "POST"): "302S 400 303 303 303",
    ("live.stop_feed", "GET"): "302S 200 200 200 200",
    ("live.stop_feed", "POST"): "302S 303 303 303 303",
    ("live.feed", "GET"): "404 404 404 404 404",
    ("live_staff.index", "GET"): "302S 403 403 200 200",
    ("live_staff.new_session", "GET"): "302S 403 403 200 200",
    ("live_staff.new_session", "POST"): "302S 403 403 400 400",
    ("live_staff.session_page", "GET"): "302S 403 403 200 200",
    ("live_staff.edit_session", "GET"): "302S 403 403 200 200",
    ("live_staff.edit_session", "POST"): "302S 403 403 400 400",
    ("live_staff.cancel_session", "GET"): "302S 403 403 200 200",
    ("live_staff.cancel_session", "POST"): "302S 403 403 400 400",
    # Ticks: none ticked is a real answer (nobody came), saved as such.
    ("live_staff.record_attendance", "POST"): "302S 403 403 303 303",
    ("live_staff.import_attendance", "GET"): "302S 403 403 200 200",
    ("live_staff.import_attendance", "POST"): "302S 403 403 400 400",
    # No link and no file: the recording's link removed, its captions kept.
    ("live_staff.recording", "GET"): "302S 403 403 200 200",
    ("live_staff.recording", "POST"): "302S 403 403 303 303",
}

METHODS_IGNORED = {"HEAD", "OPTIONS"}
CSRF_EXEMPT = {"community_mail.unsubscribe"}
"""One-click unsubscribe (RFC 8058): a mail client posts it with no form, and its signed
token is the proof; a made-up token is refused (404, above)."""


@pytest.fixture
def world(make_app: MakeApp) -> World:
    return build_world(make_app)


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every rule of the app, each method apart."""
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - METHODS_IGNORED
    )


def _url(world: World, endpoint: str) -> str:
    (rule,) = [r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint]
    return concrete_url(world, rule)


def _answer(world: World, role: str, url: str, method: str, index: int) -> str:
    # The rate limits have their own tests; here, each request starts with fresh counters.
    with world.app.app_context():
        limiter.reset()
    client, token = world.client_as(role)
    response = client.open(
        url,
        method=method,
        data={"csrf_token": token} if method == "POST" else None,
        environ_base={"REMOTE_ADDR": f"10.9.{index // 250}.{index % 250 + 1}"},
    )
    location = response.headers.get("Location", "")
    response.close()
    status = str(response.status_code)
    return SIGN_IN if status == "302" and "/accounts/sign-in" in location else status


def test_every_route_is_in_the_table(world: World) -> None:
    routes = {(endpoint, method) for endpoint, method, _rule in _routes(world.app)}
    missing = sorted(routes - set(EXPECTED))
    assert not missing, f"routes without an entry in EXPECTED: {missing}"
    assert not sorted(set(EXPECTED) - routes), "EXPECTED names routes that no longer exist"


def test_every_route_answers_each_role_as_the_table_says(world: World) -> None:
    mismatches = []
    index = 0
    for endpoint, method, rule in _routes(world.app):
        if (endpoint, method) not in EXPECTED:
            continue  # the test above names it
        url = _url(world, endpoint)
        got = []
        for role in ROLES:
            index += 1
            got.append(_answer(world, role, url, method, index))
        expected = EXPECTED[(endpoint, method)]
        if " ".join(got) != expected:
            mismatches.append(f"{method} {rule} ({url}): expected {expected}, got {' '.join(got)}")
    assert not mismatches, "\n".join(mismatches)


def test_every_post_without_a_csrf_token_is_refused(world: World) -> None:
    refused = []
    for endpoint, method, _rule in _routes(world.app):
        if method != "POST" or endpoint in CSRF_EXEMPT:
            continue
        url = _url(world, endpoint)
        for role in ("anonymous", "admin"):
            client, _token = world.client_as(role)
            response = client.post(url, data={})
            if response.status_code != 400:
                refused.append(f"{url} as {role}: {response.status_code}")
    assert not refused, "\n".join(refused)


NOT_HTML = {
    "static": "text/css; charset=utf-8",
    "learning.asset": "image/svg+xml; charset=utf-8",
    "certificates.pdf": "application/pdf",
    "certificates.badge": "application/jwt",
    "certificates.badge_image": "image/png",
    "certificates.verify_json": "application/json",
    "certificates.issuer": "application/json",
    "certificates.achievement": "application/json",
    "certificates.jwks": "application/json",
    "certificates.status_list": "application/jwt",
    "cohorts.export": "text/csv; charset=utf-8",
    "live.session_calendar": "text/calendar; charset=utf-8",
    "live.captions": "text/vtt; charset=utf-8",
    "admin.export_audit": "text/csv; charset=utf-8",
    "health.healthz": "application/json",
}
"""What the GET routes that are not pages send; every other page is HTML in UTF-8."""


def test_every_page_is_sent_as_html_and_every_file_as_what_it_is(world: World) -> None:
    """What the browser gets: a page sent as text/plain shows its source (as /verify/CODE did,
    for every valid certificate). Each GET route, as the first role the table lets in."""
    wrong = []
    for endpoint, method, rule in _routes(world.app):
        answers = EXPECTED.get((endpoint, method), "").split()
        if method != "GET" or "200" not in answers:
            continue
        role = ROLES[answers.index("200")]
        with world.app.app_context():
            limiter.reset()
        client, _token = world.client_as(role)
        response = client.get(_url(world, endpoint))
        expected = NOT_HTML.get(endpoint, "text/html; charset=utf-8")
        if response.status_code != 200 or response.content_type != expected:
            wrong.append(f"{rule} as {role}: {response.status_code} {response.content_type}")
        response.close()
    assert not wrong, "\n".join(wrong)
