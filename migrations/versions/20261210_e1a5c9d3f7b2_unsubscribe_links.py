"""One-click unsubscribe: queued mails carry extra header fields (``List-Unsubscribe``), and
a member's mail settings note when their mail mode last changed (what a digest's
unsubscribe link is bound to).

Revision ID: e1a5c9d3f7b2
Revises: d9f4b2a6c1e8
Create Date: 2026-12-10 10:00:00.000000+00:00

New nullable columns only: going down drops them (queued mails lose their extra headers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1a5c9d3f7b2"
down_revision: str | None = "d9f4b2a6c1e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_mails") as batch:
        batch.add_column(sa.Column("headers", sa.JSON(), nullable=True))
    with op.batch_alter_table("community_profiles") as batch:
        batch.add_column(sa.Column("mail_mode_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("community_profiles") as batch:
        batch.drop_column("mail_mode_at")
    with op.batch_alter_table("outbox_mails") as batch:
        batch.drop_column("headers")
