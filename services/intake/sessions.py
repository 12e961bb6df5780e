"""Officers' sessions: a login gives a bearer token; the token is the officer until it ends.

A token ends when it has not been used for `INTAKE.session_idle` seconds, `INTAKE.session_max`
seconds after its login however busy, when the officer logs out, and when their account is
disabled or given a new password (every session of it). A login always makes a new token (a token
sent with the login is ended: rotation), and is throttled per address, per username and per both
(services/intake/throttle.py) in intake's database, which every intake process shares. The token
is shown once and kept only as its SHA-256: a copy of the database logs no one in.
"""
import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from services.intake import accounts, counters
from services.intake.exceptions import Refused
from services.intake.models import accounts as accounts_table
from services.intake.models import sessions
from shared import audit
from shared.actors import Actor
from shared.times import utcnow

PREFIX = "rts_"
TOUCH_EVERY = timedelta(seconds=60)  # last use is written at most once a minute per session


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(account):
    return Actor(name=account["username"], role=account["role"], site_id=account["site_id"],
                 units=tuple(account["units"]), kind="person", account_id=account["id"])


def login(tx, limits, sealer, address, username, password, replaces=None, now=None):
    """A new session for a right username and password: {token, expires_at, idle_expires_at, officer}.
    None for a wrong one (an unknown username alike, in the same time), the failure counted; Refused,
    before the password is checked, past the limits (nothing counted). A token in `replaces` (sent with
    the login) is ended."""
    now = now or utcnow()
    counted = limits.login_counters(address, username, now.timestamp())
    counts = [counters.add(tx, sealer.fingerprint, counter) for counter in counted.all()]
    waiting = limits.login_wait(counted, counts, now.timestamp())
    if waiting:
        raise Refused(waiting, "Too many failed logins: try again later.")
    account = accounts.check_login(tx, username, password)
    if account is None:
        # counted (the failure stays); recorded under a username only when it is an account's
        known = accounts.known_username(tx.session, username)
        audit.record(tx.session, None, "login", "failed", detail={"username": known} if known else None, at=now)
        return None
    counters.give_back(tx, sealer.fingerprint, counted.all())
    if replaces:
        end(tx, replaces, "rotated", now)
    token = PREFIX + secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=limits.session_max)
    tx.session.execute(sessions.insert().values(
        id=str(uuid.uuid4()), token_hash=_hash(token), account_id=account["id"], created_at=now,
        last_used_at=now, expires_at=expires))
    actor = actor_of(account)
    audit.record(tx.session, actor, "login", "allowed", at=now)
    return {"token": token, "token_type": "Bearer", "expires_at": expires.isoformat(),
            "idle_expires_at": min(expires, now + timedelta(seconds=limits.session_idle)).isoformat(),
            "idle_timeout": limits.session_idle, "officer": officer_view(account)}


def authenticate(tx, token, limits, now=None):
    """The Actor whose session the token is, or None (unknown, ended, idle too long, or its account
    disabled). A use moves the idle end on."""
    if not token or not token.startswith(PREFIX) or len(token) > 128:
        return None
    now = now or utcnow()
    row = tx.session.execute(
        select(sessions.c.id, sessions.c.last_used_at, sessions.c.expires_at, sessions.c.revoked_at,
               accounts_table)
        .select_from(sessions.join(accounts_table, sessions.c.account_id == accounts_table.c.id))
        .where(sessions.c.token_hash == _hash(token))).first()
    if row is None or row.revoked_at is not None or row.disabled_at is not None:
        return None
    if now >= row.expires_at or now >= row.last_used_at + timedelta(seconds=limits.session_idle):
        return None
    if now - row.last_used_at >= TOUCH_EVERY:
        tx.session.execute(update(sessions).where(sessions.c.id == row.id).values(last_used_at=now))
    return actor_of(accounts.view(row))


def end(tx, token, why="logout", now=None):
    """End the session of a token (a logout); True if there was one to end."""
    if not token or not token.startswith(PREFIX):
        return False
    return bool(tx.session.execute(update(sessions).where(
        sessions.c.token_hash == _hash(token), sessions.c.revoked_at.is_(None))
        .values(revoked_at=now or utcnow(), revoked_why=why)).rowcount)


def log_out(tx, actor, token):
    """The officer ends their session (on record)."""
    end(tx, token, "logout")
    audit.record(tx.session, actor, "logout", "allowed")


def officer_view(account):
    return {"username": account["username"], "role": account["role"], "units": list(account["units"]),
            "site_id": account["site_id"]}

