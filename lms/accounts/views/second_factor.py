"""Two-step verification's pages: setting it up, turning it off, recovery codes, and the
second step of a sign-in (or of a staff page asking for it)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from lms.accounts import second_factor, sign_in_steps, totp
from lms.accounts.access import signed_in_user
from lms.accounts.forms import (
    RecoveryCodesForm,
    SecondFactorCodeForm,
    SecondFactorOffForm,
    SecondFactorSetUpForm,
)
from lms.accounts.models import User
from lms.accounts.views.accounts import complete_sign_in, safe_next
from lms.config import current_settings
from lms.db import get_session
from lms.extensions import limiter

blueprint = Blueprint("second_factor", __name__, template_folder="../templates")

CODES_PER_ACCOUNT = "5 per 15 minutes"
"""Wrong codes for one account, from anywhere: as for passwords, a million codes take long."""
CODES_PER_IP = "20 per minute"
ISSUER = "Parcours"
"""The name authenticator apps show beside the account's address."""
ENROLLING_KEY = "lms.enrolling_secret"
"""The session key of the secret shown while setting up, until its first code is right."""


def _code_owner() -> User | None:
    """Whose code this is: the pending sign-in's account, or the signed-in person's."""
    if current_user.is_authenticated:
        return signed_in_user()
    found = sign_in_steps.pending(get_session())
    return found.user if found is not None else None


def _account_key() -> str:
    owner = _code_owner()
    return f"second-factor:{owner.id}" if owner is not None else "second-factor:none"


def _failed(response: ResponseReturnValue) -> bool:
    return getattr(response, "status_code", 400) != 302


@blueprint.route("/accounts/sign-in/code", methods=["GET", "POST"])
@limiter.limit(CODES_PER_IP, methods=["POST"])
@limiter.limit(CODES_PER_ACCOUNT, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def sign_in_code() -> ResponseReturnValue:
    """The code of a sign-in waiting for it, or of a signed-in person a staff page asked."""
    session = get_session()
    waiting = None if current_user.is_authenticated else sign_in_steps.pending(session)
    user = waiting.user if waiting is not None else _code_owner()
    if user is None:
        flash(_("Your sign-in took too long: please sign in again."), "info")
        return redirect(url_for("accounts.sign_in"))
    if not user.has_second_factor:  # signed in, with nothing to ask
        return redirect(url_for("second_factor.settings"))
    form = SecondFactorCodeForm()
    if form.validate_on_submit():
        try:
            second_factor.check(session, user, form.code.data or "", current_settings().secret_key)
        except second_factor.CodeIncorrect as error:
            session.rollback()
            form.code.errors = [str(error.message)]
        else:
            session.commit()
            response = _passed(user, waiting)
            if form.remember_device.data:
                sign_in_steps.remember_device(response, user)
            return response
    status = 400 if form.errors else 200
    return render_template("accounts/sign_in_code.html", form=form, signing_in=waiting), status


def _passed(user: User, waiting: sign_in_steps.PendingSignIn | None) -> Response:
    if waiting is None:  # a signed-in person, asked by a staff page
        sign_in_steps.mark_passed(user)
        back = safe_next(request.args.get("next"), url_for("learning.dashboard"))
        return redirect(back)
    sign_in_steps.finish()
    return complete_sign_in(
        user, remember=waiting.remember, next_page=waiting.next, second_factor=True
    )


@blueprint.get("/accounts/two-step")
@login_required
def settings() -> ResponseReturnValue:
    user = signed_in_user()
    left = second_factor.recovery_codes_left(get_session(), user) if user.has_second_factor else 0
    return render_template(
        "accounts/two_step.html",
        user=user,
        codes_left=left,
        off_form=SecondFactorOffForm(),
        codes_form=RecoveryCodesForm(),
    )


@blueprint.route("/accounts/two-step/set-up", methods=["GET", "POST"])
@login_required
def set_up() -> ResponseReturnValue:
    user = signed_in_user()
    if user.has_second_factor:
        flash(_("Two-step verification is already on."), "info")
        return redirect(url_for("second_factor.settings"))
    form = SecondFactorSetUpForm()
    secret = flask_session.get(ENROLLING_KEY)
    if not isinstance(secret, str):
        # Kept until it is confirmed, so that reloading the page after scanning the code
        # does not undo what the app has; it lives in this session only.
        secret = flask_session[ENROLLING_KEY] = totp.new_secret()
    if form.validate_on_submit():
        session = get_session()
        try:
            codes = second_factor.enable(
                session, user, secret, form.code.data or "", current_settings().secret_key
            )
        except second_factor.CodeIncorrect as error:
            session.rollback()
            form.code.errors = [str(error.message)]
        else:
            session.commit()
            flask_session.pop(ENROLLING_KEY, None)
            sign_in_steps.mark_passed(user)
            flash(_("Two-step verification is on."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes)
    uri = totp.provisioning_uri(secret, user.email, ISSUER)
    page = render_template(
        "accounts/two_step_set_up.html",
        form=form,
        secret=secret,
        qr_code=totp.qr_svg_data_uri(uri),
    )
    return page, 400 if form.errors else 200


@blueprint.post("/accounts/two-step/turn-off")
@login_required
@limiter.limit(CODES_PER_ACCOUNT, key_func=_account_key, deduct_when=_failed)
def turn_off() -> ResponseReturnValue:
    user = signed_in_user()
    form = SecondFactorOffForm()
    if not user.has_second_factor:
        flash(_("Two-step verification is already off."), "info")
        return redirect(url_for("second_factor.settings"))
    if _confirmed_by_password(
        form, lambda session, password: second_factor.disable(session, user, password)
    ):
        flash(_("Two-step verification is off."), "success")
        return redirect(url_for("second_factor.settings"))
    return _settings_again(user, off_form=form)


@blueprint.post("/accounts/two-step/recovery-codes")
@login_required
@limiter.limit(CODES_PER_ACCOUNT, key_func=_account_key, deduct_when=_failed)
def renew_codes() -> ResponseReturnValue:
    user = signed_in_user()
    form = RecoveryCodesForm()
    if not user.has_second_factor:
        return redirect(url_for("second_factor.settings"))
    codes: list[str] = []
    if _confirmed_by_password(
        form,
        lambda session, password: codes.extend(
            second_factor.renew_recovery_codes(session, user, password)
        ),
    ):
        return render_template("accounts/recovery_codes.html", codes=codes)
    return _settings_again(user, codes_form=form)


def _confirmed_by_password(
    form: SecondFactorOffForm | RecoveryCodesForm, change: Callable[[Session, str], object]
) -> bool:
    """Make ``change`` with the password the form gives; whether it was right (and done)."""
    if not form.validate_on_submit():
        return False
    session = get_session()
    try:
        change(session, form.password.data or "")
    except second_factor.PasswordIncorrect as error:
        session.rollback()
        form.password.errors = [str(error.message)]
        return False
    session.commit()
    return True


def _settings_again(
    user: User,
    off_form: SecondFactorOffForm | None = None,
    codes_form: RecoveryCodesForm | None = None,
) -> ResponseReturnValue:
    page = render_template(
        "accounts/two_step.html",
        user=user,
        codes_left=second_factor.recovery_codes_left(get_session(), user),
        off_form=off_form or SecondFactorOffForm(),
        codes_form=codes_form or RecoveryCodesForm(),
    )
    return page, 400
