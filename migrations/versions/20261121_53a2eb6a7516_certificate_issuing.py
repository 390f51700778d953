"""Certificate issuing: sequence per learner and definition, stored PDFs, badge, expiry.

Revision ID: 53a2eb6a7516
Revises: a22e0e622ef3
Create Date: 2026-11-21 08:48:50.724611+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "53a2eb6a7516"
down_revision: str | None = "a22e0e622ef3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificate_pdfs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_pdfs_certificate_id_certificates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_pdfs")),
        sa.UniqueConstraint(
            "certificate_id", "language", name=op.f("uq_certificate_pdfs_certificate_id_language")
        ),
    )
    # A certificate's one PDF, if any was stored, becomes its PDF in its language.
    op.execute(
        "INSERT INTO certificate_pdfs (certificate_id, language, sha256, content) "
        "SELECT id, language, pdf_sha256, pdf FROM certificates "
        "WHERE pdf IS NOT NULL AND pdf_sha256 IS NOT NULL"
    )

    with op.batch_alter_table("certificates") as batch_op:
        # Defaults fill the existing rows only; they are dropped below.
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("issuer", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("revoked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("badge_jwt", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("expiry_reminded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("renewal_started_at", sa.DateTime(timezone=True), nullable=True)
        )
        # "bilingual" does not fit in 8.
        batch_op.alter_column(
            "language",
            existing_type=sa.String(length=8),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
        batch_op.drop_column("pdf")
        batch_op.drop_column("pdf_sha256")
    # Number existing certificates 1, 2... per learner and definition, in issue order, so
    # that the unique constraint holds for them too.
    op.execute(
        "UPDATE certificates SET sequence = (SELECT count(*) FROM certificates AS earlier "
        "WHERE earlier.user_id = certificates.user_id "
        "AND earlier.definition_id = certificates.definition_id "
        "AND earlier.id <= certificates.id)"
    )
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.alter_column("sequence", server_default=None)
        batch_op.alter_column("issuer", server_default=None)
        batch_op.create_unique_constraint(
            batch_op.f("uq_certificates_user_id_definition_id_sequence"),
            ["user_id", "definition_id", "sequence"],
        )
        batch_op.create_check_constraint("sequence_positive", "sequence >= 1")
        batch_op.create_foreign_key(
            batch_op.f("fk_certificates_revoked_by_id_users"),
            "users",
            ["revoked_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.add_column(sa.Column("pdf_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
        batch_op.drop_constraint(
            batch_op.f("fk_certificates_revoked_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_certificates_sequence_positive"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("uq_certificates_user_id_definition_id_sequence"), type_="unique"
        )
    # Each certificate keeps the PDF in its own language; a bilingual one, its only PDF.
    op.execute(
        "UPDATE certificates SET "
        "pdf = (SELECT content FROM certificate_pdfs AS p "
        "WHERE p.certificate_id = certificates.id AND p.language = certificates.language), "
        "pdf_sha256 = (SELECT sha256 FROM certificate_pdfs AS p "
        "WHERE p.certificate_id = certificates.id AND p.language = certificates.language)"
    )
    # 'bilingual' no longer fits: those certificates were French first.
    op.execute("UPDATE certificates SET language = 'fr' WHERE length(language) > 8")
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.alter_column(
            "language",
            existing_type=sa.String(length=16),
            type_=sa.String(length=8),
            existing_nullable=False,
        )
        batch_op.drop_column("renewal_started_at")
        batch_op.drop_column("expiry_reminded_at")
        batch_op.drop_column("badge_jwt")
        batch_op.drop_column("superseded_at")
        batch_op.drop_column("revoked_by_id")
        batch_op.drop_column("issuer")
        batch_op.drop_column("sequence")
    op.drop_table("certificate_pdfs")
