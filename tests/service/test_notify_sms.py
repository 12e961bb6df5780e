"""SMS through a gateway (services/notify/sms.py) against a local HTTP server that checks the request
as a gateway would: a phone-only complainant is reached by SMS, a 5xx is tried again with backoff, a
4xx is not, and the number never reaches the delivery log."""
import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from services.notify import deliveries
from services.notify.models import deliveries as deliveries_table
from services.notify.sms import SmsGateway
from shared.times import utcnow
from tests.helpers import StubHttp

PHONE = "+66812345678"
CHANNELS = ("email", "line", "sms")


class FakeGateway(StubHttp):
    """An SMS gateway: keeps each form it is sent and answers with the next status of `answers`."""

    def __init__(self):
        self.answers = []
        super().__init__(self._answer, path="/sms")

    def _answer(self, request):
        status = self.answers.pop(0) if self.answers else 201
        return status, ({"error": {"code": status, "description": f"msisdn 0812345678 {status}"}}
                        if status >= 400 else {"remaining_credit": 99}), {}

    @property
    def received(self):
        return [{"path": r["path"], "auth": r["headers"].get("Authorization"), "type": r["headers"].get("Content-Type"),
                 "form": {k: v[0] for k, v in parse_qs(r["body"].decode()).items()}} for r in self.requests]


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


@pytest.fixture
def store(store_of):
    return store_of("notify", "notify.send_result")


def result_event():
    return {"event_id": "7a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e21", "case_id": "1d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11",
            "tracking_number": "HUB-2570-000042", "answer": "ซ่อมไฟฟ้าแสงสว่างหน้าหมู่บ้านเรียบร้อยแล้ว",
            "answered_by_site": "HUB", "site_id": "HUB"}


def sms_delivery(store, recipients, contact):
    delivery_id = store.run(deliveries.log_notice, result_event(), "result", store.handler_name)
    assert store.run(deliveries.address, delivery_id, contact, recipients, CHANNELS)
    return delivery_id


def row(store):
    with store.reading() as session:
        return session.execute(select(deliveries_table)).one()


def test_a_phone_only_complainant_gets_the_result_by_sms_in_the_thaibulksms_form(store, recipients, gateway):
    sms = SmsGateway.from_settings({"profile": "thaibulksms", "url": gateway.url, "username": "api-key",
                                    "password": "api-secret", "sender": "OSS1111"})
    delivery_id = sms_delivery(store, recipients, {"phone": PHONE, "name": "สมศรี"})

    assert deliveries.attempt(store, {"sms": sms}, recipients, delivery_id) == "delivered"

    [request] = gateway.received
    assert request["auth"] == "Basic " + base64.b64encode(b"api-key:api-secret").decode()
    assert request["type"] == "application/x-www-form-urlencoded"
    form = request["form"]
    assert (form["msisdn"], form["sender"], form["force"]) == ("66812345678", "OSS1111", "standard")
    assert form["message"] == ("ผลการพิจารณาเรื่องเลขที่ HUB-2570-000042: "
                               "ซ่อมไฟฟ้าแสงสว่างหน้าหมู่บ้านเรียบร้อยแล้ว")
    assert "สมศรี" not in form["message"]
    logged = row(store)
    assert (logged.channel, logged.status) == ("sms", "delivered")
    assert "812345678" not in json.dumps([str(v) for v in logged._mapping.values()])  # sealed, not in the clear
    assert deliveries.attempt(store, {"sms": sms}, recipients, delivery_id) is None and len(gateway.received) == 1


def test_email_first_when_given_and_sms_only_when_the_site_has_a_gateway(store, recipients):
    both = {"phone": PHONE, "email": "s@example.org"}
    assert deliveries._reachable(both, CHANNELS) == ("email", "s@example.org")
    assert deliveries._reachable({"phone": PHONE}, CHANNELS) == ("sms", PHONE)
    assert deliveries._reachable({"phone": PHONE}, ("email", "line")) == (None, None)
    assert deliveries._reachable(both, ("sms", "email")) == ("sms", PHONE)  # NOTIFY.channel_order
    # answered on the like of the channel the case came by, when the site has it and they left its address
    assert deliveries._reachable({**both, "came_by": "hotline"}, CHANNELS) == ("sms", PHONE)
    assert deliveries._reachable({**both, "came_by": "hotline"}, ("email", "line")) == ("email", "s@example.org")
    assert deliveries._reachable({**both, "came_by": "web"}, CHANNELS) == ("email", "s@example.org")
    assert deliveries._reachable({"email": "s@example.org", "came_by": "line"}, CHANNELS) == ("email", "s@example.org")
    # the channel they chose comes before all
    assert deliveries._reachable({**both, "came_by": "email", "notify_by": "sms"}, CHANNELS) == ("sms", PHONE)
    assert deliveries._reachable({**both, "came_by": "hotline", "notify_by": "sms"}, ("email",)) == \
        ("email", "s@example.org")  # no gateway here: the office's order
    assert deliveries.gave_an_address({"contact_channels": ["phone"]}, CHANNELS)
    assert not deliveries.gave_an_address({"contact_channels": ["phone"]})


def test_a_5xx_is_tried_again_with_backoff_and_a_4xx_is_not(store, recipients, gateway):
    sms = SmsGateway.from_settings({"url": gateway.url, "auth_header": "Authorization: Bearer t0ken"})
    delivery_id = sms_delivery(store, recipients, {"phone": PHONE})
    gateway.answers = [503]

    assert deliveries.attempt(store, {"sms": sms}, recipients, delivery_id) == "failed"
    first = row(store)
    assert first.next_attempt_at > utcnow() + timedelta(seconds=25) and "503" in first.last_error
    assert gateway.received[0]["auth"] == "Bearer t0ken" and gateway.received[0]["form"]["to"] == PHONE
    gateway.answers = [400]
    assert deliveries.attempt(store, {"sms": sms}, recipients, delivery_id) == "failed"
    refused = row(store)
    assert (refused.attempts, refused.next_attempt_at) == (2, None)  # not tried again
    assert "SendRefused" in refused.last_error and "400" in refused.last_error
    assert "0812345678" not in refused.last_error and "<number>" in refused.last_error
    with store.reading() as session:
        assert deliveries.due_for_retry(session, now=utcnow() + timedelta(days=1)) == []
    assert len(gateway.received) == 2


def test_a_refused_delivery_is_listed_and_sent_again_when_an_officer_says_so(store, recipients, gateway, store_of,
                                                                             embedded_config, tmp_path):
    from click.testing import CliRunner

    from services.cli import main
    from tests.helpers import write_config
    sms = SmsGateway.from_settings({"url": gateway.url})
    delivery_id = sms_delivery(store, recipients, {"phone": PHONE})
    gateway.answers = [400]
    deliveries.attempt(store, {"sms": sms}, recipients, delivery_id)
    config = str(write_config(embedded_config, tmp_path / "config.yml"))

    listed = CliRunner().invoke(main, ["--config", config, "notify", "failed"], catch_exceptions=False)
    assert listed.exit_code == 0 and delivery_id in listed.output and "result by sms" in listed.output
    assert "812345678" not in listed.output
    wrong = CliRunner().invoke(main, ["--config", config, "notify", "resend", "nope"], catch_exceptions=False)
    assert wrong.exit_code == 1 and "not a delivery that failed for good" in wrong.output
    again = CliRunner().invoke(main, ["--config", config, "notify", "resend", delivery_id], catch_exceptions=False)
    assert again.exit_code == 0 and "queued to be sent again" in again.output

    with store.reading() as session:
        assert deliveries.due_for_retry(session) == [delivery_id]
    assert deliveries.attempt(store, {"sms": sms}, recipients, delivery_id) == "delivered"
    assert row(store).attempts == 1 and len(gateway.received) == 2


def test_a_delivery_report_marks_an_sms_the_handset_never_got_failed_once(store, recipients, gateway):
    from shared.store import outbox
    sms = SmsGateway.from_settings({"url": gateway.url, "reference_field": "client_ref"})
    delivery_id = sms_delivery(store, recipients, {"phone": PHONE})
    assert deliveries.attempt(store, {"sms": sms}, recipients, delivery_id) == "delivered"
    assert gateway.received[0]["form"]["client_ref"] == delivery_id  # for the gateway's report

    assert store.run(deliveries.sms_reported, delivery_id, None, "ACCEPTD") == "delivered"  # interim: no change
    assert store.run(deliveries.sms_reported, delivery_id, "failed", "UNDELIV") == "failed"
    assert store.run(deliveries.sms_reported, delivery_id, "failed", "UNDELIV") == "failed"  # again: once
    failed = row(store)
    assert (failed.status, failed.next_attempt_at, failed.reported) == ("failed", None, "failed: UNDELIV")
    assert "undelivered (UNDELIV)" in failed.last_error
    with store.reading() as session:
        outcomes = [json.loads(b)["outcome"] for b in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "notification_recorded")).scalars()]
        assert [r["id"] for r in deliveries.failed(session)] == [delivery_id]  # an officer may send it again
    assert outcomes == ["delivered", "failed"]
    assert store.run(deliveries.sms_reported, "no-such-delivery", "delivered", "DELIVRD") is None
