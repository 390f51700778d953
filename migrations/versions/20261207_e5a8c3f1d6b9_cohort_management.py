"""Cohorts: archiving, and a member's own due date (an extension).

Revision ID: e5a8c3f1d6b9
Revises: d41a6c9e3b52
Create Date: 2026-12-07 08:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5a8c3f1d6b9"
down_revision: str | None = "d41a6c9e3b52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("cohort_memberships") as batch:
        batch.add_column(sa.Column("due_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohort_memberships") as batch:
        batch.drop_column("due_date")
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("archived_at")
