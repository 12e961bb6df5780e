"""intake: the identity access log keys a notice's look by its delivery, so a retried or late
request for the address is one record, not two

Revision ID: intake_0007
Revises: intake_0006
"""
import sqlalchemy as sa
from alembic import op

revision = "intake_0007"
down_revision = "intake_0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("identity_access_log", sa.Column("delivery_id", sa.String(36)))
    op.create_index("ux_identity_access_log_delivery", "identity_access_log", ["delivery_id"], unique=True)


def downgrade():
    op.drop_index("ux_identity_access_log_delivery", "identity_access_log")
    with op.batch_alter_table("identity_access_log") as batch:
        batch.drop_column("delivery_id")
