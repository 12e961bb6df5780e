"""A forward asks intake for the case's record last, against a real (SQLite) routing database.

intake's forward_record writes "case forwarded to site X" in the identity access log whenever it
gives the complainant's identity: a forward that is then refused would leave a disclosure that
never happened. So every check comes first, and a refused forward asks intake nothing and emits
nothing.
"""
import json
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import func, select

from services.routing import assignments, forwarding
from services.routing.directory import Directory
from services.routing.exceptions import RoutingError
from services.routing.service import RoutingService
from shared.config import PROJECT_ROOT
from shared.events import CASE_RECEIVED
from shared.rpc import RpcTimeout
from shared.store import outbox
from tests.helpers import Acting, officer

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
DIRECTORY = Directory.load(PROJECT_ROOT / "deploy/directory.yml")
OFFICER = "นายสมชาย (ศูนย์ 1111)"
REASON = "เรื่องครูในสังกัดสำนักงานศึกษาธิการจังหวัด"


class Intake:
    """intake's forward_record as routing calls it: every request kept (one that gives the identity
    is a row in intake's access log)."""

    def __init__(self, answers=True):
        self.answers = answers
        self.asked = []

    def __call__(self, case_id, to_site, with_identity):
        self.asked.append((case_id, to_site, with_identity))
        if not self.answers:
            raise RpcTimeout("no answer within 5.0s")
        record = {"channel": "web", "kind": 2, "subject": "s", "description": "d", "received_at": NOW.isoformat(),
                  "category": None, "location": None, "confidential": False}
        identity = {"name": "นางบุญมี", "email": "b@example.org", "phone": None}
        return {"record": record, "complainant": identity if with_identity else None}


@pytest.fixture
def store(store_of):
    return store_of("routing", "routing.forward")


def routed_case(store):
    case_id = str(uuid.uuid4())
    text = "ครูขาดสอนบ่อย"
    event = CASE_RECEIVED.build(
        site_id="HUB", case_id=case_id, tracking_number=f"HUB-2569-{uuid.uuid4().int % 10**6:06d}", channel="web",
        kind=2, subject=text, description=text, received_at=NOW, complainant_ref=None, contact_channels=["email"],
        category=None, location=None, confidential=False, field_check=False, linked_case_id=None, link_reason=None,
        referral=None)
    settings = SimpleNamespace(directory=DIRECTORY, knowledge=None, model=None, threshold=None, kb_threshold=0.45)
    store.run(assignments.route_case, {**event, "occurred_at": NOW, "received_at": NOW}, settings)
    return case_id


def forwards(store):
    with store.reading() as session:
        return [json.loads(body) for body in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "case_forwarded")).scalars()]


def outbox_size(store):
    with store.reading() as session:
        return session.execute(select(func.count()).select_from(outbox)).scalar_one()


def forward(store, intake, case_id, to_site="KALASIN", reason=REASON, officer=OFFICER, linked=True):
    return forwarding.forward_case(store, DIRECTORY, case_id, to_site, reason, officer, intake, linked)


REFUSALS = [
    pytest.param(dict(reason=""), "needs a reason", id="empty reason"),
    pytest.param(dict(reason="   "), "needs a reason", id="blank reason"),
    pytest.param(dict(reason=None), "needs a reason", id="no reason"),
    pytest.param(dict(officer=" "), "which officer", id="no officer"),
    pytest.param(dict(to_site="NOWHERE"), "unknown site", id="unknown site"),
    pytest.param(dict(to_site="hub"), "this site itself", id="this site"),
    pytest.param(dict(linked=False), "no link to other sites", id="no broker link"),
]


@pytest.mark.parametrize("change, match", REFUSALS)
def test_a_refused_forward_asks_intake_nothing_and_emits_nothing(store, change, match):
    case_id, intake = routed_case(store), Intake()
    before = outbox_size(store)

    with pytest.raises(RoutingError, match=match):
        forward(store, intake, case_id, **change)

    assert intake.asked == [] and outbox_size(store) == before


def test_a_case_that_cannot_be_forwarded_now_asks_intake_nothing(store):
    intake = Intake()
    with pytest.raises(RoutingError, match="no routed case"):
        forward(store, intake, str(uuid.uuid4()))
    forwarded, answered = routed_case(store), routed_case(store)
    forward(store, intake, forwarded)
    store.run(forwarding.answer, answered, "ตักเตือนครูแล้ว", OFFICER)
    before, asked = outbox_size(store), list(intake.asked)

    with pytest.raises(RoutingError, match="already forwarded to KALASIN"):
        forward(store, intake, forwarded)
    with pytest.raises(RoutingError, match="already answered"):
        forward(store, intake, answered)

    assert intake.asked == asked and outbox_size(store) == before


def test_a_forward_asks_for_the_identity_only_where_it_goes(store):
    to_kalasin, to_district, intake = routed_case(store), routed_case(store), Intake()

    assert forward(store, intake, to_kalasin)["complainant_shared"] is True
    assert forward(store, intake, to_district, to_site="RATCHABURI1")["complainant_shared"] is False

    assert intake.asked == [(to_kalasin, "KALASIN", True), (to_district, "RATCHABURI1", False)]
    sent = {e["case_id"]: e["complainant"] for e in forwards(store)}
    assert sent == {to_kalasin: {"name": "นางบุญมี", "email": "b@example.org", "phone": None}, to_district: None}


def test_a_forward_intake_does_not_answer_changes_nothing(store):
    case_id = routed_case(store)
    before = outbox_size(store)

    with pytest.raises(RoutingError, match="did not answer in time; nothing was forwarded"):
        forward(store, Intake(answers=False), case_id)
    assert outbox_size(store) == before

    forward(store, Intake(), case_id)  # still the case it was: it can be forwarded once intake answers
    assert [e["case_id"] for e in forwards(store)] == [case_id]


class IntakeProxy:
    """The RpcProxy routing's service holds, answering forward_record with `intake`."""

    def __init__(self, intake):
        self.forward_record = SimpleNamespace(
            call_async=lambda *args: SimpleNamespace(result=lambda: intake(*args)))


def test_the_forward_rpc_refused_for_its_reason_asks_intake_nothing(store):
    case_id, intake = routed_case(store), Intake()
    service = worker_factory(RoutingService, db=store, routing=SimpleNamespace(directory=DIRECTORY),
                             config={"AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/", "RPC": {"timeout": 5}},
                             intake=IntakeProxy(intake), acting=Acting(officer(name=OFFICER)))
    before = outbox_size(store)

    with pytest.raises(RoutingError, match="needs a reason"):
        service.forward(case_id, "KALASIN", " ")

    assert intake.asked == [] and outbox_size(store) == before
