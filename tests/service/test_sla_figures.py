"""The SLA figures /metrics shows (services/sla/clocks.py's *_counts), counted by the database: two
processes of sla on one PostgreSQL database say the same; clocks are counted by target, never added
together; "due soon" follows the site's business days."""
import uuid
from datetime import datetime, timedelta

from services.sla import clocks
from services.sla.metrics import SlaCollector
from services.sla.policy import SlaPolicy
from shared.times import BANGKOK

RECEIVED = datetime(2025, 12, 4, 10, 0, tzinfo=BANGKOK)   # a Thursday; the kind 2 deadline is 11 Dec, 16:30


def routed(store, unit="roads", kind=2):
    event = {"case_id": str(uuid.uuid4()), "site_id": "HUB", "kind": kind, "unit_id": unit, "received_at": RECEIVED}
    store.run(clocks.start_clocks, event, SlaPolicy.from_config({}))
    return event["case_id"]


def figures(store, now):
    with store.reading() as session:
        return {"open": sorted(clocks.open_clock_counts(session)),
                "due_soon": sorted(clocks.due_soon_counts(session, now)),
                "steps": sorted(clocks.step_counts(session)), "stopped": sorted(clocks.stopped_counts(session))}


def test_two_processes_count_the_same_and_targets_are_apart(pg_stores):
    one, two = pg_stores("sla", 2)
    routed(one), routed(one), routed(two, unit="water", kind=1)
    late = RECEIVED + timedelta(days=10)
    one.run(clocks.sweep, late, SlaPolicy.from_config({}), 500)
    assert figures(one, late) == figures(two, late)
    counted = figures(one, late)
    assert ("HUB", "roads", 2, "resolution", "breached", 2) in counted["open"]
    assert any(row[3] == "first_notice" and row[1] == "roads" for row in counted["open"])
    assert ("HUB", "roads", 2, "resolution", "breach", 2) in counted["steps"]


def test_due_soon_is_up_to_the_close_of_the_next_business_day(store_of):
    store = store_of("sla")
    routed(store)  # resolution due Thursday 11 December 2025, 16:30 (Wed 10 Dec is Constitution Day)
    tuesday = datetime(2025, 12, 9, 9, 0, tzinfo=BANGKOK)  # the next business day is Thursday: due soon
    monday = datetime(2025, 12, 8, 9, 0, tzinfo=BANGKOK)   # the next business day is Tuesday: not yet
    assert ("HUB", "roads", 2, "resolution", 1) in figures(store, tuesday)["due_soon"]
    assert ("HUB", "roads", 2, "resolution", 0) in figures(store, monday)["due_soon"]  # there, at 0


def test_counters_exist_at_zero_while_their_group_runs_and_only_counted_ones_stay_after(store_of):
    store = store_of("sla")
    case = routed(store)
    received = figures(store, RECEIVED)
    assert ("HUB", "roads", 2, "resolution", "breach", 0) in received["steps"]   # before any can fire
    assert ("HUB", "roads", 2, "resolution", "met", 0) in received["stopped"]
    assert ("HUB", "roads", 2, "resolution", "late", 0) in received["stopped"]
    store.run(clocks.stop, case, RECEIVED + timedelta(days=1))
    stopped = figures(store, RECEIVED + timedelta(days=1))
    # every clock of the group stopped: what it counted stays, its zeros go (no row per unit and kind ever had)
    assert ("HUB", "roads", 2, "resolution", "met", 1) in stopped["stopped"]
    assert not [r for r in stopped["stopped"] + stopped["steps"] if r[-1] == 0 and r[3] == "resolution"]
    assert stopped["due_soon"] == [] and stopped["open"] == []


def test_the_collector_says_when_it_cannot_count_and_does_not_break_the_page():
    def broken():
        raise RuntimeError("database away")
    families = {family.name: family for family in SlaCollector(broken).collect()}
    assert [sample.value for sample in families["rongtuk_sla_figures_up"].samples] == [0]
    assert "rongtuk_sla_open_clocks" not in families
