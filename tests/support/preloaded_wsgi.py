"""``wsgi.py``'s app, having used the database while it loads: for gunicorn's preload tests.

The connection it used stays in the engine's pool, in the process that loaded the app: under
``preload_app``, gunicorn's master. Workers forked from it must never use that connection;
each must open its own (``lms.preload.after_fork``).
"""

from __future__ import annotations

from sqlalchemy import text

from lms import create_app
from lms.db import database

app = create_app()
with database(app).engine.connect() as connection:
    connection.execute(text("SELECT 1"))
