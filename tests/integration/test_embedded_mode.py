"""Embedded mode as a user runs it: `rongtuk run` in its own process, memory transport, SQLite."""
import email
import email.policy
import socket
import subprocess
import sys

import requests

from services import SERVICE_NAMES
from tests.helpers import free_port, metric_value, run_cli, thai_case, wait_for

ENTRYPOINTS = {
    "intake": ["create_case", "get_case", "on_case_routed", "on_sla_clock_started", "contact_for_notice"],
    "routing": ["route_case"],
    "sla": ["start_clock"],
    "notify": ["acknowledge_case", "retry_deliveries"],
    "reporting": ["on_case_received", "on_case_routed", "on_sla_clock_started", "on_notification_recorded",
                  "case_timeline"],
}


def test_a_thai_complaint_goes_through_all_five_services(embedded):
    response = embedded.post_case(thai_case())
    assert response.status_code == 201
    created = response.json()

    case = embedded.wait_until_routed(created)

    assert case["tracking_number"] == created["tracking_number"]
    assert case["unit"]["id"]  # the shipped directory always gives one
    assert case["deadline"].endswith("T16:30:00+07:00")
    clocks = {clock["target"]: clock for clock in case["clocks"]}
    assert clocks["resolution"]["due_at"] == case["deadline"]
    assert clocks["resolution"]["state"] in ("open", "warned") and clocks["resolution"]["business_days"] == 3
    assert clocks["first_notice"]["state"] in ("open", "warned", "met")

    def first_notice_met():  # the notice telling which unit has the case is the first progress notice
        page = embedded.get_case(created["tracking_number"], created["access_code"]).json()
        return {c["target"]: c["state"] for c in page["clocks"] or []}.get("first_notice") == "met"
    wait_for(first_notice_met, timeout=15, message="the routed notice meeting the first-notice clock")
    services = [entry["service"] for entry in case["timeline"]]
    assert services[0] == "intake"
    assert set(services) == set(SERVICE_NAMES)
    times = [entry["at"] for entry in case["timeline"]]
    assert times == sorted(times)
    # nothing personal on the page a tracking number opens
    assert "สมหญิง" not in str(case) and "somying@example.org" not in str(case)

    # the acknowledgment went out (embedded mode without SMTP writes .eml files)
    mail = wait_for(lambda: list((embedded.data_dir / "mail").glob("*.eml")), timeout=10,
                    message="an acknowledgment e-mail")
    assert any(created["tracking_number"].encode() in m.read_bytes() for m in mail)

    report = f"{embedded.base}/api/v1/reports/cases-by-status"
    assert requests.get(report, timeout=5).status_code == 401  # the reports are for officers
    officer = run_cli("apikey", "create", "--name", "ผู้อำนวยการศูนย์", "--role", "officer", env=embedded.env)
    key = officer.stdout.split("key:")[1].strip()
    counts = requests.get(report, headers={"X-Api-Key": key}, timeout=5).json()
    assert counts == {"cases_by_status": {"routed": 1}}


def test_the_acknowledgment_goes_out_over_smtp_when_a_server_is_configured(start_embedded, tmp_path):
    smtp_port = free_port()
    maildir = tmp_path / "maildir"
    smtp = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
                             "-c", "aiosmtpd.handlers.Mailbox", str(maildir)])
    try:
        wait_for(lambda: _listening(smtp_port), timeout=10, message="the SMTP server")
        api = start_embedded(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port),
                             SMTP_SENDER="ศูนย์รับเรื่องร้องเรียน <complaints@example.go.th>")
        created = api.post_case(thai_case()).json()
        case = api.wait_until_routed(created)
        notice = [e for e in case["timeline"] if e["service"] == "notify"]
        assert notice and all("(email)" in n["summary"] for n in notice)
        messages = wait_for(lambda: list((maildir / "new").glob("*")), timeout=10, message="a delivered e-mail")
        mails = [email.message_from_bytes(m.read_bytes(), policy=email.policy.default) for m in messages]
        mail = next(m for m in mails if "ได้รับเรื่องร้องเรียนของท่านแล้ว" in str(m["Subject"]))  # the acknowledgment
        assert mail["To"] == "somying@example.org"
        assert created["tracking_number"] in str(mail["Subject"])
        assert "complaints@example.go.th" in str(mail["From"])
        assert "หน่วยงานได้รับเรื่องของท่านแล้ว" in mail.get_content()  # Thai survives the trip
        assert "สมหญิง" not in mail.get_content()  # the name typed in is not the office's words
        assert mail["Auto-Submitted"] == "auto-generated"  # no auto-replies to it
        assert not list((api.data_dir / "mail").glob("*.eml"))
    finally:
        smtp.terminate()
        smtp.wait(timeout=10)


def test_a_failed_delivery_is_logged_on_the_timeline(start_embedded):
    api = start_embedded(SMTP_HOST="127.0.0.1", SMTP_PORT=str(free_port()))  # nothing listens there
    created = api.post_case(thai_case()).json()
    case = api.wait_until_routed(created)
    notice = [e for e in case["timeline"] if e["service"] == "notify"]
    assert notice and all("ส่งไม่สำเร็จ" in n["summary"] for n in notice)  # the acknowledgment (and the routed)


def _listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_metrics_show_every_entrypoint_of_all_five_services_on_the_one_port(embedded):
    created = embedded.post_case(thai_case()).json()
    embedded.wait_until_routed(created)
    text = embedded.metrics()
    for service, entrypoints in ENTRYPOINTS.items():
        for entrypoint in entrypoints:
            labels = {"service": service, "entrypoint": entrypoint}
            assert metric_value(text, "rongtuk_entrypoint_calls_total", **labels) is not None, labels
            assert metric_value(text, "rongtuk_entrypoint_seconds_total", **labels) is not None
    assert metric_value(text, "rongtuk_entrypoint_calls_total", service="intake", entrypoint="create_case") == 1
    assert metric_value(text, "rongtuk_entrypoint_calls_total", service="routing", entrypoint="route_case") == 1
    assert metric_value(text, "rongtuk_entrypoint_seconds_total", service="routing", entrypoint="route_case") > 0
    # the latency histogram is by type of entrypoint: routing's RPCs and its event handlers apart
    assert metric_value(text, "rongtuk_entrypoint_latency_seconds_count", service="routing", type="event") >= 1
    assert metric_value(text, "rongtuk_entrypoint_latency_seconds_bucket", service="intake", type="http",
                        le="+Inf") >= 1
    # each service's part of /metrics (its own series and those of the process) stays under 50 KB
    shared = sum(len(line.encode()) + 1 for line in text.splitlines() if 'service="' not in line)
    for service in ENTRYPOINTS:
        own = sum(len(line.encode()) + 1 for line in text.splitlines() if f'service="{service}"' in line)
        assert own + shared < 50_000, (service, own, shared)


def test_the_complainants_identity_stays_out_of_the_logs(embedded):
    created = embedded.post_case(thai_case()).json()
    embedded.wait_until_routed(created)
    log = embedded.log_path.read_text(encoding="utf-8")
    assert created["tracking_number"] in log or "POST /api/v1/cases" in log
    for secret in ("สมหญิง", "somying@example.org"):
        assert secret not in log
