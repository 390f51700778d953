"""Account profile (research roles, affiliation, FRQ fellowship) and privacy consent.

Revision ID: a22e0e622ef3
Revises: 85ba239f514c
Create Date: 2026-11-21 08:19:24.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a22e0e622ef3"
down_revision: str | None = "85ba239f514c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        # Existing accounts get an empty list rather than NULL, as new ones do.
        batch_op.add_column(
            sa.Column("research_roles", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column(
                "affiliation",
                sa.Enum(
                    "university",
                    "health_establishment",
                    "spor_entity",
                    "other",
                    name="affiliation",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("affiliation_other", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("frq_fellowship", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "frq_sector",
                sa.Enum(
                    "health",
                    "society_culture",
                    "nature_technologies",
                    name="frqsector",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("privacy_consent_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("privacy_notice_version", sa.String(length=32), nullable=True)
        )
        batch_op.create_check_constraint(
            "affiliation_other_if_other", "affiliation_other IS NULL OR affiliation = 'other'"
        )
        batch_op.create_check_constraint(
            "frq_sector_if_fellow", "frq_sector IS NULL OR frq_fellowship"
        )
    # The default only filled the existing rows; the application sets the value from now on.
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("research_roles", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_frq_sector_if_fellow"), type_="check")
        batch_op.drop_constraint(op.f("ck_users_affiliation_other_if_other"), type_="check")
        batch_op.drop_column("privacy_notice_version")
        batch_op.drop_column("privacy_consent_at")
        batch_op.drop_column("frq_sector")
        batch_op.drop_column("frq_fellowship")
        batch_op.drop_column("affiliation_other")
        batch_op.drop_column("affiliation")
        batch_op.drop_column("research_roles")
