"""intake: the result told to the complainant, kept on the case record to show on its page

Revision ID: intake_0004
Revises: intake_0003
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "intake_0004"
down_revision = "intake_0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("result", sa.Text))
        batch.add_column(sa.Column("result_by_site", sa.String(32)))
        batch.add_column(sa.Column("answered_at", UtcDateTime))


def downgrade():
    with op.batch_alter_table("cases") as batch:
        for name in ("answered_at", "result_by_site", "result"):
            batch.drop_column(name)
