"""shared/metrics.py: a refusal an entrypoint declared (`expected_exceptions`) is counted as a refusal,
not as an error; anything else it raises is an error."""
from types import SimpleNamespace

from prometheus_client import REGISTRY

from services.routing.exceptions import RoutingError, SiteMismatch
from shared.metrics import Metrics, refused


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
    metrics._started = {}
    ctx = WorkerContext("reroute", expected_exceptions=RoutingError)
    before = {m: counted(m, "reroute") for m in ("rongtuk_entrypoint_calls_total", "rongtuk_entrypoint_errors_total",
                                                  "rongtuk_entrypoint_refusals_total")}

    finish(metrics, ctx)
    finish(metrics, ctx, RoutingError("the case is already with ict-pr"))
    finish(metrics, ctx, SiteMismatch("answer from KALASIN names no case of this site"))  # a RoutingError too
    finish(metrics, ctx, KeyError("unit_id"))

    def added(metric):
        return counted(metric, "reroute") - before[metric]
    assert added("rongtuk_entrypoint_calls_total") == 4
    assert added("rongtuk_entrypoint_refusals_total") == 2
    assert added("rongtuk_entrypoint_errors_total") == 1


def test_without_expected_exceptions_everything_raised_is_an_error():
    assert not refused(SimpleNamespace(expected_exceptions=()), RoutingError)
    assert not refused(SimpleNamespace(), RoutingError)
    assert refused(SimpleNamespace(expected_exceptions=(KeyError, RoutingError)), SiteMismatch)
    assert not refused(SimpleNamespace(expected_exceptions=RoutingError), ValueError)
