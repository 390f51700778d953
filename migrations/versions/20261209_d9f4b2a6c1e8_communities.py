"""Communities: spaces staff define and each course's discussion, threads and posts, follows,
reads, reports, and members' names and mail settings in communities.

Revision ID: d9f4b2a6c1e8
Revises: d8f1b3a5c7e9
Create Date: 2026-12-09 10:00:00.000000+00:00

New tables only: going down drops them, and every post with them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d9f4b2a6c1e8"
down_revision: str | None = "d8f1b3a5c7e9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("space", "course", name="communitykind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("course_id", sa.String(length=64), nullable=True),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column(
            "audience",
            sa.Enum("everyone", "cohorts", name="audience", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'course' AND course_id IS NOT NULL) OR (kind = 'space' AND course_id IS NULL)",
            name=op.f("ck_communities_course_id_if_course"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("course_id", name=op.f("uq_communities_course_id")),
    )
    op.create_table(
        "community_cohorts",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_community_cohorts_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_cohorts_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "cohort_id", name=op.f("pk_community_cohorts")),
    )
    op.create_index(
        op.f("ix_community_cohorts_cohort_id"), "community_cohorts", ["cohort_id"], unique=False
    )

    op.create_table(
        "community_follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("from_post_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_follows_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_community_follows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "community_id", name=op.f("pk_community_follows")),
    )
    op.create_index(
        op.f("ix_community_follows_community_id"),
        "community_follows",
        ["community_id"],
        unique=False,
    )

    op.create_table(
        "community_moderators",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_moderators_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_community_moderators_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "user_id", name=op.f("pk_community_moderators")),
    )
    op.create_index(
        op.f("ix_community_moderators_user_id"), "community_moderators", ["user_id"], unique=False
    )

    op.create_table(
        "community_profiles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=True),
        sa.Column(
            "mail_mode",
            sa.Enum("immediate", "digest", "off", name="mailmode", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("digest_after_post_id", sa.Integer(), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_community_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_community_profiles")),
    )
    op.create_table(
        "community_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("lesson", sa.String(length=128), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_post_id", sa.Integer(), nullable=False),
        sa.Column("last_post_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("post_count", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_community_threads_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_threads_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_threads")),
    )
    op.create_index(
        op.f("ix_community_threads_author_id"), "community_threads", ["author_id"], unique=False
    )
    op.create_index(
        "ix_community_threads_lesson", "community_threads", ["community_id", "lesson"], unique=False
    )
    op.create_index(
        "ix_community_threads_latest",
        "community_threads",
        ["community_id", "last_post_id"],
        unique=False,
    )
    op.create_index(
        "ix_community_threads_listing",
        "community_threads",
        ["community_id", "pinned", "last_post_id"],
        unique=False,
    )

    op.create_table(
        "community_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=500), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_community_posts_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"],
            ["users.id"],
            name=op.f("fk_community_posts_hidden_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["community_threads.id"],
            name=op.f("fk_community_posts_thread_id_community_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_posts")),
    )
    op.create_index(
        op.f("ix_community_posts_author_id"), "community_posts", ["author_id"], unique=False
    )
    op.create_index(
        op.f("ix_community_posts_notified_at"), "community_posts", ["notified_at"], unique=False
    )
    op.create_index(
        "ix_community_posts_thread", "community_posts", ["thread_id", "id"], unique=False
    )

    op.create_table(
        "community_thread_follows",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["community_threads.id"],
            name=op.f("fk_community_thread_follows_thread_id_community_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_community_thread_follows_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_community_thread_follows")),
    )
    op.create_index(
        op.f("ix_community_thread_follows_thread_id"),
        "community_thread_follows",
        ["thread_id"],
        unique=False,
    )

    op.create_table(
        "community_thread_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["community_threads.id"],
            name=op.f("fk_community_thread_reads_thread_id_community_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_community_thread_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_community_thread_reads")),
    )
    op.create_table(
        "community_post_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["community_posts.id"],
            name=op.f("fk_community_post_reports_post_id_community_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
            name=op.f("fk_community_post_reports_reporter_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_post_reports")),
        sa.UniqueConstraint(
            "post_id", "reporter_id", name=op.f("uq_community_post_reports_post_id_reporter_id")
        ),
    )
    op.create_index(
        op.f("ix_community_post_reports_reporter_id"),
        "community_post_reports",
        ["reporter_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("community_post_reports")
    op.drop_table("community_thread_reads")
    op.drop_table("community_thread_follows")
    op.drop_table("community_posts")
    op.drop_table("community_threads")
    op.drop_table("community_profiles")
    op.drop_table("community_moderators")
    op.drop_table("community_follows")
    op.drop_table("community_cohorts")
    op.drop_table("communities")
