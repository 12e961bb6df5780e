"""intake: the counts the limits keep (anonymous cases per address, a client app's per key, wrong
access codes per address, per number and per both), shared by every intake process and kept across
restarts

Revision ID: intake_0008
Revises: intake_0007
"""
import sqlalchemy as sa
from alembic import op

revision = "intake_0008"
down_revision = "intake_0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "request_counts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("window_start", sa.BigInteger, nullable=False),
        sa.Column("window_end", sa.BigInteger, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start"),
    )
    op.create_index("ix_request_counts_window_end", "request_counts", ["window_end"])


def downgrade():
    op.drop_index("ix_request_counts_window_end", "request_counts")
    op.drop_table("request_counts")
