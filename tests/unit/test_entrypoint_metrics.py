"""shared/metrics.py: a refusal an entrypoint declared (`expected_exceptions`) is counted as a refusal,
not as an error; anything else it raises is an error."""
from types import SimpleNamespace

from prometheus_client import REGISTRY

from services.routing.exceptions import RoutingError, SiteMismatch
from shared.delivery import ReliableEventHandler
from shared.metrics import Metrics, entrypoint_type, refused
from shared.rpc import RpcEndpoint
from shared.timers import ConfiguredTimer
from shared.web import HttpEndpoint


class WorkerContext:  # weakly referable, as nameko's is
    def __init__(self, method_name, expected_exceptions=()):
        self.entrypoint = SimpleNamespace(method_name=method_name, expected_exceptions=expected_exceptions)


def counted(metric, entrypoint):
    return REGISTRY.get_sample_value(metric, {"service": "metrics-test", "entrypoint": entrypoint}) or 0


def finish(metrics, ctx, exc=None):
    metrics.worker_setup(ctx)
    metrics.worker_result(ctx, None, None if exc is None else (type(exc), exc, None))


def test_a_declared_refusal_is_counted_apart_from_the_errors():
    metrics = Metrics()
    metrics.service_name = "metrics-test"
    metrics._started, metrics._latency = {}, {}  # what setup makes from a container's entrypoints
    ctx = WorkerContext("reroute", expected_exceptions=RoutingError)
    before = {m: counted(m, "reroute") for m in ("rongtuk_entrypoint_calls_total", "rongtuk_entrypoint_errors_total",
                                                  "rongtuk_entrypoint_refusals_total",
                                                  "rongtuk_entrypoint_seconds_total")}

    finish(metrics, ctx)
    finish(metrics, ctx, RoutingError("the case is already with ict-pr"))
    finish(metrics, ctx, SiteMismatch("answer from KALASIN names no case of this site"))  # a RoutingError too
    finish(metrics, ctx, KeyError("unit_id"))

    def added(metric):
        return counted(metric, "reroute") - before[metric]
    assert added("rongtuk_entrypoint_calls_total") == 4
    assert added("rongtuk_entrypoint_refusals_total") == 2
    assert added("rongtuk_entrypoint_errors_total") == 1
    assert added("rongtuk_entrypoint_seconds_total") > 0  # the time the four calls took, for their mean


def test_without_expected_exceptions_everything_raised_is_an_error():
    assert not refused(SimpleNamespace(expected_exceptions=()), RoutingError)
    assert not refused(SimpleNamespace(), RoutingError)
    assert refused(SimpleNamespace(expected_exceptions=(KeyError, RoutingError)), SiteMismatch)
    assert not refused(SimpleNamespace(expected_exceptions=RoutingError), ValueError)


def test_the_latency_histogram_is_by_type_of_entrypoint():
    def of(cls):
        return entrypoint_type(object.__new__(cls))
    assert [of(c) for c in (HttpEndpoint, RpcEndpoint, ReliableEventHandler, ConfiguredTimer)] == [
        "http", "rpc", "event", "timer"]
    assert entrypoint_type(SimpleNamespace()) == "simplenamespace"


def test_metrics_are_gzipped_for_a_scraper_that_asks():
    import gzip

    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from shared.metrics import metrics_route
    serve = metrics_route("t0ken").handle_request

    def scrape(**headers):
        return serve(Request(EnvironBuilder(path="/metrics", headers={"Authorization": "Bearer t0ken", **headers})
                             .get_environ()))
    plain, zipped = scrape(), scrape(**{"Accept-Encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200 and "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and len(zipped.data) < len(plain.data)
    names = {line.split(b" ")[2] for line in plain.data.splitlines() if line.startswith(b"# TYPE")}
    assert names and names == {line.split(b" ")[2] for line in gzip.decompress(zipped.data).splitlines()
                               if line.startswith(b"# TYPE")}
