"""The outbox relay: publishes committed events from the outbox table, with publisher confirms.

Events are written to the outbox in the same transaction as the state change that caused them
(shared.store.Transaction.emit). The relay publishes each to the source service's event exchange,
exactly as nameko's EventDispatcher would, and marks it published only after the broker
confirmed it. A relay killed in between publishes the event again on restart: delivery is at
least once, and handlers are idempotent through the inbox.

An event addressed to another site (`to_site`, see shared.events.SITE_ADDRESSED) is also
published to the exchange that links sites, as a mandatory message: if no route to that site
exists yet (no federation link, or an embedded site with no broker), the row is kept and tried
again later with backoff, without holding up the events behind it.
"""
import json
import logging
from datetime import timedelta

import eventlet
from eventlet.queue import Empty, LightQueue
from kombu import Exchange
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.standalone.events import get_event_exchange
from sqlalchemy import or_, select, update

from shared import metrics
from shared.config import sites_linked
from shared.events import SITES_EXCHANGE, site_routing_key
from shared.store import outbox
from shared.times import utcnow

log = logging.getLogger(__name__)


class PollingRelay:
    """The loop of a relay that publishes rows a table keeps until they are published: a batch at a
    time, at once when woken (a transaction wrote some), else every `poll_interval` seconds; the
    broker or database away, it backs off and tries again, the rows kept. A subclass gives
    `publish_pending()` (how many it published), `after_round()` if it has more to do each round, and
    `name` (for the log)."""
    batch_size = 200
    name = "relay"

    def __init__(self, poll_interval):
        self.poll_interval = poll_interval
        self._wakeups = LightQueue()
        self._running = False

    def wake(self):
        if self._wakeups.qsize() == 0:
            self._wakeups.put_nowait(True)

    def stop(self):
        self._running = False
        self.wake()

    def publish_pending(self):
        raise NotImplementedError

    def after_round(self):
        """Anything else due each round (a heartbeat); nothing by default."""

    def run(self):
        self._running = True
        failures = 0
        while self._running:
            try:
                published = self.publish_pending()
                self.after_round()
                failures = 0
            except Exception:  # the broker or database is away: keep the rows, try again
                failures += 1
                log.exception("%s failed; retrying", self.name)
                eventlet.sleep(min(0.2 * 2 ** failures, 10.0))
                continue
            if published < self.batch_size:
                try:
                    self._wakeups.get(timeout=self.poll_interval)
                except Empty:
                    pass


class OutboxRelay(PollingRelay):
    site_retry = 2.0        # seconds before the first retry of an unreachable site, doubling
    site_retry_max = 300.0

    def __init__(self, engine, config, service_name, poll_interval=1.0, enabled=True):
        super().__init__(poll_interval)
        self.engine = engine
        self.config = config
        self.service_name = service_name
        self.name = f"outbox relay of {service_name}"
        self.enabled = enabled
        self.exchange = get_event_exchange(service_name, config)
        self.sites_exchange = Exchange(SITES_EXCHANGE, type="topic", durable=True)
        self.publisher = Publisher(config[AMQP_URI_CONFIG_KEY], declare=[self.exchange, self.sites_exchange],
                                   use_confirms=True)
        self.sites_linked = sites_linked(config)

    def run(self):
        if not self.enabled:
            log.warning("outbox relay of %s is disabled by config", self.service_name)
            return
        super().run()

    def publish_pending(self):
        """Publish one batch of unpublished events in order; returns how many were published."""
        lock = self.engine.dialect.name == "postgresql"
        now = utcnow()
        with self.engine.connect() as conn:
            query = (select(outbox.c.id, outbox.c.event_type, outbox.c.body, outbox.c.to_site, outbox.c.attempts)
                     .where(outbox.c.published_at.is_(None),
                            or_(outbox.c.retry_at.is_(None), outbox.c.retry_at <= now))
                     .order_by(outbox.c.id).limit(self.batch_size))
            if lock:  # several relays of one service share the table: each takes its own rows
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if not lock:
                conn.commit()  # SQLite: hold no transaction while publishing
            done = []
            error = None
            for row in rows:
                try:
                    self.publish(row.event_type, json.loads(row.body), row.to_site)
                except UndeliverableMessage:
                    self._wait_for_site(conn, row, now)
                    continue
                except Exception as exc:
                    error = exc
                    break
                done.append(row.id)
            if done:
                conn.execute(update(outbox).where(outbox.c.id.in_(done))
                             .values(published_at=utcnow(), attempts=outbox.c.attempts + 1))
            if error is not None:
                conn.execute(update(outbox).where(outbox.c.id == rows[len(done)].id)
                             .values(attempts=outbox.c.attempts + 1, last_error=repr(error)[:2000]))
            conn.commit()
        if done:
            metrics.OUTBOX_PUBLISHED.labels(self.service_name).inc(len(done))
        if error is not None:
            raise error
        return len(done)

    def publish(self, event_type, body, to_site=None):
        self.publisher.publish(body, exchange=self.exchange, routing_key=event_type)
        if to_site:
            if not self.sites_linked:
                raise UndeliverableMessage()
            self.publisher.publish(body, exchange=self.sites_exchange, mandatory=True,
                                   routing_key=site_routing_key(to_site, self.service_name, event_type))

    def _wait_for_site(self, conn, row, now):
        """No route to the addressed site: keep the row and try again later (the local copy, already
        published, is published again then; handlers' inboxes drop the repeat)."""
        delay = min(self.site_retry * 2 ** row.attempts, self.site_retry_max)
        log.warning("outbox of %s: no route to site %s for %s; retrying in %.0fs",
                    self.service_name, row.to_site, row.event_type, delay)
        conn.execute(update(outbox).where(outbox.c.id == row.id).values(
            attempts=outbox.c.attempts + 1, retry_at=now + timedelta(seconds=delay),
            last_error=f"no route to site {row.to_site}"))
