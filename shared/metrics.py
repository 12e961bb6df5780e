"""Prometheus metrics: every entrypoint counted and timed, labelled by service and entrypoint.

prometheus-client's registry is process-wide, so one /metrics (served on the process's shared
web server) shows every service running in the process.
"""
import time
import weakref

from nameko.extensions import DependencyProvider
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from werkzeug.wrappers import Response

from shared.web import Route, SharedWebServer

CALLS = Counter("rongtuk_entrypoint_calls", "Entrypoint calls", ["service", "entrypoint"])
ERRORS = Counter("rongtuk_entrypoint_errors", "Entrypoint calls that raised", ["service", "entrypoint"])
LATENCY = Histogram("rongtuk_entrypoint_latency_seconds", "Entrypoint latency", ["service", "entrypoint"],
                    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30))
OUTBOX_PUBLISHED = Counter("rongtuk_outbox_published", "Events published from the outbox", ["service"])
DEAD_LETTERS = Counter("rongtuk_dead_letters", "Messages dead-lettered", ["service", "handler", "reason"])


def _serve_metrics(_request):
    return Response(generate_latest(), status=200, content_type=CONTENT_TYPE_LATEST)


METRICS_ROUTE = Route("/metrics", "GET", _serve_metrics)


class Metrics(DependencyProvider):
    server = SharedWebServer()

    def setup(self):
        self.service_name = self.container.service_name
        self._started = weakref.WeakKeyDictionary()
        for entrypoint in self.container.entrypoints:  # so every series shows, at zero, from start
            labels = (self.service_name, entrypoint.method_name)
            CALLS.labels(*labels)
            ERRORS.labels(*labels)
            LATENCY.labels(*labels)
        self.server.register_provider(METRICS_ROUTE)

    def stop(self):
        self.server.unregister_provider(METRICS_ROUTE)

    def kill(self):
        self.server.unregister_provider(METRICS_ROUTE)

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        labels = (self.service_name, worker_ctx.entrypoint.method_name)
        CALLS.labels(*labels).inc()
        if exc_info is not None:
            ERRORS.labels(*labels).inc()
        if started is not None:
            LATENCY.labels(*labels).observe(time.perf_counter() - started)
