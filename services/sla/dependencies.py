"""SLA's dependencies: the time, the policy, its metrics, and a sweep timer read from config."""
from nameko.extensions import DependencyProvider
from prometheus_client import REGISTRY
from sqlalchemy.orm import Session

from services.sla import clocks
from services.sla.metrics import SlaCollector
from services.sla.policy import SlaPolicy
from shared.store import Database
from shared.times import utcnow


class Clock(DependencyProvider):
    """What time it is. One place to read it, so tests can move time."""

    @staticmethod
    def now():
        return utcnow()

    def get_dependency(self, worker_ctx):
        return type(self).now


class PolicyProvider(DependencyProvider):
    def setup(self):
        self.policy = SlaPolicy.from_config(self.container.config.get("SLA"))

    def get_dependency(self, worker_ctx):
        return self.policy


class SlaGauges(DependencyProvider):
    """Registers the SLA collector (services/sla/metrics.py) for as long as the service runs."""

    def start(self):
        database = Database.of(self.container)

        def counts():
            with Session(database.engine) as session:
                now = Clock.now()
                return {"open": clocks.open_clock_counts(session), "due_soon": clocks.due_soon_counts(session, now),
                        "steps": clocks.step_counts(session), "stopped": clocks.stopped_counts(session)}

        self.collector = SlaCollector(counts)
        REGISTRY.register(self.collector)

    def stop(self):
        collector = getattr(self, "collector", None)
        if collector is not None:
            REGISTRY.unregister(collector)
            self.collector = None

    kill = stop

