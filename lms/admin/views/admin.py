"""Administrators' pages: who has which role, and the audit trail."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts import queries as accounts
from lms.accounts.access import ADMIN_ROLES, restrict, signed_in_user
from lms.accounts.categories import Role
from lms.accounts.services import find_user
from lms.admin import services
from lms.admin.audit_lines import audit_lines
from lms.admin.forms import AuditFilterForm, RoleForm
from lms.admin.pages import ACTION_LABELS, ROLE_LABELS
from lms.audit import queries as audit
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.cohorts.exports import CsvDialect
from lms.cohorts.forms import CSV_DIALECT_LABELS, ExportForm
from lms.cohorts.services import EXPORT_TYPES
from lms.config import current_settings
from lms.db import get_session, run_in_transaction
from lms.downloads import private_attachment
from lms.forms import already_done
from lms.i18n import current_language
from lms.pagination import page_argument
from lms.periods import Period

blueprint = Blueprint("admin", __name__, url_prefix="/admin", template_folder="../templates")
restrict(blueprint, ADMIN_ROLES)


@blueprint.get("/")
def index() -> ResponseReturnValue:
    return redirect(url_for("admin.users"))


def _role(value: str | None) -> Role | None:
    try:
        return Role(value) if value else None
    except ValueError:
        return None


@blueprint.get("/users")
def users() -> ResponseReturnValue:
    text = (request.args.get("q") or "").strip()[:200]
    role = _role(request.args.get("role"))
    page_number = page_argument(request.args)
    found = accounts.search_users(get_session(), text, role, page=page_number)
    return render_template(
        "admin/users.html",
        found=found,
        text=text,
        role=role,
        role_labels=ROLE_LABELS,
    )


@blueprint.get("/users/<int:user_id>/role")
def confirm_role(user_id: int) -> ResponseReturnValue:
    """What the new role chosen in the list will let the person do, before it is given."""
    user = find_user(get_session(), user_id)
    role = _role(request.args.get("role"))
    if role is None:
        flash(_("Choose one of the roles in the list."), "error")
        return redirect(url_for("admin.users", q=user.email), 303)
    if role == user.role:
        flash(_("%(email)s already had this role.", email=user.email), "info")
        return redirect(url_for("admin.users", q=user.email), 303)
    form = RoleForm(formdata=None, role=role.value)
    return render_template(
        "admin/role.html", profile=user, role=role, form=form, role_labels=ROLE_LABELS
    )


@blueprint.post("/users/<int:user_id>/role")
def set_role(user_id: int) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    form = RoleForm()
    back = redirect(url_for("admin.users", q=user.email), 303)
    if not form.validate_on_submit():
        flash(_("Choose one of the roles in the list."), "error")
        return back
    if not claim_action(session, form.key, AuditAction.ROLE_CHANGE):
        return already_done(back)
    role = Role(form.role.data)
    if services.set_role(session, user, role, actor=signed_in_user()):
        session.commit()
        flash(_("%(email)s is now: %(role)s.", email=user.email, role=ROLE_LABELS[role]), "success")
    else:
        flash(_("%(email)s already had this role.", email=user.email), "info")
    return back


def _audit_filter() -> tuple[AuditFilterForm, audit.AuditFilter | None]:
    """The trail's filters from the request's arguments; None when one is not valid."""
    form = AuditFilterForm(request.args)
    form.set_actions({action.value: label for action, label in ACTION_LABELS.items()})
    if not form.validate():
        return form, None
    since, until = Period(form.start.data, form.end.data).bounds(current_settings().zone)
    return form, audit.AuditFilter(
        actor=(form.actor.data or "")[:254],
        person=(form.person.data or "")[:254],
        action=next((a for a in AuditAction if a.value == form.action.data), None),
        since=since,
        until=until,
    )


@blueprint.get("/audit")
def audit_trail() -> ResponseReturnValue:
    form, filters = _audit_filter()
    session = get_session()
    found = (
        audit.find_events(session, filters, page=page_argument(request.args)) if filters else None
    )
    args = {name: value for name, value in request.args.items() if name not in ("page", "dialect")}
    page = render_template(
        "admin/audit.html",
        form=form,
        found=found,
        lines=audit_lines(session, found.events, current_catalog()) if found else (),
        action_labels=ACTION_LABELS,
        args=args,
        other_csv=CsvDialect.other_than(current_language()),
        csv_labels=CSV_DIALECT_LABELS,
    )
    return page, 200 if filters else 400


@blueprint.get("/audit/export.<kind>")
def export_audit(kind: str) -> ResponseReturnValue:
    """The records the filters keep, every page, as a CSV or XLSX file."""
    if kind not in EXPORT_TYPES:
        abort(404)
    _form, filters = _audit_filter()
    dialect_form = ExportForm(request.args)
    if filters is None or not dialect_form.validate():
        flash(_("These filters are not valid: correct them on the page, then export."), "error")
        args: dict[str, Any] = request.args.to_dict()
        return redirect(url_for("admin.audit_trail", **args), 303)
    language = current_language()
    kept = {name: value for name, value in request.args.items() if name != "dialect" and value}
    made = run_in_transaction(
        lambda session: services.export_audit(
            session,
            current_catalog(),
            filters,
            kept,
            kind=kind,
            csv_dialect=dialect_form.chosen_dialect(language),
            zone=current_settings().zone,
            actor=signed_in_user(),
        )
    )
    return private_attachment(made.content, made.mimetype, made.filename)
