"""routing: several units per case, each with its status; forwarding to other sites and answers

Revision ID: routing_0004
Revises: routing_0003
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import address_outbox, unaddress_outbox
from shared.store import UtcDateTime

revision = "routing_0004"
down_revision = "routing_0003"
branch_labels = None
depends_on = None

COLUMNS = [("forwarded_to", sa.String(32)), ("referral_site", sa.String(32)), ("referral_case_id", sa.String(36)),
           ("referral_tracking_number", sa.String(40)), ("answer", sa.Text), ("answered_by_site", sa.String(32)),
           ("answered_at", UtcDateTime)]


def upgrade():
    address_outbox(op)
    with op.batch_alter_table("assignments") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_))
    op.create_table(
        "case_units",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("unit_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("assigned_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    # every case routed so far has its one unit as the lead
    op.execute("INSERT INTO case_units (case_id, unit_id, role, status, assigned_at, updated_at) "
               "SELECT case_id, unit_id, 'lead', 'assigned', assigned_at, COALESCE(updated_at, assigned_at) "
               "FROM assignments")


def downgrade():
    op.drop_table("case_units")
    with op.batch_alter_table("assignments") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
    unaddress_outbox(op)
