"""Notify's tables: the delivery log (every message to a complainant and what became of it), and how
many automatic notices each address got each day."""
from sqlalchemy import Column, Index, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text

from shared.store import UtcDateTime

metadata = MetaData()

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36)),  # NULL: about no one case (a unit's daily digest)
    Column("purpose", String(32), nullable=False),
    Column("channel", String(16)),
    Column("recipient", String(254)),  # rows logged before notify_0004 only, until they are sealed at start
    Column("subject", Text),  # what was sent: the office's own words (services/notify/messages.py)
    Column("body", Text),
    # the address (JSON {"recipient": ...}, and for rows logged before notify_0004 the subject and body,
    # which could greet the complainant by name), sealed under the site's key (services/notify/recipients.py)
    Column("sealed", Text),
    # awaiting_contact | pending | delivered | failed | no_contact | not_sent
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("reason", Text),  # why a delivery was not sent (status not_sent)
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("notice", Text),  # what the event gave the message (JSON), for composing it once the address is known
    # who it is for: NULL or complainant, unit (a unit's contacts), role (a role's holder), webhook
    Column("audience", String(16)),
    Column("role", String(64)),  # the directory role of an audience "role" notice
    # what the channel reported later (an SMS gateway's delivery report: "delivered: DELIVRD", "failed: UNDELIV")
    Column("reported", String(48)),
    Column("reported_at", UtcDateTime),
    Index("ix_deliveries_next_attempt", "next_attempt_at"),
)

# Automatic notices (acknowledgments, knowledge-base answers) per address per day (Bangkok), counted
# by every notify process together; the address only as a keyed fingerprint.
address_counts = Table(
    "address_counts", metadata,
    Column("fingerprint", String(64), nullable=False),
    Column("day", String(10), nullable=False),  # YYYY-MM-DD, Asia/Bangkok
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("fingerprint", "day"),
)
