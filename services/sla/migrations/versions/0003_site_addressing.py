"""sla: the outbox can address an event to another site

Revision ID: sla_0003
Revises: sla_0002
"""
from alembic import op

from shared.migrations import address_outbox, unaddress_outbox

revision = "sla_0003"
down_revision = "sla_0002"
branch_labels = None
depends_on = None


def upgrade():
    address_outbox(op)


def downgrade():
    unaddress_outbox(op)
