"""The feed on the broker: the district's relay that publishes its feed (and a heartbeat), the hub's
consumer of every district's feed, and the district's consumer of the hub's replay requests.

The district publishes each numbered event to the feed exchange (`rongtuk.feed`, key
`<SITE>.<source>.<event>`) as a mandatory message with publisher confirms, in order, and marks it
published only once its own broker confirmed it. No route (the hub never linked yet): the rows stay
and are tried again. A link that is down is the upstream queue's business: the federation link
made it on the district's broker and it holds the feed until the hub takes it (ack-mode on-confirm).
"""
import json
import logging
from datetime import timedelta

import eventlet
from kombu import Exchange, Queue
from marshmallow import ValidationError
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from prometheus_client import REGISTRY
from sqlalchemy import or_, select, update

from services.reporting import feed_store
from services.reporting.feed import FeedMessage, FeedSettings, Heartbeat, ReplayRequest
from services.reporting.feed_metrics import FeedCollector, LinkCollector
from services.reporting.models import feed_events
from shared import events, sites
from shared.config import setting, sites_linked, site_id
from shared.delivery import ReliableEventHandler, _body_text
from shared.outbox import PollingRelay
from shared.store import Database
from shared.times import utcnow

log = logging.getLogger(__name__)
FEED = Exchange(events.FEED_EXCHANGE, type="topic", durable=True)
SITES = Exchange(events.SITES_EXCHANGE, type="topic", durable=True)
HEARTBEAT = "feed.heartbeat"   # `<HUB>.<SITE>.feed.heartbeat`: {site_id, last_seq, at}
REPLAY = "reporting.feed_replay"


def settings_of(config):
    return FeedSettings.from_config(config, site_id(config))


class FeedRelay(PollingRelay):
    """Publishes the district's unpublished feed events in order, and a heartbeat when due (the
    loop is the outbox relay's: shared/outbox.PollingRelay)."""
    retry = 2.0          # seconds before trying again when the hub has no route yet, doubling
    retry_max = 30.0

    def __init__(self, engine, config, settings):
        super().__init__(settings.poll_interval)
        self.engine = engine
        self.site = site_id(config)
        self.name = f"feed relay of site {self.site}"
        self.settings = settings
        self.publisher = Publisher(config[AMQP_URI_CONFIG_KEY], declare=[FEED], use_confirms=True)
        self._last_heartbeat = None

    def after_round(self):
        self.heartbeat_if_due()

    def publish_pending(self):
        """Publish one batch of the feed in order; returns how many were published."""
        lock = self.engine.dialect.name == "postgresql"
        now = utcnow()
        with self.engine.connect() as conn:
            query = (select(feed_events).where(feed_events.c.published_at.is_(None), or_(
                feed_events.c.retry_at.is_(None), feed_events.c.retry_at <= now))
                .order_by(feed_events.c.seq).limit(self.batch_size))
            if lock:  # several reporting processes: each publishes the rows it took
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if not lock:
                conn.commit()
            done, unroutable = [], None
            for row in rows:
                message = {"site_id": self.site, "seq": row.seq, "source": row.source,
                           "event_type": row.event_type, "fed_at": row.fed_at.isoformat(),
                           "event": json.loads(row.body)}
                try:
                    self.publisher.publish(message, exchange=FEED, mandatory=True,
                                           routing_key=events.feed_routing_key(self.settings.hub, self.site, row.source,
                                                                              row.event_type))
                except UndeliverableMessage:
                    unroutable = row
                    break
                done.append(row.seq)
            if done:
                conn.execute(update(feed_events).where(feed_events.c.seq.in_(done))
                             .values(published_at=utcnow(), attempts=feed_events.c.attempts + 1))
            if unroutable is not None:  # the rest waits: no route to the hub for any of them
                delay = min(self.retry * 2 ** unroutable.attempts, self.retry_max)
                log.warning("feed of site %s: no route to a hub (is the hub linked to this site?); "
                            "retrying in %.0fs", self.site, delay)
                conn.execute(update(feed_events).where(feed_events.c.seq.in_(
                    [r.seq for r in rows if r.seq not in done])).values(
                    attempts=feed_events.c.attempts + 1, retry_at=now + timedelta(seconds=delay)))
            conn.commit()
        return len(done)

    def heartbeat_if_due(self):
        now = utcnow()
        if self._last_heartbeat and now - self._last_heartbeat < timedelta(seconds=self.settings.heartbeat):
            return
        with self.engine.connect() as conn:
            last = feed_store.last_published(conn)
        self.publisher.publish({"site_id": self.site, "last_seq": last, "at": now.isoformat()}, exchange=FEED,
                               routing_key=f"{self.settings.hub}.{self.site}.{HEARTBEAT}")
        self._last_heartbeat = now


class Feed(DependencyProvider):
    """The site's FEED settings; at a district feeding a hub, its relay; at a hub, the publisher of
    replay requests. The feed needs sites linked through RabbitMQ: on the in-memory broker it is off."""

    def setup(self):
        config = self.container.config
        self.settings = settings_of(config)
        self.linked = sites_linked(config)
        if self.settings.hub and not self.linked:
            log.warning("FEED.hub is %s, but this site runs on the in-memory broker: it feeds no hub",
                        self.settings.hub)
        self.relay = None
        self.publisher = None
        if self.linked and self.settings.receive:
            self.publisher = replay_publisher(config)

    def start(self):  # the database is set up by now (setup's order is not ours)
        engine = Database.of(self.container).engine
        self.collectors = []
        if self.linked and (self.settings.hub or self.settings.receive):
            self.collectors.append(FeedCollector(engine, site_id(self.container.config), self.settings.receive))
        if self.linked and (api := links_api(self.container.config)):
            links = LinkCollector(api, sites.vhost_of(self.container.config[AMQP_URI_CONFIG_KEY]))
            self.collectors.append(links)
            self._link_thread = self.container.spawn_managed_thread(
                lambda: _every(links.interval, links.refresh), identifier="reporting.link_state")
        for collector in self.collectors:
            REGISTRY.register(collector)
        if self.linked and self.settings.hub:
            self.relay = FeedRelay(engine, self.container.config, self.settings)
            self._thread = self.container.spawn_managed_thread(self.relay.run, identifier="reporting.feed_relay")

    def stop(self):
        self._unregister()
        if self.relay:
            self.relay.stop()
            with eventlet.Timeout(5, False):
                self._thread.wait()

    def kill(self):
        self._unregister()
        if self.relay:
            self.relay.stop()

    def _unregister(self):
        for collector in getattr(self, "collectors", ()):
            REGISTRY.unregister(collector)
        self.collectors = []
        if getattr(self, "_link_thread", None) is not None:
            self._link_thread.kill()
            self._link_thread = None

    def get_dependency(self, worker_ctx):
        return self

    @property
    def feeding(self):
        """The settings when this site feeds a hub, else None."""
        return self.settings if self.linked and self.settings.hub else None

    def wake(self):
        if self.relay:
            self.relay.wake()

    def ask(self, asks):
        """Ask each district for its missing ranges again: [(site, first, last)]."""
        ask_again(self.publisher, site_id(self.container.config), asks)


def _every(seconds, work):
    """Do `work` now and every `seconds` after, until the container kills the thread."""
    while True:
        try:
            work()
        except Exception:  # never let the loop die: the next round tries again
            log.exception("%s failed", getattr(work, "__qualname__", work))
        eventlet.sleep(seconds)


def links_api(config):
    """The broker's management API the link metrics read: METRICS.broker_management, by default the
    AMQP_URI's host on port 15672 with its credentials; `off`: none."""
    given = str(setting(config, "METRICS", "broker_management", "") or "").strip()
    if given.lower() == "off":
        return None
    try:
        return given or sites.management_url(config[AMQP_URI_CONFIG_KEY])
    except sites.LinkError:
        return None


def replay_publisher(config):
    """What a hub (its reporting, or `rongtuk sites feed --ask`) asks districts with."""
    return Publisher(config[AMQP_URI_CONFIG_KEY], declare=[SITES], use_confirms=True)


def ask_again(publisher, hub, asks):
    """Ask each district for its missing ranges again, [(site, first, last)], over the sites exchange."""
    for site, first, last in asks:
        publisher.publish({"site_id": hub, "to_site": site, "from_seq": first, "to_seq": last},
                          exchange=SITES, routing_key=f"{site}.{REPLAY}")
        log.info("asked site %s for its feed %d-%d again", site, first, last)


class FeedEntrypoint(ReliableEventHandler):
    """A handler of feed traffic: retried then dead-lettered as every event handler, on a queue of
    its own, and set up only at the sites that take that traffic (`active`)."""

    def __init__(self, **kwargs):
        EventHandler.__init__(self, "reporting", self.kind, **kwargs)  # no contract event: its own checks

    def setup(self):
        config = self.container.config
        self.site = site_id(config)
        self.active = sites_linked(config) and self.takes(settings_of(config))
        if not self.active:
            return
        super().setup()
        self.queue = self.make_queue()

    def start(self):
        if self.active:
            super().start()

    def stop(self):
        if self.active:
            super().stop()

    def kill(self):
        if self.active:
            super().kill()

    def refuse(self, message, body, why):
        self._dead_letter(message, _body_text(body, message), "invalid", why, attempts=0)


class FeedConsumer(FeedEntrypoint):
    """At a hub: the feeds (and heartbeats) of the districts that feed it: bound `<this hub>.#`."""
    kind = "feed"

    def takes(self, settings):
        return settings.receive

    def make_queue(self):
        return Queue(f"{events.FEED_EXCHANGE}--{self.container.service_name}.{self.method_name}", exchange=FEED,
                     routing_key=f"{self.site}.#", durable=True)

    def handle_message(self, body, message):
        try:
            if isinstance(body, dict) and "last_seq" in body:
                delivered = _heartbeat(body)
            else:
                delivered = _feed_message(body)
            if delivered["site_id"] == self.site:
                raise ValueError(f"a feed from this site itself ({self.site}) reached its own hub")
        except (ValueError, ValidationError, events.InvalidEvent) as exc:
            errors = getattr(exc, "errors", None) or getattr(exc, "messages", None)
            self.refuse(message, body, f"{exc}" + (f": {json.dumps(errors, ensure_ascii=False)}" if errors else ""))
            return
        self._attempt(delivered, body, message, 1)


def _heartbeat(body):
    beat = Heartbeat().load(body)
    return {"kind": "heartbeat", "site_id": beat["site_id"], "last_seq": beat["last_seq"],
            "event_id": f"heartbeat-{beat['site_id']}-{beat['last_seq']}"}


def _feed_message(body):
    if not isinstance(body, dict):
        raise ValueError(f"a feed message is an object, not {type(body).__name__}")
    message = FeedMessage().load(body)
    event = events.load(message["source"], message["event_type"], message["event"])
    if event["site_id"] != message["site_id"]:
        raise ValueError(f"an event of site {event['site_id']!r} in the feed of site {message['site_id']!r}")
    return {"kind": "event", "site_id": message["site_id"], "message": message, "event": event,
            "event_id": event["event_id"]}


class ReplayConsumer(FeedEntrypoint):
    """At a district: the hub asking for a range of the feed again."""
    kind = "feed_replay"

    def takes(self, settings):
        self.hub = settings.hub
        return bool(settings.hub)

    def make_queue(self):
        key = f"{self.site}.{REPLAY}"
        return Queue(f"site-{key}--{self.container.service_name}.{self.method_name}", exchange=SITES,
                     routing_key=key, durable=True)

    def handle_message(self, body, message):
        try:
            request = ReplayRequest().load(body if isinstance(body, dict) else {})
            if request["to_site"] != self.site or request["site_id"] != self.hub:
                raise ValueError(f"a replay request from {request['site_id']!r} for {request['to_site']!r} reached "
                                 f"site {self.site!r}, which feeds {self.hub!r}")
            if request["from_seq"] > request["to_seq"]:
                raise ValueError("a replay request's range runs backwards")
        except (ValueError, ValidationError) as exc:
            self.refuse(message, body, str(getattr(exc, "messages", None) or exc))
            return
        self._attempt({**request, "event_id": f"replay-{request['from_seq']}-{request['to_seq']}"}, body, message, 1)


feed_consumer = FeedConsumer.decorator
replay_consumer = ReplayConsumer.decorator
