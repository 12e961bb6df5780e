"""services/reporting/report_figures.py: every indicator's numerator and denominator and every count,
over case_figures rows whose answers are worked out by hand below."""
from datetime import datetime, timedelta, timezone

import pytest

from services.reporting.exceptions import ReportingError
from services.reporting.figures import EMPTY
from services.reporting.models import case_figures
from services.reporting.periods import Period
from services.reporting.report_figures import figures
from shared.times import BANGKOK

H1 = Period(2569, 1)                                   # 1 Oct 2025 - 31 Mar 2026, Bangkok
IN = datetime(2025, 11, 3, 10, 0, tzinfo=BANGKOK)
NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)


def case(n, **fields):
    return {**EMPTY, "case_id": f"00000000-0000-0000-0000-{n:012d}", "site_id": "HUB",
            "tracking_number": f"HUB-2569-{n:06d}", "channel": "web", "kind": 2, "received_at": IN,
            "has_contact": True, **fields}


ROUTED = dict(routed_at=IN + timedelta(minutes=1), unit_id="roads", first_unit_id="roads")
CASES = [
    # 1: routed, answered by its unit on time with a document; first notice met
    case(1, **ROUTED, answered_by_unit=True, answered_at=IN + timedelta(days=2), result_documents=1,
         resolution_outcome="met", first_notice_due_at=IN + timedelta(days=15), first_notice_outcome="met"),
    # 2: routed, re-routed, information asked; warned and escalated; answered late, no document
    case(2, **{**ROUTED, "unit_id": "inspection"}, rerouted=True, info_requested=True, warnings=1, breaches=1,
         escalations=1, answered_by_unit=True, answered_at=IN + timedelta(days=20), resolution_outcome="late",
         first_notice_due_at=IN + timedelta(days=15), first_notice_outcome="late", kind=3, channel="hotline"),
    # 3: answered from the knowledge base at once: not routed, answered
    case(3, kind=1, answered_from_kb=True, answered_at=IN, has_contact=False),
    # 4: routed, still open; its first-notice deadline passed without a notice; warned, not chased
    case(4, **ROUTED, warnings=1, first_notice_due_at=IN + timedelta(days=15), category="public-works"),
    # 5: routed, open, no contact left: not in progress_on_time
    case(5, **ROUTED, has_contact=False, first_notice_due_at=IN + timedelta(days=15)),
    # outside the half, or of another site: counted nowhere here
    case(6, received_at=datetime(2026, 4, 1, 0, 0, tzinfo=BANGKOK)),
    case(7, site_id="KALASIN"),
    # the half a year before: for the change
    case(8, received_at=datetime(2024, 12, 1, tzinfo=BANGKOK)),
    case(9, received_at=datetime(2024, 12, 2, tzinfo=BANGKOK)),
]


@pytest.fixture
def store(store_of):
    store = store_of("reporting")
    with store.transaction() as tx:
        tx.session.execute(case_figures.insert(), CASES)
    return store


def shares(result):
    return {i["id"]: (i["numerator"], i["denominator"], i["percent"]) for i in result["indicators"]}


def test_every_indicator_of_a_half_counted_as_worked_out_by_hand(store):
    with store.reading() as session:
        result = figures(session, H1, None, "HUB", NOW)

    assert shares(result) == {
        "routed_correctly": (3, 4, 75.0),          # 1, 2, 4, 5 routed; 2 re-routed
        "complete_information": (3, 4, 75.0),      # 2 asked for information
        "progress_on_time": (1, 3, 33.33),         # contact and deadline passed or met: 1 (met), 2 (late), 4 (passed)
        "followed_up": (1, 2, 50.0),               # needed chasing: 2 and 4; chased: 2
        "result_documents": (1, 2, 50.0),          # answered by a unit: 1 (with), 2 (without)
        "answered": (3, 5, 60.0),                  # 1, 2 by units, 3 from the knowledge base, of 5 received
        "on_time": (1, 2, 50.0),                   # resolved: 1 met, 2 late
    }
    assert result["on_time_by_kind"] == {"2": {"numerator": 1, "denominator": 1, "percent": 100.0},
                                         "3": {"numerator": 0, "denominator": 1, "percent": 0.0},
                                         "1": {"numerator": 0, "denominator": 0, "percent": None}}
    assert result["counts"] == {
        "total": 5, "by_kind": {"1": 1, "2": 3, "3": 1}, "by_channel": {"web": 4, "hotline": 1},
        "by_category": {"none": 4, "public-works": 1}, "by_unit": {"roads": 3, "inspection": 1, "none": 1}}
    assert result["previous_year"] == {"total": 2, "change_percent": 150.0}
    assert result["period"] == {"from": "2025-10-01T00:00:00+07:00", "to": "2026-04-01T00:00:00+07:00"}
    assert (result["fiscal_year"], result["half"], result["site"]) == (2569, 1, "HUB")


def test_one_unit_every_site_and_a_site_never_heard_of(store):
    with store.reading() as session:
        roads = figures(session, H1, None, "HUB", NOW, unit="roads")
        every = figures(session, Period(2569), "*", "HUB", NOW)
        kalasin = figures(session, Period(2569), "kalasin", "HUB", NOW)
        with pytest.raises(ReportingError, match="no site 'NOWHERE'"):
            figures(session, H1, "nowhere", "HUB", NOW)

    assert roads["counts"]["total"] == 3 and shares(roads)["routed_correctly"] == (3, 3, 100.0)
    assert every["counts"]["total"] == 7 and every["site"] == "*"   # the year: 1-5, 6 (April) and KALASIN's
    assert kalasin["counts"] == {"total": 1, "by_kind": {"2": 1}, "by_category": {"none": 1},
                                 "by_channel": {"web": 1}, "by_unit": {"none": 1}}


def test_an_empty_period_has_no_shares_not_zero_percent(store):
    with store.reading() as session:
        result = figures(session, Period(2560), None, "HUB", NOW)
    assert result["counts"]["total"] == 0
    assert all(i["percent"] is None and i["denominator"] == 0 for i in result["indicators"])
    assert result["previous_year"] == {"total": 0, "change_percent": None}


@pytest.mark.postgres
def test_the_same_figures_on_postgresql(pg_stores, store):
    pg = pg_stores("reporting", count=1)[0]
    with pg.transaction() as tx:
        tx.session.execute(case_figures.insert(), CASES)
    with pg.reading() as session, store.reading() as sqlite:
        assert figures(session, H1, None, "HUB", NOW) == figures(sqlite, H1, None, "HUB", NOW)
        assert figures(session, Period(2569), "*", "HUB", NOW, unit="roads") == \
            figures(sqlite, Period(2569), "*", "HUB", NOW, unit="roads")
