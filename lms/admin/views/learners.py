"""Staff's learner pages: finding someone, their record, invitations and certificate actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts import queries as accounts
from lms.accounts.access import STAFF_ROLES, restrict, signed_in_user
from lms.accounts.forms import AFFILIATION_LABELS, FRQ_SECTOR_LABELS, RESEARCH_ROLE_LABELS
from lms.accounts.services import find_user
from lms.admin import services
from lms.admin.forms import GrantAttemptsForm, ReissueForm, RevokeForm
from lms.admin.pages import ROLE_LABELS
from lms.catalog import current_catalog, held_back_certificates
from lms.certificates import queries as certificate_queries
from lms.certificates import services as certificates
from lms.config import current_settings
from lms.db import get_session
from lms.errors import DomainError
from lms.forms import ConfirmForm
from lms.i18n import LANGUAGE_NAMES, language_or_default
from lms.mail import send_mail
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


def _render_record(
    user: User,
    revoke_form: RevokeForm | None = None,
    revoking: str | None = None,
    status: int = 200,
    grant_form: GrantAttemptsForm | None = None,
    granting: str | None = None,
) -> ResponseReturnValue:
    session = get_session()
    record = services.learner_record(session, user, current_catalog())
    page = render_template(
        "admin/learner.html",
        record=record,
        certificates=certificate_queries.certificates_of(session, user),
        standing_of=certificates.standing_of,
        revoke_form=revoke_form or RevokeForm(formdata=None),
        revoking=revoking,
        grant_form=grant_form or GrantAttemptsForm(formdata=None),
        granting=granting,
        role_labels=ROLE_LABELS,
        research_role_labels=RESEARCH_ROLE_LABELS,
        affiliation_labels=AFFILIATION_LABELS,
        sector_labels=FRQ_SECTOR_LABELS,
        language_names=LANGUAGE_NAMES,
    )
    return page, status


@blueprint.get("/<int:user_id>")
def record(user_id: int) -> ResponseReturnValue:
    return _render_record(find_user(get_session(), user_id))


@blueprint.post("/<int:user_id>/invitation")
def resend_invitation(user_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = get_session()
    user = find_user(session, user_id)
    mail = services.resend_invitation(
        session, user, actor=signed_in_user(), secret_key=current_settings().secret_key
    )
    session.commit()
    send_mail(mail)
    flash(_("A new invitation was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("learners.record", user_id=user.id))


def _certificate_of(user: User, code: str) -> Certificate:
    certificate = certificate_queries.find_certificate_by_code(get_session(), code)
    if certificate is None or certificate.user_id != user.id:
        raise certificates.CertificateNotFound
    return certificate


@blueprint.post("/<int:user_id>/certificates/<code>/revoke")
def revoke(user_id: int, code: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    certificate = _certificate_of(user, code)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _render_record(user, form, certificate.code, 400)
    reason = form.reason.data or ""
    try:
        certificates.revoke_certificate(session, certificate, reason=reason, actor=signed_in_user())
    except DomainError as error:
        # Another staff member acted first, or the reason is too long: say so on the page.
        session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("learners.record", user_id=user.id))
    session.commit()
    flash(_("The certificate %(code)s is revoked.", code=certificate.code), "success")
    return redirect(url_for("learners.record", user_id=user.id))


def _render_reissue(
    user: User, certificate: Certificate, form: ReissueForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/reissue.html",
        profile=user,
        certificate=certificate,
        new_name=(user.certificate_name or "").strip() or certificate.certificate_name,
        mail_language=_("English") if language_or_default(user.language) == "en" else _("French"),
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
        return redirect(url_for("learners.record", user_id=user.id))
    return _render_reissue(user, certificate, ReissueForm(formdata=None))


@blueprint.post("/<int:user_id>/certificates/<code>/reissue")
def reissue(user_id: int, code: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    certificate = _certificate_of(user, code)
    form = ReissueForm()
    if not form.validate_on_submit():
        return _render_reissue(user, certificate, form, 400)
    try:
        replacement = certificates.reissue_certificate(
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
        return redirect(url_for("learners.record", user_id=user.id))
    session.commit()
    flash(
        _(
            "The certificate %(old)s is replaced by %(new)s, which the learner receives by mail.",
            old=certificate.code,
            new=replacement.code,
        ),
        "success",
    )
    return redirect(url_for("learners.record", user_id=user.id))


@blueprint.post("/<int:user_id>/quizzes/<course_id>/<quiz>/grant")
def grant_attempts(user_id: int, course_id: str, quiz: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    course = current_catalog().course(course_id)
    if course is None or quiz not in course.quizzes:
        abort(404)
    form = GrantAttemptsForm()
    if not form.validate_on_submit():
        return _render_record(user, status=400, grant_form=form, granting=f"{course_id}/{quiz}")
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
    return redirect(url_for("learners.record", user_id=user.id))
