"""sla: clock lifecycle (pause, stop, generations, next check), fired steps, extra calendar days

Revision ID: sla_0002
Revises: sla_0001
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "sla_0002"
down_revision = "sla_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clocks") as batch:
        batch.add_column(sa.Column("site_id", sa.String(32), nullable=False, server_default="HUB"))
        batch.add_column(sa.Column("generation", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("paused_at", UtcDateTime))
        batch.add_column(sa.Column("paused_business_days", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_step", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_check_at", UtcDateTime))
        batch.add_column(sa.Column("stopped_at", UtcDateTime))
        batch.add_column(sa.Column("outcome", sa.String(16)))
        batch.add_column(sa.Column("updated_at", UtcDateTime))
        batch.drop_constraint("uq_clocks_case_target", type_="unique")
        batch.create_unique_constraint("uq_clocks_case_target_generation", ["case_id", "target", "generation"])
        batch.create_index("ix_clocks_next_check_at", ["next_check_at"])
        batch.create_index("ix_clocks_case_id", ["case_id"])
    # clocks started before this revision: let the next sweep work out their steps
    op.execute("UPDATE clocks SET next_check_at = started_at WHERE state = 'open'")
    op.create_table(
        "clock_steps",
        sa.Column("clock_id", sa.String(36), primary_key=True),
        sa.Column("step", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(16), nullable=False),
        sa.Column("role", sa.String(64)),
        sa.Column("due_at", UtcDateTime, nullable=False),
        sa.Column("fired_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "calendar_days",
        sa.Column("site_id", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )


def downgrade():
    op.drop_table("calendar_days")
    op.drop_table("clock_steps")
    with op.batch_alter_table("clocks") as batch:
        batch.drop_index("ix_clocks_case_id")
        batch.drop_index("ix_clocks_next_check_at")
        batch.drop_constraint("uq_clocks_case_target_generation", type_="unique")
        batch.create_unique_constraint("uq_clocks_case_target", ["case_id", "target"])
        for column in ("updated_at", "outcome", "stopped_at", "next_check_at", "next_step",
                       "paused_business_days", "paused_at", "generation", "site_id"):
            batch.drop_column(column)
