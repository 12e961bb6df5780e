"""Who complained (services/intake/identity_access.py) on intake's database: a reason of a few words or
nothing happens; a confidential complainant only after a second person approves, never the asker; an
approval belongs to the very officer who asked (two keys of one name do not share it) and lasts
INTAKE.approval_valid; every step on the audit log."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.intake import cases, identity_access
from services.intake.exceptions import IntakeError
from services.intake.models import identity_requests
from services.intake.schemas import NewCaseSchema
from shared import audit
from shared.actors import Actor
from shared.times import utcnow
from tests.helpers import officer, thai_case

REASON = "โทรสอบถามข้อเท็จจริงเพิ่มเติมกับผู้ร้องเรียน"
DAY = 86_400


@pytest.fixture
def store(store_of):
    return store_of("intake", "test")


@pytest.fixture
def facts(store, ctx):
    body = NewCaseSchema().load(thai_case(category="misconduct", kind=3))
    created = store.run(cases.receive_case, body, ctx)
    return identity_access.CaseFacts(created["case_id"], created["tracking_number"], "HUB", ("inspection",),
                                     None, True, 3)


def ask(store, ctx, actor, facts, reason=REASON, now=None):
    return store.run(identity_access.ask, actor, facts, reason, ctx.sealer, DAY, now)


def decide(store, actor, facts, request_id, approve=True, now=None):
    return store.run(identity_access.decide, actor, facts, request_id, approve, "อนุมัติ", now)


def key(name, key_id):
    return Actor(name=name, role="officer_key", site_id="HUB", kind="key", account_id=f"key:{key_id}")


def test_a_confidential_complainant_is_shown_only_after_a_second_person_approves(store, ctx, facts):
    malee = officer("unit_officer", name="malee", units=["inspection"])
    head = officer("unit_head", name="wichai", units=["inspection"])
    with pytest.raises(IntakeError):
        ask(store, ctx, malee, facts, reason="ดู")
    asked = ask(store, ctx, malee, facts)
    assert asked.state == "requested" and asked.identity is None
    assert ask(store, ctx, malee, facts).request["id"] == asked.request["id"]  # asking again: the same request

    assert decide(store, malee, facts, asked.request["id"]).state == "denied"  # not their own
    other_head = officer("unit_head", name="somchai", units=["ict-pr"])
    assert decide(store, other_head, facts, asked.request["id"]).state == "denied"  # not another unit's head
    assert decide(store, head, facts, asked.request["id"]).state == "approved"
    with pytest.raises(IntakeError) as again:
        decide(store, head, facts, asked.request["id"])
    assert again.value.errors == {"request": ["already approved by wichai"]}

    shown = ask(store, ctx, malee, facts)
    assert shown.state == "shown" and shown.identity["identity"]["name"] == "สมหญิง ใจดี"
    later = ask(store, ctx, malee, facts, now=utcnow() + timedelta(seconds=DAY + 60))
    assert later.state == "requested"  # the approval has run out: a new request

    with store.reading() as session:
        rows = audit.listing(session, case_id=facts.case_id)
    assert [(r["actor"], r["action"], r["outcome"]) for r in rows] == [
        ("malee", "reveal_identity", "requested"), ("malee", "approve_reveal", "denied"),
        ("somchai", "approve_reveal", "denied"), ("wichai", "approve_reveal", "approved"),
        ("malee", "reveal_identity", "viewed"), ("malee", "reveal_identity", "requested")]
    assert all(r["reason"] in (REASON, "อนุมัติ") for r in rows)


def test_two_keys_of_one_name_do_not_share_an_approval(store, ctx, facts):
    first, second = key("script", "1"), key("script", "2")
    request = ask(store, ctx, first, facts).request
    assert decide(store, officer("director", name="director"), facts, request["id"]).state == "approved"
    assert ask(store, ctx, second, facts).state == "requested"
    assert ask(store, ctx, first, facts).state == "shown"
    with store.reading() as session:
        assert session.execute(select(func.count()).select_from(identity_requests)).scalar() == 2


def test_an_officer_of_another_unit_is_denied_and_nothing_is_shown(store, ctx, facts):
    outsider = officer("unit_officer", name="prasit", units=["ict-pr"])
    refused = ask(store, ctx, outsider, facts)
    assert refused.state == "denied" and refused.identity is None
    with store.reading() as session:
        assert session.execute(select(func.count()).select_from(identity_requests)).scalar() == 0
        assert [r["outcome"] for r in audit.listing(session, actor="prasit")] == ["denied"]
