"""intake: what a complainant wrote back about their case (an e-mail reply naming its tracking number)

Revision ID: intake_0010
Revises: intake_0009
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "intake_0010"
down_revision = "intake_0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_replies",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("answers_request", sa.Boolean, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_case_replies_case_id", "case_replies", ["case_id"])


def downgrade():
    op.drop_index("ix_case_replies_case_id", "case_replies")
    op.drop_table("case_replies")
