"""Accounts' pages: sign in, sign out, choose the interface language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.accounts import services
from lms.accounts.forms import LanguageForm, SignInForm, SignOutForm
from lms.accounts.models import User
from lms.config import current_settings
from lms.db import get_session
from lms.extensions import login_manager
from lms.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE

blueprint = Blueprint("accounts", __name__, url_prefix="/accounts", template_folder="templates")


def _load_user(user_id: str) -> User | None:
    return get_session().get(User, int(user_id)) if user_id.isdigit() else None


login_manager.user_loader(_load_user)


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    home = url_for("learning.catalog")
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), home))
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        session = get_session()
        try:
            user = services.authenticate(session, form.email.data or "", form.password.data or "")
        except services.InvalidCredentials as error:
            form.password.errors = [str(error.message)]
        else:
            session.commit()
            login_user(user, remember=bool(form.remember.data))
            flash(_("You are signed in."), "success")
            return redirect(safe_next(form.next.data, home))
    status = 400 if form.errors else 200
    return render_template("accounts/sign_in.html", form=form), status


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    if SignOutForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("learning.catalog"))


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
