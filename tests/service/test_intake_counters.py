"""The limits' counting (services/intake/counters.py) against real databases, without nameko: what is
counted and given back, what a refusal leaves, old windows deleted, and processes at the same moment
on PostgreSQL never taking more than the limit between them."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.intake import cases, counters
from services.intake.models import cases as cases_table
from services.intake.models import request_counts
from services.intake.schemas import NewCaseSchema
from services.intake.throttle import Limits
from shared.times import BANGKOK
from tests.helpers import thai_case

T0 = datetime(2026, 11, 21, 10, 5, tzinfo=BANGKOK)
LIMITS = Limits()
ADDRESS = "203.0.113.7"


@pytest.fixture
def store(store_of):
    return store_of("intake", "test")


def counts(store):
    with store.reading() as session:
        return sorted(session.execute(select(request_counts.c.count)).scalars().all())


def case_count(store):
    with store.reading() as session:
        return session.execute(select(func.count()).select_from(cases_table)).scalar_one()


def receive(store, ctx, body=None, now=T0, **who):
    return store.run(counters.receive, NewCaseSchema().load(body or thai_case()), ctx, LIMITS, now=now, **who)


def look_up(store, ctx, number, code, now=T0, address=ADDRESS):
    return store.run(counters.look_up, LIMITS, ctx, address, number, code, now)


def test_a_right_code_is_given_back_and_a_wrong_one_stays_counted(store, ctx):
    created = receive(store, ctx, address=ADDRESS).created
    assert counts(store) == [1]  # the address's case
    assert look_up(store, ctx, created["tracking_number"], created["access_code"]).id == created["case_id"]
    assert counts(store) == [0, 0, 0, 0, 1]
    assert look_up(store, ctx, created["tracking_number"], "AAAAAAAA") is None
    assert counts(store) == [1, 1, 1, 1, 1]


def test_a_refused_look_up_leaves_the_counts_as_they_were(store, ctx):
    created = receive(store, ctx, address=ADDRESS).created
    for _ in range(5):
        assert look_up(store, ctx, created["tracking_number"], "AAAAAAAA") is None
    before = counts(store)
    with pytest.raises(counters.Refused) as refused:
        look_up(store, ctx, created["tracking_number"], created["access_code"])
    assert refused.value.retry_after == 600  # 10:05: the quarter hour ends at 10:15
    assert counts(store) == before == [1, 5, 5, 5, 5]
    # the next quarter hour, the address has its five tries at that number again
    assert look_up(store, ctx, created["tracking_number"], created["access_code"], now=T0 + timedelta(minutes=10))


def test_a_complaint_that_cannot_be_taken_is_not_counted(store, ctx):
    with pytest.raises(cases.IntakeError):
        receive(store, ctx, thai_case(category="no-such-subject"), address=ADDRESS)
    assert counts(store) == [] and case_count(store) == 0


def test_a_dispute_with_a_wrong_code_counts_as_a_wrong_look_up_and_not_as_a_case(store, ctx):
    created = receive(store, ctx, address=ADDRESS).created
    wrong = receive(store, ctx, thai_case(disputes={"tracking_number": created["tracking_number"],
                                                    "access_code": "AAAAAAAA"}), address=ADDRESS)
    assert wrong.created is None and "disputes" in wrong.errors
    assert counts(store) == [1, 1, 1, 1, 1] and case_count(store) == 1
    right = receive(store, ctx, thai_case(disputes={"tracking_number": created["tracking_number"],
                                                    "access_code": created["access_code"]}), address=ADDRESS)
    assert right.created["linked_to"] == created["tracking_number"]
    assert counts(store) == [1, 1, 1, 1, 2] and case_count(store) == 2


def test_the_thirty_first_case_of_the_hour_is_refused_and_not_recorded(store, ctx):
    for n in range(30):
        assert receive(store, ctx, thai_case(subject=f"ถนนชำรุด {n}"), address=ADDRESS).created
    with pytest.raises(counters.Refused) as refused:
        receive(store, ctx, address=ADDRESS)
    assert refused.value.retry_after == 55 * 60
    assert case_count(store) == 30 and counts(store) == [30]
    assert receive(store, ctx, address="198.51.100.1").created  # another address
    assert receive(store, ctx, client_key_id="app-1").created  # a client app's key, counted by itself
    assert receive(store, ctx, address=ADDRESS, now=T0 + timedelta(hours=1)).created  # the next hour


def test_counts_whose_window_has_ended_are_deleted(store, ctx):
    created = receive(store, ctx, address=ADDRESS).created
    look_up(store, ctx, created["tracking_number"], "AAAAAAAA")
    store.run(counters.forget_old, T0 + timedelta(hours=1))      # 11:05: its quarter hours and its hour are over
    assert counts(store) == [1, 1]                                  # today's two
    store.run(counters.forget_old, T0 + timedelta(days=1))
    assert counts(store) == []


@pytest.mark.postgres
def test_intake_processes_sharing_postgresql_never_check_more_codes_than_the_limit(pg_stores, ctx):
    import eventlet

    stores = pg_stores("intake")
    created = receive(stores[0], ctx, address=ADDRESS).created

    def guess(n):
        try:
            return look_up(stores[n % 2], ctx, created["tracking_number"], f"AAAAAA{n:02d}")
        except counters.Refused:
            return "refused"

    answers = list(eventlet.GreenPool(12).imap(guess, range(12)))
    assert answers.count(None) == 5 and answers.count("refused") == 7  # five codes checked, no more
    assert counts(stores[0]) == [1, 5, 5, 5, 5]

    def post(n):
        try:
            return receive(stores[n % 2], ctx, thai_case(subject=f"ไฟดับ {n}"), address="198.51.100.9").created
        except counters.Refused:
            return None

    taken = list(eventlet.GreenPool(12).imap(post, range(40)))
    assert len([t for t in taken if t]) == 30 and case_count(stores[0]) == 31
