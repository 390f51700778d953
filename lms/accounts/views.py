"""Accounts' pages: sign up, confirm, sign in and out, reset, profile, language, privacy."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from lms.accounts import privacy, services
from lms.accounts.forms import (
    ChangePasswordForm,
    LanguageForm,
    ProfileEditForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignOutForm,
    SignUpForm,
)
from lms.accounts.models import User, normalize_email
from lms.config import current_settings
from lms.db import get_session, reads_before_writing, run_in_transaction
from lms.errors import DomainError
from lms.extensions import limiter, login_manager
from lms.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE, current_language
from lms.mail import send_mail, send_mail_soon

blueprint = Blueprint("accounts", __name__, url_prefix="/accounts", template_folder="templates")
privacy_blueprint = Blueprint("privacy", __name__, template_folder="templates")

# Per address (any of the address's owner, a typo, an attacker) and per network address.
# Generous per IP: a class signing in together shares one address behind a hospital's NAT.
SIGN_IN_PER_IP = "20 per minute"
SIGN_IN_FAILURES_PER_EMAIL = "5 per 15 minutes"
SIGN_UP_PER_IP = "30 per hour"
MAILS_PER_EMAIL = "3 per 15 minutes"
"""Sign-ups and reset requests naming one address: each may mail its owner."""
RESET_REQUESTS_PER_IP = "30 per hour"
RESENDS_PER_USER = "3 per 15 minutes"
PASSWORD_CHANGE_FAILURES_PER_USER = "5 per 15 minutes"  # noqa: S105 (a rate, not a secret)
"""Wrong current passwords: a session left open must not let someone guess the password."""

MAX_USER_ID_DIGITS = 18
"""Longer ids cannot exist; refusing them spares the database an out-of-range number."""


def _load_user(user_id: str) -> User | None:
    # The id carries the session key, so that a password change ends every other session.
    raw_id, _sep, key = user_id.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > MAX_USER_ID_DIGITS:
        return None
    user = get_session().get(User, int(raw_id))
    if user is None or user.is_deleted or not hmac.compare_digest(user.session_key, key):
        return None
    return user


@blueprint.before_app_request
def _note_activity() -> None:
    """Keep ``last_seen_at`` current (retention counts from it), writing at most hourly."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return
    if privacy.seen_now(_signed_in_user()):
        # Before the view runs: nothing else is pending in the session yet.
        session = get_session()
        try:
            session.commit()
        except OperationalError:
            # Best effort: a busy database must not fail the page; the next request retries.
            session.rollback()


login_manager.user_loader(_load_user)


def _email_key() -> str:
    """The rate-limit key of the address in the form, hashed so that storage holds no email."""
    email = normalize_email(request.form.get("email", ""))[:254]
    return "email:" + hashlib.sha256(email.encode("utf-8")).hexdigest()


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else "anonymous"


def _failed(response: Response) -> bool:
    """A sign-in that did not redirect: only failures count towards the address's limit."""
    return response.status_code != 302


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def _signed_in_user() -> User:
    """The signed-in user itself, not Flask-Login's proxy (which ``login_user`` cannot take)."""
    user: User = current_user._get_current_object()
    return user


def _sign_in_again(user: User) -> None:
    """Renew the session after a password change, which ended the old one; keep remember-me."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=remembered in request.cookies)


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_PER_IP, methods=["POST"])
@limiter.limit(
    SIGN_IN_FAILURES_PER_EMAIL, methods=["POST"], key_func=_email_key, deduct_when=_failed
)
# The password check takes tens of milliseconds: sign-ins must not queue for the lock.
@reads_before_writing
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    home = url_for("learning.catalog")
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
            login_user(user, remember=bool(form.remember.data))
            flash(_("You are signed in."), "success")
            if not user.email_confirmed:
                flash(
                    _(
                        "Your email address is not confirmed yet: open the link we sent you, "
                        "or ask for a new one from your profile."
                    ),
                    "warning",
                )
            return redirect(safe_next(form.next.data, home))
    status = 400 if form.errors else 200
    return render_template("accounts/sign_in.html", form=form), status


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    if SignOutForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("learning.catalog"))


@blueprint.route("/sign-up", methods=["GET", "POST"])
@limiter.limit(SIGN_UP_PER_IP, methods=["POST"])
@limiter.limit(MAILS_PER_EMAIL, methods=["POST"], key_func=_email_key)
def sign_up() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SignUpForm()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        session = get_session()
        mail = services.sign_up(
            session,
            form.email.data or "",
            form.password.data or "",
            form.to_profile(),
            privacy_consent=bool(form.privacy_consent.data),
        )
        session.commit()
        if mail is not None:
            send_mail_soon(mail)
        # The same answer, as fast, whether the address was new or not (see services.sign_up).
        return redirect(url_for("accounts.check_email"))
    status = 400 if form.errors else 200
    return render_template("accounts/sign_up.html", form=form), status


@blueprint.get("/sign-up/check-email")
def check_email() -> ResponseReturnValue:
    return render_template("accounts/check_email.html")


def _link_problem(error: DomainError, *, reset: bool) -> ResponseReturnValue:
    page = render_template("accounts/link_problem.html", message=error.message, reset=reset)
    return page, error.status_code


@blueprint.get("/confirm/<token>")
def confirm_email(token: str) -> ResponseReturnValue:
    try:
        # A link opened is a page that writes.
        user = run_in_transaction(lambda session: services.confirm_email(session, token))
    except (
        services.ConfirmationLinkExpired,
        services.ConfirmationLinkInvalid,
        services.EmailAlreadyConfirmed,
    ) as error:
        return _link_problem(error, reset=False)
    flash(_("Thank you: your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("learning.catalog"))
    return redirect(url_for("accounts.sign_in"))


@blueprint.post("/confirm/resend")
@login_required
@limiter.limit(RESENDS_PER_USER, key_func=_user_key)
def resend_confirmation() -> ResponseReturnValue:
    if not ResendConfirmationForm().validate_on_submit():
        abort(400)
    user = _signed_in_user()
    mail = services.confirmation_mail(user)
    if mail is None:
        flash(_("Your email address is already confirmed."), "info")
    else:
        send_mail(mail)
        flash(_("A new confirmation link is on its way to %(email)s.", email=user.email), "info")
    return redirect(url_for("accounts.profile"))


@blueprint.route("/reset", methods=["GET", "POST"])
@limiter.limit(RESET_REQUESTS_PER_IP, methods=["POST"])
@limiter.limit(MAILS_PER_EMAIL, methods=["POST"], key_func=_email_key)
def request_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        mail = services.request_password_reset(get_session(), form.email.data or "")
        if mail is not None:
            send_mail_soon(mail)
        # The same answer, as fast, whether an account exists or not.
        return redirect(url_for("accounts.reset_sent"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset_request.html", form=form), status


@blueprint.get("/reset/sent")
def reset_sent() -> ResponseReturnValue:
    return render_template("accounts/reset_sent.html")


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    session = get_session()
    form = ResetPasswordForm()
    try:
        owner = services.user_for_reset(session, token)
        form.person = (owner.email, owner.certificate_name)
        if not form.validate_on_submit():
            status = 400 if form.errors else 200
            page = render_template("accounts/reset_password.html", form=form, token=token)
            response: ResponseReturnValue = (page, status)
        else:
            user, mail = services.reset_password(session, token, form.password.data or "")
            session.commit()
            login_user(user)
            send_mail(mail)
            flash(_("Your new password is saved, and you are signed in."), "success")
            response = redirect(url_for("learning.catalog"))
    except (services.ResetLinkExpired, services.ResetLinkInvalid) as error:
        session.rollback()
        response = _link_problem(error, reset=True)
    # The token is in this page's address: do not hand it to other sites as a Referer.
    finished = current_app.make_response(response)
    finished.headers["Referrer-Policy"] = "no-referrer"
    return finished


def _render_profile(
    profile_form: ProfileEditForm, password_form: ChangePasswordForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "accounts/profile.html",
        user=current_user,
        form=profile_form,
        password_form=password_form,
    )
    return page, status


@blueprint.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    user = _signed_in_user()
    form = ProfileEditForm()
    if request.method == "GET":
        form.fill_from(services.Profile.of(user))
    elif form.validate_on_submit():
        services.update_profile(user, form.to_profile())
        get_session().commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return _render_profile(form, ChangePasswordForm(formdata=None), 400 if form.errors else 200)


@blueprint.post("/password")
@login_required
@limiter.limit(PASSWORD_CHANGE_FAILURES_PER_USER, key_func=_user_key, deduct_when=_failed)
def change_password() -> ResponseReturnValue:
    user = _signed_in_user()
    form = ChangePasswordForm()
    form.person = (user.email, user.certificate_name)
    if form.validate_on_submit():
        try:
            mail = services.change_password(
                user, form.current_password.data or "", form.new_password.data or ""
            )
        except services.CurrentPasswordIncorrect as error:
            form.current_password.errors = [str(error.message)]
        else:
            get_session().commit()
            _sign_in_again(user)
            send_mail(mail)
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileEditForm(formdata=None)
    profile_form.fill_from(services.Profile.of(user))
    return _render_profile(profile_form, form, 400)


@blueprint.post("/language")
def set_language() -> ResponseReturnValue:
    """Switch the interface language, remember it, and go back to the same page."""
    form = LanguageForm()
    back = safe_next(form.next.data, url_for("learning.catalog"))
    if not form.validate_on_submit():
        abort(400)
    language = form.language.data or current_settings().default_language
    if current_user.is_authenticated:
        services.set_language(current_user, language)
        get_session().commit()
    response = redirect(back)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=current_settings().is_production,
        httponly=True,
    )
    return response


@privacy_blueprint.get("/privacy")
def notice() -> ResponseReturnValue:
    """The privacy notice, written out in each language (a document, not interface strings)."""
    return render_template(
        f"accounts/privacy_notice.{current_language()}.html",
        version=services.PRIVACY_NOTICE_VERSION,
        retention_years=current_settings().retention_years,
    )
