"""Logging: JSON or text lines, a request id on each request, one access line per request."""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response

from lms.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,128}\Z")
"""A proxy's id is kept if it looks like one; anything else (too long, odd characters, a line
break that would forge a log line) is replaced."""

ACCESS_LOGGER = "lms.access"
HANDLER_NAME = "lms.console"

access_log = logging.getLogger(ACCESS_LOGGER)

_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
"""The attributes every log record has; the others came as ``extra`` and are logged as fields."""


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    if not has_request_context():
        return None
    found: str | None = g.get("request_id")
    return found


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure_logging(settings: Settings) -> None:
    """Give the ``lms`` logger one console handler in the format the settings ask for."""
    logger = logging.getLogger("lms")
    handler = next((h for h in logger.handlers if h.get_name() == HANDLER_NAME), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(HANDLER_NAME)
        handler.addFilter(RequestIdFilter())
        logger.addHandler(handler)
    handler.setFormatter(
        JsonFormatter() if settings.logs_as_json else logging.Formatter(TEXT_FORMAT)
    )
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def _start() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if REQUEST_ID_PATTERN.match(offered) else secrets.token_hex(16)
    g.request_started = time.perf_counter()


def _logged_path() -> str:
    """The path without its query; a path carrying a secret (a link's token) as its route."""
    rule = request.url_rule
    if rule is not None and request.view_args and "token" in request.view_args:
        return rule.rule
    return request.path


def _finish(response: Response) -> Response:
    request_id = current_request_id()
    if request_id is not None:
        response.headers[REQUEST_ID_HEADER] = request_id
    started: float | None = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    access_log.info(
        "%s %s %s",
        request.method,
        _logged_path(),
        response.status_code,
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": _logged_path(),
            "status": response.status_code,
            "duration_ms": duration,
        },
    )
    return response


def init_app(app: Flask, settings: Settings) -> None:
    # Flask's own logger is "lms" too (the app's import name): finding the handler above, it
    # adds no console handler of its own.
    configure_logging(settings)
    app.before_request(_start)
    app.after_request(_finish)
