"""The page an invitation's link opens: choose a password, confirm the profile, consent."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_user

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.db import get_session
from lms.i18n import current_language
from lms.staff import invitations, services
from lms.staff.forms import AcceptInvitationForm

blueprint = Blueprint("invitations", __name__, template_folder="templates")


def _fill(form: AcceptInvitationForm, user: User) -> None:
    """What the roster already says: the name and the FRQ sector, to check rather than type."""
    memberships = services.memberships_of(get_session(), user)
    form.fill_from(accounts.Profile.of(user))
    form.language.data = user.language or current_language()
    if memberships:
        first = memberships[0]
        name = f"{first.first_name or ''} {first.last_name or ''}".strip()
        form.certificate_name.data = user.certificate_name or name
        if first.sector:
            form.frq_fellowship.data = "yes"
            form.frq_sector.data = first.sector


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str) -> ResponseReturnValue:
    session = get_session()
    form = AcceptInvitationForm()
    try:
        user = invitations.user_for_invitation(session, token)
        form.person = (user.email, user.certificate_name)
        if request.method == "GET":
            _fill(form, user)
        if not form.validate_on_submit():
            status = 400 if form.errors else 200
            page = render_template("staff/accept_invitation.html", form=form, user=user)
            response: ResponseReturnValue = (page, status)
        else:
            invitations.accept_invitation(
                session,
                token,
                form.password.data or "",
                form.to_profile(),
                privacy_consent=bool(form.privacy_consent.data),
            )
            session.commit()
            login_user(user)
            flash(_("Welcome! Your account is ready, and you are signed in."), "success")
            response = redirect(url_for("learning.dashboard"))
    except (invitations.InvitationLinkExpired, invitations.InvitationLinkInvalid) as error:
        session.rollback()
        page = render_template("accounts/link_problem.html", message=error.message, reset=True)
        response = (page, error.status_code)
    # The token is in this page's address: do not hand it to other sites as a Referer.
    finished = current_app.make_response(response)
    finished.headers["Referrer-Policy"] = "no-referrer"
    return finished
