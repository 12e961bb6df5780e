"""routing: how each assignment was decided, its status, the text to retrain from; officers' actions

Revision ID: routing_0002
Revises: routing_0001
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "routing_0002"
down_revision = "routing_0001"
branch_labels = None
depends_on = None

COLUMNS = [("tracking_number", sa.String(40)), ("method", sa.String(16)), ("score", sa.Float),
           ("model_version", sa.String(64)), ("kind", sa.Integer), ("kind_reason", sa.Text),
           ("status", sa.String(16)), ("text", sa.Text), ("updated_at", UtcDateTime)]


def upgrade():
    with op.batch_alter_table("assignments") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_))
    op.execute("UPDATE assignments SET method = 'rule', status = 'assigned'")
    op.create_table(
        "routing_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("officer", sa.String(128), nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_routing_actions_case", "routing_actions", ["case_id"])


def downgrade():
    op.drop_table("routing_actions")
    with op.batch_alter_table("assignments") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
