"""notify: what an SMS gateway reported of a message after it took it (delivered to the handset, or not)

Revision ID: notify_0007
Revises: notify_0006
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "notify_0007"
down_revision = "notify_0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("reported", sa.String(48)))
        batch.add_column(sa.Column("reported_at", UtcDateTime))


def downgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("reported_at")
        batch.drop_column("reported")
