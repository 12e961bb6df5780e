"""The dead-letter office: messages a handler could not process, kept where an operator sees them.

A message lands here when it breaks the contract (`reason=invalid`) or when its handler kept
failing through every retry (`reason=failed`). Each row is in the database of the service that
failed, so it survives restarts and is visible in both modes: `rongtuk dlq list` reads it and
`rongtuk dlq replay` marks rows for re-delivery, which the running service carries out by
publishing the original body to the handler's queue again.
"""
import hashlib
import json
import logging

from eventlet.queue import Empty, LightQueue
from kombu import Exchange
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY
from sqlalchemy import select, update

from shared import metrics
from shared.store import dead_letters
from shared.times import utcnow

log = logging.getLogger(__name__)

DEAD = "dead"
REPLAY_REQUESTED = "replay_requested"
REPLAYED = "replayed"


def _identity(body_text):
    try:
        body = json.loads(body_text)
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    return (str(body["event_id"])[:64] if body.get("event_id") else None,
            str(body["case_id"])[:64] if body.get("case_id") else None)


def record(engine, *, service, handler, queue, source, event_type, body_text, reason, error, attempts):
    """Keep a failed message (once per handler and event); returns its row id."""
    event_id, case_id = _identity(body_text)
    key = f"{handler}:{event_id or hashlib.sha256(body_text.encode('utf-8', 'replace')).hexdigest()}"
    now = utcnow()
    with engine.begin() as conn:
        existing = conn.execute(select(dead_letters.c.id, dead_letters.c.attempts)
                                .where(dead_letters.c.dedupe_key == key)).first()
        if existing:
            conn.execute(update(dead_letters).where(dead_letters.c.id == existing.id).values(
                status=DEAD, reason=reason, error=error, attempts=existing.attempts + attempts,
                last_failed_at=now))
            row_id = existing.id
        else:
            row_id = conn.execute(dead_letters.insert().values(
                dedupe_key=key, handler=handler, queue=queue, source=source, event_type=event_type,
                event_id=event_id, case_id=case_id, body=body_text, reason=reason, error=error,
                attempts=attempts, status=DEAD, first_failed_at=now, last_failed_at=now,
            )).inserted_primary_key[0]
    metrics.DEAD_LETTERS.labels(service, handler, reason).inc()
    log.error("dead-lettered %s for %s (%s, %d attempts): %s", event_type, handler, reason,
              attempts, error.strip().splitlines()[-1] if error.strip() else "")
    return row_id


def listing(engine, include_replayed=False):
    query = select(dead_letters).order_by(dead_letters.c.id)
    if not include_replayed:
        query = query.where(dead_letters.c.status != REPLAYED)
    with engine.connect() as conn:
        return [row._asdict() for row in conn.execute(query)]


def request_replay(engine, ids=None):
    """Mark dead letters (all, or these ids) for re-delivery; returns how many were marked."""
    query = update(dead_letters).where(dead_letters.c.status == DEAD).values(status=REPLAY_REQUESTED)
    if ids is not None:
        query = query.where(dead_letters.c.id.in_(list(ids)))
    with engine.begin() as conn:
        return conn.execute(query).rowcount


class DeadLetterOffice:
    """Runs in each service: carries out the replays an operator asked for."""

    def __init__(self, engine, config, service_name, poll_interval=1.0):
        self.engine = engine
        self.service_name = service_name
        self.poll_interval = poll_interval
        self.publisher = Publisher(config[AMQP_URI_CONFIG_KEY], use_confirms=True)
        self._stopped = LightQueue()
        self._running = False

    def stop(self):
        self._running = False
        self._stopped.put_nowait(True)

    def run_replays(self):
        self._running = True
        while self._running:
            try:
                self.replay_requested()
            except Exception:
                log.exception("dead-letter replay in %s failed; retrying", self.service_name)
            try:
                self._stopped.get(timeout=self.poll_interval)
            except Empty:
                pass

    def replay_requested(self):
        with self.engine.connect() as conn:
            rows = conn.execute(select(dead_letters.c.id, dead_letters.c.queue, dead_letters.c.body)
                                .where(dead_letters.c.status == REPLAY_REQUESTED)
                                .order_by(dead_letters.c.id)).all()
        for row in rows:
            # marked first, so a replay that fails again at once is recorded as dead, not lost
            with self.engine.begin() as conn:
                conn.execute(update(dead_letters).where(dead_letters.c.id == row.id)
                             .values(status=REPLAYED, replayed_at=utcnow()))
            try:
                # straight to the handler's own queue through the default exchange, body unchanged
                self.publisher.publish(row.body, exchange=Exchange(""), routing_key=row.queue,
                                       content_type="application/json", content_encoding="utf-8",
                                       headers={"rongtuk.replay_of": row.id})
            except Exception:
                with self.engine.begin() as conn:
                    conn.execute(update(dead_letters).where(dead_letters.c.id == row.id)
                                 .values(status=REPLAY_REQUESTED, replayed_at=None))
                raise
            log.info("replayed dead letter %s:%s to %s", self.service_name, row.id, row.queue)
        return len(rows)
