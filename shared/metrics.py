"""Prometheus metrics: every entrypoint counted and timed, labelled by service and entrypoint.

Each entrypoint has four series (calls, errors, refusals and the seconds its calls took), so its mean
latency is `rate(..._seconds_total) / rate(..._calls_total)`; the latency histogram is one per service
and entrypoint `type` (http, rpc, event, timer), for percentiles. A histogram per
entrypoint was nine series more each: intake alone, with the portal's pages, had 85 KB of /metrics.

A call that raised one of its entrypoint's `expected_exceptions` (an officer's action routing
refuses, say) is a refusal, counted apart from the errors: errors are faults to look at.

prometheus-client's registry is process-wide, so one /metrics (served on the process's shared
web server) shows every service running in the process.

Who may read it: with METRICS.token set, whoever sends `Authorization: Bearer <token>` (and nobody
else, wherever they are); unset, only a client on this machine (a loopback address) whose request
did not come through a proxy (no Forwarded, X-Forwarded-For or X-Real-IP header). See
docs/operations.md#security.
"""
import gzip
import hmac
import ipaddress
import time
import weakref

from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from nameko.timer import Timer
from nameko.web.handlers import HttpRequestHandler
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, disable_created_metrics, generate_latest
from werkzeug.wrappers import Response

from shared.config import setting
from shared.web import Route, SharedWebServer, json_response

disable_created_metrics()  # no *_created series: a third of /metrics, and Prometheus does not use them
CALLS = Counter("rongtuk_entrypoint_calls", "Entrypoint calls", ["service", "entrypoint"])
ERRORS = Counter("rongtuk_entrypoint_errors", "Entrypoint calls that raised, other than refusals",
                 ["service", "entrypoint"])
REFUSALS = Counter("rongtuk_entrypoint_refusals", "Entrypoint calls that raised one of their expected_exceptions",
                   ["service", "entrypoint"])
SECONDS = Counter("rongtuk_entrypoint_seconds", "Time the entrypoint's calls took, in seconds",
                  ["service", "entrypoint"])
# six buckets: enough to tell a fast worker from a slow one and to set an alert
LATENCY = Histogram("rongtuk_entrypoint_latency_seconds", "Entrypoint latency by type of entrypoint",
                    ["service", "type"], buckets=(.005, .025, .1, .5, 2.5, 10))
HANDLER_RETRIES = Counter("rongtuk_handler_retries", "Event handler attempts that failed and were tried again",
                          ["service", "handler"])
OUTBOX_PUBLISHED = Counter("rongtuk_outbox_published", "Events published from the outbox", ["service"])
DEAD_LETTERS = Counter("rongtuk_dead_letters", "Messages dead-lettered", ["service", "handler", "reason"])


PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def metrics_token(config):
    return str(setting(config, "METRICS", "token", "") or "")


def _loopback(address):
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def may_read_metrics(request, token):
    """True if this request may read /metrics (see the module's docstring)."""
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode("latin-1", "replace"), f"Bearer {token}".encode("latin-1", "replace"))
    return _loopback(request.remote_addr) and not any(request.headers.get(h) for h in PROXY_HEADERS)


def metrics_route(token):
    def serve(request):
        if not may_read_metrics(request, token):
            if token:
                return json_response(401, {"error": "unauthorized", "message": "/metrics needs its bearer token."},
                                     headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
            return json_response(403, {"error": "forbidden", "message": "/metrics answers only on this machine "
                                                                        "unless METRICS.token is set."})
        body, headers = generate_latest(), {"Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("Accept-Encoding", ""):  # as Prometheus asks: a tenth of the bytes
            body, headers["Content-Encoding"] = gzip.compress(body, compresslevel=5), "gzip"
        return Response(body, status=200, content_type=CONTENT_TYPE_LATEST, headers=headers)
    return Route("/metrics", "GET", serve)


def entrypoint_type(entrypoint):
    """http, rpc, event or timer (nameko's entrypoint classes and ours built on them), else the class's name."""
    for kind, base in (("http", HttpRequestHandler), ("rpc", Rpc), ("event", EventHandler), ("timer", Timer)):
        if isinstance(entrypoint, base):
            return kind
    return type(entrypoint).__name__.lower()


def refused(entrypoint, exc_type):
    """True if `exc_type` is one the entrypoint declared in `expected_exceptions`: a refusal, not a fault."""
    expected = getattr(entrypoint, "expected_exceptions", ()) or ()
    return isinstance(exc_type, type) and issubclass(exc_type, expected)


class Metrics(DependencyProvider):
    server = SharedWebServer()

    def setup(self):
        self.service_name = self.container.service_name
        self._started = weakref.WeakKeyDictionary()
        self._latency = {}  # each entrypoint's histogram, its type read once here, not on every call
        for entrypoint in self.container.entrypoints:  # so every series shows, at zero, from start
            labels = (self.service_name, entrypoint.method_name)
            CALLS.labels(*labels)
            ERRORS.labels(*labels)
            REFUSALS.labels(*labels)
            SECONDS.labels(*labels)
            self._latency[entrypoint.method_name] = LATENCY.labels(self.service_name, entrypoint_type(entrypoint))
        self.route = metrics_route(metrics_token(self.container.config))
        self.server.register_provider(self.route)

    def stop(self):
        self.server.unregister_provider(self.route)

    def kill(self):
        self.server.unregister_provider(self.route)

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        labels = (self.service_name, worker_ctx.entrypoint.method_name)
        CALLS.labels(*labels).inc()
        if exc_info is not None:
            (REFUSALS if refused(worker_ctx.entrypoint, exc_info[0]) else ERRORS).labels(*labels).inc()
        if started is not None:
            took = time.perf_counter() - started
            SECONDS.labels(*labels).inc(took)
            histogram = self._latency.get(worker_ctx.entrypoint.method_name)
            if histogram is None:  # an entrypoint added after setup (tests build one by hand)
                histogram = LATENCY.labels(self.service_name, entrypoint_type(worker_ctx.entrypoint))
            histogram.observe(took)
