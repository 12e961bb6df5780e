"""reporting: how satisfied each case's complainant said they are (case_rated), for the counts

Revision ID: reporting_0006
Revises: reporting_0005
"""
import sqlalchemy as sa
from alembic import op

revision = "reporting_0006"
down_revision = "reporting_0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_figures") as batch:
        batch.add_column(sa.Column("satisfaction", sa.Integer))


def downgrade():
    with op.batch_alter_table("case_figures") as batch:
        batch.drop_column("satisfaction")
