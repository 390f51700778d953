"""``/healthz``: whether the database answers and how the catalogue stands, for load balancers."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.catalog import catalog_store
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
    """200 if the database answers, else 503; counts only, never anything about people."""
    database = _database_ok()
    store = catalog_store()
    body = {
        "status": "ok" if database else "error",
        "database": "ok" if database else "error",
        "catalogue": {
            "courses": len(store.catalog.courses),
            "errors": sum(1 for problem in store.problems if problem.is_error),
        },
    }
    response = jsonify(body)
    response.status_code = 200 if database else 503
    response.headers["Cache-Control"] = "no-store"
    return response
