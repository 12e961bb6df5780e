"""The knowledge base in routing's database: the officers' changes, seeding a new site from its file,
every routing worker seeing a change (in this process, another one, another machine), and the RPCs."""
import json
import uuid
from datetime import datetime, timezone

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import select

from services.routing import knowledge_admin as kb
from services.routing.dependencies import KnowledgeIndex, seed_knowledge
from services.routing.directory import Directory
from services.routing.knowledge import KnowledgeError
from services.routing.models import assignments, knowledge_changes, knowledge_entries
from services.routing.service import RoutingService
from shared.config import PROJECT_ROOT
from shared.events import CASE_RECEIVED_V1 as CASE_RECEIVED  # v1 producers are still understood
from shared.store import open_store, outbox
from tests.helpers import acting_as, wait_for

KNOWLEDGE_FILE = PROJECT_ROOT / "deploy" / "knowledge.yml"
UNITS = Directory.load(PROJECT_ROOT / "deploy" / "directory.yml").units
SHIPPED = ["certificate", "grant-documents", "office-hours", "training-schedule"]
PARKING = {"id": "office-parking", "unit": "admin-rules",
           "questions": ["สำนักงานมีที่จอดรถสำหรับผู้มาติดต่อไหม", "มาติดต่อราชการจอดรถได้ที่ไหน"],
           "answer": "ผู้มาติดต่อจอดรถได้ที่ลานจอดด้านหลังอาคาร 2 ฟรี ตั้งแต่ 08.00-17.00 น."}
PARKING_INQUIRY = "อยากทราบว่าสำนักงานมีที่จอดรถให้ผู้มาติดต่อไหมครับ"
OFFICER = "นางสาวเพ็ญ (ศูนย์รับเรื่อง)"


@pytest.fixture
def store(store_of):
    return store_of("routing", "test")


def rows(store):
    with store.reading() as session:
        return {r.id: r for r in session.execute(select(knowledge_entries))}


def revision(store):
    with store.reading() as session:
        return kb.revision(session)


def test_a_new_site_is_seeded_from_its_file_once(store):
    assert seed_knowledge(store, KNOWLEDGE_FILE, UNITS) == {"added": 4, "replaced": 0, "unchanged": 0,
                                                            "removed": 0}
    assert sorted(rows(store)) == SHIPPED
    assert {r.updated_by for r in rows(store).values()} == {"seed from deploy/knowledge.yml"}
    for entry_id in SHIPPED:
        store.run(kb.remove, entry_id, OFFICER)
    # every entry removed is not "never filled": the officers' removals stand
    assert seed_knowledge(store, KNOWLEDGE_FILE, UNITS) is None
    with store.reading() as session:
        assert kb.listing(session) == [] and len(kb.listing(session, include_removed=True)) == 4
        assert kb.load(session).search("เปิดรับสมัครอบรมเมื่อไหร่") == []


def test_put_adds_replaces_or_leaves_alone_and_names_the_officer(store):
    assert store.run(kb.put, PARKING, OFFICER, UNITS) == {"id": "office-parking", "status": "added"}
    first = revision(store)
    assert store.run(kb.put, PARKING, "someone else", UNITS)["status"] == "unchanged"
    assert revision(store) == first and rows(store)["office-parking"].updated_by == OFFICER
    changed = {**PARKING, "answer": "ลานจอดด้านหลังอาคาร 2 ปิดปรับปรุง จอดได้ที่อาคาร 1"}
    assert store.run(kb.put, changed, "นายสมพงษ์", UNITS)["status"] == "replaced"
    row = rows(store)["office-parking"]
    assert (row.answer, row.updated_by, row.version) == (changed["answer"], "นายสมพงษ์", 2)
    assert revision(store) != first
    with pytest.raises(KnowledgeError, match="already exists"):
        store.run(kb.put, PARKING, OFFICER, UNITS, must_be_new=True)
    with pytest.raises(KnowledgeError, match="say which officer"):
        store.run(kb.put, PARKING, " ", UNITS)
    with pytest.raises(KnowledgeError, match="not a unit of the directory"):
        store.run(kb.put, {**PARKING, "unit": "roads"}, OFFICER, UNITS)
    assert rows(store)["office-parking"].version == 2  # nothing written by the refused ones


def test_a_removal_is_recorded_and_a_put_brings_the_entry_back(store):
    store.run(kb.put, PARKING, OFFICER, UNITS)
    before = revision(store)
    assert store.run(kb.remove, "office-parking", "นายสมพงษ์") == {"id": "office-parking", "status": "removed"}
    assert revision(store) != before
    with pytest.raises(KnowledgeError, match="no entry 'office-parking'"):
        store.run(kb.remove, "office-parking", OFFICER)
    with pytest.raises(KnowledgeError, match="no entry 'nothing'"):
        store.run(kb.remove, "nothing", OFFICER)
    with store.reading() as session:
        assert kb.listing(session) == []
        [removed] = kb.listing(session, include_removed=True)
        assert removed["deleted_at"] and removed["updated_by"] == "นายสมพงษ์"
    assert store.run(kb.put, PARKING, OFFICER, UNITS)["status"] == "added"
    with store.reading() as session:
        [back] = kb.listing(session)
        assert back["deleted_at"] is None and back["questions"] == PARKING["questions"]
        changes = [(c["action"], c["officer"]) for c in kb.history(session, "office-parking")]
    assert changes == [("added", OFFICER), ("removed", "นายสมพงษ์"), ("added", OFFICER)]


def test_an_import_is_all_or_nothing_and_can_remove_what_the_file_lacks(store, tmp_path):
    store.run(kb.put, PARKING, OFFICER, UNITS)
    data = kb.read_file(KNOWLEDGE_FILE)
    broken = {"entries": data["entries"] + [{**PARKING, "id": "fees", "unit": "roads"}]}
    with pytest.raises(KnowledgeError, match=r"entry 5 \(fees\): unit 'roads'"):
        store.run(kb.import_entries, broken, OFFICER, UNITS)
    assert sorted(rows(store)) == ["office-parking"]

    assert store.run(kb.import_entries, data, OFFICER, UNITS) == {"added": 4, "replaced": 0, "unchanged": 0,
                                                                  "removed": 0}
    data["entries"][0]["answer"] = "เปิดรับสมัครทุกเดือน"
    assert store.run(kb.import_entries, data, OFFICER, UNITS, remove_missing=True) == {
        "added": 0, "replaced": 1, "unchanged": 3, "removed": 1}
    with store.reading() as session:
        assert [e["id"] for e in kb.listing(session)] == SHIPPED
        exported = kb.export(session)
    assert store.run(kb.import_entries, exported, OFFICER, UNITS, remove_missing=True) == {
        "added": 0, "replaced": 0, "unchanged": 4, "removed": 0}
    assert exported["entries"][SHIPPED.index("training-schedule")]["answer"] == "เปิดรับสมัครทุกเดือน"


def test_each_worker_rebuilds_its_index_only_when_an_entry_changed_wherever_it_was_changed(embedded_config,
                                                                                            store):
    seed_knowledge(store, KNOWLEDGE_FILE, UNITS)
    here = KnowledgeIndex(store.engine, interval=0)
    with open_store(embedded_config, "routing") as elsewhere_store:  # an engine of its own, as another process has
        elsewhere = KnowledgeIndex(elsewhere_store.engine, interval=0)
        first = here.current()
        assert here.current() is first  # nothing changed: the same index, not rebuilt
        assert first.answer_for(PARKING_INQUIRY, 1, 0.45) is None
        store.run(kb.put, PARKING, OFFICER, UNITS)
        for index in (here, elsewhere):
            entry, score = index.current().answer_for(PARKING_INQUIRY, 1, 0.45)
            assert entry.id == "office-parking" and score >= 0.45
        second = here.current()
        assert second is not first and here.current() is second
        store.run(kb.put, PARKING, "someone else", UNITS)  # unchanged: nothing to rebuild
        assert here.current() is second
        store.run(kb.remove, "office-parking", OFFICER)
        assert here.current().answer_for(PARKING_INQUIRY, 1, 0.45) is None
        assert elsewhere.current().answer_for(PARKING_INQUIRY, 1, 0.45) is None


@pytest.mark.postgres
def test_routing_processes_sharing_postgresql_all_see_an_edit(pg_stores):
    writer, *others = pg_stores("routing", count=3)  # three processes, each with an engine of its own
    assert seed_knowledge(writer, KNOWLEDGE_FILE, UNITS)["added"] == 4
    assert seed_knowledge(others[0], KNOWLEDGE_FILE, UNITS) is None
    processes = [KnowledgeIndex(other.engine, interval=0) for other in others]
    assert all(p.current().answer_for(PARKING_INQUIRY, 1, 0.45) is None for p in processes)
    writer.run(kb.put, PARKING, OFFICER, UNITS)
    assert [p.current().answer_for(PARKING_INQUIRY, 1, 0.45)[0].id for p in processes] == ["office-parking"] * 2
    writer.run(kb.remove, "office-parking", OFFICER)
    assert all(p.current().answer_for(PARKING_INQUIRY, 1, 0.45) is None for p in processes)


# --- through the running service ----------------------------------------------------------------

def inquiry(text):
    return CASE_RECEIVED.build(
        site_id="HUB", case_id=str(uuid.uuid4()), tracking_number="HUB-2570-000042", channel="web", kind=1,
        subject="สอบถาม", description=text, received_at=datetime.now(timezone.utc), complainant_ref=None,
        contact_channels=[])


def routed(store, case_id):
    with store.reading() as session:
        row = session.execute(select(assignments).where(assignments.c.case_id == case_id)).first()
        if row is None:
            return None
        answered = [json.loads(b) for b in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "case_answered_from_kb",
                                        outbox.c.case_id == case_id)).scalars()]
        return row, answered


def test_an_entry_put_over_rpc_answers_the_next_inquiry_and_a_removed_one_no_longer_does(
        container_factory, embedded_config, store):
    routing = container_factory(RoutingService, embedded_config)
    routing.start()
    dispatch = event_dispatcher(embedded_config)

    def route(text):
        body = inquiry(text)
        dispatch("intake", "case_received", body)
        return wait_for(lambda: routed(store, body["case_id"]), message="the inquiry routed")

    def proxy(context=None):
        return ServiceRpcProxy("routing", embedded_config, timeout=10, context_data=context)

    with proxy(acting_as("admin", name=OFFICER)) as rpc, proxy(acting_as("admin", name="นายสมพงษ์")) as other, \
            proxy(acting_as("director")) as director, proxy() as nobody:
        listed = rpc.kb_list()
        assert [e["id"] for e in listed] == SHIPPED  # seeded when routing started
        assert listed[0]["updated_by"] == "seed from deploy/knowledge.yml"

        row, answered = route(PARKING_INQUIRY)
        assert row.status != "answered" and answered == []

        with pytest.raises(RemoteError) as refused:
            rpc.kb_put({**PARKING, "unit": "roads"})
        assert refused.value.exc_type == "KnowledgeError" and "not a unit of the directory" in str(refused.value)
        for not_admin in (director, nobody):  # the knowledge base is the administrators'
            with pytest.raises(RemoteError) as refused:
                not_admin.kb_put(PARKING)
            assert refused.value.exc_type == "Forbidden"
        assert rpc.kb_put(PARKING) == {"id": "office-parking", "status": "added"}
        assert rpc.search_knowledge(PARKING_INQUIRY)[0]["id"] == "office-parking"

        row, [event] = route(PARKING_INQUIRY)
        assert (row.status, row.method, row.unit_id) == ("answered", "knowledge", "admin-rules")
        assert row.reason == "knowledge base: office-parking"
        assert event["entry_id"] == "office-parking" and event["answer"] == PARKING["answer"]

        assert other.kb_remove("office-parking") == {"id": "office-parking", "status": "removed"}
        with pytest.raises(RemoteError, match="no entry 'office-parking'"):
            other.kb_remove("office-parking")
        row, answered = route(PARKING_INQUIRY)
        assert row.status != "answered" and answered == []
        assert "office-parking" not in [e["id"] for e in rpc.kb_list()]
        assert all(e["id"] != "office-parking" for e in rpc.search_knowledge(PARKING_INQUIRY))

    with store.reading() as session:
        officers = session.execute(select(knowledge_changes.c.action, knowledge_changes.c.officer)
                                   .where(knowledge_changes.c.entry_id == "office-parking")
                                   .order_by(knowledge_changes.c.id)).all()
    assert [tuple(o) for o in officers] == [("added", OFFICER), ("removed", "นายสมพงษ์")]


def test_the_stored_revision_is_looked_at_once_an_interval_unless_this_process_changed_it(store, monkeypatch):
    seed_knowledge(store, KNOWLEDGE_FILE, UNITS)
    clock = [1000.0]
    monkeypatch.setattr("services.routing.dependencies.time.monotonic", lambda: clock[0])
    index = KnowledgeIndex(store.engine, interval=1.0)
    first = index.current()

    store.run(kb.put, PARKING, OFFICER, UNITS)            # another process's edit
    clock[0] += 0.5
    assert index.current() is first                         # not looked at yet
    clock[0] += 0.6
    assert index.current().answer_for(PARKING_INQUIRY, 1, 0.45)[0].id == "office-parking"

    store.run(kb.remove, "office-parking", OFFICER)       # this process's own edit
    index.invalidate()
    assert index.current().answer_for(PARKING_INQUIRY, 1, 0.45) is None  # at once, no interval
