"""Quizzes: scores to the hundredth of a point, for partial credit on multiple-answer questions.

Revision ID: c7e3a9f0d2b4
Revises: b4d8e2f61a97
Create Date: 2026-12-08 10:00:00.000000+00:00

``quiz_attempts.score`` (whole points) becomes ``score_hundredths`` (hundredths of a point,
still an integer: exact on SQLite too). Going down rounds partial scores down to whole points;
each attempt's ``passed`` is kept as graded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7e3a9f0d2b4"
down_revision: str | None = "b4d8e2f61a97"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.add_column(sa.Column("score_hundredths", sa.Integer(), nullable=True))
    op.execute("UPDATE quiz_attempts SET score_hundredths = score * 100")
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.drop_column("score")


def downgrade() -> None:
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.add_column(sa.Column("score", sa.Integer(), nullable=True))
    op.execute("UPDATE quiz_attempts SET score = score_hundredths / 100")
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.drop_column("score_hundredths")
