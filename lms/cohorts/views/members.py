"""A cohort's members: one person added (rosters: ``imports``), a member's page (their own due
date), a member removed after a confirmation, attempts granted to members out of them."""

from __future__ import annotations

from collections.abc import Iterable

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts.access import signed_in_user
from lms.audit.actions import AuditAction
from lms.audit.queries import action_claimed
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.cohorts import membership, queries, services
from lms.cohorts.dashboard import MemberRow
from lms.cohorts.forms import (
    AddMemberForm,
    GrantBlockedForm,
    MemberDueDateForm,
    RemoveMemberForm,
)
from lms.cohorts.models import Cohort, CohortMembership
from lms.cohorts.views.blueprint import blueprint
from lms.config import current_settings
from lms.content import Catalog
from lms.db import get_session, utcnow
from lms.forms import already_done
from lms.i18n import current_language
from lms.outbox.services import enqueue
from lms.periods import local_date


@blueprint.route("/cohorts/<int:cohort_id>/members/new", methods=["GET", "POST"])
def add_member(cohort_id: int) -> ResponseReturnValue:
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            result = membership.add_member(
                session,
                cohort,
                form.row(),
                actor=signed_in_user(),
                secret_key=current_settings().secret_key,
            )
        except membership.AlreadyMember as error:
            session.rollback()
            form.email.errors = [str(error.message)]
        else:
            enqueue(session, result.mails)
            session.commit()
            if result.invited:
                flash(_("The person is added, and an invitation is on its way."), "success")
            else:
                flash(_("The person is added: they already had an account."), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    status = 400 if form.errors else 200
    return render_template("cohorts/add_member.html", cohort=cohort, form=form), status


def _member(cohort_id: int, user_id: int) -> tuple[Cohort, CohortMembership]:
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    return cohort, membership.find_membership(session, cohort, user_id)


def _render_member(
    cohort: Cohort, member: CohortMembership, form: MemberDueDateForm, status: int = 200
) -> ResponseReturnValue:
    last = queries.last_reminders(get_session(), cohort).get(member.email)
    page = render_template(
        "cohorts/member.html", cohort=cohort, member=member, form=form, last_reminder=last
    )
    return page, status


@blueprint.get("/cohorts/<int:cohort_id>/members/<int:user_id>")
def member(cohort_id: int, user_id: int) -> ResponseReturnValue:
    cohort, found = _member(cohort_id, user_id)
    form = MemberDueDateForm(formdata=None, due_date=found.due_date)
    return _render_member(cohort, found, form)


@blueprint.post("/cohorts/<int:cohort_id>/members/<int:user_id>/due-date")
def set_due_date(cohort_id: int, user_id: int) -> ResponseReturnValue:
    cohort, found = _member(cohort_id, user_id)
    form = MemberDueDateForm()
    if not form.validate_on_submit():
        return _render_member(cohort, found, form, 400)
    session = get_session()
    back = redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    if not claim_action(session, form.key, AuditAction.MEMBERSHIP_DUE_DATE):
        return already_done(back)
    membership.set_due_date(
        session, found, form.due_date.data, reason=form.reason.data or "", actor=signed_in_user()
    )
    session.commit()
    flash(_("The member’s due date is saved."), "success")
    return back


@blueprint.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
def remove_member(cohort_id: int, user_id: int) -> ResponseReturnValue:
    """What removing does, and the reason to give, then the removal, once."""
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    form = RemoveMemberForm() if request.method == "POST" else RemoveMemberForm(formdata=None)
    back = redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    found = queries.membership_of(session, cohort, user_id)
    if found is None and form.key and action_claimed(session, form.key):
        # The second post of a removal finds the member gone: it was done already.
        return already_done(back)
    found = found or membership.find_membership(session, cohort, user_id)
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if form.errors else 200
        page = render_template("cohorts/remove_member.html", cohort=cohort, member=found, form=form)
        return page, status
    if not claim_action(session, form.key, AuditAction.MEMBERSHIP_REMOVE):
        return already_done(back)
    name = found.name or found.email
    membership.remove_member(session, found, reason=form.reason.data or "", actor=signed_in_user())
    session.commit()
    flash(_("%(name)s is removed from the cohort.", name=name), "success")
    return back


def _blocked_rows(cohort: Cohort) -> list[MemberRow]:
    day = local_date(utcnow(), current_settings().zone)
    report = queries.cohort_report(get_session(), cohort, current_catalog(), on=day)
    return [row for row in report.rows if row.blocked and row.member.user_id is not None]


def quiz_titles(catalog: Catalog, quizzes: Iterable[tuple[str, str]]) -> list[str]:
    """Quizzes (course id, stem) by their titles in the current language, with the course's
    short label."""
    language, titles = current_language(), []
    for course_id, stem in quizzes:
        course = catalog.course(course_id)
        if course is None or stem not in course.quizzes:
            titles.append(f"{course_id}/{stem}")
            continue
        quiz = course.quizzes[stem].title.get(language)
        titles.append(f"{quiz} ({course.short_title.get(language)})")
    return titles


def _grant_choices(rows: list[MemberRow]) -> list[tuple[int, str]]:
    return [
        (row.member.user_id or 0, f"{row.member.name} ({row.member.email})".lstrip())
        for row in rows
    ]


@blueprint.route("/cohorts/<int:cohort_id>/grants", methods=["GET", "POST"])
def grant_attempts(cohort_id: int) -> ResponseReturnValue:
    """Members out of attempts at a required quiz, to give more to several at once."""
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    rows = _blocked_rows(cohort)
    form = GrantBlockedForm() if request.method == "POST" else GrantBlockedForm(formdata=None)
    form.set_members(_grant_choices(rows))
    back = redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    if request.method == "POST" and form.validate_on_submit():
        if not claim_action(session, form.key, AuditAction.QUIZ_ATTEMPTS_GRANT):
            return already_done(back)
        try:
            helped = membership.grant_blocked(
                session,
                current_catalog(),
                cohort,
                form.members.data or [],
                extra=form.extra.data or 0,
                reason=form.reason.data or "",
                actor=signed_in_user(),
            )
        except membership.NobodyBlocked as error:
            session.rollback()
            flash(str(error.message), "info")
            return back
        session.commit()
        flash(
            ngettext(
                "Attempts granted to %(num)d member: they can take the quiz again now.",
                "Attempts granted to %(num)d members: they can take the quiz again now.",
                helped,
            ),
            "success",
        )
        return back
    if request.method == "POST" and form.key and action_claimed(session, form.key):
        # Granted already: the members chosen are no longer blocked, so no longer choices.
        return already_done(back)
    titles = {row.member.user_id: quiz_titles(current_catalog(), row.blocked) for row in rows}
    page = render_template(
        "cohorts/grant_attempts.html", cohort=cohort, rows=rows, titles=titles, form=form
    )
    return page, 400 if form.errors else 200
