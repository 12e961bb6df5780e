"""SLA's dependencies: the time, the policy, its metrics, and a sweep timer read from config."""
from nameko.extensions import DependencyProvider
from prometheus_client import REGISTRY

from services.sla import clocks
from services.sla.metrics import OpenClocksCollector
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


class OpenClocksGauge(DependencyProvider):
    """Registers the open-clocks collector for as long as the service runs."""

    def start(self):
        database = Database.of(self.container)

        def count_open():
            with database.engine.connect() as conn:
                from sqlalchemy.orm import Session
                with Session(bind=conn) as session:
                    return clocks.open_clock_counts(session)

        self.collector = OpenClocksCollector(count_open)
        REGISTRY.register(self.collector)

    def stop(self):
        collector = getattr(self, "collector", None)
        if collector is not None:
            REGISTRY.unregister(collector)
            self.collector = None

    kill = stop

