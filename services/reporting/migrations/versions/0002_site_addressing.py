"""reporting: the outbox can address an event to another site

Revision ID: reporting_0002
Revises: reporting_0001
"""
from alembic import op

from shared.migrations import address_outbox, unaddress_outbox

revision = "reporting_0002"
down_revision = "reporting_0001"
branch_labels = None
depends_on = None


def upgrade():
    address_outbox(op)


def downgrade():
    unaddress_outbox(op)
