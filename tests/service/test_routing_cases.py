"""Routing's use cases on a real (SQLite) database: several units per case, forwarding between
sites and answers. Each refusal is checked to change nothing and emit nothing."""
import base64
import json
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from services.routing import assignments, forwarding, result_documents
from services.routing.directory import Directory
from services.routing.exceptions import DocumentRefused, RoutingError, SiteMismatch
from services.routing.models import result_documents as result_documents_table
from shared.config import PROJECT_ROOT, database_url
from shared.events import CASE_ANSWERED, CASE_RECEIVED
from shared.files import FileStore
from shared.store import Store, make_engine, outbox
from tests.samples import png_1x1, small_pdf

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
HUB_DIRECTORY = Directory.load(PROJECT_ROOT / "deploy/directory.yml")
KALASIN_DIRECTORY = Directory.load(PROJECT_ROOT / "deploy/directory-kalasin.yml")
RECORD = {"record": {"channel": "web", "kind": 2, "subject": "s", "description": "d", "received_at": NOW.isoformat(),
                     "category": None, "location": None, "confidential": False},
          "complainant": {"name": "นางบุญมี", "email": "b@example.org", "phone": None}}


@pytest.fixture
def store(embedded_config):
    engine = make_engine(database_url(embedded_config, "routing"))
    yield lambda site="HUB": Store(engine, "routing", site, "routing.test", lambda: None)
    engine.dispose()


def received(store, site="HUB", directory=HUB_DIRECTORY, referral=None, text="ขอทราบวาระการประชุมครั้งหน้า",
             kind=2):
    case_id = str(uuid.uuid4())
    event = CASE_RECEIVED.build(
        site_id=site, case_id=case_id, tracking_number=f"{site}-2569-{uuid.uuid4().int % 10**6:06d}",
        channel="web", kind=kind, subject=text, description=text, received_at=NOW, complainant_ref=None,
        contact_channels=[], category=None, location=None, confidential=False, field_check=False,
        linked_case_id=None, link_reason=None, referral=referral)
    event = {**event, "occurred_at": NOW, "received_at": NOW}
    settings = SimpleNamespace(directory=directory, knowledge=None, model=None, threshold=None, kb_threshold=0.45)
    store(site).run(assignments.route_case, event, settings)
    return case_id


def emitted(store, event_type):
    with store().reading() as session:
        return [json.loads(b) for b in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == event_type).order_by(outbox.c.id)).scalars()]


def outbox_size(store):
    with store().reading() as session:
        return session.execute(select(func.count()).select_from(outbox)).scalar_one()


def refused(store, use_case, *args, match):
    before = outbox_size(store)
    with pytest.raises(RoutingError, match=match):
        store().run(use_case, *args)
    assert outbox_size(store) == before


# --- several units -------------------------------------------------------------------------

def test_a_case_given_to_more_units_keeps_a_status_for_each(store):
    case_id = received(store)

    result = store().run(assignments.assign_units, case_id, ["projects-funds", "ict-pr"], "ต้องใช้ข้อมูลงบประมาณและข่าว",
                         "นายสมชาย", HUB_DIRECTORY)

    assert [(u["unit_id"], u["role"], u["status"]) for u in result["units"]] == [
        ("admin-rules", "lead", "assigned"), ("ict-pr", "support", "assigned"),
        ("projects-funds", "support", "assigned")]
    [event] = emitted(store, "case_units_assigned")
    assert [u["unit_id"] for u in event["units"]] == ["projects-funds", "ict-pr"]
    assert event["units"][0]["unit_name"] == "กลุ่มงานเสริมสร้างศักยภาพและการมีส่วนร่วม"


def test_each_unit_moves_on_its_own(store):
    case_id = received(store)
    store().run(assignments.assign_units, case_id, ["projects-funds"], "ร่วมตรวจสอบ", "นายสมชาย", HUB_DIRECTORY)

    store().run(assignments.set_unit_status, case_id, "projects-funds", "in_progress", "นางสาวเพ็ญ")
    units = store().run(assignments.set_unit_status, case_id, "projects-funds", "answered", "นางสาวเพ็ญ",
                        "ตรวจแล้ว โอนเงินครบ")["units"]

    assert {u["unit_id"]: (u["status"], u["note"]) for u in units} == {
        "admin-rules": ("assigned", None), "projects-funds": ("answered", "ตรวจแล้ว โอนเงินครบ")}
    changes = emitted(store, "case_unit_status_changed")
    assert [(c["previous_status"], c["status"]) for c in changes] == [("assigned", "in_progress"),
                                                                       ("in_progress", "answered")]


def test_unit_actions_that_make_no_sense_are_refused_and_change_nothing(store):
    case_id = received(store)
    store().run(assignments.assign_units, case_id, ["ict-pr"], "ร่วมตอบ", "นายสมชาย", HUB_DIRECTORY)

    refused(store, assignments.assign_units, case_id, ["ict-pr"], "อีกครั้ง", "นายสมชาย", HUB_DIRECTORY,
            match="already on the case")
    refused(store, assignments.assign_units, case_id, ["roads"], "x", "นายสมชาย", HUB_DIRECTORY, match="unknown unit")
    refused(store, assignments.assign_units, case_id, [], "x", "นายสมชาย", HUB_DIRECTORY, match="name the units")
    refused(store, assignments.assign_units, case_id, ["inspection"], " ", "นายสมชาย", HUB_DIRECTORY,
            match="say why")
    refused(store, assignments.set_unit_status, case_id, "ict-pr", "answered", "นายสมชาย", None,
            match="the note is its answer")
    refused(store, assignments.set_unit_status, case_id, "admin-rules", "withdrawn", "นายสมชาย",
            match="lead unit cannot be withdrawn")
    refused(store, assignments.set_unit_status, case_id, "inspection", "in_progress", "นายสมชาย",
            match="not on the case")
    refused(store, assignments.set_unit_status, case_id, "ict-pr", "closed", "นายสมชาย", match="status must be")
    store().run(assignments.set_unit_status, case_id, "ict-pr", "withdrawn", "นายสมชาย")
    refused(store, assignments.set_unit_status, case_id, "ict-pr", "in_progress", "นายสมชาย",
            match="withdrawn: it cannot become")
    # a withdrawn unit comes back by being assigned again
    units = store().run(assignments.assign_units, case_id, ["ict-pr"], "กลับมาช่วย", "นายสมชาย",
                        HUB_DIRECTORY)["units"]
    assert {u["unit_id"]: u["status"] for u in units}["ict-pr"] == "assigned"


def test_a_reroute_makes_the_new_unit_the_lead(store):
    case_id = received(store)
    store().run(assignments.assign_units, case_id, ["projects-funds"], "ร่วมตรวจสอบ", "นายสมชาย", HUB_DIRECTORY)

    store().run(assignments.reroute, case_id, "projects-funds", "เป็นเรื่องงบประมาณเป็นหลัก", "นายสมชาย",
                HUB_DIRECTORY)

    with store().reading() as session:
        units = assignments.units_of(session, case_id)["units"]
    assert [(u["unit_id"], u["role"]) for u in units] == [("projects-funds", "lead")]


# --- between sites -------------------------------------------------------------------------

def test_a_forward_carries_the_complainant_only_to_a_site_allowed_them(store):
    shared_case, private_case = received(store), received(store)

    store().run(forwarding.forward, shared_case, HUB_DIRECTORY.sites["KALASIN"], "เรื่องของจังหวัด", "นายสมชาย", RECORD)
    store().run(forwarding.forward, private_case, HUB_DIRECTORY.sites["RATCHABURI1"], "เรื่องของเขต", "นายสมชาย",
                RECORD)

    by_case = {e["case_id"]: e for e in emitted(store, "case_forwarded")}
    assert by_case[shared_case]["complainant"] == RECORD["complainant"]
    assert by_case[shared_case]["to_site"] == "KALASIN"
    assert by_case[private_case]["complainant"] is None
    with store().reading() as session:
        sites = dict(session.execute(select(outbox.c.case_id, outbox.c.to_site)
                                     .where(outbox.c.event_type == "case_forwarded")).all())
    assert sites == {shared_case: "KALASIN", private_case: "RATCHABURI1"}  # addressed rows for the relay


def test_forwards_that_make_no_sense_are_refused(store):
    case_id = received(store)
    with pytest.raises(RoutingError, match="unknown site"):
        forwarding.forward_terms(HUB_DIRECTORY, "HUB", "NOWHERE")
    with pytest.raises(RoutingError, match="this site itself"):
        forwarding.forward_terms(HUB_DIRECTORY, "HUB", "hub")
    kalasin = forwarding.forward_terms(HUB_DIRECTORY, "HUB", " kalasin ")
    refused(store, forwarding.forward, case_id, kalasin, "  ", "นายสมชาย", RECORD, match="needs a reason")
    store().run(forwarding.forward, case_id, kalasin, "เรื่องของจังหวัด", "นายสมชาย", RECORD)
    refused(store, forwarding.forward, case_id, kalasin, "อีกครั้ง", "นายสมชาย", RECORD, match="already forwarded")


def test_a_referral_is_answered_back_to_the_site_it_came_from(store):
    origin = {"site_id": "HUB", "case_id": str(uuid.uuid4()), "tracking_number": "HUB-2569-000007"}
    case_id = received(store, site="KALASIN", directory=KALASIN_DIRECTORY, referral=origin, text="ครูขาดสอน")
    kalasin = store("KALASIN")

    with pytest.raises(RoutingError, match="answer it instead"), kalasin.reading() as session:
        forwarding.check_forward(session, case_id, "HUB")
    result = kalasin.run(forwarding.answer, case_id, "ตักเตือนครูแล้ว", "ผอ.กลุ่มบริหารงานบุคคล")

    assert result == {"case_id": case_id, "status": "answered", "sent_to_site": "HUB", "documents": []}
    [event] = emitted(store, "case_answered")
    assert (event["to_site"], event["referral"], event["answered_by_site"]) == ("HUB", origin, "KALASIN")
    assert event["unit_id"] == "personnel"
    refused(store, forwarding.answer, case_id, "อีกครั้ง", "x", match="already answered")


def answer_from(site, origin_case, tracking="KALASIN-2569-000001"):
    return CASE_ANSWERED.load(CASE_ANSWERED.build(
        site_id=site, case_id=str(uuid.uuid4()), tracking_number=tracking, answer="ตักเตือนครูแล้ว",
        officer="ผอ.กลุ่ม", unit_id="personnel", answered_by_site=site, to_site="HUB",
        referral={"site_id": "HUB", "case_id": origin_case, "tracking_number": "HUB-2569-000001"},
        documents=[{"id": str(uuid.uuid4()), "filename": "ผล.pdf", "content_type": "application/pdf", "size": 9,
                    "sha256": "c" * 64, "site_id": site}]))


def test_the_answer_from_the_site_a_case_went_to_closes_it_here(store):
    case_id = received(store)
    store().run(forwarding.forward, case_id, HUB_DIRECTORY.sites["KALASIN"], "เรื่องของจังหวัด", "นายสมชาย", RECORD)

    with pytest.raises(SiteMismatch, match="not forwarded to RATCHABURI1"):
        store().run(forwarding.record_site_answer, answer_from("RATCHABURI1", case_id))
    incoming = answer_from("KALASIN", case_id)
    recorded = store().run(forwarding.record_site_answer, incoming)
    again = store().run(forwarding.record_site_answer, answer_from("KALASIN", case_id))

    assert recorded["case_id"] == case_id and recorded["to_site"] is None
    assert recorded["answered_by_site"] == "KALASIN"
    assert recorded["referral"] == {"site_id": "KALASIN", "case_id": incoming["case_id"],
                                    "tracking_number": "KALASIN-2569-000001"}
    assert recorded["documents"] == incoming["documents"]  # listed here, kept at KALASIN
    assert again is None  # already answered: nothing more
    assert len(emitted(store, "case_answered")) == 1


# --- result documents ------------------------------------------------------------------------

def as_sent(filename, content_type, data):
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(data).decode()}


def test_an_answer_keeps_its_documents_and_lists_them_on_the_event(store, tmp_path):
    case_id = received(store)
    files = FileStore(tmp_path / "result-documents")
    uploads = result_documents.decode([as_sent("หนังสือแจ้งผล.pdf", "application/pdf", small_pdf()),
                                       as_sent("../../รูปถนน", "image/png", png_1x1())])

    result = store().run(forwarding.answer, case_id, "ซ่อมถนนแล้ว", "นายสมชาย", None, uploads, files)

    [event] = emitted(store, "case_answered")
    assert [(d["filename"], d["content_type"], d["site_id"]) for d in event["documents"]] == [
        ("หนังสือแจ้งผล.pdf", "application/pdf", "HUB"), ("รูปถนน.png", "image/png", "HUB")]
    assert [d["id"] for d in result["documents"]] == [d["id"] for d in event["documents"]]
    assert "content_base64" not in json.dumps(event) and "sha256" not in result["documents"][0]
    with store().reading() as session:
        kept = forwarding.result_document(session, files, case_id, event["documents"][0]["id"])
        other_case = forwarding.result_document(session, files, str(uuid.uuid4()), event["documents"][0]["id"])
    assert base64.b64decode(kept["content_base64"]) == small_pdf()
    assert (kept["filename"], kept["content_type"], other_case) == ("หนังสือแจ้งผล.pdf", "application/pdf", None)


@pytest.mark.parametrize("documents,match", [
    ("a.pdf", "Not a valid list"),
    ([{"filename": "a.pdf", "content_type": "application/pdf"}], "document 1, content_base64: Missing"),
    ([{"filename": "a.pdf", "content_type": "application/pdf", "content_base64": "not base64!"}],
     "document 1, content_base64: Not valid base64"),
    ([as_sent("ok.pdf", "application/pdf", small_pdf()), as_sent("x.pdf", "application/pdf", b"<html>hi")],
     "x.pdf: declared application/pdf, but the content is text/html"),
    ([as_sent("a.exe", "application/x-msdownload", b"MZ...")], "is not accepted"),
    ([as_sent(f"{n}.png", "image/png", png_1x1()) for n in range(11)], "At most 10 result documents"),
])
def test_a_document_that_breaks_the_rules_is_refused_before_anything_is_written(store, documents, match):
    case_id = received(store)

    with pytest.raises(DocumentRefused, match=match):
        result_documents.decode(documents)

    # the same answer without the refused documents still goes through: nothing was taken
    assert store().run(forwarding.answer, case_id, "ซ่อมแล้ว", "นายสมชาย")["status"] == "answered"


def test_a_refused_answer_keeps_no_document(store, tmp_path):
    case_id = received(store)
    files = FileStore(tmp_path / "result-documents")
    store().run(forwarding.answer, case_id, "ซ่อมแล้ว", "นายสมชาย")
    uploads = result_documents.decode([as_sent("ผล.pdf", "application/pdf", small_pdf())])

    refused(store, forwarding.answer, case_id, "อีกครั้ง", "นายสมชาย", None, uploads, files, match="already answered")

    with store().reading() as session:
        assert session.execute(select(func.count()).select_from(result_documents_table)).scalar_one() == 0
    assert not (tmp_path / "result-documents").exists()


def test_an_embedded_site_cannot_forward_for_it_has_no_link():
    with pytest.raises(RoutingError, match="no link to other sites"):
        forwarding.forward_terms(HUB_DIRECTORY, "HUB", "KALASIN", linked=False)


# --- the case's kind ---------------------------------------------------------------------------

def test_a_case_with_no_kind_gets_the_kind_its_words_say_and_why(store):
    case_id = received(store, text="เจ้าหน้าที่พูดจาไม่สุภาพกับชาวบ้าน", kind=None)
    [routed] = [e for e in emitted(store, "case_routed") if e["case_id"] == case_id]
    assert (routed["kind"], routed["kind_reason"]) == (2, "complaint: 'พูดจาไม่สุภาพ'")
    sued = received(store, text="ชาวบ้านจะฟ้องศาลปกครองเรื่องนี้", kind=2)
    [routed] = [e for e in emitted(store, "case_routed") if e["case_id"] == sued]
    assert (routed["kind"], routed["kind_reason"], routed["unit_id"]) == (4, "signal lawsuit: 'ฟ้อง'", "inspection")


def test_an_officer_changes_the_kind_either_way_with_a_reason(store):
    case_id = received(store, text="ชาวบ้านจะฟ้องศาลปกครองเรื่องนี้", kind=2)
    changed = store().run(assignments.change_kind, case_id, 2, " ผู้ร้องยังไม่ได้ฟ้อง ", "นายสมชาย")
    assert changed == {"case_id": case_id, "kind": 2, "previous_kind": 4}
    [event] = emitted(store, "case_kind_changed")
    assert (event["kind"], event["previous_kind"], event["reason"], event["officer"]) == (
        2, 4, "ผู้ร้องยังไม่ได้ฟ้อง", "นายสมชาย")
    assert store().run(assignments.change_kind, case_id, 3, "มีความเสียหายจริง", "นายสมชาย")["previous_kind"] == 2
    with store().reading() as session:
        row = session.execute(select(assignments.assignments).where(
            assignments.assignments.c.case_id == case_id)).one()
    assert (row.kind, row.kind_reason) == (3, "officer นายสมชาย: มีความเสียหายจริง")


@pytest.mark.parametrize("kind,reason,officer,match", [
    (5, "เหตุผล", "นายสมชาย", "a kind is 1, 2, 3 or 4"),
    (True, "เหตุผล", "นายสมชาย", "a kind is 1, 2, 3 or 4"),
    ("2", "เหตุผล", "นายสมชาย", "a kind is 1, 2, 3 or 4"),
    (3, "  ", "นายสมชาย", "a change of kind needs a reason"),
    (3, None, "นายสมชาย", "a change of kind needs a reason"),
    (3, "เหตุผล", " ", "say which officer acts"),
    (4, "เหตุผล", "นายสมชาย", "the case is already kind 4"),
])
def test_a_change_of_kind_that_cannot_be_done_changes_nothing(store, kind, reason, officer, match):
    case_id = received(store, text="ชาวบ้านจะฟ้องศาลปกครองเรื่องนี้", kind=2)
    refused(store, assignments.change_kind, case_id, kind, reason, officer, match=match)
    assert emitted(store, "case_kind_changed") == []


def test_no_kind_to_change_on_an_unknown_case(store):
    refused(store, assignments.change_kind, str(uuid.uuid4()), 2, "เหตุผล", "นายสมชาย", match="no routed case")
