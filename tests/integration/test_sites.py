"""Hub → district → hub: a case forwarded between two sites and its answer coming back.

Each site runs all five services on its own RabbitMQ vhost and its own PostgreSQL databases; the
two vhosts are linked by federation of the sites exchange (as `rongtuk sites link` sets it up),
so only what is addressed to a site reaches it.
"""
import base64
import uuid

import pytest
import requests
import sqlalchemy as sa
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from services.intake.service import IntakeService
from services.notify.service import NotifyService
from services.reporting.service import ReportingService
from services.routing.service import RoutingService
from services.sla.service import SlaService
from shared import sites
from tests.helpers import acting_as, api_for, connected, count_rows, site_config, wait_for
from tests.samples import small_pdf

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]
SERVICES = (IntakeService, RoutingService, SlaService, NotifyService, ReportingService)
MANAGEMENT = "http://guest:guest@127.0.0.1:15672"


@pytest.fixture
def district_vhost(rabbit_config, rabbit_manager):
    hub_vhost = sites.vhost_of(rabbit_config["AMQP_URI"])
    vhost = f"{hub_vhost}-kalasin"
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    yield vhost
    rabbit_manager.delete_vhost(vhost)


@pytest.fixture
def two_sites(rabbit_config, district_vhost, pg_database_sets, runner_factory, tmp_path):
    hub = site_config(rabbit_config["AMQP_URI"], pg_database_sets(), tmp_path / "hub", SITE_ID="HUB")
    district_uri = rabbit_config["AMQP_URI"].rsplit("/", 1)[0] + "/" + district_vhost
    # the district on quorum queues (as `rongtuk site init` makes a new site), the hub on classic ones
    district = site_config(district_uri, pg_database_sets(), tmp_path / "kalasin", SITE_ID="KALASIN",
                           ROUTING_DIRECTORY="deploy/directory-kalasin.yml", KNOWLEDGE={"file": ""},
                           QUEUES={"type": "quorum"})
    for config in (hub, district):
        runner_factory(config, *SERVICES).start()
    # each site federates the sites exchange from the other, as `rongtuk sites link` does
    sites.link(MANAGEMENT, sites.vhost_of(hub["AMQP_URI"]), "kalasin", district["AMQP_URI"])
    sites.link(MANAGEMENT, district_vhost, "hub", hub["AMQP_URI"])
    for vhost, key in ((sites.vhost_of(hub["AMQP_URI"]), "KALASIN.routing.case_forwarded"),
                       (district_vhost, "HUB.routing.case_answered")):
        wait_for(lambda: _bound_upstream(vhost, key), timeout=30,
                 message=f"the federation link that pulls {key} from {vhost}")
    queues = requests.get(f"http://127.0.0.1:15672/api/queues/{requests.utils.quote(district_vhost, safe='')}",
                          auth=("guest", "guest"), timeout=10).json()
    forwarded = [q for q in queues if q["name"].startswith("site-KALASIN.routing.case_forwarded--")]
    assert forwarded and all(q["type"] == "quorum" for q in forwarded), queues
    return hub, district


def _bound_upstream(vhost, key):
    """True once the downstream site's binding for `key` has reached the upstream's sites exchange."""
    url = f"http://127.0.0.1:15672/api/exchanges/{requests.utils.quote(vhost, safe='')}/rongtuk.sites/bindings/source"
    response = requests.get(url, auth=("guest", "guest"), timeout=5)
    return response.status_code == 200 and any(b["routing_key"] == key for b in response.json())


def _first(config, service, sql, **params):
    """The first row of a query on one service's database of a site."""
    with connected(config, service) as conn:
        return conn.execute(sa.text(sql), params).first()


def _referral(config, origin_case_id):
    return _first(config, "intake", "SELECT id, tracking_number, channel, status, complainant_id, confidential "
                                    "FROM cases WHERE referral_case_id = :c", c=origin_case_id)


def _disclosures(config, case_id):
    """Why the complainant's identity was given out, as intake's access log says."""
    with connected(config, "intake") as conn:
        return conn.execute(sa.text("SELECT purpose FROM identity_access_log WHERE case_id = :c ORDER BY id"),
                            {"c": case_id}).scalars().all()


def _forwards_written(config):
    return count_rows(config, "routing", "outbox", "WHERE event_type = 'case_forwarded'")


def _timeline(config, case_id):
    with ServiceRpcProxy("reporting", config, timeout=10) as reporting:
        return reporting.case_timeline(case_id)


def test_a_case_forwarded_to_a_district_comes_back_answered(two_sites):
    hub, district = two_sites
    api = api_for(hub)
    created = api.post_case({
        "channel": "hotline", "kind": 2, "subject": "ครูโรงเรียนบ้านนาขาดสอนบ่อย",
        "description": "ครูประจำชั้น ป.4 โรงเรียนบ้านนา อำเภอยางตลาด ไม่มาสอนทุกวันศุกร์มาสองเดือนแล้ว",
        "complainant": {"name": "นางบุญมี ศรีสุข", "email": "boonmee@example.org", "phone": "0812345678"},
        "location": {"province": "กาฬสินธุ์", "district": "ยางตลาด"}}).json()
    case_id = created["case_id"]
    api.wait_until_routed(created)

    with ServiceRpcProxy("routing", hub, timeout=10, context_data=acting_as(name="นายสมชาย (ศูนย์ 1111)")) as routing:
        with pytest.raises(RemoteError, match="unknown site 'NOWHERE'") as unknown:
            routing.forward(case_id, "NOWHERE", "x")
        assert unknown.value.exc_type == "RoutingError"
        # refused: nothing sent, so no disclosure of the complainant recorded at intake
        assert _disclosures(hub, case_id) == [] and _forwards_written(hub) == 0
        result = routing.forward(case_id, "KALASIN", "เรื่องครูในสังกัดสำนักงานศึกษาธิการจังหวัด")
    assert result == {"case_id": case_id, "status": "forwarded", "to_site": "KALASIN", "complainant_shared": True}
    assert _forwards_written(hub) == 1
    # recorded when intake hears the case_forwarded that carried the complainant: what was really sent
    wait_for(lambda: _disclosures(hub, case_id) == ["case forwarded to site KALASIN"],
             message="the disclosure recorded")

    # the district records it as its own case, a referral with its own tracking number, and routes it
    referral = wait_for(lambda: _referral(district, case_id), timeout=20, message="the referral at the district")
    assert referral.channel == "referral" and referral.tracking_number.startswith("KALASIN-")
    assert referral.complainant_id is not None  # KALASIN may have the complainant's contacts
    head = acting_as(name="ผอ.กลุ่มบริหารงานบุคคล", site="KALASIN")
    with ServiceRpcProxy("intake", district, timeout=10, context_data=head) as intake:
        shared = intake.reveal_identity(referral.id, "โทรสอบถามข้อเท็จจริงกับผู้ร้องเรียน")
    assert shared["state"] == "shown" and shared["identity"]["identity"] == {
        "name": "นางบุญมี ศรีสุข", "email": "boonmee@example.org", "phone": "+66812345678"}

    assignment = wait_for(lambda: _first(district, "routing", "SELECT unit_id, referral_site, referral_tracking_number "
                                                             "FROM assignments WHERE case_id = :c", c=referral.id),
                          message="the referral routed at the district")
    assert assignment.unit_id == "personnel"  # the district's own rule: ครู → personnel
    assert (assignment.referral_site, assignment.referral_tracking_number) == ("HUB", created["tracking_number"])

    letter = small_pdf()
    with ServiceRpcProxy("routing", district, timeout=10, context_data=acting_as(
            name="นางสาวอรุณี (กลุ่มบริหารงานบุคคล)", site="KALASIN")) as routing:
        answered = routing.answer(referral.id, "สำนักงานได้ตักเตือนครูและจัดครูสอนแทนทุกวันศุกร์แล้ว", documents=[{
                                      "filename": "หนังสือแจ้งผล.pdf", "content_type": "application/pdf",
                                      "content_base64": base64.b64encode(letter).decode()}])
        [document] = answered["documents"]
        kept = routing.result_document(referral.id, document["id"])
    assert base64.b64decode(kept["content_base64"]) == letter  # the district keeps the file

    # the hub's case has its answer, is closed, and its clocks stopped
    def answered_at_hub():
        case = api.get_case(created["tracking_number"], created["access_code"]).json()
        events = [e["event"] for e in case["timeline"] or []]
        clocks = {c["target"]: c["state"] for c in case["clocks"] or []}
        done = case["status"] == "answered" and "case_answered" in events and clocks.get("forward_answer") == "met"
        return case if done else None

    case = wait_for(answered_at_hub, timeout=30, message="the district's answer recorded at the hub")
    events = [e["event"] for e in case["timeline"]]
    for expected in ("case_received", "case_routed", "case_forwarded", "case_answered"):
        assert expected in events, events
    summaries = {e["event"]: e["summary"] for e in case["timeline"]}
    assert "KALASIN" in summaries["case_forwarded"]
    assert f"ได้รับผลการพิจารณาจาก KALASIN (เรื่องเลขที่ {referral.tracking_number})" in summaries["case_answered"]
    assert {c["target"]: c["state"] for c in case["clocks"]}["resolution"] in ("met", "breached")
    assert case["result"]["answer"] == "สำนักงานได้ตักเตือนครูและจัดครูสอนแทนทุกวันศุกร์แล้ว"
    assert case["result"]["by_site"] == "KALASIN"  # what the complainant reads on their case's page
    # the hub lists the district's document; the file stays at the district, and the hub says so
    assert [(d["id"], d["filename"], d["site_id"]) for d in case["result"]["documents"]] == [
        (document["id"], "หนังสือแจ้งผล.pdf", "KALASIN")]
    elsewhere = requests.get(f"{api.base}/api/v1/cases/{created['tracking_number']}/documents/{document['id']}",
                             headers={"X-Access-Code": created["access_code"]}, timeout=10)
    assert elsewhere.status_code == 404 and "kept at site KALASIN" in elsewhere.json()["message"]

    # the district's own timeline shows where the case came from and that it answered back
    with ServiceRpcProxy("sla", district, timeout=10) as sla:
        district_clocks = {c["target"]: c for c in sla.case_clocks(referral.id)}
    assert district_clocks["resolution"]["state"] == "met"  # Kalasin's own deadline for its part
    assert district_clocks["first_notice"]["outcome"] == "superseded"  # the hub keeps the complainant informed
    district_events = {e["event"]: e["summary"] for e in _timeline(district, referral.id)}
    assert created["tracking_number"] in district_events["case_received"]
    assert "ส่งผลกลับ HUB" in district_events["case_answered"]

    # the hub tells the complainant the result (the district does not: the hub holds the complainant)
    def result_logged(config):
        return count_rows(config, "notify", "deliveries", "WHERE purpose = 'result'")

    wait_for(lambda: result_logged(hub) == 1, message="the result sent to the complainant by the hub")
    assert result_logged(district) == 0
    # nor was it acknowledged or told of progress there: the hub tells its complainant (the district's
    # unit hears it was assigned: that is the office's)
    assert count_rows(district, "notify", "deliveries", "WHERE audience = 'complainant' AND status <> 'not_sent'") == 0
    assert count_rows(district, "notify", "deliveries", "WHERE purpose = 'routed' AND reason LIKE '%forwarded%'") == 1


def test_a_confidential_case_goes_without_its_complainant(two_sites):
    hub, district = two_sites
    api = api_for(hub)
    created = api.post_case({
        "channel": "web", "kind": 3, "subject": "ผู้อำนวยการโรงเรียนเรียกรับเงินค่าฝากเข้าเรียน",
        "description": "ผู้อำนวยการโรงเรียนเรียกรับเงินห้าพันบาทต่อคนเพื่อรับนักเรียนเข้าเรียน",
        "confidential": True, "complainant": {"name": "ผู้ปกครอง", "email": "parent@example.org"}}).json()
    api.wait_until_routed(created)
    with ServiceRpcProxy("routing", hub, timeout=10, context_data=acting_as(name="นายสมชาย")) as routing:
        result = routing.forward(created["case_id"], "KALASIN", "ทุจริตในสถานศึกษาสังกัดจังหวัด")
    assert result["complainant_shared"] is False

    referral = wait_for(lambda: _referral(district, created["case_id"]), timeout=20,
                        message="the referral at the district")
    assert referral.complainant_id is None and referral.confidential


def test_a_forward_to_an_unlinked_site_waits_without_holding_up_other_events(two_sites):
    hub, _ = two_sites
    api = api_for(hub)
    first = api.post_case({"channel": "counter", "kind": 2, "subject": "ถนนหน้าโรงเรียนชำรุด",
                           "description": "ถนนหน้าโรงเรียนเป็นหลุมลึก"}).json()
    api.wait_until_routed(first)
    with ServiceRpcProxy("routing", hub, timeout=10, context_data=acting_as(name="นายสมชาย")) as routing:
        routing.forward(first["case_id"], "RATCHABURI1", "เรื่องของเขตพื้นที่")

    def retried():
        row = _first(hub, "routing", "SELECT published_at, attempts, last_error FROM outbox "
                                     "WHERE event_type = 'case_forwarded'")
        return row if row is not None and row.attempts >= 1 else None

    row = wait_for(retried, message="the forward kept back")
    assert row.published_at is None and row.last_error == "no route to site RATCHABURI1"
    # the hub's own events still flow: a later case is routed, and the forward shows on its timeline
    later = api.post_case({"channel": "web", "kind": 2, "subject": "ขอทราบวาระการประชุม",
                           "description": "ขอทราบวาระการประชุมคณะกรรมการครั้งหน้า"}).json()
    api.wait_until_routed(later)
    assert "case_forwarded" in [e["event"] for e in _timeline(hub, first["case_id"])]


def test_an_answer_for_a_case_never_forwarded_there_is_dead_lettered(two_sites):
    hub, district = two_sites
    from kombu import Connection, Exchange
    body = {"event_id": str(uuid.uuid4()), "occurred_at": "2026-03-02T03:00:00+00:00", "site_id": "KALASIN",
            "case_id": str(uuid.uuid4()), "version": 1, "tracking_number": "KALASIN-2569-000099",
            "answer": "ตอบแล้ว", "officer": "x", "unit_id": None, "answered_by_site": "KALASIN",
            "referral": {"site_id": "HUB", "case_id": str(uuid.uuid4()), "tracking_number": "HUB-2569-009999"},
            "to_site": "HUB"}
    with Connection(district["AMQP_URI"]) as conn:
        producer = conn.Producer()
        producer.publish(body, exchange=Exchange("rongtuk.sites", type="topic", durable=True),
                         routing_key="HUB.routing.case_answered", serializer="json", declare=[])

    letter = wait_for(lambda: _first(hub, "routing", "SELECT reason, error FROM dead_letters "
                                                     "WHERE event_type = 'case_answered'"),
                      timeout=20, message="the stray answer dead-lettered at the hub")
    assert "was not forwarded to KALASIN" in letter.error
