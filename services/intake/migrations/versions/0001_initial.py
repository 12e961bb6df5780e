"""intake: case record, complainants, tracking sequences, messaging tables

Revision ID: intake_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_messaging_tables
from shared.store import UtcDateTime

revision = "intake_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table(
        "complainants",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("email", sa.String(254)),
        sa.Column("phone", sa.String(32)),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("tracking_number", sa.String(40), nullable=False, unique=True),
        sa.Column("access_code_hash", sa.String(64), nullable=False),
        sa.Column("site_id", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("kind", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("complainant_id", sa.String(36), sa.ForeignKey("complainants.id")),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("unit_id", sa.String(64)),
        sa.Column("unit_name", sa.String(200)),
        sa.Column("due_at", UtcDateTime),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "tracking_sequences",
        sa.Column("site_id", sa.String(32), primary_key=True),
        sa.Column("fiscal_year", sa.Integer, primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False),
    )


def downgrade():
    for table in ("tracking_sequences", "cases", "complainants", "dead_letters", "inbox", "outbox"):
        op.drop_table(table)
