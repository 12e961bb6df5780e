"""How large is sla's /metrics, and what does a scrape cost, as a site grows?

    make bench-metrics      # or: .venv/bin/python -m benchmarks.metrics [--trials 5]

Needs PostgreSQL on 127.0.0.1:5432 (trust auth, as for the tests): creates the database
rongtuk_bench_metrics (dropped at the end), migrates it for sla and fills it, by set-based SQL, with
three sites one after another: a small district (6 units, 10,000 clocks in its history), a large one
(20 units, 100,000) and a hub-sized one (40 units, 1,000,000). Every unit has cases of the four kinds,
each case two clocks (resolution, first notice); one clock in twenty runs, the rest stopped met or
late, with warnings and breaches recorded. Each scrape is sla's SLA figures as /metrics serves them
(services/sla/metrics.py, the grouped queries of services/sla/clocks.py) written by prometheus-client:
its size as sent plain and gzipped (Prometheus asks for gzip), and its time, median of `--trials`, as a
ratio to the small district's, measured in the same run. Prints figures; asserts nothing.
"""
import argparse
import gzip
import statistics
import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy.orm import Session

from benchmarks import fresh_database
from services.sla import clocks
from services.sla.metrics import SlaCollector
from shared.store import make_engine
from shared.times import BANGKOK

DB = "rongtuk_bench_metrics"
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=BANGKOK)
SITES = [("small district", 6, 10_000), ("large district", 20, 100_000), ("hub-sized", 40, 1_000_000)]


def fill(engine, units, total):
    """`total` clocks (half resolution, half first notice) over `units` units and 4 kinds."""
    started = NOW - timedelta(days=400)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE clocks, clock_steps"))
        conn.execute(sa.text("""
            INSERT INTO clocks (id, case_id, site_id, target, generation, kind, unit_id, business_days,
                                started_at, due_at, state, paused_business_days, next_step, next_check_at,
                                stopped_at, outcome, updated_at)
            SELECT md5('clock' || n)::uuid::text, md5('case' || (n / 2))::uuid::text, 'KALASIN',
                   CASE WHEN n % 2 = 0 THEN 'resolution' ELSE 'first_notice' END, 0, 1 + (n / 2) % 4,
                   'unit-' || lpad(((n / 8) % :units)::text, 2, '0'), 15,
                   :started + make_interval(mins => n % 500000), :now + make_interval(days => (n % 30) - 5),
                   CASE WHEN n % 20 = 0 THEN 'open' WHEN n % 20 = 1 THEN 'breached' ELSE 'met' END, 0, 0,
                   CASE WHEN n % 20 < 2 THEN :now + interval '1 day' END,
                   CASE WHEN n % 20 >= 2 THEN :now - interval '1 day' END,
                   CASE WHEN n % 20 >= 2 THEN (CASE WHEN n % 7 = 0 THEN 'late' ELSE 'met' END) END, :now
            FROM generate_series(0, :last) AS n"""),
            {"units": units, "started": started, "now": NOW, "last": total - 1})
        conn.execute(sa.text("""
            INSERT INTO clock_steps (clock_id, step, name, due_at, fired_at)
            SELECT id, s.step, s.name, :now, :now FROM clocks,
                   (VALUES (0, 'warning'), (1, 'breach')) AS s(step, name)
            WHERE state = 'breached' OR outcome = 'late'"""), {"now": NOW})
        conn.execute(sa.text("ANALYZE clocks"))
        conn.execute(sa.text("ANALYZE clock_steps"))


def scrape(engine):
    def counts():
        with Session(engine) as session:
            return {"open": clocks.open_clock_counts(session), "due_soon": clocks.due_soon_counts(session, NOW),
                    "steps": clocks.step_counts(session), "stopped": clocks.stopped_counts(session)}
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SlaCollector(counts))
    return generate_latest(registry)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()

    results = []
    with fresh_database(DB, "sla") as url:
        engine = make_engine(url)
        for label, units, total in SITES:
            fill(engine, units, total)
            text = scrape(engine)   # warm
            timings = []
            for _ in range(args.trials):
                started = time.perf_counter()
                text = scrape(engine)
                timings.append(time.perf_counter() - started)
            series = sum(1 for line in text.splitlines() if not line.startswith(b"#"))
            results.append((label, units, total, series, len(text), len(gzip.compress(text, 5)),
                            statistics.median(timings)))
        engine.dispose()

    base = results[0][-1]
    print(f"sla's SLA figures on /metrics (median of {args.trials} scrapes; time x the small district's)")
    print(f"{'site':<16} {'units':>5} {'clocks':>10} {'series':>7} {'plain':>9} {'gzip':>8} {'scrape':>9} "
          f"{'x base':>7}")
    for label, units, total, series, plain, zipped, took in results:
        print(f"{label:<16} {units:>5} {total:>10,} {series:>7} {plain / 1024:>7.1f}KB {zipped / 1024:>6.1f}KB "
              f"{took * 1000:>7.0f}ms {took / base:>6.1f}x")


if __name__ == "__main__":
    main()
