"""routing: find a unit's cases (the portal's queue asks which open cases a unit has, as lead or support)

Revision ID: routing_0007
Revises: routing_0006
"""
from alembic import op

revision = "routing_0007"
down_revision = "routing_0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_case_units_unit_status", "case_units", ["unit_id", "status"])


def downgrade():
    op.drop_index("ix_case_units_unit_status", table_name="case_units")
