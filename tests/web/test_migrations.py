"""The Alembic revisions build exactly the schema the models describe, and undo it."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from lms import schema
from lms.db import create_db_engine
from lms.models import Base
from tests.support.databases import Databases


def test_upgrade_matches_the_models_and_downgrade_removes_everything(
    databases: Databases,
) -> None:
    url = databases.url("migrations")
    engine = create_db_engine(url)
    try:
        schema.upgrade(url, "head")
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            tables = set(inspect(connection).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert schema.current_revision(url) == schema.head_revision(url)

        schema.downgrade(url, "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 0
    finally:
        engine.dispose()


def test_revision_files_are_date_prefixed() -> None:
    versions = Path(schema.alembic_config("sqlite://").get_main_option("script_location") or "")
    names = [p.name for p in (versions / "versions").glob("*.py")]
    assert names
    for name in names:
        assert name[:8].isdigit()
        assert name[8] == "_"
