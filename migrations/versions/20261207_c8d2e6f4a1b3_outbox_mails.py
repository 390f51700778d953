"""Outbox: every mail written with the change that causes it, sent after the commit.

Revision ID: c8d2e6f4a1b3
Revises: e5a8c3f1d6b9
Create Date: 2026-12-07 08:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8d2e6f4a1b3"
down_revision: str | None = "e5a8c3f1d6b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("token", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mails")),
    )
    op.create_index(
        "ix_outbox_mails_due", "outbox_mails", ["sent_at", "failed_at", "next_attempt_at"]
    )
    op.create_index(op.f("ix_outbox_mails_recipient"), "outbox_mails", ["recipient"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_mails_recipient"), table_name="outbox_mails")
    op.drop_index("ix_outbox_mails_due", table_name="outbox_mails")
    op.drop_table("outbox_mails")
