"""The roster import job: run by ``lms.jobs`` outside any request, it owns its transactions,
as a command does (claim, then the whole import in one, or the failure recorded)."""

from __future__ import annotations

import logging

from flask import Flask

from lms import jobs
from lms.accounts import queries as account_queries
from lms.cohorts import imports
from lms.cohorts.models import Cohort, RosterImport
from lms.cohorts.roster import rows_from_json
from lms.config import current_settings
from lms.db import get_session

JOB_NAME = "cohorts.import_roster"

logger = logging.getLogger(__name__)


def run_import(import_id: int) -> None:
    """Import the roster of the queued job ``import_id`` (once, however often it is run)."""
    session = get_session()
    job = imports.claim_import(session, import_id)
    session.commit()
    if job is None:
        return
    try:
        roster = rows_from_json(job.data or b"[]")
        actor = account_queries.user_by_id(session, job.actor_id) if job.actor_id else None
        cohort = session.get(Cohort, job.cohort_id)
        if cohort is None:
            raise imports.ImportNotFound
        result = imports.import_roster(
            session, cohort, roster, actor=actor, secret_key=current_settings().secret_key
        )
        imports.finish_import(job, result)
        session.commit()
    except Exception:
        session.rollback()
        # No address or name in the log: the job's id says which import it was.
        logger.exception("Roster import %d failed; nothing was imported", import_id)
        failed = session.get(RosterImport, import_id)
        if failed is not None:
            imports.finish_import(failed, None)
            session.commit()


def init_app(app: Flask) -> None:
    jobs.register(app, JOB_NAME, run_import)
