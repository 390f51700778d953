"""The app as ``wsgi.py`` builds it, plus a bare "floor" endpoint, for the HTTP benchmarks only.

``/bench/floor`` answers the bytes of the file ``LMS_BENCH_FLOOR_FILE`` (a lesson page as the
app rendered it): what the same server and worker do with no app work at all. Rate limits are
off, so that wrk measures pages rather than 429 answers.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from flask import Blueprint, Response

from lms import create_app
from lms.extensions import limiter

floor = Blueprint("bench_floor", __name__)


@cache
def _floor_bytes() -> bytes:
    return Path(os.environ["LMS_BENCH_FLOOR_FILE"]).read_bytes()


@floor.get("/bench/floor")
def floor_page() -> Response:
    return Response(_floor_bytes(), mimetype="text/html")


app = create_app()
app.register_blueprint(floor)
limiter.enabled = False
