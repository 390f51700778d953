"""Staff's rules for communities: defining a space (names and descriptions in both languages,
who it is open to, its moderators) and changing one; a course's discussion takes moderators
only. Every change is in the audit trail."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.cohorts import queries as cohorts
from lms.communities import queries
from lms.communities.models import (
    Audience,
    Community,
    CommunityCohort,
    CommunityKind,
    Moderator,
)
from lms.communities.services import CommunityNotFound
from lms.content.typography import french_spaces
from lms.errors import DomainError
from lms.guards import LARGEST_ID

if TYPE_CHECKING:
    from lms.accounts.models import User


class UnknownCohorts(DomainError):
    message = lazy_gettext("Choose cohorts from the list.")


class UnknownModerators(DomainError):
    message = lazy_gettext("Each moderator must have an account: check the addresses.")


class CohortsMissing(DomainError):
    message = lazy_gettext("Choose at least one cohort, or open the community to everyone.")


@dataclass(frozen=True)
class SpaceFields:
    """A space as staff describe it (a course's discussion uses ``moderators`` only)."""

    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    audience: Audience
    cohort_ids: tuple[int, ...]
    moderators: tuple[str, ...]
    """Addresses of the accounts chosen as moderators."""


def unknown_addresses(session: Session, emails: Collection[str]) -> list[str]:
    """Those of ``emails`` with no account (or a deleted one): what a form points out."""
    return _without_account(emails, accounts.users_by_email(session, emails))


def _without_account(emails: Collection[str], found: Mapping[str, User]) -> list[str]:
    return sorted(
        email for email in {e.strip().lower() for e in emails} if email not in found
        or found[email].is_deleted
    )  # fmt: skip


def _moderator_ids(session: Session, emails: Collection[str]) -> list[int]:
    found = accounts.users_by_email(session, emails)
    if _without_account(emails, found):
        raise UnknownModerators
    return sorted(user.id for user in found.values())


def _check_cohorts(session: Session, fields: SpaceFields) -> tuple[int, ...]:
    if fields.audience is Audience.EVERYONE:
        return ()
    if not fields.cohort_ids:
        raise CohortsMissing
    known = cohorts.cohort_names(session, fields.cohort_ids)
    if set(fields.cohort_ids) - known.keys():
        raise UnknownCohorts
    return tuple(sorted(set(fields.cohort_ids)))


def _typeset(fields: SpaceFields) -> SpaceFields:
    """The French name with French typography's non-breaking spaces (the descriptions are
    Markdown: typeset as they are rendered)."""
    return replace(fields, name_fr=french_spaces(fields.name_fr))


def create_space(session: Session, actor: User, fields: SpaceFields) -> Community:
    """A new space, open to everyone signed in or to the members of the cohorts chosen."""
    fields = _typeset(fields)
    cohort_ids = _check_cohorts(session, fields)
    moderator_ids = _moderator_ids(session, fields.moderators)
    community = Community(
        kind=CommunityKind.SPACE,
        name_fr=fields.name_fr,
        name_en=fields.name_en,
        description_fr=fields.description_fr,
        description_en=fields.description_en,
        audience=fields.audience,
    )
    session.add(community)
    session.flush()
    _replace_cohorts(session, community, cohort_ids)
    _replace_moderators(session, community, moderator_ids)
    audit.record(
        session,
        actor,
        AuditAction.COMMUNITY_CREATE,
        f"community:{community.id}",
        name=fields.name_en,
        name_fr=fields.name_fr,
        audience=fields.audience.value,
        cohorts=list(cohort_ids),
        moderators=moderator_ids,
    )
    return community


def update_community(
    session: Session, actor: User, community: Community, fields: SpaceFields
) -> bool:
    """Change a space (or a course discussion's moderators); the changes audited with what
    they replace. False when nothing changed."""
    fields = _typeset(fields)
    moderator_ids = _moderator_ids(session, fields.moderators)
    before: dict[str, object] = {
        "moderators": [user_id for user_id, _n in queries.moderators_of(session, community.id)]
    }
    after: dict[str, object] = {"moderators": moderator_ids}
    if community.kind is CommunityKind.SPACE:
        cohort_ids = _check_cohorts(session, fields)
        before |= _described(community) | {
            "cohorts": sorted(queries.cohort_ids_of(session, community.id))
        }
        after |= {
            "name": fields.name_en,
            "name_fr": fields.name_fr,
            "description": fields.description_en,
            "description_fr": fields.description_fr,
            "audience": fields.audience.value,
            "cohorts": list(cohort_ids),
        }
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return False
    if community.kind is CommunityKind.SPACE:
        community.name_fr, community.name_en = fields.name_fr, fields.name_en
        community.description_fr = fields.description_fr
        community.description_en = fields.description_en
        community.audience = fields.audience
        _replace_cohorts(session, community, cohort_ids)
    _replace_moderators(session, community, moderator_ids)
    details: dict[str, object] = {}
    for key in changed:
        details[key] = after[key]
        details[f"previous_{key}"] = before[key]
    audit.record(
        session, actor, AuditAction.COMMUNITY_UPDATE, f"community:{community.id}", **details
    )
    return True


def _described(community: Community) -> dict[str, object]:
    return {
        "name": community.name_en,
        "name_fr": community.name_fr,
        "description": community.description_en,
        "description_fr": community.description_fr,
        "audience": community.audience.value,
    }


def _replace_cohorts(session: Session, community: Community, cohort_ids: tuple[int, ...]) -> None:
    session.execute(delete(CommunityCohort).where(CommunityCohort.community_id == community.id))
    session.add_all(CommunityCohort(community_id=community.id, cohort_id=c) for c in cohort_ids)
    session.flush()


def _replace_moderators(session: Session, community: Community, user_ids: list[int]) -> None:
    session.execute(delete(Moderator).where(Moderator.community_id == community.id))
    session.add_all(Moderator(community_id=community.id, user_id=u) for u in user_ids)
    session.flush()


class PersonNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no account with this number: search again.")


MODERATOR_SEARCH_RESULTS = 5
"""People a moderator search lists: a few, the search narrows the rest."""


def find_people(session: Session, text: str) -> list[User]:
    """A few accounts whose name or address contains ``text``, for staff picking a
    moderator; none for an empty search."""
    if not text.strip():
        return []
    found = accounts.search_users(session, text, per_page=MODERATOR_SEARCH_RESULTS)
    return list(found.users)


def add_moderator(session: Session, actor: User, community: Community, user_id: int) -> bool:
    """Make the account ``user_id`` a moderator of ``community`` (audited as a change of its
    moderators); False if they were one already."""
    # A number no id column can hold names nobody (and must not reach PostgreSQL).
    person = accounts.user_by_id(session, user_id) if user_id <= LARGEST_ID else None
    if person is None or person.is_deleted:
        raise PersonNotFound
    before = [found for found, _name in queries.moderators_of(session, community.id)]
    if user_id in before:
        return False
    try:
        with session.begin_nested():  # two staff adding them at once: one adds
            session.add(Moderator(community_id=community.id, user_id=user_id))
    except IntegrityError:
        return False
    audit.record(
        session,
        actor,
        AuditAction.COMMUNITY_UPDATE,
        f"community:{community.id}",
        moderators=sorted([*before, user_id]),
        previous_moderators=before,
    )
    return True


def find_community(session: Session, community_id: int) -> Community:
    """Any community, for staff."""
    community = session.get(Community, community_id)
    if community is None:
        raise CommunityNotFound
    return community


def moderator_emails(session: Session, community: Community) -> list[str]:
    """The addresses of the community's moderators, as staff's form shows them."""
    ids = [user_id for user_id, _name in queries.moderators_of(session, community.id)]
    return sorted(user.email for user in accounts.users_by_id(session, ids).values())
