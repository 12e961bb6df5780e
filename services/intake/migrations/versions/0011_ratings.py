"""intake: how satisfied a complainant is with how their answered case was handled (once a case)

Revision ID: intake_0011
Revises: intake_0010
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "intake_0011"
down_revision = "intake_0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ratings",
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("rated_at", UtcDateTime, nullable=False),
    )


def downgrade():
    op.drop_table("ratings")
