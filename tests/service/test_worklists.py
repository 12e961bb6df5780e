"""The console's lists (services/intake/worklists.py) on intake's own database, SQLite and PostgreSQL:
each role sees what the policy lets it read and nothing more; the filters narrow as officers expect."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from services.intake import cases, worklists
from services.intake.models import cases as case_table
from services.intake.schemas import NewCaseSchema
from shared.actors import Actor
from shared.pages import BANGKOK

T0 = datetime(2026, 11, 2, 9, 15, tzinfo=BANGKOK)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, store_of):
    if request.param == "sqlite":
        return store_of("intake", "test")
    return request.getfixturevalue("pg_stores")("intake", 1)[0]


def made(store, ctx, subject, unit=None, days=0, status="routed", kind=2, confidential=False, recorded_by=None):
    body = NewCaseSchema().load({"channel": "web", "kind": kind, "subject": subject, "confidential": confidential,
                                 "description": f"{subject} รายละเอียดของเรื่อง"})
    created = store.run(cases.receive_case, body, ctx, now=T0 + timedelta(days=days), recorded_by=recorded_by)
    store.run(lambda tx: tx.session.execute(update(case_table).where(case_table.c.id == created["case_id"]).values(
        unit_id=unit, status=status, due_at=T0 + timedelta(days=days + 10) if unit else None)))
    return created


def officer(role, units=(), name="somchai"):
    return Actor(name=name, role=role, site_id="HUB", units=tuple(units))


def numbers(items):
    return {(item["row"] if isinstance(item, dict) else item).tracking_number for item in items}


def test_each_role_lists_only_what_it_may_read(store, ctx):
    water = made(store, ctx, "น้ำประปาไม่ไหล", unit="water")
    roads = made(store, ctx, "ถนนชำรุด", unit="roads")
    grave = made(store, ctx, "เรียกรับเงินใต้โต๊ะ", unit="roads", kind=3)
    typed = made(store, ctx, "ไฟดับ", unit="roads", recorded_by="somchai")
    secret = made(store, ctx, "ร้องเรียนเจ้าหน้าที่", unit="roads", confidential=True, recorded_by="somchai")
    none = worklists.Filters()
    with store.reading() as session:
        assert numbers(worklists.queue(session, officer("unit_officer", ["water"]), none, {})) == \
            {water["tracking_number"]}
        # a support unit's case, as routing says, is in its queue too
        assert numbers(worklists.queue(session, officer("unit_officer", ["water"]), none, {},
                                       [roads["case_id"]])) == {water["tracking_number"], roads["tracking_number"]}
        assert numbers(worklists.search(session, officer("director"), none)) == {
            c["tracking_number"] for c in (water, roads, grave, typed, secret)}
        assert numbers(worklists.search(session, officer("committee"), none)) == {grave["tracking_number"]}
        # an intake officer reads what they recorded, not a confidential one
        assert numbers(worklists.search(session, officer("intake_officer"), none)) == {typed["tracking_number"]}
        assert numbers(worklists.search(session, officer("executive"), none)) == set()
        assert numbers(worklists.search(session, officer("admin"), none)) == set()


def test_filters_narrow_by_words_number_dates_status_and_kind(store, ctx):
    early = made(store, ctx, "ถนนชำรุดหน้าโรงเรียน", unit="roads")
    late = made(store, ctx, "ขยะไม่ได้จัดเก็บ", unit="roads", days=5, status="waiting_for_complainant", kind=1)
    director = officer("director")

    def found(**args):
        with store.reading() as session:
            return numbers(worklists.search(session, director, worklists.Filters.from_args(MultiDict(args))))
    assert found(q="โรงเรียน") == {early["tracking_number"]}
    assert found(q=late["tracking_number"].lower()) == {late["tracking_number"]}
    assert found(**{"from": (T0 + timedelta(days=3)).date().isoformat()}) == {late["tracking_number"]}
    assert found(to=T0.date().isoformat()) == {early["tracking_number"]}
    assert found(status="waiting_for_complainant") == {late["tracking_number"]}
    assert found(kind="1") == {late["tracking_number"]}
    assert found(q="100%_") == set()  # LIKE's wildcards are text here
    assert found(q="ถนน\x00", to="9999-12-31") == {early["tracking_number"]}  # no fault on PostgreSQL


def test_the_queue_runs_out_first_and_triage_holds_the_unsorted(store, ctx):
    soon = made(store, ctx, "เรื่องใกล้ครบกำหนด", unit="roads")
    later = made(store, ctx, "เรื่องยังมีเวลา", unit="roads", days=1)
    sorted_out = made(store, ctx, "รอคัดแยก", unit="triage")
    unrouted = made(store, ctx, "ยังไม่ส่ง", status="received")
    left = {soon["case_id"]: 0, later["case_id"]: 4}
    with store.reading() as session:
        queue = worklists.queue(session, officer("unit_officer", ["roads"]), worklists.Filters(), left)
        assert [item["row"].tracking_number for item in queue] == [soon["tracking_number"], later["tracking_number"]]
        assert [item["colour"] for item in queue] == ["amber", "green"]
        red = worklists.queue(session, officer("unit_officer", ["roads"]), worklists.Filters(colour="green"), left)
        assert numbers(red) == {later["tracking_number"]}
        triage = worklists.triage(session, officer("director"), worklists.Filters(), "triage")
        assert numbers(triage) == {sorted_out["tracking_number"], unrouted["tracking_number"]}
