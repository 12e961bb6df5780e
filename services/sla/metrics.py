"""SLA metrics, counted by the database at scrape time (docs/operations.md#metrics is the contract).

Every figure is a grouped query over sla's own tables, so it survives a restart and every process of
sla reports the same: the open clocks by state, the running ones due by the close of the next business
day, every warning, breach and escalation fired (from the steps recorded), and every clock stopped met
or late. Only the days-to-resolution histogram is kept in the process (observed as clocks stop).
"""
import logging

from prometheus_client import Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

log = logging.getLogger(__name__)
CLOCK_LABELS = ["site", "unit", "kind", "target"]
RESOLUTION_DAYS = Histogram("rongtuk_sla_business_days_to_resolution",
                            "Business days from receipt to resolution", ["site", "kind"],
                            buckets=(1, 3, 7, 15, 30, 60))


class SlaCollector:
    """The database's figures at scrape time: `counts(now)` gives {name: rows}, each row the labels'
    values then the number (services/sla/clocks.py's *_counts)."""

    def __init__(self, counts):
        self._counts = counts

    def collect(self):
        try:
            counts = self._counts()
        except Exception:  # the database is away: these figures are missing, the rest of /metrics is not
            log.exception("the SLA figures could not be counted for /metrics")
            yield GaugeMetricFamily("rongtuk_sla_figures_up", "Whether the SLA figures could be counted", value=0)
            return
        yield GaugeMetricFamily("rongtuk_sla_figures_up", "Whether the SLA figures could be counted", value=1)
        families = [
            (GaugeMetricFamily("rongtuk_sla_open_clocks", "SLA clocks not yet stopped",
                               labels=CLOCK_LABELS + ["state"]), counts["open"]),
            (GaugeMetricFamily("rongtuk_sla_due_soon_clocks",
                               "Running SLA clocks due by the close of the next business day",
                               labels=CLOCK_LABELS), counts["due_soon"]),
            (CounterMetricFamily("rongtuk_sla_steps", "SLA warnings, breaches and escalations fired",
                                 labels=CLOCK_LABELS + ["step"]), counts["steps"]),
            (CounterMetricFamily("rongtuk_sla_clocks_stopped", "SLA clocks stopped, met or late",
                                 labels=CLOCK_LABELS + ["outcome"]), counts["stopped"]),
        ]
        for family, rows in families:
            for row in rows:
                family.add_metric([str(value) for value in row[:-1]], row[-1])
            yield family

    def describe(self):
        return []


def record_stopped(stopped):
    for clock in stopped:
        if clock["target"] == "resolution":
            RESOLUTION_DAYS.labels(clock["site_id"], str(clock["kind"])).observe(clock["business_days"])
