"""The feed's Prometheus metrics, read from reporting's database when /metrics is scraped (and kept
for `cache_seconds`, so a scrape costs a few grouped queries at most that often).

At a hub, per linked site (label `site`): the feed's lag, silence, missing numbers and events
received, and the site's cases, open clocks and breaches as its feed told them. At a district: its
feed's backlog (not yet published) and the age of the oldest. No label ever names a person.

At every site on RabbitMQ, the federation links that bring it other sites' events (LinkCollector):
each upstream's link, running or not, as the broker's management API tells it.
"""
import logging
import time
from datetime import timedelta

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting import feed_store
from services.reporting.models import case_figures as f
from services.reporting.models import feed_sites
from shared import sites
from shared.times import utcnow

log = logging.getLogger(__name__)


class FeedCollector:
    def __init__(self, engine, site, receiving, cache_seconds=5.0):
        self.engine = engine
        self.site = site
        self.receiving = receiving
        self.cache_seconds = cache_seconds
        self._cached, self._at = [], None

    def describe(self):
        return []  # read at scrape time only: never while registering

    def collect(self):
        now = time.monotonic()
        if self._at is None or now - self._at > self.cache_seconds:
            try:
                with Session(self.engine) as session:
                    self._cached = self._hub(session) if self.receiving else self._district(session)
                self._at = now
            except Exception:  # the database away: this scrape shows the feed's metrics as last read
                log.exception("feed metrics could not be read")
        return iter(self._cached)

    def _district(self, session):
        count, oldest = feed_store.backlog(session)
        backlog = GaugeMetricFamily("rongtuk_feed_backlog_events", "Feed events not yet published to the hub",
                                    labels=["site"])
        backlog.add_metric([self.site], count)
        age = GaugeMetricFamily("rongtuk_feed_backlog_age_seconds",
                                "Age of the oldest feed event not yet published (0: none)", labels=["site"])
        age.add_metric([self.site], (utcnow() - oldest).total_seconds() if oldest else 0.0)
        return [backlog, age]

    def _hub(self, session):
        now = utcnow()
        lag = GaugeMetricFamily("rongtuk_feed_lag_seconds", "Fed at the site -> folded at the hub, its last event",
                                labels=["site"])
        silence = GaugeMetricFamily("rongtuk_feed_silence_seconds", "Since the hub last heard from the site",
                                    labels=["site"])
        missing = GaugeMetricFamily("rongtuk_feed_missing_events", "Numbers of the site's feed not received",
                                    labels=["site"])
        received = CounterMetricFamily("rongtuk_feed_received_events", "Events of the site's feed received",
                                       labels=["site"])
        for row in session.execute(select(feed_sites)).all():
            if row.last_lag_seconds is not None:
                lag.add_metric([row.site_id], row.last_lag_seconds)
            if row.last_heard_at is not None:
                silence.add_metric([row.site_id], (now - row.last_heard_at).total_seconds())
            upto = max(row.highest, row.announced)
            missing.add_metric([row.site_id], sum(last - first + 1 for first, last in feed_store.gaps(
                session, row.site_id, row.contiguous_to, upto, limit=10000)) if upto > row.contiguous_to else 0)
            received.add_metric([row.site_id], row.received)
        cases = GaugeMetricFamily("rongtuk_site_cases", "Cases the site's feed told of", labels=["site"])
        open_clocks = GaugeMetricFamily("rongtuk_site_open_clocks", "Cases whose clock runs, by target",
                                        labels=["site", "target"])
        breaches = CounterMetricFamily("rongtuk_site_breaches", "Deadlines the site's cases passed unresolved",
                                       labels=["site"])
        resolved = GaugeMetricFamily("rongtuk_site_resolved", "The site's cases received in the last 30 days "
                                     "and resolved, within their deadline (met) or after it (late)",
                                     labels=["site", "outcome"])
        recent = f.c.received_at >= now - timedelta(days=30)
        for site, total, open_resolution, open_notice, breached, met, late in session.execute(
                select(f.c.site_id, func.count(),
                       func.count().filter(f.c.resolution_due_at.is_not(None), f.c.resolution_outcome.is_(None)),
                       func.count().filter(f.c.first_notice_due_at.is_not(None), f.c.first_notice_outcome.is_(None)),
                       func.coalesce(func.sum(f.c.breaches), 0),
                       func.count().filter(recent, f.c.resolution_outcome == "met"),
                       func.count().filter(recent, f.c.resolution_outcome == "late")).group_by(f.c.site_id)).all():
            cases.add_metric([site], total)
            open_clocks.add_metric([site, "resolution"], open_resolution)
            open_clocks.add_metric([site, "first_notice"], open_notice)
            breaches.add_metric([site], breached)
            resolved.add_metric([site, "met"], met)
            resolved.add_metric([site, "late"], late)
        return [lag, silence, missing, received, cases, open_clocks, breaches, resolved]


class LinkCollector:
    """`rongtuk_federation_link_up{upstream, exchange}` from the broker's management API, as `refresh()`
    last read it (Feed runs it every `interval` seconds in a thread of its own, so a slow API never
    holds up /metrics); `rongtuk_federation_links_known` 0 when the API did not answer at the last read
    (the links' state is then unknown, not down). Nothing until the first read."""

    def __init__(self, api, vhost, interval=15.0, timeout=3.0):
        self.api, self.vhost = api, vhost
        self.interval, self.timeout = interval, timeout
        self._links, self._known = {}, None   # known: None until the first read

    def describe(self):
        return []

    def refresh(self):
        try:
            self._links, self._known = sites.links_up(self.api, self.vhost, timeout=self.timeout), True
        except sites.LinkError as exc:
            if self._known is not False:  # said once, when it stops answering
                log.warning("the federation links' state could not be read: %s", exc)
            self._links, self._known = {}, False

    def collect(self):
        if self._known is None:
            return iter([])
        known = GaugeMetricFamily("rongtuk_federation_links_known",
                                  "Whether the broker's management API told the federation links' state")
        known.add_metric([], 1 if self._known else 0)
        up = GaugeMetricFamily("rongtuk_federation_link_up", "1 when the federation link from the upstream runs",
                               labels=["upstream", "exchange"])
        for (upstream, exchange), running in sorted(self._links.items()):
            up.add_metric([upstream, exchange], 1 if running else 0)
        return iter([known, up])
