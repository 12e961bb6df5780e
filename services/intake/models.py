"""Intake's tables: the case record, complainants (sealed), attachments, API keys, tracking sequences,
and the counts the limits keep (services/intake/throttle.py); officers' accounts, sessions, requests
to see who complained, and the audit log."""
from sqlalchemy import (BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData,
                        PrimaryKeyConstraint, String, Table, Text)

from shared.audit import audit_log
from shared.store import UtcDateTime

metadata = MetaData()

complainants = Table(
    "complainants", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200)),    # legacy rows only: identity is now sealed
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("sealed", Text),          # the identity, encrypted (services/intake/sealing.py)
    Column("fp_national_id", String(64)),  # keyed fingerprints, to find repeats without unsealing
    Column("fp_phone", String(64)),
    Column("fp_email", String(64)),
    Column("fp_line", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_complainants_fp_national_id", "fp_national_id"),
    Index("ix_complainants_fp_phone", "fp_phone"),
    Index("ix_complainants_fp_email", "fp_email"),
    Index("ix_complainants_fp_line", "fp_line"),
)

cases = Table(
    "cases", metadata,
    Column("id", String(36), primary_key=True),
    Column("tracking_number", String(40), nullable=False, unique=True),
    Column("access_code_hash", String(64), nullable=False),
    Column("site_id", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("kind", Integer),  # None until routing reads it from the words (nobody gave one)
    Column("subject", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("complainant_id", String(36), ForeignKey("complainants.id")),
    Column("status", String(32), nullable=False),
    Column("unit_id", String(64)),
    Column("unit_name", String(200)),
    Column("due_at", UtcDateTime),
    Column("received_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("category", String(64)),
    Column("channel_ref", Text),        # JSON: the channel's own reference (letter number, call taker...)
    Column("recorded_by", String(128)),  # the officer or client who recorded it, when not self-submitted
    Column("province", String(100)),
    Column("district", String(100)),
    Column("subdistrict", String(100)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("address", Text),
    Column("confidential", Boolean, nullable=False, server_default="0"),
    Column("field_check", Boolean, nullable=False, server_default="0"),
    Column("closed_at", UtcDateTime),
    Column("linked_case_id", String(36)),
    Column("link_reason", String(16)),  # repeat | dispute
    Column("referral_site", String(32)),             # a case another site forwarded here: that site,
    Column("referral_case_id", String(36)),          # and the case there
    Column("referral_tracking_number", String(40)),
    Column("result", Text),                          # the answer the complainant is told (case_answered)
    Column("result_by_site", String(32)),            # the site that gave it
    Column("answered_at", UtcDateTime),
    Column("result_documents", Text),                # JSON: the documents the result came with (no content)
    Index("ix_cases_complainant_received", "complainant_id", "received_at"),
    Index("ix_cases_referral", "referral_site", "referral_case_id", unique=True),
)

disputes = Table(
    "disputes", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("description", Text, nullable=False),    # the complainant's own words: why the result is wrong
    Column("recorded_by", String(128)),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_disputes_case", "case_id", "received_at"),
)

attachments = Table(
    "attachments", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),  # the file is kept under DATA_DIR/attachments by this name
    Column("created_at", UtcDateTime, nullable=False),
)

# What a complainant wrote back about their case (an e-mail naming its tracking number, from the
# address they gave): kept with the case like its description, shown to officers on the case's page.
case_replies = Table(
    "case_replies", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("answers_request", Boolean, nullable=False),  # the case was waiting for the complainant
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_case_replies_case_id", "case_id"),
)

# how satisfied the complainant is with how their answered case was handled: once a case; the comment
# is theirs, kept here and never in an event
ratings = Table(
    "ratings", metadata,
    Column("case_id", String(36), ForeignKey("cases.id"), primary_key=True),
    Column("score", Integer, nullable=False),  # 1 (not at all satisfied) .. 5 (very)
    Column("comment", Text),
    Column("rated_at", UtcDateTime, nullable=False),
)

identity_access_log = Table(
    "identity_access_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("requested_by", String(128), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    # a notice's look at the address, keyed by its delivery: asked again (a retry, an answer that
    # came after the caller's timeout) it is still one record
    Column("delivery_id", String(36)),
    Index("ux_identity_access_log_delivery", "delivery_id", unique=True),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),  # client (Open311 apps) | officer
    Column("prefix", String(12), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

# officers' accounts (services/intake/accounts.py): the password only as an argon2id hash
accounts = Table(
    "accounts", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(32), nullable=False),   # shared/policy.py PEOPLE
    Column("units", Text, nullable=False),         # JSON list of the directory's unit ids
    Column("site_id", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
)

# officers' sessions (services/intake/sessions.py): a bearer token is kept only as its SHA-256
sessions = Table(
    "sessions", metadata,
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),     # the absolute end, however busy
    Column("revoked_at", UtcDateTime),
    Column("revoked_why", String(32)),                     # logout | disabled | password | operator
    Index("ix_sessions_account", "account_id"),
)

# requests to see a confidential case's complainant, and the second person's decision
# (services/intake/identity_access.py)
identity_requests = Table(
    "identity_requests", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey("cases.id"), nullable=False),
    Column("requested_by", String(200), nullable=False),   # the actor's name (a username, a key's name)
    Column("requester", Text, nullable=False),             # the actor, as shared/actors.py writes it
    Column("reason", Text, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("decided_by", String(200)),
    Column("decision", String(16)),                        # approved | refused
    Column("decision_note", Text),
    Column("decided_at", UtcDateTime),
    Index("ix_identity_requests_case", "case_id"),
)

inbound_messages = Table(
    "inbound_messages", metadata,
    Column("channel", String(16), primary_key=True),
    Column("external_id", String(255), primary_key=True),  # e.g. an e-mail's Message-ID, a LINE event id
    Column("case_id", String(36)),
    Column("received_at", UtcDateTime, nullable=False),
)

tracking_sequences = Table(
    "tracking_sequences", metadata,
    Column("site_id", String(32), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# What the limits count (services/intake/throttle.py, counters.py): one row per key and fixed window,
# added to in one statement by every intake process; rows whose window has ended are deleted.
request_counts = Table(
    "request_counts", metadata,
    Column("key", String(64), nullable=False),          # a keyed fingerprint of what is counted: never an address
    Column("window_start", BigInteger, nullable=False),  # epoch seconds
    Column("window_end", BigInteger, nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("key", "window_start"),
    Index("ix_request_counts_window_end", "window_end"),
)

audit_log.to_metadata(metadata)  # shared/audit.py: the officers' audit log, append-only
