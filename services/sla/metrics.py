"""SLA metrics: open clocks (counted by the database at scrape time), breaches, days to resolution."""
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

BREACHES = Counter("rongtuk_sla_breaches", "SLA deadlines passed with the case unresolved",
                   ["site", "unit", "kind"])
RESOLUTION_DAYS = Histogram("rongtuk_sla_business_days_to_resolution",
                            "Business days from receipt to resolution", ["site", "kind"],
                            buckets=(0, 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90))


class OpenClocksCollector:
    """rongtuk_sla_open_clocks{site,unit,kind,state}: one grouped query per scrape, never a Python loop."""

    def __init__(self, count_open):
        self._count_open = count_open

    def collect(self):
        gauge = GaugeMetricFamily("rongtuk_sla_open_clocks", "SLA clocks not yet stopped",
                                  labels=["site", "unit", "kind", "state"])
        for site, unit, kind, state, count in self._count_open():
            gauge.add_metric([site, unit, str(kind), state], count)
        yield gauge

    def describe(self):
        return []


def record_fired(fired):
    for step in fired:
        if step["step"] == "breach" and step["target"] == "resolution":
            BREACHES.labels(step["site_id"], step["unit_id"], str(step["kind"])).inc()


def record_stopped(stopped):
    for clock in stopped:
        if clock["target"] == "resolution":
            RESOLUTION_DAYS.labels(clock["site_id"], str(clock["kind"])).observe(clock["business_days"])
