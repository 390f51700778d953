"""Accounts' pages: sign up, sign in and out, profile, password, language, the privacy notice."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from lms import jobs
from lms.accounts import devices, known_browsers, privacy, request_jobs, services, sign_in_steps
from lms.accounts.access import (
    email_key,
    session_lifetimes,
    signed_in_user,
    start_session,
    user_key,
)
from lms.accounts.forms import (
    ChangePasswordForm,
    LanguageForm,
    ProfileEditForm,
    SignInForm,
    SignOutForm,
    SignUpForm,
)
from lms.accounts.models import User
from lms.config import current_settings
from lms.db import get_session, reads_before_writing, run_in_transaction, utcnow
from lms.extensions import limiter, login_manager
from lms.i18n import current_language, remember_language, switch_requested
from lms.outbox.services import enqueue
from lms.panels import profile_panels

blueprint = Blueprint("accounts", __name__, template_folder="../templates")

# Per address (any of the address's owner, a typo, an attacker) and per network address.
# Generous per IP: a class signing in together shares one address behind a hospital's NAT.
SIGN_IN_PER_IP = "20 per minute"
SIGN_IN_FAILURES_PER_EMAIL = "5 per 15 minutes"
SIGN_UP_PER_IP = "30 per hour"
MAILED_TO = "mailed_to"
"""The session key of the address a sign-up's mail went to, which "check your email" names."""
PASSWORD_CHANGE_FAILURES_PER_USER = "5 per 15 minutes"  # noqa: S105 (a rate, not a secret)
"""Wrong current passwords: a session left open must not let someone guess the password."""


def _load_user(user_id: str) -> User | None:
    # The id names a session on the server (lms.accounts.devices): once it has ended, the
    # cookies that carry the id, the remember-me one too, sign nobody in.
    return devices.signed_in_user(get_session(), user_id, session_lifetimes())


@blueprint.before_app_request
def _note_activity() -> None:
    """Keep ``last_seen_at`` current: the account's (retention counts from it), written at
    most hourly, and the session's (the profile lists it), every few minutes."""
    # Not for /healthz: it must answer, 503 included, without loading anyone.
    if request.endpoint in (None, "static", "health.healthz") or not current_user.is_authenticated:
        return
    user = signed_in_user()
    account_seen = privacy.seen_now(user)
    if devices.seen_now(user) or account_seen:
        # Before the view runs: nothing else is pending in the session yet.
        session = get_session()
        try:
            session.commit()
        except OperationalError:
            # Best effort: a busy database must not fail the page; the next request retries.
            session.rollback()


login_manager.user_loader(_load_user)


def _failed(response: Response) -> bool:
    """A sign-in that did not redirect: only failures count towards the address's limit."""
    return response.status_code != 302


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``: no open redirects, and no
    line break to split the redirect's headers."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


@blueprint.route("/accounts/sign-in", methods=["GET", "POST"])
# Neither limit applies to an address from a browser where its owner signed in before
# (lms.accounts.known_browsers): strangers' failures cannot lock the owner out.
@limiter.limit(SIGN_IN_PER_IP, methods=["POST"], exempt_when=known_browsers.knows_the_form_address)
@limiter.limit(
    SIGN_IN_FAILURES_PER_EMAIL,
    methods=["POST"],
    key_func=email_key,
    deduct_when=_failed,
    exempt_when=known_browsers.knows_the_form_address,
)
# The password check takes tens of milliseconds: sign-ins must not queue for the lock.
@reads_before_writing
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    home = url_for("learning.dashboard")  # where a learner's program and courses are
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), home))
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        email, password = form.email.data or "", form.password.data or ""
        session = get_session()
        try:
            user = services.authenticate(session, email, password)
        except services.InvalidCredentials as error:
            form.password.errors = [str(error.message)]
        else:
            # The check only read; its transaction ends here, so that the sign-in is written
            # in one of its own, on current data, however long the check took.
            session.commit()
            run_in_transaction(lambda _session: services.record_sign_in(user, password))
            remember, next_page = bool(form.remember.data), safe_next(form.next.data, home)
            if user.has_second_factor and not sign_in_steps.device_remembered(user):
                sign_in_steps.start(user, remember=remember, next_page=next_page)
                return redirect(url_for("second_factor.sign_in_code"))
            return complete_sign_in(user, remember=remember, next_page=next_page)
    status = 400 if form.errors else 200
    return render_template("accounts/sign_in.html", form=form), status


def complete_sign_in(
    user: User, *, remember: bool, next_page: str, second_factor: bool = False
) -> Response:
    """Sign ``user`` in, their password (and code, if they have a second factor) checked:
    a session of their own on the server, whose secret ``login_user`` puts in the cookies."""
    run_in_transaction(lambda session: start_session(session, user, remember=remember))
    login_user(user, remember=remember)
    if second_factor or sign_in_steps.device_remembered(user):
        sign_in_steps.mark_passed(user)
    flash(_("You are signed in."), "success")
    if not user.email_confirmed:
        flash(
            _(
                "Your email address is not confirmed yet: open the link we sent you, "
                "or ask for a new one from your profile."
            ),
            "warning",
        )
    return known_browsers.remember(redirect(next_page), user.email)


@blueprint.post("/accounts/sign-out")
def sign_out() -> ResponseReturnValue:
    if SignOutForm().validate_on_submit():
        if current_user.is_authenticated:
            # Ended on the server: a copy of the cookies signs nobody in any more.
            devices.end_current(get_session(), signed_in_user())
            get_session().commit()
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("learning.catalog"))


def _switching_language() -> bool:
    # Showing the form in another language signs no one up: not counted against the limits.
    return switch_requested() is not None


@blueprint.route("/accounts/sign-up", methods=["GET", "POST"])
@limiter.limit(SIGN_UP_PER_IP, methods=["POST"], exempt_when=_switching_language)
def sign_up() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SignUpForm()
    if request.method == "GET":
        form.language.data = current_language()
    if (language := switch_requested()) is not None:
        return _sign_up_in(form, language)
    if form.validate_on_submit():
        email, password, profile = (
            form.email.data or "",
            form.password.data or "",
            form.to_profile(),
        )
        services.check_sign_up(
            email, password, profile, privacy_consent=bool(form.privacy_consent.data)
        )
        # The same work whether the address is new or not, and the same answer: a job looks
        # it up (lms.accounts.request_jobs). It gets the password hashed, never in clear.
        jobs.enqueue(
            request_jobs.SIGN_UP, email, services.hash_password(password), profile, utcnow()
        )
        # The address goes along in the session, never in the URL, which logs would keep.
        flask_session[MAILED_TO] = form.email.data or ""
        return redirect(url_for("accounts.check_email"))
    status = 400 if form.errors else 200
    return render_template("accounts/sign_up.html", form=form), status


def _sign_up_in(form: SignUpForm, language: str) -> ResponseReturnValue:
    """The sign-up form again in ``language``, with what was typed but the passwords (a
    password field never shows its value), and no error yet: nothing was submitted."""
    if form.language.data == current_language():
        form.language.data = language  # still the default it was given: follow the switch
    with force_locale(language):
        page = render_template("accounts/sign_up.html", form=form)
    return remember_language(make_response(page), language)


@blueprint.get("/accounts/sign-up/check-email")
def check_email() -> ResponseReturnValue:
    return render_template("accounts/check_email.html", address=flask_session.get(MAILED_TO))


def _render_profile(
    profile_form: ProfileEditForm, password_form: ChangePasswordForm, status: int = 200
) -> ResponseReturnValue:
    user = signed_in_user()
    page = render_template(
        "accounts/profile.html",
        user=user,
        form=profile_form,
        password_form=password_form,
        panels=profile_panels(user),
        devices=devices.live_devices(get_session(), user, session_lifetimes()),
    )
    return page, status


@blueprint.route("/accounts/profile", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    user = signed_in_user()
    form = ProfileEditForm()
    if request.method == "GET":
        form.fill_from(services.Profile.of(user, current_settings().default_language))
    elif form.validate_on_submit():
        services.update_profile(user, form.to_profile())
        get_session().commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return _render_profile(form, ChangePasswordForm(formdata=None), 400 if form.errors else 200)


@blueprint.post("/accounts/password")
@login_required
@limiter.limit(PASSWORD_CHANGE_FAILURES_PER_USER, key_func=user_key, deduct_when=_failed)
def change_password() -> ResponseReturnValue:
    user = signed_in_user()
    form = ChangePasswordForm()
    form.person = (user.email, user.certificate_name)
    if form.validate_on_submit():
        try:
            mail = services.change_password(
                get_session(), user, form.current_password.data or "", form.new_password.data or ""
            )
        except services.CurrentPasswordIncorrect as error:
            form.current_password.errors = [str(error.message)]
        else:
            enqueue(get_session(), mail)
            get_session().commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileEditForm(formdata=None)
    profile_form.fill_from(services.Profile.of(user, current_settings().default_language))
    return _render_profile(profile_form, form, 400)


@blueprint.post("/accounts/language")
def set_language() -> ResponseReturnValue:
    """Switch the interface language, remember it, and go back to the same page."""
    form = LanguageForm()
    back = safe_next(form.next.data, url_for("learning.catalog"))
    if not form.validate_on_submit():
        abort(400)
    language = form.language.data or current_settings().default_language
    if current_user.is_authenticated:
        services.set_language(signed_in_user(), language)
        get_session().commit()
    return remember_language(redirect(back), language)


@blueprint.get("/privacy")
def privacy_notice() -> ResponseReturnValue:
    """The privacy notice, written out in each language (a document, not interface strings)."""
    return render_template(
        f"accounts/privacy_notice.{current_language()}.html",
        version=services.PRIVACY_NOTICE_VERSION,
        retention_years=current_settings().retention_years,
    )
