"""reporting: case events, case summaries, messaging tables

Revision ID: reporting_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_messaging_tables
from shared.store import UtcDateTime

revision = "reporting_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table(
        "case_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("service", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("occurred_at", UtcDateTime, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
    )
    op.create_index("ix_case_events_case", "case_events", ["case_id", "occurred_at"])
    op.create_table(
        "case_summaries",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("site_id", sa.String(32), nullable=False),
        sa.Column("tracking_number", sa.String(40)),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("kind", sa.Integer),
        sa.Column("channel", sa.String(32)),
        sa.Column("unit_id", sa.String(64)),
        sa.Column("received_at", UtcDateTime),
        sa.Column("due_at", UtcDateTime),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_case_summaries_status", "case_summaries", ["status"])


def downgrade():
    for table in ("case_summaries", "case_events", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
