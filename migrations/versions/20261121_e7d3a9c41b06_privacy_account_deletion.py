"""Privacy: deleted accounts (kept as anonymous rows) and certificates withdrawn by their holder.

Revision ID: e7d3a9c41b06
Revises: c4e81f2b9a57
Create Date: 2026-11-21 12:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7d3a9c41b06"
down_revision: str | None = "c4e81f2b9a57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(
            sa.Column("holder_withdrawn_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("holder_withdrawn_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deleted_at")
