"""Do the figures cost what the period holds, not what the table holds? The fiscal-year indicators
and the six-month memo over the same 100,000 cases of one year, in a table of 100,000 cases and in
one of 10,000,000.

    make bench-reports      # or: .venv/bin/python -m benchmarks.reports [--large 10000000] [--trials 5]

Needs PostgreSQL on 127.0.0.1:5432 (trust auth, as for the tests): creates the database
rongtuk_bench_reports (dropped at the end), migrates reporting's tables, fills case_figures by set-based SQL (the
period's cases spread over fiscal year 2569, the rest over the 25 years before 2568), and times
the reporting service's own use cases: the indicators and counts of fiscal year 2569
(report_figures.figures and the s.12 table), and the six-month memo of its first half drawn to
PDF. The baseline is the same work over the 100,000-case table, in the same run. The year before
(which the figures compare with) holds no case in either table, so that both do the same work and
only the table's size differs. Prints figures; asserts nothing.
"""
import argparse
import statistics
import time
from datetime import datetime, timezone

import sqlalchemy as sa

from benchmarks import fresh_database
from services.reporting import outputs, report_figures
from services.reporting.periods import Period
from shared.store import open_store

DB = "rongtuk_bench_reports"
IN_PERIOD = 100_000
YEAR = Period(2569)
NOW = datetime(2026, 10, 15, tzinfo=timezone.utc)
CONFIG = {"SITE_ID": "HUB",
          "REPORTING": {"office": "สำนักงานจังหวัดกาฬสินธุ์", "to": "ผู้ว่าราชการจังหวัดกาฬสินธุ์"}}


def add_cases(engine, first, count, start, seconds):
    """Insert `count` cases numbered from `first`, received evenly over `seconds` from `start`."""
    with engine.begin() as conn:
        conn.execute(sa.text("""
            INSERT INTO case_figures (case_id, site_id, tracking_number, channel, category, confidential, has_contact,
                kind, kind_changes, first_unit_id, unit_id, rerouted, info_requested, received_at, routed_at,
                answered_at, answered_from_kb, answered_by_unit, first_notice_due_at, first_notice_outcome,
                resolution_due_at, resolution_outcome, warnings, breaches, escalations, reopened, result_documents)
            SELECT md5('case' || n)::uuid::text, 'HUB', 'HUB-' || n, (ARRAY['web','hotline','letter','line','counter'])[1 + n % 5],
                   (ARRAY['misconduct','service-quality','public-works','information','suggestion'])[1 + n % 5],
                   n % 5 = 0, n % 3 <> 0, 1 + n % 4, 0,
                   (ARRAY['inspection','projects-funds','admin-rules','ict-pr','training-knowledge'])[1 + n % 5],
                   (ARRAY['inspection','projects-funds','admin-rules','ict-pr','training-knowledge'])[1 + (n / 7) % 5],
                   n % 7 = 0, n % 11 = 0, at, at + interval '1 minute',
                   CASE WHEN n % 4 <> 0 THEN at + interval '3 days' END, n % 10 = 1, n % 4 <> 0 AND n % 10 <> 1,
                   at + interval '15 days', CASE WHEN n % 3 = 1 THEN 'met' WHEN n % 3 = 2 THEN 'late' END,
                   at + interval '10 days', CASE WHEN n % 4 = 1 THEN 'met' WHEN n % 4 = 2 THEN 'late' END,
                   (n % 6 = 0)::int, (n % 12 = 0)::int, (n % 24 = 0)::int, 0, (n % 2)::int
            FROM (SELECT n, :start + (n - :first) * (:seconds / :count) * interval '1 second' AS at
                  FROM generate_series(:first, :last) AS n) AS numbered"""),
            {"first": first, "last": first + count - 1, "count": count, "start": start, "seconds": seconds})
        conn.execute(sa.text("ANALYZE case_figures"))


def time_work(store, trials):
    indicators, memos = [], []
    for _ in range(trials):
        started = time.perf_counter()
        with store.reading() as session:
            result = report_figures.figures(session, YEAR, None, "HUB", NOW)
            report_figures.corruption_rows(session, YEAR, None, "HUB")
        indicators.append(time.perf_counter() - started)
        assert result["counts"]["total"] == IN_PERIOD, result["counts"]["total"]
        started = time.perf_counter()
        with store.reading() as session:
            pdf, _, _ = outputs.six_month_memo(session, CONFIG, Period(2569, 1), NOW)
        memos.append(time.perf_counter() - started)
        assert pdf[:5] == b"%PDF-"
    return indicators, memos


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=int, default=10_000_000, help="cases in the large table")
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()

    year_seconds = (YEAR.end - YEAR.start).total_seconds()
    with fresh_database(DB, "reporting") as url, open_store({**CONFIG, "DATABASE_URL": url}, "reporting",
                                                            "bench") as store:
        add_cases(store.engine, 0, IN_PERIOD, YEAR.start, year_seconds)
        small = time_work(store, args.trials)
        loading = time.perf_counter()
        # the other cases: the 25 fiscal years before the one before (that one, which the figures
        # compare with, stays as it is in the small table: the same work in both)
        earlier, before = Period(2543).start, YEAR.previous_year().start
        add_cases(store.engine, IN_PERIOD, args.large - IN_PERIOD, earlier, (before - earlier).total_seconds() - 1)
        loading = time.perf_counter() - loading
        large = time_work(store, args.trials)

    print(f"fiscal year 2569 of {IN_PERIOD:,} cases, in a table of 100,000 and of {args.large:,} "
          f"({args.large - IN_PERIOD:,} loaded in {loading:.0f} s); median of {args.trials} trials")
    print(f"{'work':>34} {'100,000':>10} {args.large:>12,} {'ratio':>7}")
    for label, index in (("indicators, counts and s.12 table", 0), ("six-month memo (figures + PDF)", 1)):
        base, big = statistics.median(small[index]), statistics.median(large[index])
        print(f"{label:>34} {base * 1000:>8.0f}ms {big * 1000:>10.0f}ms {big / base:>6.2f}x")


if __name__ == "__main__":
    main()
