"""Privacy's pages: a signed-in person's data, downloaded as JSON, and their account deleted."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from lms.accounts import privacy as accounts
from lms.accounts.access import signed_in_user
from lms.db import get_session
from lms.extensions import limiter
from lms.privacy import services
from lms.privacy.forms import DeleteAccountForm, ExportForm

if TYPE_CHECKING:
    pass

blueprint = Blueprint(
    "personal_data", __name__, url_prefix="/accounts/my-data", template_folder="templates"
)

DELETIONS_PER_USER = "10 per hour"
"""Each failed confirmation may be a password guess: few, per account."""


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else "anonymous"


def _page(delete_form: DeleteAccountForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "privacy/my_data.html", export_form=ExportForm(), delete_form=delete_form
    )
    return page, status


@blueprint.get("")
@login_required
def index() -> ResponseReturnValue:
    return _page(DeleteAccountForm(formdata=None))


@blueprint.post("/export")
@login_required
def export() -> ResponseReturnValue:
    """Everything about the signed-in person, as a JSON attachment."""
    if not ExportForm().validate_on_submit():
        abort(400)
    user = signed_in_user()
    data = services.export_data(get_session(), user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="parcours-my-data-{user.id}.json"'
    )
    response.cache_control.no_store = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.post("/delete")
@login_required
@limiter.limit(DELETIONS_PER_USER, key_func=_user_key)
def delete() -> ResponseReturnValue:
    """Delete the signed-in person's account, once they typed their address or password."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    user = signed_in_user()
    if not accounts.deletion_confirmed(user, form.confirmation.data or ""):
        form.confirmation.errors = [str(accounts.DeletionNotConfirmed.message)]
        return _page(form, 400)
    session = get_session()
    try:
        services.delete_account(session, user, remove_posts=bool(form.remove_posts.data))
    except accounts.LastAdministratorCannotLeave as error:
        session.rollback()
        form.confirmation.errors = [str(error.message)]
        return _page(form, 409)
    session.commit()
    logout_user()
    flash(_("Your account is deleted, and your personal information with it."), "success")
    return redirect(url_for("learning.catalog"), 303)
