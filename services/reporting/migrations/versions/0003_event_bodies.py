"""reporting: each case event keeps its body, so that the read model can be rebuilt from the events

Revision ID: reporting_0003
Revises: reporting_0002
"""
import sqlalchemy as sa
from alembic import op

revision = "reporting_0003"
down_revision = "reporting_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("body", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("body")
