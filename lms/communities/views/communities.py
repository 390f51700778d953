"""Members' communities: the list of those open to them, a community's threads (a course's,
filtered to one lesson or not), asking a question there, following it, and its reports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog
from lms.communities import mail_jobs, pages, queries, services
from lms.communities.forms import AskForm, CourseAskForm, DismissForm, StateForm
from lms.communities.models import Community, CommunityKind
from lms.communities.queries import Place, Viewer
from lms.communities.views.blueprint import blueprint, current_viewer, posting_limit
from lms.content import Course, ItemKind
from lms.db import get_session, utcnow
from lms.i18n import current_language
from lms.learning.services import find_course
from lms.pagination import page_argument


@blueprint.get("/")
def index() -> ResponseReturnValue:
    catalog, language = current_catalog(), current_language()
    summaries = queries.communities_open_to(get_session(), current_viewer())
    spaces = [s for s in summaries if s.community.kind is CommunityKind.SPACE]
    courses = {s.community.course_id: s for s in summaries if s.community.course_id}
    return render_template(
        "communities/index.html",
        spaces=[(s, pages.community_label(s.community, catalog, language)) for s in spaces],
        courses=[(course, courses.get(course.id)) for course in catalog.courses.values()],
    )


@blueprint.get("/<int:community_id>")
def community(community_id: int) -> ResponseReturnValue:
    viewer = current_viewer()
    place = services.find_place(get_session(), viewer, community_id)
    if place.community.kind is CommunityKind.COURSE:
        return redirect(url_for("communities.course", course_id=place.community.course_id))
    return _threads_page(viewer, place, AskForm(language=current_language()))


@blueprint.get("/courses/<course_id>")
def course(course_id: str) -> ResponseReturnValue:
    """A course's discussion (of one lesson with ``?lesson=``): open to everyone signed in,
    as the course's lessons are. It exists once its first question is asked."""
    viewer = current_viewer()
    found = find_course(current_catalog(), course_id)
    lesson = _lesson_asked(found)
    form = _course_form(found, lesson or "")
    place = queries.course_place(get_session(), viewer, course_id)
    return _course_page(viewer, found, place, lesson, form)


def _lesson_asked(course: Course) -> str | None:
    asked = request.args.get("lesson")
    return services.find_lesson(course, asked) if asked else None


def _course_form(course: Course, lesson: str) -> CourseAskForm:
    form = CourseAskForm(language=current_language(), lesson=lesson)
    language = current_language()
    choices = [("", _("The course in general"))] + [
        (item.key, course.lessons[item.stem].title.get(language))
        for item in course.items()
        if item.kind is ItemKind.LESSON
    ]
    form.set_lessons(choices)
    return form


def _course_page(
    viewer: Viewer,
    course: Course,
    place: Place | None,
    lesson: str | None,
    form: CourseAskForm,
    status: int = 200,
) -> ResponseReturnValue:
    language = current_language()
    lesson_title = (
        pages.Label(course.lessons[lesson].title.get(language), course.language_for(language))
        if lesson is not None
        else None
    )
    if place is None:
        listing = pages.Listing((), {}, pages.Pages(1, 1), 0)
    else:
        listing = _listing(viewer, place, lesson)
    page = render_template(
        "communities/course.html",
        course=course,
        course_title=pages.Label(course.title.get(language), course.language_for(language)),
        place=place,
        lesson=lesson,
        lesson_title=lesson_title,
        listing=listing,
        lesson_labels={
            key: lesson_label
            for key in {row.lesson for row in listing.rows if row.lesson}
            if (lesson_label := _lesson_label(course, key, language)) is not None
        },
        moderators=queries.moderators_of(get_session(), place.community.id) if place else [],
        form=form,
        follow_form=StateForm(),
        report_count=_report_count(place),
    )
    return page, status


def _lesson_label(course: Course, key: str, language: str) -> pages.Label | None:
    lesson = course.lessons.get(key)
    if lesson is None:
        return None
    return pages.Label(lesson.title.get(language), course.language_for(language))


def _listing(viewer: Viewer, place: Place, lesson: str | None) -> pages.Listing:
    session = get_session()
    community_id, moderates = place.community.id, place.moderates
    total = queries.thread_count(session, viewer, community_id, lesson=lesson, moderates=moderates)
    position = pages.pages_of(total, page_argument(request.args), pages.THREADS_PER_PAGE)
    rows = queries.thread_rows(
        session,
        viewer,
        community_id,
        lesson=lesson,
        moderates=moderates,
        page=position.number,
        per_page=pages.THREADS_PER_PAGE,
    )
    writers = {r.author_id for r in rows} | {r.last_author_id for r in rows}
    return pages.Listing(rows, queries.authors(session, writers), position, total)


def _report_count(place: Place | None) -> int:
    if place is None or not place.moderates:
        return 0
    return queries.open_report_count(get_session(), place.community.id)


def _threads_page(
    viewer: Viewer, place: Place, form: AskForm, status: int = 200
) -> ResponseReturnValue:
    language = current_language()
    community = place.community
    page = render_template(
        "communities/community.html",
        place=place,
        name=pages.community_label(community, current_catalog(), language),
        description=pages.community_description(community, language),
        listing=_listing(viewer, place, None),
        moderators=queries.moderators_of(get_session(), community.id),
        form=form,
        follow_form=StateForm(),
        report_count=_report_count(place),
    )
    return page, status


@blueprint.post("/<int:community_id>/ask")
@posting_limit
def ask(community_id: int) -> ResponseReturnValue:
    viewer, session = current_viewer(), get_session()
    place = services.find_place(session, viewer, community_id)
    if place.community.kind is CommunityKind.COURSE:
        abort(404)  # a course's questions are asked from its own page, with their lesson
    form = AskForm()
    if not form.validate_on_submit():
        return _threads_page(viewer, place, form, 400)
    return _asked(place.community, form, lesson=None)


@blueprint.post("/courses/<course_id>/ask")
@posting_limit
def ask_course(course_id: str) -> ResponseReturnValue:
    viewer, session, catalog = current_viewer(), get_session(), current_catalog()
    found = find_course(catalog, course_id)
    form = _course_form(found, "")
    if not form.validate_on_submit():
        # The page shown again keeps the lesson asked about, if it is one (a quiz's key is not).
        posted = request.form.get("lesson") or ""
        item = found.item(posted) if posted else None
        lesson = posted if item is not None and item.kind is ItemKind.LESSON else None
        place = queries.course_place(session, viewer, course_id)
        return _course_page(viewer, found, place, lesson, form, 400)
    lesson = services.find_lesson(found, form.lesson.data) if form.lesson.data else None
    community = services.course_community(session, catalog, course_id)
    return _asked(community, form, lesson=lesson)


def _asked(community: Community, form: AskForm, *, lesson: str | None) -> ResponseReturnValue:
    session = get_session()
    thread = services.ask(
        session,
        signed_in_user(),
        community,
        title=form.title.data or "",
        body=form.body.data or "",
        language=form.language.data or current_language(),
        lesson=lesson,
        now=utcnow(),
    )
    session.commit()
    mail_jobs.queue(thread.last_post_id)
    flash(_("Your question is posted. You will get the replies by mail."), "success")
    return redirect(url_for("communities.thread", thread_id=thread.id), 303)


@blueprint.post("/<int:community_id>/follow")
def follow(community_id: int) -> ResponseReturnValue:
    session = get_session()
    place = services.find_place(session, current_viewer(), community_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    if form.on:
        services.follow_community(session, signed_in_user(), place.community)
        flash(_("You follow this community: its new posts count as unread for you."), "success")
    else:
        services.unfollow_community(session, signed_in_user(), place.community)
        flash(_("You no longer follow this community."), "success")
    session.commit()
    return redirect(url_for("communities.community", community_id=community_id), 303)


@blueprint.get("/<int:community_id>/reports")
def reports(community_id: int) -> ResponseReturnValue:
    """What members reported in the community, for its moderators."""
    session, language = get_session(), current_language()
    place = services.find_place(session, current_viewer(), community_id)
    if not place.moderates:
        abort(403)
    reported = queries.open_reports(session, community_id)
    return render_template(
        "communities/reports.html",
        place=place,
        name=pages.community_label(place.community, current_catalog(), language),
        reported=reported,
        authors=queries.authors(session, {r.author_id for r in reported}),
        dismiss_form=DismissForm(),
    )
