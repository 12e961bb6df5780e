"""routing: the documents a unit's answer comes with

Revision ID: routing_0005
Revises: routing_0004
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "routing_0005"
down_revision = "routing_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "result_documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("officer", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_result_documents_case", "result_documents", ["case_id"])


def downgrade():
    op.drop_index("ix_result_documents_case", "result_documents")
    op.drop_table("result_documents")
