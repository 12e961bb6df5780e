"""Event handlers that never lose a message: validate, retry with backoff, then dead-letter.

nameko acks a message whose handler raised. Here a failed handler is tried again after a
growing delay while the message stays unacknowledged (so a crash hands it back to the broker),
and after the last attempt it is written to the dead-letter office and only then acknowledged.
A message that breaks the contract, or cannot even be decoded, is dead-lettered at once.
Other messages keep flowing meanwhile: each retry waits in its own green thread.

A handler can only be declared for an event the contract has (shared/events.py): a misspelt one
would subscribe to a routing key nothing is ever published with and hear nothing, so the service
fails as its module is loaded instead, saying which event it meant.
"""
import difflib
import json
import logging
import traceback
from functools import partial

import eventlet
from kombu import Exchange, Queue
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled
from kombu.mixins import ConsumerMixin
from nameko.messaging import QueueConsumer

from shared import deadletters, events, metrics
from shared.config import setting, site_id
from shared.queues import as_configured
from shared.store import Database

log = logging.getLogger(__name__)


class Unprocessable(Exception):
    """Raised by a handler for an event that no retry will fix: dead-lettered at once."""


class UnknownEvent(ValueError):
    """A handler declared for an event the contract does not have (or that never crosses sites)."""


def check_event(source, name, between_sites=False):
    """Raise UnknownEvent unless `source` emits `name` (shared/events.py's REGISTRY), and, with
    `between_sites`, unless that event may travel between sites (events.SITE_ADDRESSED)."""
    known = sorted({n for (s, n, _version) in events.REGISTRY if s == source})
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1) if isinstance(name, str) else []
        raise UnknownEvent(
            f"no event {source}.{name} in shared/events.py: its handler would hear nothing"
            + (f"; did you mean {close[0]!r}?" if close else "")
            + (f" ({source} emits {', '.join(known)})" if known else _no_source(source)))
    if between_sites and (source, name) not in events.SITE_ADDRESSED:
        crossing = ", ".join(f"{s}.{n}" for s, n in sorted(events.SITE_ADDRESSED))
        raise UnknownEvent(f"{source}.{name} never travels between sites: only {crossing} do")


class RetryPolicy:
    def __init__(self, attempts=5, backoff=0.5, max_backoff=30.0):
        self.attempts = max(1, int(attempts))
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)

    @classmethod
    def from_config(cls, config):
        return cls(setting(config, "HANDLER_RETRY", "attempts", 5),
                   setting(config, "HANDLER_RETRY", "backoff", 0.5),
                   setting(config, "HANDLER_RETRY", "max_backoff", 30.0))

    def delay(self, attempt):
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.backoff * 2 ** (attempt - 1), self.max_backoff)


# A consumer thread looks whether it has been asked to stop between two waits for a message; kombu
# waits one second, and a service's stop goes through three consumers one after another (its
# entrypoints', then its RPC replies'), so every stop of a service took about three seconds. A fifth
# of a second makes it well under one. The look costs nothing on the memory transport (it polls
# anyway) and a few wake-ups a second per consumer on RabbitMQ. Applied to nameko's QueueConsumer,
# which its RPC entrypoints and proxies use, as well as to ours.
STOP_CHECK_SECONDS = 0.2


def _consume_until_stopped(self, _tokens=1, **kwargs):
    kwargs.setdefault("safety_interval", STOP_CHECK_SECONDS)
    return ConsumerMixin.run(self, _tokens, **kwargs)


QueueConsumer.run = _consume_until_stopped


class GuardedQueueConsumer(QueueConsumer):
    """nameko's queue consumer, except that a message kombu cannot decode goes to its handler's
    dead-letter path instead of killing the consumer thread (and with it the service)."""

    def get_consumers(self, consumer_cls, channel):
        for provider in self._providers:  # each queue of the site's type (shared/queues.py), as it is declared
            as_configured(provider.queue, self.container.config)
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = partial(self._undecodable, provider)
        return consumers

    def _undecodable(self, provider, message, exc):
        handler = getattr(provider, "handle_undecodable", None)
        if handler is None:
            log.error("undecodable message on %s dropped: %s", provider, exc)
            self.ack_message(message)
            return
        self.container.spawn_managed_thread(partial(handler, message, exc))


def _no_source(source):
    sources = sorted({s for (s, _name, _version) in events.REGISTRY})
    close = difflib.get_close_matches(source, sources, n=1) if isinstance(source, str) else []
    return f" (no service {source!r} emits events" + (f"; did you mean {close[0]!r}?)" if close else ")")


class ReliableEventHandler(EventHandler):
    queue_consumer = GuardedQueueConsumer()

    def __init__(self, source_service, event_type, **kwargs):
        check_event(source_service, event_type)
        super().__init__(source_service, event_type, **kwargs)

    def setup(self):
        super().setup()
        self.policy = RetryPolicy.from_config(self.container.config)
        self.handler_name = f"{self.container.service_name}.{self.method_name}"
        self._retries = metrics.HANDLER_RETRIES.labels(self.container.service_name, self.handler_name)  # from 0
        self._pending = set()
        self.database = Database.of(self.container)
        if self.database is None:
            raise RuntimeError(f"{self.container.service_name} has no Database dependency: its event "
                               f"handlers keep their inbox and dead letters there")

    def stop(self):
        for timer in list(self._pending):  # unacked: the broker will deliver them again
            timer.cancel()
        self._pending.clear()
        super().stop()

    @property
    def _engine(self):
        return self.database.engine

    def handle_message(self, body, message):
        try:
            event = events.load(self.source_service, self.event_type, body)
        except events.InvalidEvent as exc:
            detail = f"{exc}: {json.dumps(exc.errors, ensure_ascii=False)}"
            self._dead_letter(message, _body_text(body, message), "invalid", detail, attempts=0)
            return
        self._attempt(event, body, message, 1)

    def handle_undecodable(self, message, exc):
        self._dead_letter(message, _body_text(None, message), "invalid",
                          f"undecodable message: {exc!r}", attempts=0)

    def _attempt(self, event, body, message, attempt):
        context_data = self.unpack_message_headers(message)
        try:
            self.container.spawn_worker(
                self, (event,), {}, context_data=context_data,
                handle_result=partial(self._finished, event, body, message, attempt))
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def _finished(self, event, body, message, attempt, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return result, exc_info
        error = "".join(traceback.format_exception(*exc_info))
        permanent = issubclass(exc_info[0], Unprocessable)
        if not permanent and attempt < self.policy.attempts:
            delay = self.policy.delay(attempt)
            log.warning("%s failed on %s (attempt %d/%d), retrying in %.2fs: %s", self.handler_name,
                        event["event_id"], attempt, self.policy.attempts, delay, exc_info[1])
            self._retries.inc()
            self._later(delay, self._attempt, event, body, message, attempt + 1)
        else:
            self._dead_letter(message, _body_text(body, message), "failed", error, attempts=attempt)
        return result, exc_info

    def _later(self, delay, fn, *args):
        timer = eventlet.spawn_after(delay, fn, *args)
        self._pending.add(timer)
        timer.link(lambda gt: self._pending.discard(gt))

    def _dead_letter(self, message, body_text, reason, error, attempts):
        try:
            deadletters.record(
                self._engine, service=self.container.service_name, handler=self.handler_name,
                queue=self.queue.name, source=self.source_service, event_type=self.event_type,
                body_text=body_text, reason=reason, error=error, attempts=attempts)
        except Exception:
            # cannot even record it: keep the message unacked and try again later
            log.exception("%s could not dead-letter a message; holding it", self.handler_name)
            self._later(self.policy.max_backoff, self._dead_letter, message, body_text, reason, error,
                        attempts)
            return
        self.queue_consumer.ack_message(message)


def _body_text(body, message):
    raw = getattr(message, "body", None)
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    if isinstance(raw, str):
        return raw
    return json.dumps(body, ensure_ascii=False, default=str)


class SiteEventHandler(ReliableEventHandler):
    """A handler of events that other sites address to this one, on the exchange that links sites.

    The queue is bound with `<this site>.<source>.<event>`, so a federation link pulls only this
    site's traffic from the others. An event must name this site in `to_site` and come from another
    site; anything else is dead-lettered at once, however it got here.
    """

    def __init__(self, source_service, event_type, **kwargs):
        check_event(source_service, event_type, between_sites=True)
        super().__init__(source_service, event_type, **kwargs)

    def setup(self):
        super().setup()
        self.site = site_id(self.container.config)
        exchange = Exchange(events.SITES_EXCHANGE, type="topic", durable=True)
        key = events.site_routing_key(self.site, self.source_service, self.event_type)
        self.queue = Queue(f"site-{key}--{self.container.service_name}.{self.method_name}", exchange=exchange,
                           routing_key=key, durable=True)
        self.handler_name = f"{self.container.service_name}.{self.method_name}"

    def handle_message(self, body, message):
        try:
            event = events.load(self.source_service, self.event_type, body)
            if event.get("to_site") != self.site or event["site_id"] == self.site:
                raise events.InvalidEvent(
                    f"{self.event_type} from site {event['site_id']!r} addressed to {event.get('to_site')!r} "
                    f"reached site {self.site!r}")
        except events.InvalidEvent as exc:
            detail = f"{exc}: {json.dumps(exc.errors, ensure_ascii=False)}"
            self._dead_letter(message, _body_text(body, message), "invalid", detail, attempts=0)
            return
        self._attempt(event, body, message, 1)


event_handler = ReliableEventHandler.decorator
site_event_handler = SiteEventHandler.decorator
