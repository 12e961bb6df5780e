"""routing: the knowledge base in the database, and the log of its changes

Revision ID: routing_0003
Revises: routing_0002
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "routing_0003"
down_revision = "routing_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "knowledge_entries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("questions", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("unit_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.Column("deleted_at", UtcDateTime),
    )
    op.create_table(
        "knowledge_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("officer", sa.String(128), nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_knowledge_changes_entry", "knowledge_changes", ["entry_id"])


def downgrade():
    op.drop_table("knowledge_changes")
    op.drop_table("knowledge_entries")
