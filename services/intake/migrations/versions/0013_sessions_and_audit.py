"""intake: officers' sessions, requests to see a confidential complainant, the append-only audit log

Revision ID: intake_0013
Revises: intake_0012
"""
import sqlalchemy as sa
from alembic import op

from shared import audit
from shared.store import UtcDateTime

revision = "intake_0013"
down_revision = "intake_0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_used_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime),
        sa.Column("revoked_why", sa.String(32)),
    )
    op.create_index("ix_sessions_account", "sessions", ["account_id"])
    op.create_table(
        "identity_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requester", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("requested_at", UtcDateTime, nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decision", sa.String(16)),
        sa.Column("decision_note", sa.Text),
        sa.Column("decided_at", UtcDateTime),
    )
    op.create_index("ix_identity_requests_case", "identity_requests", ["case_id"])
    audit.create_in_migration(op)


def downgrade():
    audit.drop_in_migration(op)
    op.drop_table("identity_requests")
    op.drop_table("sessions")
