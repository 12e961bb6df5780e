"""reporting: the case-event feed a district sends its hub, and what the hub received of each

Revision ID: reporting_0005
Revises: reporting_0004
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "reporting_0005"
down_revision = "reporting_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_events",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("fed_at", UtcDateTime, nullable=False),
        sa.Column("published_at", UtcDateTime),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retry_at", UtcDateTime),
    )
    op.create_index("ix_feed_events_pending", "feed_events", ["seq"],
                    sqlite_where=sa.text("published_at IS NULL"), postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "feed_sequence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO feed_sequence (id, last_seq) VALUES (1, 0)")
    op.create_table(
        "feed_sites",
        sa.Column("site_id", sa.String(32), primary_key=True),
        sa.Column("contiguous_to", sa.BigInteger, nullable=False),
        sa.Column("highest", sa.BigInteger, nullable=False),
        sa.Column("announced", sa.BigInteger, nullable=False),
        sa.Column("received", sa.BigInteger, nullable=False),
        sa.Column("last_event_type", sa.String(64)),
        sa.Column("last_fed_at", UtcDateTime),
        sa.Column("last_received_at", UtcDateTime),
        sa.Column("last_heard_at", UtcDateTime),
        sa.Column("last_lag_seconds", sa.Float),
        sa.Column("gap_seen_at", UtcDateTime),
        sa.Column("replay_requested_at", UtcDateTime),
    )
    op.create_table(
        "feed_received",
        sa.Column("site_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("fed_at", UtcDateTime, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
    )


def downgrade():
    for table in ("feed_received", "feed_sites", "feed_sequence"):
        op.drop_table(table)
    op.drop_index("ix_feed_events_pending", "feed_events")
    op.drop_table("feed_events")
