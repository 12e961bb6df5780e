"""Reporting's tables: every case event it heard, one summary row per case, and each case's figures."""
from sqlalchemy import BigInteger, Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text, text

from shared.store import UtcDateTime

metadata = MetaData()

case_events = Table(
    "case_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("case_id", String(36), nullable=False),
    Column("service", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("summary", Text, nullable=False),
    # the event as reporting heard it (JSON), for `rongtuk reporting rebuild`; none for reporting's
    # own entries and for events heard before reporting_0003
    Column("body", Text),
    Index("ix_case_events_case", "case_id", "occurred_at"),
)

case_summaries = Table(
    "case_summaries", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("site_id", String(32), nullable=False),
    Column("tracking_number", String(40)),
    Column("status", String(32), nullable=False),
    Column("kind", Integer),
    Column("channel", String(32)),
    Column("unit_id", String(64)),
    Column("received_at", UtcDateTime),
    Column("due_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_case_summaries_status", "status"),
)

# What the indicators and counts need of each case (services/reporting/figures.py folds it)
case_figures = Table(
    "case_figures", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("site_id", String(32), nullable=False),
    Column("tracking_number", String(40)),
    Column("channel", String(32)),
    Column("category", String(64)),
    Column("confidential", Boolean),
    Column("has_contact", Boolean),
    Column("linked_as", String(16)),           # repeat or dispute: the case it was linked to
    Column("kind", Integer),
    Column("kind_changes", Integer, nullable=False),
    Column("first_unit_id", String(64)),
    Column("unit_id", String(64)),
    Column("rerouted", Boolean, nullable=False),
    Column("info_requested", Boolean, nullable=False),
    Column("received_at", UtcDateTime),
    Column("routed_at", UtcDateTime),
    Column("answered_at", UtcDateTime),
    Column("answered_from_kb", Boolean, nullable=False),
    Column("answered_by_unit", Boolean, nullable=False),
    Column("first_notice_due_at", UtcDateTime),
    Column("first_notice_outcome", String(16)),
    Column("resolution_due_at", UtcDateTime),
    Column("resolution_outcome", String(16)),
    Column("warnings", Integer, nullable=False),
    Column("breaches", Integer, nullable=False),
    Column("escalations", Integer, nullable=False),
    Column("reopened", Integer, nullable=False),
    Column("result_documents", Integer, nullable=False),
    Column("satisfaction", Integer),           # the complainant's rating, 1-5 (case_rated), once
    Index("ix_case_figures_received", "site_id", "received_at"),
    Index("ix_case_figures_unit", "unit_id"),
)

# -- the feed (services/reporting/feed.py) ------------------------------------------------------
# At a district: each event it folded, redacted, numbered in the site's feed, until published and
# then for FEED.keep_days (a hub may ask for it again).
feed_events = Table(
    "feed_events", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("source", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("body", Text, nullable=False),          # the redacted event (JSON)
    Column("fed_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("retry_at", UtcDateTime),               # no route to the hub yet: not before then
    Index("ix_feed_events_pending", "seq",
          sqlite_where=text("published_at IS NULL"), postgresql_where=text("published_at IS NULL")),
)

# At a district: the last number given (one row); taken and raised in the transaction that writes
# the event, so numbers are given in commit order and none is skipped.
feed_sequence = Table(
    "feed_sequence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
)

# At the hub: what it received of each site's feed.
feed_sites = Table(
    "feed_sites", metadata,
    Column("site_id", String(32), primary_key=True),
    Column("contiguous_to", BigInteger, nullable=False),   # every number up to here received
    Column("highest", BigInteger, nullable=False),
    Column("announced", BigInteger, nullable=False),       # the last number the district says it published
    Column("received", BigInteger, nullable=False),        # how many numbers received (each once)
    Column("last_event_type", String(64)),
    Column("last_fed_at", UtcDateTime),                    # when the district wrote the highest
    Column("last_received_at", UtcDateTime),              # the last event
    Column("last_heard_at", UtcDateTime),                 # the last event or heartbeat
    Column("last_lag_seconds", Float),                     # fed at the district -> folded here, the last one
    Column("gap_seen_at", UtcDateTime),                    # since when a number has been missing; None: none is
    Column("replay_requested_at", UtcDateTime),
)

feed_received = Table(
    "feed_received", metadata,
    Column("site_id", String(32), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("fed_at", UtcDateTime, nullable=False),         # written at the district
    Column("received_at", UtcDateTime, nullable=False),    # folded here
)
