"""Accounts: signed-in sessions kept on the server, one per browser, so that they can end.

Revision ID: b4d8e2f61a97
Revises: b5c1e7d2f904
Create Date: 2026-12-08 09:00:00.000000+00:00

Sessions begun before this revision carried a key derived from the password hash; they name
no row here, so everyone signs in once more after the upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b4d8e2f61a97"
down_revision: str | None = "b5c1e7d2f904"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("browser", sa.String(length=40), nullable=False),
        sa.Column("system", sa.String(length=40), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_device_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_sessions")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_device_sessions_key_hash")),
    )
    op.create_index(
        op.f("ix_device_sessions_user_id"), "device_sessions", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_device_sessions_user_id"), table_name="device_sessions")
    op.drop_table("device_sessions")
