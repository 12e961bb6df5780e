"""Routing's decisions and the officers' actions through the whole system.

The knowledge base runs embedded, as a citizen meets it; re-routing and information requests run
through RabbitMQ and PostgreSQL with all five services, and show on the case's timeline.
"""
import email
import email.policy

import pytest
import requests
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from services.intake.service import IntakeService
from services.notify.service import NotifyService
from services.reporting.service import ReportingService
from services.routing.service import RoutingService
from services.sla.service import SlaService
from tests.helpers import acting_as, api_for, run_cli, wait_for


def test_an_inquiry_the_knowledge_base_answers_is_closed_at_first_contact(embedded):
    created = embedded.post_case({
        "channel": "web", "kind": 1, "subject": "สอบถามเรื่องอบรม",
        "description": "อยากทราบว่าจะเปิดรับสมัครอบรมเศรษฐกิจพอเพียงรุ่นต่อไปเมื่อไหร่ครับ",
        "complainant": {"name": "ประเสริฐ", "email": "prasert@example.org"}}).json()

    def answered():
        case = embedded.get_case(created["tracking_number"], created["access_code"]).json()
        events = [e["event"] for e in case["timeline"] or []]
        return case if case["status"] == "answered_from_kb" and "notification_recorded" in events else None

    case = wait_for(answered, message="the inquiry answered from the knowledge base")
    assert case["clocks"] == []  # closed at once: no deadline to keep
    def two_mails():  # the acknowledgment and the answer
        found = list((embedded.data_dir / "mail").glob("*.eml"))
        return found if len(found) == 2 else None

    bodies = [email.message_from_bytes(m.read_bytes(), policy=email.policy.default).get_content()
              for m in wait_for(two_mails, message="two e-mails")]
    assert any("ประกาศรับสมัครทางเว็บไซต์" in body for body in bodies)  # the answer itself reached them


def test_an_inquiry_the_knowledge_base_cannot_answer_goes_to_a_unit(embedded):
    created = embedded.post_case({"channel": "web", "kind": 1, "subject": "สอบถามเรื่องวาระการประชุม",
                                  "description": "ขอทราบวาระการประชุมคณะกรรมการกองทุนหมู่บ้านครั้งหน้า"}).json()
    case = embedded.wait_until_routed(created)
    assert case["status"] == "routed" and case["unit"]["id"] == "admin-rules"
    routed = next(e for e in case["timeline"] if e["event"] == "case_routed")
    assert "rule rules-meetings" in routed["summary"]


@pytest.fixture
def site(runner_factory, distributed_config):
    runner = runner_factory(distributed_config, IntakeService, RoutingService, SlaService, NotifyService,
                            ReportingService)
    runner.start()
    return distributed_config


@pytest.mark.rabbit
@pytest.mark.postgres
def test_reroute_and_an_information_request_through_rabbitmq(site):
    api = api_for(site)
    created = api.post_case({"channel": "counter", "kind": 2, "subject": "ถนนในหมู่บ้านชำรุด",
                             "description": "ถนนลูกรังในหมู่ 3 เป็นหลุมลึก รถสัญจรลำบาก"}).json()
    case = api.wait_until_routed(created)
    assert case["unit"]["id"] == "inspection"  # no rule, no model: triage
    case_id = created["case_id"]

    somphong = acting_as(name="นายสมพงษ์ (ศูนย์รับเรื่อง)")
    with ServiceRpcProxy("routing", site, timeout=10, context_data=somphong) as routing:
        routing.reroute(case_id, "projects-funds", "เป็นเรื่องงบประมาณโครงการซ่อมถนน")
        with pytest.raises(RemoteError, match="unknown unit 'no-such-unit'") as refused:
            routing.reroute(case_id, "no-such-unit", "x")
        assert refused.value.exc_type == "RoutingError"
        routing.request_info(case_id, "ขอภาพถ่ายถนนและพิกัดจุดที่ชำรุด")

    def paused():
        view = api.get_case(created["tracking_number"], created["access_code"]).json()
        clock = next(c for c in view["clocks"] if c["target"] == "resolution")
        return view if view["status"] == "waiting_for_complainant" and clock["state"] == "paused" else None

    view = wait_for(paused, message="the case waiting for the complainant, its clock paused")
    assert view["unit"]["id"] == "projects-funds"
    with ServiceRpcProxy("routing", site, timeout=10, context_data=acting_as(name="นางสาวเพ็ญ (กลุ่มงานโครงการ)")) \
            as routing:
        routing.info_received(case_id)

    def resumed():
        view = api.get_case(created["tracking_number"], created["access_code"]).json()
        events = [e["event"] for e in view["timeline"]]
        resolution = next(c for c in view["clocks"] if c["target"] == "resolution")
        running = view["status"] == "routed" and resolution["state"] != "paused"
        return view if running and "case_info_received" in events else None

    view = wait_for(resumed, message="the case back with its unit, the clock running again")
    events = [e["event"] for e in view["timeline"]]
    for expected in ("case_received", "case_routed", "case_triage_needed", "case_rerouted",
                     "case_info_requested", "case_info_received"):
        assert expected in events, events
    rerouted = next(e for e in view["timeline"] if e["event"] == "case_rerouted")
    assert "งบประมาณโครงการซ่อมถนน" in rerouted["summary"]


def test_officers_act_on_routing_over_http(embedded):
    officer = run_cli("apikey", "create", "--name", "นางสาวเพ็ญ กลุ่มงานตรวจสอบ", "--role", "officer", env=embedded.env)
    key = officer.stdout.split("key:")[1].strip()
    created = embedded.post_case({"channel": "web", "kind": 2, "subject": "ถนนในหมู่บ้านชำรุด",
                                  "description": "ถนนลูกรังหมู่ 3 เป็นหลุมลึก"}).json()
    embedded.wait_until_routed(created)
    url = f"{embedded.base}/api/v1/cases/{created['tracking_number']}/routing"

    def act(action, body=None, api_key=key):
        return requests.post(f"{url}/{action}", json=body, headers={"X-Api-Key": api_key}, timeout=10)

    assert act("reroute", {"unit_id": "projects-funds"}).status_code == 400          # no reason
    assert act("reroute", {"unit_id": "roads", "reason": "ถนน"}).status_code == 409   # no such unit
    assert act("confirm", api_key="rtk_forged").status_code == 403
    moved = act("reroute", {"unit_id": "projects-funds", "reason": "งบซ่อมถนนเป็นของกลุ่มงานโครงการ"})
    assert moved.status_code == 200 and moved.json()["unit_id"] == "projects-funds"
    assert act("info-received").status_code == 409  # nothing was asked

    def moved_on_the_case():
        case = embedded.get_case(created["tracking_number"], created["access_code"]).json()
        return case if case["unit"]["id"] == "projects-funds" else None

    case = wait_for(moved_on_the_case, message="the case with its new unit")
    assert any(e["event"] == "case_rerouted" for e in case["timeline"])


@pytest.mark.rabbit
@pytest.mark.postgres
def test_several_units_each_with_its_status_then_the_answer_through_rabbitmq(site):
    api = api_for(site)
    created = api.post_case({"channel": "letter", "kind": 2, "subject": "ขอทราบวาระการประชุมคณะกรรมการ",
                             "description": "ขอทราบวาระการประชุมคณะกรรมการครั้งหน้า และขอให้ลงข่าวให้ประชาชนทราบ",
                             "complainant": {"name": "นายวิชัย", "email": "wichai@example.org"}}).json()
    api.wait_until_routed(created)
    case_id = created["case_id"]

    with ServiceRpcProxy("routing", site, timeout=10, context_data=acting_as(name="นายสมพงษ์ (ศูนย์รับเรื่อง)")) \
            as routing, ServiceRpcProxy("routing", site, timeout=10, context_data=acting_as(
                "unit_officer", name="นางสาวเพ็ญ (กลุ่มงานสารสนเทศ)", units=["ict-pr"])) as ict:
        routing.assign_units(case_id, ["ict-pr"], "ต้องประชาสัมพันธ์ด้วย")
        ict.set_unit_status(case_id, "ict-pr", "answered", "ลงข่าวบนเว็บไซต์สำนักงานแล้ว")
        units = routing.case_units(case_id)["units"]
        assert {u["unit_id"]: (u["role"], u["status"]) for u in units} == {
            "admin-rules": ("lead", "assigned"), "ict-pr": ("support", "answered")}
        routing.answer(case_id, "วาระการประชุมครั้งหน้าคือการพิจารณาโครงการ และได้ลงข่าวบนเว็บไซต์แล้ว")

    def answered():
        view = api.get_case(created["tracking_number"], created["access_code"]).json()
        stopped = all(c["state"] in ("met", "breached") for c in view["clocks"])
        result_told = any(e["summary"].startswith("แจ้งผลการพิจารณาแก่ผู้ร้อง") for e in view["timeline"])
        return view if view["status"] == "answered" and stopped and result_told else None

    view = wait_for(answered, message="the case answered, its clocks stopped, the complainant told")
    events = [e["event"] for e in view["timeline"]]
    for expected in ("case_units_assigned", "case_unit_status_changed", "case_answered", "sla_clock_stopped"):
        assert expected in events, events
    summaries = {e["event"]: e["summary"] for e in view["timeline"]}
    assert "กลุ่มงานสารสนเทศวางแผนและประเมินผล" in summaries["case_units_assigned"]
    assert summaries["case_unit_status_changed"] == "หน่วยงาน ict-pr: ตอบส่วนของตนแล้ว"
    assert any(e["summary"].startswith("แจ้งผลการพิจารณาแก่ผู้ร้อง") for e in view["timeline"])


def test_officers_give_a_case_to_several_units_and_answer_it_over_http(embedded):
    officer = run_cli("apikey", "create", "--name", "นายสมพงษ์", "--role", "officer", env=embedded.env)
    key = officer.stdout.split("key:")[1].strip()
    created = embedded.post_case({"channel": "web", "kind": 2, "subject": "ขอทราบวาระการประชุม",
                                  "description": "ขอทราบวาระการประชุมครั้งหน้า"}).json()
    embedded.wait_until_routed(created)
    url = f"{embedded.base}/api/v1/cases/{created['tracking_number']}/routing"

    def act(action, body=None):
        return requests.post(f"{url}/{action}", json=body, headers={"X-Api-Key": key}, timeout=10)

    assert act("assign-units", {"unit_ids": "ict-pr", "reason": "x"}).status_code == 400   # not a list
    assert act("unit-status", {"unit_id": "ict-pr"}).status_code == 400                    # no status
    assert act("forward", {"to_site": "KALASIN", "reason": "x"}).status_code == 409        # no broker link
    assigned = act("assign-units", {"unit_ids": ["ict-pr"], "reason": "ต้องประชาสัมพันธ์ด้วย"})
    assert assigned.status_code == 200
    assert [u["unit_id"] for u in assigned.json()["units"]] == ["admin-rules", "ict-pr"]
    working = act("unit-status", {"unit_id": "ict-pr", "status": "in_progress"})
    assert working.status_code == 200
    assert act("answer", {"answer": "วาระคือการพิจารณาโครงการปี 2569"}).status_code == 200
    assert act("answer", {"answer": "อีกครั้ง"}).status_code == 409

    def closed():
        case = embedded.get_case(created["tracking_number"], created["access_code"]).json()
        return case if case["status"] == "answered" else None

    case = wait_for(closed, message="the case answered")
    assert case["result"]["answer"] == "วาระคือการพิจารณาโครงการปี 2569" and case["result"]["by_site"] == "HUB"
    assert {"case_units_assigned", "case_unit_status_changed", "case_answered"} <= {
        e["event"] for e in case["timeline"]}
