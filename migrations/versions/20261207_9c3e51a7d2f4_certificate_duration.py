"""Certificates: the learning time they attest, frozen at issue.

Revision ID: 9c3e51a7d2f4
Revises: 5f1c0d2e9b47
Create Date: 2026-12-07 05:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c3e51a7d2f4"
down_revision: str | None = "5f1c0d2e9b47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Left empty on certificates issued before: what they printed is not re-rendered.
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("duration_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("duration_minutes")
