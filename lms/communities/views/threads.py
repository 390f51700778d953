"""A thread's page and what members do there: reply, follow, edit their post within the half
hour, report a post; and a post's address, which leads to its page of the thread."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog
from lms.communities import mail_jobs, pages, queries, services
from lms.communities.forms import EditForm, ReplyForm, ReportForm, StateForm
from lms.communities.queries import ThreadPlace, Viewer
from lms.communities.views.blueprint import (
    blueprint,
    current_viewer,
    posting_limit,
    reporting_limit,
)
from lms.db import get_session, run_in_transaction, utcnow
from lms.i18n import current_language
from lms.pagination import page_argument


@blueprint.get("/threads/<int:thread_id>")
def thread(thread_id: int) -> ResponseReturnValue:
    viewer = current_viewer()
    place = services.find_thread(get_session(), viewer, thread_id)
    return _thread_page(viewer, place, ReplyForm(language=current_language()))


def _thread_page(
    viewer: Viewer, place: ThreadPlace, form: ReplyForm, status: int = 200
) -> ResponseReturnValue:
    session, language, catalog = get_session(), current_language(), current_catalog()
    thread, community = place.thread, place.place.community
    position = pages.pages_of(thread.post_count, page_argument(request.args), pages.POSTS_PER_PAGE)
    rows = queries.post_rows(
        session, viewer, thread.id, page=position.number, per_page=pages.POSTS_PER_PAGE
    )
    # Reading the page is reading its posts: a write from a page, only when it moves.
    seen = max((row.id for row in rows), default=0)
    if seen > place.last_read_post_id:
        run_in_transaction(lambda s: services.mark_read(s, viewer.user_id, thread.id, seen))
    views = pages.post_views(
        rows,
        queries.authors(session, {row.author_id for row in rows}),
        viewer,
        moderates=place.place.moderates,
        locked=thread.locked_at is not None,
        now=utcnow(),
    )
    page = render_template(
        "communities/thread.html",
        place=place,
        thread=thread,
        community_name=pages.community_label(community, catalog, language),
        lesson=pages.lesson_label(catalog, community, thread.lesson, language),
        posts=views,
        position=position,
        form=form,
        state_form=StateForm(),
    )
    return page, status


@blueprint.post("/threads/<int:thread_id>/reply")
@posting_limit
def reply(thread_id: int) -> ResponseReturnValue:
    viewer, session = current_viewer(), get_session()
    place = services.find_thread(session, viewer, thread_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(viewer, place, form, 400)
    post = services.reply(
        session,
        signed_in_user(),
        place,
        body=form.body.data or "",
        language=form.language.data or current_language(),
        now=utcnow(),
    )
    session.commit()
    mail_jobs.queue(post.id)
    flash(_("Your reply is posted."), "success")
    return redirect(url_for("communities.post", post_id=post.id), 303)


@blueprint.get("/posts/<int:post_id>")
def post(post_id: int) -> ResponseReturnValue:
    """A post's address (mails link to it): its page of its thread, at the post."""
    session = get_session()
    found, place = services.find_post(session, current_viewer(), post_id)
    before = queries.posts_before(session, place.thread.id, found.id)
    number = before // pages.POSTS_PER_PAGE + 1
    target = url_for("communities.thread", thread_id=place.thread.id, page=number)
    return redirect(f"{target}#post-{found.id}")


@blueprint.post("/threads/<int:thread_id>/follow")
def follow_thread(thread_id: int) -> ResponseReturnValue:
    session = get_session()
    place = services.find_thread(session, current_viewer(), thread_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    if form.on:
        services.follow_thread(session, signed_in_user(), place)
        flash(_("You follow this discussion."), "success")
    else:
        services.unfollow_thread(session, signed_in_user(), place)
        flash(_("You no longer follow this discussion."), "success")
    session.commit()
    return redirect(url_for("communities.thread", thread_id=thread_id), 303)


@blueprint.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@posting_limit
def edit(post_id: int) -> ResponseReturnValue:
    session, user = get_session(), signed_in_user()
    found, place = services.find_post(session, current_viewer(), post_id)
    now = utcnow()
    services.check_editable(user, place, found)  # a hidden post's page offers no form
    form = EditForm(body=found.body)
    if form.validate_on_submit():
        services.edit(session, user, place, found, body=form.body.data or "", now=now)
        session.commit()
        flash(_("Your post is changed."), "success")
        return redirect(url_for("communities.post", post_id=found.id), 303)
    minutes_left = max(0, int((found.created_at + pages.EDIT_WINDOW - now).total_seconds() // 60))
    page = render_template(
        "communities/edit.html",
        post=found,
        place=place,
        form=form,
        open=pages.may_edit(found.author_id, found.created_at, user.id, now),
        minutes_left=minutes_left,
    )
    return page, 400 if form.errors else 200


@blueprint.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@reporting_limit
def report(post_id: int) -> ResponseReturnValue:
    session = get_session()
    found, place = services.find_post(session, current_viewer(), post_id)
    services.check_reportable(found)
    form = ReportForm()
    back = redirect(url_for("communities.post", post_id=found.id), 303)
    if form.validate_on_submit():
        try:
            services.report(
                session,
                current_catalog(),
                signed_in_user(),
                place,
                found,
                reason=form.reason.data or "",
                now=utcnow(),
            )
        except services.AlreadyReported as error:
            session.rollback()
            flash(str(error.message), "info")
            return back
        session.commit()
        flash(_("Thank you: the moderators will read your report."), "success")
        return back
    page = render_template(
        "communities/report.html",
        post=found,
        place=place,
        author=pages.shown_name(
            queries.authors(session, [found.author_id]).get(found.author_id or 0),
            found.author_id,
        ),
        form=form,
    )
    return page, 400 if form.errors else 200
