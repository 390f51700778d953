"""Moderators' actions: pin and lock a thread (a state asked for, harmless twice), hide a post
with a reason and restore it, dismiss its reports (each confirmed on a page of its own, and
done once however often it is posted)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import signed_in_user
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.communities import mail_jobs, moderation, pages, queries, services
from lms.communities.forms import DismissForm, HideForm, RestoreForm, StateForm
from lms.communities.models import Post
from lms.communities.views.blueprint import blueprint, current_viewer
from lms.db import get_session, utcnow
from lms.forms import already_done


@blueprint.post("/threads/<int:thread_id>/pin")
def pin(thread_id: int) -> ResponseReturnValue:
    session = get_session()
    place = services.find_thread(session, current_viewer(), thread_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    if moderation.set_pinned(session, signed_in_user(), place, form.on):
        session.commit()
        flash(
            _("The discussion is pinned.") if form.on else _("The discussion is unpinned."),
            "success",
        )
    return redirect(url_for("communities.thread", thread_id=thread_id), 303)


@blueprint.post("/threads/<int:thread_id>/lock")
def lock(thread_id: int) -> ResponseReturnValue:
    session = get_session()
    place = services.find_thread(session, current_viewer(), thread_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    if moderation.set_locked(session, signed_in_user(), place, form.on, now=utcnow()):
        session.commit()
        flash(
            _("The discussion is locked.") if form.on else _("The discussion is open again."),
            "success",
        )
    return redirect(url_for("communities.thread", thread_id=thread_id), 303)


@blueprint.route("/posts/<int:post_id>/hide", methods=["GET", "POST"])
def hide(post_id: int) -> ResponseReturnValue:
    session = get_session()
    found, place = services.find_post(session, current_viewer(), post_id)
    moderation.require_moderator(place.place)
    form = HideForm()
    back = redirect(url_for("communities.post", post_id=found.id), 303)
    if form.validate_on_submit():
        if not claim_action(session, form.key, AuditAction.POST_HIDE):
            return already_done(back)
        if moderation.hide(
            session,
            current_catalog(),
            signed_in_user(),
            place,
            found,
            reason=form.reason.data or "",
            now=utcnow(),
        ):
            flash(_("The post is hidden. Its author sees your reason."), "success")
        else:
            flash(_("This post was hidden already."), "info")
        session.commit()
        return back
    return _confirm_page("communities/hide.html", found, place, form)


@blueprint.route("/posts/<int:post_id>/restore", methods=["GET", "POST"])
def restore(post_id: int) -> ResponseReturnValue:
    session = get_session()
    found, place = services.find_post(session, current_viewer(), post_id)
    moderation.require_moderator(place.place)
    form = RestoreForm()
    back = redirect(url_for("communities.post", post_id=found.id), 303)
    if form.validate_on_submit():
        if not claim_action(session, form.key, AuditAction.POST_RESTORE):
            return already_done(back)
        restored = moderation.restore(session, current_catalog(), signed_in_user(), place, found)
        session.commit()
        if restored:
            # Its followers' mail, if it was hidden before that went out (else a no-op).
            mail_jobs.queue(found.id)
            flash(_("The post is shown to everyone again."), "success")
        else:
            flash(_("This post was not hidden."), "info")
        return back
    return _confirm_page("communities/restore.html", found, place, form)


def _confirm_page(
    template: str, found: Post, place: queries.ThreadPlace, form: HideForm | RestoreForm
) -> ResponseReturnValue:
    author = queries.authors(get_session(), [found.author_id]).get(found.author_id or 0)
    page = render_template(
        template,
        post=found,
        place=place,
        author=pages.shown_name(author, found.author_id),
        form=form,
    )
    return page, 400 if form.errors else 200


@blueprint.post("/posts/<int:post_id>/dismiss")
def dismiss(post_id: int) -> ResponseReturnValue:
    session = get_session()
    found, place = services.find_post(session, current_viewer(), post_id)
    moderation.require_moderator(place.place)
    form = DismissForm()
    if not form.validate_on_submit():
        abort(400)
    back = redirect(url_for("communities.reports", community_id=place.place.community.id), 303)
    if not claim_action(session, form.key, AuditAction.REPORTS_DISMISS):
        return already_done(back)
    moderation.dismiss_reports(session, signed_in_user(), place, found, now=utcnow())
    session.commit()
    flash(_("The reports are dismissed; the post stays as it is."), "success")
    return back
