"""Certificates: a holder's request to reissue one in their current name.

Revision ID: 5f1c0d2e9b47
Revises: e7d3a9c41b06
Create Date: 2026-12-02 19:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5f1c0d2e9b47"
down_revision: str | None = "e7d3a9c41b06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(
            sa.Column("reissue_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("reissue_requested_name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("reissue_requested_name")
        batch.drop_column("reissue_requested_at")
