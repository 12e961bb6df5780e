"""notify: delivery log, messaging tables

Revision ID: notify_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_messaging_tables
from shared.store import UtcDateTime

revision = "notify_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table(
        "deliveries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16)),
        sa.Column("recipient", sa.String(254)),
        sa.Column("subject", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime),
    )
    op.create_index("ix_deliveries_next_attempt", "deliveries", ["next_attempt_at"])


def downgrade():
    for table in ("deliveries", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
