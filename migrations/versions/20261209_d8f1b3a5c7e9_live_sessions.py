"""Live sessions: sessions and their tags, registrations and waiting lists, attendance,
personal calendar feeds.

Revision ID: d8f1b3a5c7e9
Revises: c7e3a9f0d2b4
Create Date: 2026-12-09 09:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d8f1b3a5c7e9"
down_revision: str | None = "c7e3a9f0d2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
    )


def _session(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["session_id"],
        ["live_sessions.id"],
        name=op.f(f"fk_{table}_session_id_live_sessions"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column(
            "language",
            sa.Enum("fr", "en", "bilingual", name="sessionlanguage", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("course_id", sa.String(length=64), nullable=True),
        sa.Column("certificate_id", sa.String(length=64), nullable=True),
        sa.Column("recording_url", sa.String(length=500), nullable=True),
        sa.Column("captions_vtt", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_live_sessions_ends_after_start")),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_live_sessions_capacity_positive")),
        _user("created_by_id", "live_sessions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_sessions")),
        sa.UniqueConstraint("slug", name=op.f("uq_live_sessions_slug")),
    )
    op.create_index(op.f("ix_live_sessions_starts_at"), "live_sessions", ["starts_at"])
    op.create_table(
        "live_session_tags",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        _session("live_session_tags"),
        sa.PrimaryKeyConstraint("session_id", "tag", name=op.f("pk_live_session_tags")),
    )
    op.create_index(op.f("ix_live_session_tags_tag"), "live_session_tags", ["tag"])
    op.create_table(
        "live_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "waiting",
                "cancelled",
                name="registrationstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day_reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hour_reminder_at", sa.DateTime(timezone=True), nullable=True),
        _session("live_registrations"),
        _user("user_id", "live_registrations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_registrations")),
        sa.UniqueConstraint(
            "session_id", "user_id", name=op.f("uq_live_registrations_session_id_user_id")
        ),
    )
    op.create_index(
        "ix_live_registrations_session_status", "live_registrations", ["session_id", "status"]
    )
    op.create_index(op.f("ix_live_registrations_user_id"), "live_registrations", ["user_id"])
    op.create_table(
        "live_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "ticked", "zoom", "teams", name="attendancesource", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _session("live_attendance"),
        _user("user_id", "live_attendance", "CASCADE"),
        _user("recorded_by_id", "live_attendance", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_attendance")),
        sa.UniqueConstraint(
            "session_id", "user_id", name=op.f("uq_live_attendance_session_id_user_id")
        ),
    )
    op.create_index(op.f("ix_live_attendance_user_id"), "live_attendance", ["user_id"])
    op.create_table(
        "live_calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=True),
        _user("user_id", "live_calendar_feeds", "CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_live_calendar_feeds")),
    )


def downgrade() -> None:
    op.drop_table("live_calendar_feeds")
    op.drop_index(op.f("ix_live_attendance_user_id"), table_name="live_attendance")
    op.drop_table("live_attendance")
    op.drop_index(op.f("ix_live_registrations_user_id"), table_name="live_registrations")
    op.drop_index("ix_live_registrations_session_status", table_name="live_registrations")
    op.drop_table("live_registrations")
    op.drop_index(op.f("ix_live_session_tags_tag"), table_name="live_session_tags")
    op.drop_table("live_session_tags")
    op.drop_index(op.f("ix_live_sessions_starts_at"), table_name="live_sessions")
    op.drop_table("live_sessions")
