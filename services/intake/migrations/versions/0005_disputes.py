"""intake: what a complainant wrote when disputing a result that reopened their case

Revision ID: intake_0005
Revises: intake_0004
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "intake_0005"
down_revision = "intake_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "disputes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(128)),
        sa.Column("received_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_disputes_case", "disputes", ["case_id", "received_at"])


def downgrade():
    op.drop_table("disputes")
