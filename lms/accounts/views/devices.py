"""The profile's signed-in devices: sign out one of them, or every one at once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response

from lms.accounts import devices, sign_in_steps
from lms.accounts.access import signed_in_user
from lms.accounts.forms import SignOutForm
from lms.db import get_session
from lms.forms import already_done

blueprint = Blueprint("devices", __name__, url_prefix="/accounts/devices")


def _signed_out(message: str) -> Response:
    """This browser signed out too: its cookies are cleared, and the sign-in page says so."""
    logout_user()
    flash(message, "success")
    return redirect(url_for("accounts.sign_in"))


@blueprint.post("/<int:device_id>/sign-out")
@login_required
def sign_out_device(device_id: int) -> ResponseReturnValue:
    """End one of the signed-in person's sessions; another person's is not found (404)."""
    if not SignOutForm().validate_on_submit():
        abort(400)
    user = signed_in_user()
    this_one = user.device is not None and user.device.id == device_id
    session = get_session()
    if not devices.end_device(session, user, device_id):
        return already_done(redirect(url_for("accounts.profile")))
    session.commit()
    if this_one:
        return _signed_out(_("You are signed out."))
    flash(_("That device is signed out."), "success")
    return redirect(url_for("accounts.profile"))


@blueprint.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """End every session of the signed-in person, this browser's included."""
    if not SignOutForm().validate_on_submit():
        abort(400)
    session = get_session()
    devices.end_all(session, signed_in_user())
    session.commit()
    response = _signed_out(_("You are signed out on every device, this one included."))
    # Nor does this browser skip the second factor any more. (Other browsers' cookies only
    # skip the code: the password is asked there anyway.)
    response.delete_cookie(sign_in_steps.DEVICE_COOKIE)
    return response
