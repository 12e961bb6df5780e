"""SLA's dependencies: the time, the policy, its metrics, and a sweep timer read from config."""
from datetime import datetime, timezone

from nameko.extensions import DependencyProvider
from nameko.timer import Timer
from prometheus_client import REGISTRY

from services.sla import clocks
from services.sla.metrics import OpenClocksCollector
from services.sla.policy import SlaPolicy
from shared.config import setting
from shared.store import Database


class Clock(DependencyProvider):
    """What time it is. One place to read it, so tests can move time."""

    @staticmethod
    def now():
        return datetime.now(timezone.utc)

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
        database = next(d for d in self.container.dependencies if isinstance(d, Database))

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


class SweepTimer(Timer):
    """nameko's timer, its interval from SLA.sweep_interval (seconds); it also fires at start."""

    def __init__(self, **kwargs):
        super().__init__(interval=15, eager=True, **kwargs)

    def setup(self):
        self.interval = float(setting(self.container.config, "SLA", "sweep_interval", 15))
        super().setup()


sweep_timer = SweepTimer.decorator
