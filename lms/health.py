"""``/healthz``: whether the database answers and how the catalogue stands, for load balancers."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.catalog import catalog_store
from lms.config import current_settings
from lms.db import get_session
from lms.extensions import limiter

blueprint = Blueprint("health", __name__)

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    session = get_session()
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        logger.exception("Health check: the database does not answer")
        session.rollback()
        return False
    session.rollback()
    return True


@blueprint.get("/healthz")
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """200 if the database answers, else 503; counts only, never anything about people.

    Errors in the course files make the status "degraded", still with a 200: the server
    serves every course it can (the others in their last good version), so a load balancer
    must keep it, while monitoring sees that an author has something to fix.
    """
    database = _database_ok()
    content = catalog_store().content
    errors = len(content.errors)
    status = "degraded" if errors else "ok"
    body = {
        "status": status if database else "error",
        "database": "ok" if database else "error",
        "catalogue": {
            "courses": len(content.catalog.courses),
            "errors": errors,
            "served_from_last_good": sum(1 for s in content.stale if s.kept is not None),
            "not_served": sum(1 for s in content.stale if s.kept is None),
        },
        # "per-process": each worker counts rate limits alone (see the log at start).
        "rate_limits": "per-process" if current_settings().limits_counted_apart else "shared",
    }
    response = jsonify(body)
    response.status_code = 200 if database else 503
    response.headers["Cache-Control"] = "no-store"
    return response
