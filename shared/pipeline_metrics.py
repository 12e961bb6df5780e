"""Each service's pipeline on /metrics, counted by its database at scrape time: the events its outbox
has not published yet and how long the oldest has waited, and the messages dead-lettered and waiting
for an operator. Every process of a service reads the same database, so each says the same figures."""
import logging

from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.store import dead_letters, outbox
from shared.times import utcnow

log = logging.getLogger(__name__)
WAITING = ("dead", "replay_requested")


def pipeline_counts(session, now):
    """(outbox backlog, age in seconds of the oldest unpublished event, {reason: dead letters waiting})."""
    backlog, oldest = session.execute(select(func.count(), func.min(outbox.c.created_at))
                                      .where(outbox.c.published_at.is_(None))).one()
    waiting = dict(session.execute(select(dead_letters.c.reason, func.count())
                                   .where(dead_letters.c.status.in_(WAITING)).group_by(dead_letters.c.reason)).all())
    return int(backlog), max(0.0, (now - oldest).total_seconds()) if oldest else 0.0, waiting


class PipelineCollector:
    def __init__(self, service, engine, now=utcnow):
        self.service, self.engine, self.now = service, engine, now

    def collect(self):
        try:
            with Session(self.engine) as session:
                backlog, age, waiting = pipeline_counts(session, self.now())
        except Exception:  # the database is away: these figures are missing, the rest of /metrics is not
            log.exception("%s's pipeline figures could not be counted for /metrics", self.service)
            return
        gauge = GaugeMetricFamily("rongtuk_outbox_backlog", "Events recorded and not yet published",
                                  labels=["service"])
        gauge.add_metric([self.service], backlog)
        yield gauge
        gauge = GaugeMetricFamily("rongtuk_outbox_oldest_unpublished_age_seconds",
                                  "How long the oldest unpublished event has waited (0: none waits)",
                                  labels=["service"])
        gauge.add_metric([self.service], age)
        yield gauge
        gauge = GaugeMetricFamily("rongtuk_dead_letters_waiting",
                                  "Dead-lettered messages waiting for an operator (dead or replay requested)",
                                  labels=["service", "reason"])
        for reason in sorted(set(waiting) | {"invalid", "failed"}):
            gauge.add_metric([self.service, reason], waiting.get(reason, 0))
        yield gauge

    def describe(self):
        return []
