"""Administrators' page of the outbox: the mails not sent yet, or failed, and "try again now"."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.access import ADMIN_ROLES, restrict, signed_in_user
from lms.admin import services
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.db import get_session
from lms.forms import ConfirmActionForm, already_done
from lms.outbox import queries as outbox
from lms.outbox.services import MailNotRetriable

blueprint = Blueprint(
    "mail_admin", __name__, url_prefix="/admin/mail", template_folder="../templates"
)
restrict(blueprint, ADMIN_ROLES)

STATUS_LABELS = {
    "interrupted": _l("Interrupted while being sent: it may have been delivered"),
    "failed": _l("Failed: no more automatic tries"),
    "sending": _l("Being sent"),
    "retrying": _l("Waiting for its next try"),
    "queued": _l("Queued"),
}


@dataclass(frozen=True)
class MailLine:
    mail: outbox.UnsentMail
    status: str

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def retriable(self) -> bool:
        """A mail being sent is left to its sender; the others may be tried now."""
        return self.status != "sending"


def _status(mail: outbox.UnsentMail) -> str:
    if mail.failed_at is not None:
        # Only a claim that outlived its drainer is failed while still claimed.
        return "interrupted" if mail.claimed_at is not None else "failed"
    if mail.claimed_at is not None:
        return "sending"
    return "retrying" if mail.attempts else "queued"


@blueprint.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    lines = [MailLine(mail, _status(mail)) for mail in outbox.unsent_mails(session)]
    return render_template("admin/mail.html", lines=lines, total=outbox.count_unsent(session))


@blueprint.post("/<int:mail_id>/retry")
def retry(mail_id: int) -> ResponseReturnValue:
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    back = redirect(url_for("mail_admin.index"), 303)
    if not claim_action(session, form.key, AuditAction.MAIL_RETRY):
        return already_done(back)
    try:
        services.retry_mail(session, mail_id, actor=signed_in_user())
    except MailNotRetriable:
        session.rollback()
        flash(_("This mail was sent meanwhile, or is no longer in the outbox."), "info")
        return back
    session.commit()
    flash(_("The mail is being sent again. Reload this page to see how it went."), "success")
    return back
