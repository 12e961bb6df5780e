"""Does a sweep cost what is due, not what is open? 1,000 due clocks among 10,000 and among 1,000,000.

    make bench-sla          # or: .venv/bin/python -m benchmarks.sla_sweep [--open 1000000] [--trials 5]

Needs PostgreSQL on 127.0.0.1:5432 (trust auth, as for the tests): creates the database
rongtuk_bench_sla (dropped at the end), migrates it, fills it with clocks by set-based SQL, and times the sla
service's own sweep use case (one transaction: select the due clocks by the next_check_at
index, fire each one's warning, record the step and its event in the outbox). The baseline is
the same sweep over 10,000 open clocks, measured in the same run. Prints figures; asserts nothing.
"""
import argparse
import statistics
import time
from datetime import datetime

import sqlalchemy as sa

from benchmarks import fresh_database
from services.sla import clocks
from services.sla.policy import SlaPolicy
from shared.store import open_store
from shared.times import BANGKOK

DB = "rongtuk_bench_sla"
STARTED = datetime(2025, 12, 4, 10, 0, tzinfo=BANGKOK)   # kind 2: due Thu 11 Dec 16:30
DUE = datetime(2025, 12, 11, 16, 30, tzinfo=BANGKOK)
WARN = datetime(2025, 12, 11, 8, 30, tzinfo=BANGKOK)
NOW = datetime(2025, 12, 11, 9, 0, tzinfo=BANGKOK)       # warnings due, nothing else
DUE_CLOCKS = 1000


def add_clocks(engine, first, count, due):
    """Insert `count` open resolution clocks, numbered from `first`, due now or far in the future."""
    with engine.begin() as conn:
        conn.execute(sa.text("""
            INSERT INTO clocks (id, case_id, site_id, target, generation, kind, unit_id, business_days,
                                started_at, due_at, state, paused_business_days, next_step, next_check_at, updated_at)
            SELECT md5('clock' || n)::uuid::text, md5('case' || n)::uuid::text, 'HUB', 'resolution', 0, 2,
                   (ARRAY['inspection','projects-funds','admin-rules','ict-pr','training-knowledge'])[1 + n % 5],
                   3, :started, :due_at, 'open', 0, 0, :next_check, :started
            FROM generate_series(:first, :last) AS n"""),
            {"started": STARTED, "due_at": DUE, "first": first, "last": first + count - 1,
             "next_check": WARN if due else datetime(2031, 1, 1, tzinfo=BANGKOK)})
        conn.execute(sa.text("ANALYZE clocks"))


def reset_due(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM clock_steps"))
        conn.execute(sa.text("DELETE FROM outbox"))
        conn.execute(sa.text("UPDATE clocks SET next_step = 0, state = 'open', next_check_at = :warn "
                             "WHERE next_check_at = :due_at OR next_step > 0"), {"warn": WARN, "due_at": DUE})


def time_sweeps(store, trials):
    policy = SlaPolicy()
    timings = []
    for _ in range(trials):
        reset_due(store.engine)
        started = time.perf_counter()
        fired = store.run(clocks.sweep, NOW, policy, DUE_CLOCKS)
        timings.append(time.perf_counter() - started)
        assert len(fired) == DUE_CLOCKS, len(fired)
    return timings


def plan(engine):
    with engine.connect() as conn:
        rows = conn.execute(sa.text("EXPLAIN SELECT * FROM clocks WHERE next_check_at <= :now "
                                    "ORDER BY next_check_at LIMIT 1000 FOR UPDATE SKIP LOCKED"), {"now": NOW})
        return " / ".join(r[0].strip() for r in rows if "Scan" in r[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--open", type=int, default=1_000_000, help="open clocks in the large run")
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()

    with fresh_database(DB, "sla") as url, open_store({"DATABASE_URL": url}, "sla", "bench") as store:
        add_clocks(store.engine, 0, DUE_CLOCKS, due=True)
        add_clocks(store.engine, DUE_CLOCKS, 10_000 - DUE_CLOCKS, due=False)
        small = time_sweeps(store, args.trials)
        small_plan = plan(store.engine)
        loading = time.perf_counter()
        add_clocks(store.engine, 10_000, args.open - 10_000, due=False)
        loading = time.perf_counter() - loading
        large = time_sweeps(store, args.trials)
        large_plan = plan(store.engine)

    base = statistics.median(small)
    print(f"sweep of {DUE_CLOCKS} due clocks (warning fired, step and event recorded), "
          f"median of {args.trials} trials; {args.open - 10_000:,} clocks loaded in {loading:.1f} s")
    print(f"{'open clocks':>14} {'median':>10} {'min':>10} {'max':>10} {'x baseline':>11}")
    for label, values in [("10,000", small), (f"{args.open:,}", large)]:
        print(f"{label:>14} {statistics.median(values) * 1000:>8.0f}ms {min(values) * 1000:>8.0f}ms "
              f"{max(values) * 1000:>8.0f}ms {statistics.median(values) / base:>10.2f}x")
    print(f"plan at 10,000:    {small_plan}")
    print(f"plan at {args.open:,}: {large_plan}")


if __name__ == "__main__":
    main()
