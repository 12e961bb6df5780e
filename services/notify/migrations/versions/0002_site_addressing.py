"""notify: the outbox can address an event to another site

Revision ID: notify_0002
Revises: notify_0001
"""
from alembic import op

from shared.migrations import address_outbox, unaddress_outbox

revision = "notify_0002"
down_revision = "notify_0001"
branch_labels = None
depends_on = None


def upgrade():
    address_outbox(op)


def downgrade():
    unaddress_outbox(op)
