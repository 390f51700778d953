"""Administrators' pages: who has which role, and the audit trail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
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
from lms.config import current_settings
from lms.db import get_session
from lms.forms import ALREADY_DONE
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
        flash(str(ALREADY_DONE), "info")
        return back
    role = Role(form.role.data)
    if services.set_role(session, user, role, actor=signed_in_user()):
        session.commit()
        flash(_("%(email)s is now: %(role)s.", email=user.email, role=ROLE_LABELS[role]), "success")
    else:
        flash(_("%(email)s already had this role.", email=user.email), "info")
    return back


@blueprint.get("/audit")
def audit_trail() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.set_actions({action.value: label for action, label in ACTION_LABELS.items()})
    valid = form.validate()
    since, until = Period(form.start.data, form.end.data).bounds(current_settings().zone)
    filters = audit.AuditFilter(
        actor=(form.actor.data or "")[:254],
        person=(form.person.data or "")[:254],
        action=next((a for a in AuditAction if a.value == form.action.data), None),
        since=since,
        until=until,
    )
    session = get_session()
    found = audit.find_events(session, filters, page=page_argument(request.args)) if valid else None
    page = render_template(
        "admin/audit.html",
        form=form,
        found=found,
        lines=audit_lines(session, found.events, current_catalog()) if found else (),
        action_labels=ACTION_LABELS,
        args={name: value for name, value in request.args.items() if name != "page"},
    )
    return page, 200 if valid else 400
