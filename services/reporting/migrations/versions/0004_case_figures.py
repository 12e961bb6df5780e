"""reporting: each case's figures, for the indicators and counts

Revision ID: reporting_0004
Revises: reporting_0003
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "reporting_0004"
down_revision = "reporting_0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_figures",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("site_id", sa.String(32), nullable=False),
        sa.Column("tracking_number", sa.String(40)),
        sa.Column("channel", sa.String(32)),
        sa.Column("category", sa.String(64)),
        sa.Column("confidential", sa.Boolean()),
        sa.Column("has_contact", sa.Boolean()),
        sa.Column("linked_as", sa.String(16)),
        sa.Column("kind", sa.Integer()),
        sa.Column("kind_changes", sa.Integer(), nullable=False),
        sa.Column("first_unit_id", sa.String(64)),
        sa.Column("unit_id", sa.String(64)),
        sa.Column("rerouted", sa.Boolean(), nullable=False),
        sa.Column("info_requested", sa.Boolean(), nullable=False),
        sa.Column("received_at", UtcDateTime()),
        sa.Column("routed_at", UtcDateTime()),
        sa.Column("answered_at", UtcDateTime()),
        sa.Column("answered_from_kb", sa.Boolean(), nullable=False),
        sa.Column("answered_by_unit", sa.Boolean(), nullable=False),
        sa.Column("first_notice_due_at", UtcDateTime()),
        sa.Column("first_notice_outcome", sa.String(16)),
        sa.Column("resolution_due_at", UtcDateTime()),
        sa.Column("resolution_outcome", sa.String(16)),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("breaches", sa.Integer(), nullable=False),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("result_documents", sa.Integer(), nullable=False),
    )
    op.create_index("ix_case_figures_received", "case_figures", ["site_id", "received_at"])
    op.create_index("ix_case_figures_unit", "case_figures", ["unit_id"])


def downgrade():
    op.drop_table("case_figures")
