"""Staff's pages of communities: the list, defining a space and changing it (or a course
discussion's moderators)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import STAFF_ROLES, restrict, signed_in_user
from lms.catalog import current_catalog
from lms.cohorts import queries as cohorts
from lms.communities import pages, queries, spaces
from lms.communities.forms import AddModeratorForm, EditSpaceForm, ModeratorsForm, SpaceForm
from lms.communities.models import Audience, Community, CommunityKind
from lms.db import get_session
from lms.i18n import current_language

blueprint = Blueprint(
    "community_staff", __name__, url_prefix="/staff/communities", template_folder="../templates"
)
restrict(blueprint, STAFF_ROLES)

SEARCH_LENGTH = 200


@blueprint.get("/")
def index() -> ResponseReturnValue:
    session, catalog, language = get_session(), current_catalog(), current_language()
    listed = queries.all_spaces(session)
    discussions = queries.course_communities(session)
    courses = [(course, discussions.get(course.id)) for course in catalog.courses.values()]
    return render_template(
        "community_staff/index.html",
        spaces=[(c, count, pages.community_label(c, catalog, language)) for c, count in listed],
        courses=courses,
    )


def _cohort_choices() -> list[tuple[int, str]]:
    return [(s.cohort.id, s.cohort.name) for s in cohorts.cohort_summaries(get_session())]


def _fields(form: SpaceForm | ModeratorsForm) -> spaces.SpaceFields:
    if isinstance(form, SpaceForm):
        return spaces.SpaceFields(
            name_fr=form.name_fr.data or "",
            name_en=form.name_en.data or "",
            description_fr=form.description_fr.data or "",
            description_en=form.description_en.data or "",
            audience=Audience(form.audience.data),
            cohort_ids=tuple(form.cohorts.data or ()),
            moderators=form.moderator_addresses(),
        )
    return spaces.SpaceFields("", "", "", "", Audience.EVERYONE, (), form.moderator_addresses())


def _moderators_known(form: ModeratorsForm) -> bool:
    unknown = spaces.unknown_addresses(get_session(), form.moderator_addresses())
    if unknown:
        form.moderators.errors = [
            _("No account has these addresses: %(addresses)s.", addresses=", ".join(unknown))
        ]
    return not unknown


@blueprint.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = SpaceForm()
    form.set_cohorts(_cohort_choices())
    if form.validate_on_submit() and _moderators_known(form):
        session = get_session()
        community = spaces.create_space(session, signed_in_user(), _fields(form))
        session.commit()
        flash(_("The community is created."), "success")
        return redirect(url_for("communities.community", community_id=community.id), 303)
    page = render_template("community_staff/new.html", form=form)
    return page, 400 if form.errors else 200


@blueprint.route("/<int:community_id>/edit", methods=["GET", "POST"])
def edit(community_id: int) -> ResponseReturnValue:
    session = get_session()
    community = spaces.find_community(session, community_id)
    form = _edit_form(community)
    if form.validate_on_submit() and _moderators_known(form):
        changed = spaces.update_community(session, signed_in_user(), community, _fields(form))
        session.commit()
        flash(_("The community is saved.") if changed else _("Nothing was changed."),
              "success" if changed else "info")  # fmt: skip
        return redirect(url_for("community_staff.index"), 303)
    return _edit_page(community, form)


def _edit_page(community: Community, form: SpaceForm | ModeratorsForm) -> ResponseReturnValue:
    """The community's form, with the moderator search (``?find=``) and its results."""
    session, language = get_session(), current_language()
    find = (request.args.get("find") or "").strip()[:SEARCH_LENGTH]
    moderators = {user_id for user_id, _name in queries.moderators_of(session, community.id)}
    page = render_template(
        "community_staff/edit.html",
        community=community,
        name=pages.community_label(community, current_catalog(), language),
        form=form,
        find=find,
        found=spaces.find_people(session, find),
        moderators=moderators,
        add_form=AddModeratorForm(formdata=None),
    )
    return page, 400 if form.errors else 200


@blueprint.post("/<int:community_id>/moderators")
def add_moderator(community_id: int) -> ResponseReturnValue:
    """Make a person the search found a moderator, in one click (no JavaScript needed)."""
    session = get_session()
    community = spaces.find_community(session, community_id)
    form = AddModeratorForm()
    if not form.validate_on_submit():
        abort(400)
    added = spaces.add_moderator(session, signed_in_user(), community, int(form.user_id.data or 0))
    session.commit()
    flash(_("They are a moderator now.") if added else _("They were a moderator already."),
          "success" if added else "info")  # fmt: skip
    return redirect(url_for("community_staff.edit", community_id=community_id), 303)


def _edit_form(community: Community) -> SpaceForm | ModeratorsForm:
    session = get_session()
    moderators = "\n".join(spaces.moderator_emails(session, community))
    if community.kind is CommunityKind.COURSE:
        return ModeratorsForm(moderators=moderators)
    form = EditSpaceForm(
        obj=community,
        audience=community.audience.value,
        cohorts=queries.cohort_ids_of(session, community.id),
        moderators=moderators,
    )
    form.set_cohorts(_cohort_choices())
    return form
