"""Staff's learner pages: finding someone, their record, invitations and certificate actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from lms.accounts import queries as accounts
from lms.accounts.access import STAFF_ROLES, restrict, signed_in_user
from lms.accounts.forms import AFFILIATION_LABELS, FRQ_SECTOR_LABELS, RESEARCH_ROLE_LABELS
from lms.accounts.services import find_user
from lms.admin import services
from lms.admin.forms import GrantAttemptsForm, MarkDoneForm, ReissueForm, RevokeForm
from lms.admin.pages import ROLE_LABELS, CourseLine
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.catalog import current_catalog, held_back_certificates
from lms.certificates import corrections
from lms.certificates import queries as certificate_queries
from lms.certificates import services as certificates
from lms.config import current_settings
from lms.db import get_session
from lms.errors import DomainError
from lms.forms import ConfirmActionForm, already_done
from lms.i18n import LANGUAGE_NAMES, current_language, language_or_default
from lms.outbox.services import enqueue
from lms.pagination import page_argument
from lms.quizzes import grants

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.certificates.models import Certificate

blueprint = Blueprint(
    "learners", __name__, url_prefix="/staff/learners", template_folder="../templates"
)
restrict(blueprint, STAFF_ROLES)


@blueprint.get("/")
def search() -> ResponseReturnValue:
    text = (request.args.get("q") or "").strip()[:200]
    page_number = page_argument(request.args)
    found = accounts.search_users(get_session(), text, page=page_number)
    return render_template("admin/learners.html", found=found, text=text, role_labels=ROLE_LABELS)


@dataclass(frozen=True)
class OpenForm:
    """A form of the record that was posted with errors: shown again where it was, with them."""

    kind: str
    """``grant`` (attempts at a quiz) or ``mark`` (a step of a course)."""
    key: str
    """Which one: the quiz as ``course/quiz``, or the course id."""
    form: FlaskForm


def render_record(user: User, *, open_form: OpenForm | None = None) -> ResponseReturnValue:
    """The learner's record; with ``open_form``, a 400 showing that form's errors."""
    session = get_session()
    catalog = current_catalog()
    record = services.learner_record(session, user, catalog)
    page = render_template(
        "admin/learner.html",
        record=record,
        certificates=certificate_queries.certificates_of(session, user),
        standing_of=certificates.standing_of,
        open_form=open_form,
        grant_form=GrantAttemptsForm(formdata=None),
        mark_form=MarkDoneForm(formdata=None),
        steps_to_mark={c.course_id: steps_left(c) for c in record.courses},
        role_labels=ROLE_LABELS,
        research_role_labels=RESEARCH_ROLE_LABELS,
        affiliation_labels=AFFILIATION_LABELS,
        sector_labels=FRQ_SECTOR_LABELS,
        language_names=LANGUAGE_NAMES,
    )
    return page, 200 if open_form is None else 400


def steps_left(course: CourseLine) -> dict[str, str]:
    """The steps of a course on the record not done yet, by key, titled in the page's language."""
    language = current_language()
    return {i.key: i.title.get(language) for i in course.items if i.completed_at is None}


@blueprint.get("/<int:user_id>")
def record(user_id: int) -> ResponseReturnValue:
    return render_record(find_user(get_session(), user_id))


@blueprint.post("/<int:user_id>/invitation")
def resend_invitation(user_id: int) -> ResponseReturnValue:
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    user = find_user(session, user_id)
    if not claim_action(session, form.key, AuditAction.INVITATION_SEND):
        return already_done(redirect(url_for("learners.record", user_id=user.id), 303))
    mail = services.resend_invitation(
        session, user, actor=signed_in_user(), secret_key=current_settings().secret_key
    )
    enqueue(session, mail)
    session.commit()
    flash(_("A new invitation was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("learners.record", user_id=user.id), 303)


def _certificate_of(user: User, code: str) -> Certificate:
    certificate = certificate_queries.find_certificate_by_code(get_session(), code)
    if certificate is None or certificate.user_id != user.id:
        raise certificates.CertificateNotFound
    return certificate


def _render_revoke(
    user: User, certificate: Certificate, form: RevokeForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/revoke.html",
        profile=user,
        certificate=certificate,
        mail_language=_mail_language(user),
        form=form,
    )
    return page, status


def _mail_language(user: User) -> str:
    return _("English") if language_or_default(user.language) == "en" else _("French")


@blueprint.get("/<int:user_id>/certificates/<code>/revoke")
def confirm_revoke(user_id: int, code: str) -> ResponseReturnValue:
    """What revoking will do, and the reason to give, before anything is done."""
    user = find_user(get_session(), user_id)
    certificate = _certificate_of(user, code)
    if certificate.status != "active":
        flash(_("This certificate can no longer be revoked."), "error")
        return redirect(url_for("learners.record", user_id=user.id), 303)
    return _render_revoke(user, certificate, RevokeForm(formdata=None))


@blueprint.post("/<int:user_id>/certificates/<code>/revoke")
def revoke(user_id: int, code: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    certificate = _certificate_of(user, code)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _render_revoke(user, certificate, form, 400)
    back = redirect(url_for("learners.record", user_id=user.id), 303)
    if not claim_action(session, form.key, AuditAction.CERTIFICATE_REVOKE):
        return already_done(back)
    try:
        corrections.revoke_certificate(
            session, certificate, reason=form.reason.data or "", actor=signed_in_user()
        )
    except DomainError as error:
        # Another staff member acted first, or the reason is too long: say so on the page.
        session.rollback()
        flash(str(error.message), "error")
        return back
    session.commit()
    flash(_("The certificate %(code)s is revoked.", code=certificate.code), "success")
    return back


def _render_reissue(
    user: User, certificate: Certificate, form: ReissueForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/reissue.html",
        profile=user,
        certificate=certificate,
        new_name=(user.certificate_name or "").strip() or certificate.certificate_name,
        mail_language=_mail_language(user),
        form=form,
    )
    return page, status


@blueprint.get("/<int:user_id>/certificates/<code>/reissue")
def confirm_reissue(user_id: int, code: str) -> ResponseReturnValue:
    """What reissuing will do, and the reason to give, before anything is done."""
    user = find_user(get_session(), user_id)
    certificate = _certificate_of(user, code)
    if certificate.status != "active":
        flash(_("This certificate can no longer be reissued."), "error")
        return redirect(url_for("learners.record", user_id=user.id), 303)
    return _render_reissue(user, certificate, ReissueForm(formdata=None))


@blueprint.post("/<int:user_id>/certificates/<code>/reissue")
def reissue(user_id: int, code: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    certificate = _certificate_of(user, code)
    form = ReissueForm()
    if not form.validate_on_submit():
        return _render_reissue(user, certificate, form, 400)
    if not claim_action(session, form.key, AuditAction.CERTIFICATE_REISSUE):
        return already_done(redirect(url_for("learners.record", user_id=user.id), 303))
    try:
        replacement = corrections.reissue_certificate(
            session,
            certificate,
            actor=signed_in_user(),
            catalog=current_catalog(),
            reason=form.reason.data,
            held_back=held_back_certificates(),
        )
    except DomainError as error:
        # Already reissued (a second click, or a colleague a moment before): nothing more.
        session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("learners.record", user_id=user.id), 303)
    session.commit()
    flash(
        _(
            "The certificate %(old)s is replaced by %(new)s, which the learner receives by mail.",
            old=certificate.code,
            new=replacement.code,
        ),
        "success",
    )
    return redirect(url_for("learners.record", user_id=user.id), 303)


@blueprint.post("/<int:user_id>/quizzes/<course_id>/<quiz>/grant")
def grant_attempts(user_id: int, course_id: str, quiz: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    course = current_catalog().course(course_id)
    if course is None or quiz not in course.quizzes:
        abort(404)
    form = GrantAttemptsForm()
    if not form.validate_on_submit():
        return render_record(user, open_form=OpenForm("grant", f"{course_id}/{quiz}", form))
    if not claim_action(session, form.key, AuditAction.QUIZ_ATTEMPTS_GRANT):
        return already_done(redirect(url_for("learners.record", user_id=user.id), 303))
    grants.grant_attempts(
        session,
        user,
        course,
        quiz,
        extra=form.extra.data or 0,
        reason=form.reason.data or "",
        actor=signed_in_user(),
    )
    session.commit()
    flash(
        ngettext(
            "%(num)d more attempt granted: the learner can take the quiz again now.",
            "%(num)d more attempts granted: the learner can take the quiz again now.",
            form.extra.data or 0,
        ),
        "success",
    )
    return redirect(url_for("learners.record", user_id=user.id), 303)
