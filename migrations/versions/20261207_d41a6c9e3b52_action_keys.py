"""Audit: keys of one-shot forms, so that a repeated post acts once.

Revision ID: d41a6c9e3b52
Revises: b7e2d4c8a190
Create Date: 2026-12-07 07:45:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d41a6c9e3b52"
down_revision: str | None = "b7e2d4c8a190"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_keys",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_action_keys")),
    )
    op.create_index(op.f("ix_action_keys_created_at"), "action_keys", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_action_keys_created_at"), table_name="action_keys")
    op.drop_table("action_keys")
