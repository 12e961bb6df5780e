"""routing: assignments, messaging tables

Revision ID: routing_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_messaging_tables
from shared.store import UtcDateTime

revision = "routing_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table(
        "assignments",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("assigned_at", UtcDateTime, nullable=False),
    )


def downgrade():
    for table in ("assignments", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
