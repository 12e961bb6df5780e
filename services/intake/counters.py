"""Intake's limits counted in its own database (request_counts): every intake process counts together,
and a restart forgets nothing. The figures and the decisions are services/intake/throttle.py's.

Each attempt is counted first, in one statement per count that also locks its row until the
transaction ends (PostgreSQL) or holds the database's write lock (SQLite), so that two processes at
the same moment cannot both take the last one; the policy then decides on the counts. A refused
attempt is rolled back (raise Refused: not counted); an access code is checked only once its attempt
is counted, and a right one is given back. A count's key is stored as a keyed fingerprint (the seal
key's): no client address is written down.
"""
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from services.intake import cases
from services.intake.exceptions import Refused
from services.intake.models import request_counts
from shared.times import utcnow


@dataclass(frozen=True)
class Received:
    """What a counted complaint came to: the case (as cases.receive_case returns it), or the errors of
    a dispute whose access code was wrong (counted, so not an exception that would roll it back)."""
    created: dict = None
    errors: dict = None


def add(tx, fingerprint, counter, amount=1):
    """Add `amount` to a count; its new value."""
    dialect = postgresql if tx.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(request_counts).values(
        key=fingerprint("count", counter.key), window_start=counter.start, window_end=counter.end, count=amount)
    statement = statement.on_conflict_do_update(
        index_elements=[request_counts.c.key, request_counts.c.window_start],
        set_={"count": request_counts.c.count + amount}).returning(request_counts.c.count)
    return tx.session.execute(statement).scalar_one()


def give_back(tx, fingerprint, counters):
    """Take back one from each count: an attempt that is not to count after all."""
    for counter in counters:
        tx.session.execute(update(request_counts).where(
            request_counts.c.key == fingerprint("count", counter.key),
            request_counts.c.window_start == counter.start).values(count=request_counts.c.count - 1))


def look_up(tx, limits, ctx, address, tracking_number, access_code, now=None):
    """The case behind a tracking number and its access code, for a complainant at `address`; None if
    either is wrong (counted). Raises Refused, before the code is checked, when the limits say so."""
    now = (now or utcnow()).timestamp()
    counters = limits.lookup_counters(address, tracking_number, now)
    fingerprint = ctx.sealer.fingerprint
    counts = [add(tx, fingerprint, counter) for counter in counters.all()]
    waiting = limits.lookup_wait(counters, counts, now)
    if waiting:
        raise Refused(waiting, "Too many wrong access codes: try again later.")
    row = cases.find_for_owner(tx.session, tracking_number, access_code)
    if row is not None:  # the right code: its complainant's look-ups are never counted
        give_back(tx, fingerprint, counters.all())
    return row


def receive(tx, data, ctx, limits, address=None, client_key_id=None, now=None):
    """A complaint from an anonymous client at `address` (or a client app's key): counted towards the
    address's (or the key's) cases; a dispute's access code counted as any look-up. Raises Refused when
    either limit says so, IntakeError when the complaint cannot be taken (nothing counted then)."""
    now = now or utcnow()
    fingerprint = ctx.sealer.fingerprint
    limited = limits.case_counter(now.timestamp(), address=address, client_key_id=client_key_id)
    if limited is not None:
        counter, limit = limited
        waiting = limits.case_wait(counter, limit, add(tx, fingerprint, counter), now.timestamp())
        if waiting:
            raise Refused(waiting, "Too many complaints from here: try again later, or call the office.")
    disputes = data.get("disputes")
    if disputes and client_key_id is None:
        if look_up(tx, limits, ctx, address, disputes["tracking_number"], disputes["access_code"], now) is None:
            if limited is not None:
                give_back(tx, fingerprint, [limited[0]])  # no case: it does not count as one
            return Received(errors={"disputes": ["No case with that tracking number and access code."]})
    return Received(created=cases.receive_case(tx, data, ctx, now=now))


def forget_old(tx, now=None):
    """Counts whose window has ended are no longer needed."""
    tx.session.execute(delete(request_counts).where(
        request_counts.c.window_end <= int((now or utcnow()).timestamp())))
