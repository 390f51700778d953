"""Certificates: each its bit in the revocation status lists its badge names.

Revision ID: f2b6d9a4c813
Revises: c8d2e6f4a1b3
Create Date: 2026-12-07 09:00:00.000000+00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2b6d9a4c813"
down_revision: str | None = "c8d2e6f4a1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_LIST_BITS = 131_072
"""As lms.certificates.badges has it at this revision."""


def upgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("status_index", sa.Integer(), nullable=True))
    _backfill()
    with op.batch_alter_table("certificates") as batch:
        batch.alter_column("status_index", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_certificates_status_index", ["status_index"])


def _backfill() -> None:
    # Certificates issued before get random bits too, as new ones do, in lists kept half
    # empty (lms.certificates.status_lists). Their badges, signed without credentialStatus,
    # stay as they are; a reissue gives one that has it.
    connection = op.get_bind()
    certificates = sa.table("certificates", sa.column("id"), sa.column("status_index"))
    ids = list(connection.scalars(sa.select(certificates.c.id).order_by(certificates.c.id)))
    lists = 1 + 2 * len(ids) // STATUS_LIST_BITS
    indices = secrets.SystemRandom().sample(range(lists * STATUS_LIST_BITS), len(ids))
    if ids:
        connection.execute(
            certificates.update()
            .where(certificates.c.id == sa.bindparam("certificate_id"))
            .values(status_index=sa.bindparam("index")),
            [{"certificate_id": i, "index": index} for i, index in zip(ids, indices, strict=True)],
        )


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_constraint("uq_certificates_status_index", type_="unique")
        batch.drop_column("status_index")
