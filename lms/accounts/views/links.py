"""The pages mailed links open: confirm an address, choose a new password, accept an invitation.

Both links that set a password share one page and one flow (``_password_link_page``).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy.orm import Session

from lms import jobs
from lms.accounts import known_browsers, links, request_jobs, services, sign_in_steps
from lms.accounts.access import signed_in_user, start_session, user_key
from lms.accounts.forms import (
    AcceptInvitationForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from lms.accounts.models import User
from lms.accounts.tokens import Purpose
from lms.config import current_settings
from lms.db import get_session, run_in_transaction
from lms.extensions import limiter
from lms.i18n import current_language, show_in_language_of
from lms.mail import Mail
from lms.outbox.services import enqueue

blueprint = Blueprint("links", __name__, template_folder="../templates")

RESET_REQUESTS_PER_IP = "30 per hour"
RESENDS_PER_USER = "3 per 15 minutes"


def _secret_key() -> str:
    """What signs the links' tokens: the app's secret key."""
    return current_settings().secret_key


def _link_problem(error: links.LinkProblem) -> ResponseReturnValue:
    page = render_template(
        "accounts/link_problem.html", message=error.message, reset=error.offers_reset
    )
    return page, error.status_code


@blueprint.get("/accounts/confirm/<token>")
def confirm_email(token: str) -> ResponseReturnValue:
    try:
        # A link opened is a page that writes.
        user = run_in_transaction(
            lambda session: links.confirm_email(session, token, _secret_key())
        )
    except links.LinkProblem as error:
        return _link_problem(error)
    flash(_("Thank you: your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("learning.catalog"))
    return redirect(url_for("accounts.sign_in"))


@blueprint.post("/accounts/confirm/resend")
@login_required
@limiter.limit(RESENDS_PER_USER, key_func=user_key)
def resend_confirmation() -> ResponseReturnValue:
    if not ResendConfirmationForm().validate_on_submit():
        abort(400)
    user = signed_in_user()
    mail = links.confirmation_mail(user, _secret_key())
    if mail is None:
        flash(_("Your email address is already confirmed."), "info")
    else:
        enqueue(get_session(), mail)
        get_session().commit()
        flash(_("A new confirmation link is on its way to %(email)s.", email=user.email), "info")
    return redirect(url_for("accounts.profile"))


@blueprint.route("/accounts/reset", methods=["GET", "POST"])
@limiter.limit(RESET_REQUESTS_PER_IP, methods=["POST"])
def request_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        # The same work and answer whether an account exists or not: a job looks it up, and
        # mails within the address's share (lms.accounts.request_jobs).
        jobs.enqueue(request_jobs.RESET_REQUEST, form.email.data or "")
        return redirect(url_for("links.reset_sent"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset_request.html", form=form), status


@blueprint.get("/accounts/reset/sent")
def reset_sent() -> ResponseReturnValue:
    return render_template("accounts/reset_sent.html")


def _use_link(
    session: Session, token: str, form: ResetPasswordForm | AcceptInvitationForm
) -> tuple[User, Mail | None]:
    """Set the password (and, for an invitation, the profile); the mail to send, if any."""
    if isinstance(form, AcceptInvitationForm):
        user = links.accept_invitation(
            session,
            token,
            form.password.data or "",
            form.to_profile(),
            privacy_consent=bool(form.privacy_consent.data),
            secret_key=_secret_key(),
        )
        return user, None
    return links.reset_password(session, token, form.password.data or "", _secret_key())


def _password_link_page(purpose: Purpose, token: str) -> ResponseReturnValue:
    """The page of a link that sets a password: the form, then the password set, the link
    spent and its owner signed in; or, for a link that cannot be used, why and what to do."""
    session = get_session()
    invitation = purpose is Purpose.ACCEPT_INVITATION
    form = AcceptInvitationForm() if invitation else ResetPasswordForm()
    try:
        owner = links.user_of_link(session, purpose, token, _secret_key())
        show_in_language_of(owner.language)
        form.person = (owner.email, owner.certificate_name)
        if isinstance(form, AcceptInvitationForm) and request.method == "GET":
            form.fill_from(services.Profile.of(owner, current_settings().default_language))
            form.language.data = owner.language or current_language()
        if not form.validate_on_submit():
            page = render_template(
                "accounts/set_password.html", form=form, user=owner, invitation=invitation
            )
            response: ResponseReturnValue = (page, 400 if form.errors else 200)
        else:
            user, mail = _use_link(session, token, form)
            if mail is not None:
                enqueue(session, mail)
            if user.has_second_factor:
                # A mailed link proves the address, not the second factor: it is still asked.
                session.commit()
                sign_in_steps.start(user, remember=False, next_page=url_for("learning.catalog"))
                flash(_("Your new password is saved. Enter your code to sign in."), "success")
                signed_in = redirect(url_for("second_factor.sign_in_code"))
            else:
                start_session(session, user, remember=False)
                session.commit()
                login_user(user)
                signed_in = current_app.make_response(_signed_in(purpose))
            # The link proved the address: this browser is its owner's from now on.
            response = known_browsers.remember(signed_in, user.email)
    except links.LinkProblem as error:
        session.rollback()
        response = _link_problem(error)
    # The token is in this page's address: do not hand it to other sites as a Referer.
    finished = current_app.make_response(response)
    finished.headers["Referrer-Policy"] = "no-referrer"
    return finished


def _signed_in(purpose: Purpose) -> ResponseReturnValue:
    if purpose is Purpose.ACCEPT_INVITATION:
        flash(_("Welcome! Your account is ready, and you are signed in."), "success")
        return redirect(url_for("learning.dashboard"))
    flash(_("Your new password is saved, and you are signed in."), "success")
    return redirect(url_for("learning.catalog"))


@blueprint.route("/accounts/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    return _password_link_page(Purpose.RESET_PASSWORD, token)


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    return _password_link_page(Purpose.ACCEPT_INVITATION, token)
