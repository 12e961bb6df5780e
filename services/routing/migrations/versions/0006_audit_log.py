"""routing: the append-only audit log of officers' routing actions and knowledge-base changes

Revision ID: routing_0006
Revises: routing_0005
"""
from alembic import op

from shared import audit

revision = "routing_0006"
down_revision = "routing_0005"
branch_labels = None
depends_on = None


def upgrade():
    audit.create_in_migration(op)


def downgrade():
    audit.drop_in_migration(op)
