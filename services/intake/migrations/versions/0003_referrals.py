"""intake: cases forwarded here by another site (referrals); the outbox can address other sites

Revision ID: intake_0003
Revises: intake_0002
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import address_outbox, unaddress_outbox

revision = "intake_0003"
down_revision = "intake_0002"
branch_labels = None
depends_on = None

COLUMNS = [("referral_site", sa.String(32)), ("referral_case_id", sa.String(36)),
           ("referral_tracking_number", sa.String(40))]


def upgrade():
    address_outbox(op)
    with op.batch_alter_table("cases") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_))
    op.create_index("ix_cases_referral", "cases", ["referral_site", "referral_case_id"], unique=True)


def downgrade():
    op.drop_index("ix_cases_referral", "cases")
    with op.batch_alter_table("cases") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
    unaddress_outbox(op)
