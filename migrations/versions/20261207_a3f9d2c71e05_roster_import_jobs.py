"""Cohorts: roster imports run as jobs with their progress, and invitations owed per member.

Revision ID: a3f9d2c71e05
Revises: f2b6d9a4c813
Create Date: 2026-12-07 08:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a3f9d2c71e05"
down_revision: str | None = "f2b6d9a4c813"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing lines start with no invitation known to be delivered: the next import of
    # their roster invites those who still have no password (mails an error page lost).
    with op.batch_alter_table("cohort_memberships") as batch:
        batch.add_column(sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "roster_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("invitations_queued", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_roster_imports_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_roster_imports_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_imports")),
    )
    op.create_index(
        op.f("ix_roster_imports_cohort_id"), "roster_imports", ["cohort_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_roster_imports_cohort_id"), table_name="roster_imports")
    op.drop_table("roster_imports")
    with op.batch_alter_table("cohort_memberships") as batch:
        batch.drop_column("invited_at")
