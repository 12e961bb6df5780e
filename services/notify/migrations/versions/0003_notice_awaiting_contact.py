"""notify: a delivery is logged before the complainant's address is asked for, with what it will say

Revision ID: notify_0003
Revises: notify_0002
"""
import sqlalchemy as sa
from alembic import op

revision = "notify_0003"
down_revision = "notify_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("notice", sa.Text))


def downgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("notice")
