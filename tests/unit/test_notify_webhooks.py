"""services/notify/webhooks.py: the WEBHOOKS section, what an event becomes when it leaves, the
signature a receiver checks, and how each answer of a real local HTTP server is taken."""
import json
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.notify.exceptions import SendRefused
from services.notify.webhooks import (
    Endpoint, WebhookError, WebhookPoster, encode, parse_endpoints, payload, signature, verify,
)
from shared.events import CASE_ANSWERED, CASE_FORWARDED
from tests.helpers import free_port

SECRET = "s3cret-of-sixteen+"
CASE_ID = "1d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11"
ANSWER = "ซ่อมไฟฟ้าแสงสว่างหน้าหมู่บ้านเรียบร้อยแล้ว"


def item(**changes):
    good = {"name": "crm", "url": "https://crm.example.go.th/hook", "secret": SECRET,
            "events": ["routing.case_answered"]}
    return {key: value for key, value in {**good, **changes}.items() if value is not ...}


# --- the WEBHOOKS section -----------------------------------------------------------------------

def test_no_section_means_no_webhooks():
    assert parse_endpoints(None) == () and parse_endpoints([]) == ()


def test_a_good_section_gives_its_endpoints_in_order():
    endpoints = parse_endpoints([item(), item(name="erp-2", url="http://10.0.0.5:8080/in", timeout=3,
                                           events=["sla.*", "intake.case_received"])])
    assert [e.name for e in endpoints] == ["crm", "erp-2"]
    crm, erp = endpoints
    assert crm == Endpoint("crm", "https://crm.example.go.th/hook", SECRET, ("routing.case_answered",), 10.0)
    assert erp.timeout == 3.0 and erp.events == ("sla.*", "intake.case_received")
    assert SECRET not in repr(crm)
    with pytest.raises(AttributeError):
        crm.url = "https://elsewhere.example/"


def test_an_endpoint_wants_what_it_chose_and_wildcards_choose_many():
    one, source, everything = parse_endpoints([
        item(name="one"), item(name="source", events=["sla.*"]), item(name="all", events=["*"])])
    assert one.wants("routing", "case_answered") and not one.wants("routing", "case_forwarded")
    assert not one.wants("sla", "case_answered")
    assert source.wants("sla", "sla_breached") and source.wants("sla", "sla_warning")
    assert not source.wants("routing", "case_answered")
    assert everything.wants("intake", "case_received") and everything.wants("notify", "notification_recorded")


@pytest.mark.parametrize("bad,says", [
    (item(name=...), r"WEBHOOKS\[1\].*name"),
    (item(name="CRM"), r"WEBHOOKS\[1\] \(CRM\): name"),
    (item(name="x" * 41), "name"),
    (item(name="crm"), r"WEBHOOKS\[1\] \(crm\): name 'crm' is used"),
    (item(name="b", url=...), r"\(b\): url"),
    (item(name="b", url="ftp://files.example/in"), r"\(b\): url"),
    (item(name="b", url="https://"), r"\(b\): url"),
    (item(name="b", secret=...), r"\(b\): secret"),
    (item(name="b", secret="short-secret"), r"\(b\): secret .*16"),
    (item(name="b", events=...), r"\(b\): events"),
    (item(name="b", events=[]), r"\(b\): events"),
    (item(name="b", events="routing.case_answered"), r"\(b\): events"),
    (item(name="b", events=["routing.case_answerd"]), r"\(b\): events: no event 'routing.case_answerd'"),
    (item(name="b", events=["case_answered"]), r"\(b\): events: no event"),
    (item(name="b", events=["billing.*"]), r"\(b\): events: no source 'billing'"),
    (item(name="b", timeout=0), r"\(b\): timeout"),
    (item(name="b", timeout="soon"), r"\(b\): timeout"),
    (item(name="b", retries=3), r"\(b\): unknown settings retries"),
    ("https://crm.example/", r"WEBHOOKS\[1\]: an endpoint is a mapping"),
])
def test_each_wrong_item_is_refused_naming_it_and_the_field(bad, says):
    with pytest.raises(ValueError, match=says):
        parse_endpoints([item(), bad])


def test_a_section_that_is_not_a_list_is_refused():
    with pytest.raises(ValueError, match="WEBHOOKS is a list"):
        parse_endpoints(item())


# --- what is sent ------------------------------------------------------------------------------

def forwarded_event():
    occurred = datetime(2026, 12, 1, 3, 30, tzinfo=timezone.utc)
    return CASE_FORWARDED.build(
        site_id="HUB", case_id=CASE_ID, occurred_at=occurred, tracking_number="HUB-2570-000042",
        to_site="D01", reason="อยู่ในเขตอำเภอ", officer="officer.somchai",
        record={"channel": "web", "kind": 2, "subject": "ไฟดับ", "description": "ไฟถนนดับทั้งซอย",
                "received_at": occurred - timedelta(days=1), "category": "electricity",
                "location": {"province": "เชียงใหม่", "district": "เมือง", "subdistrict": None,
                             "has_coordinates": False},
                "confidential": False},
        complainant={"name": "สมหญิง ใจดี", "email": "somying@example.com", "phone": "+66812345678"})


def answered_event():
    return CASE_ANSWERED.build(
        site_id="HUB", case_id=CASE_ID, tracking_number="HUB-2570-000042", answer=ANSWER,
        officer="officer.somchai", unit_id="U1", answered_by_site="HUB", referral=None, to_site=None,
        documents=[{"id": str(uuid.uuid4()), "filename": "ผล.pdf", "content_type": "application/pdf",
                    "size": 1024, "sha256": "a" * 64, "site_id": "HUB"}])


def test_a_forwarded_case_leaves_without_who_complained():
    event = forwarded_event()
    assert event["complainant"]["phone"]            # the event itself carries them
    body = payload("routing", "case_forwarded", event, text=True)
    assert body["event"] == "routing.case_forwarded"
    assert {k: body[k] for k in ("event_id", "site_id", "case_id", "version")} == {
        "event_id": event["event_id"], "site_id": "HUB", "case_id": CASE_ID, "version": 1}
    assert body["occurred_at"] == "2026-12-01T03:30:00+00:00"
    assert "complainant" not in body["data"]
    assert body["data"]["record"]["location"]["province"] == "เชียงใหม่"
    assert body["data"]["record"]["subject"] == "ไฟดับ" and body["data"]["to_site"] == "D01"
    text = encode(body).decode("utf-8")
    for personal in ("สมหญิง", "somying", "812345678"):
        assert personal not in text
    assert event["complainant"]["name"] == "สมหญิง ใจดี"     # the caller's event is left as it was


def test_personal_keys_are_left_out_at_any_depth_and_times_become_text():
    event = {"event_id": str(uuid.uuid4()), "occurred_at": datetime(2026, 1, 2, tzinfo=timezone.utc),
             "site_id": "HUB", "case_id": uuid.UUID(CASE_ID), "version": 1, "complainant_ref": str(uuid.uuid4()),
             "Email": "a@example.com", "unit_name": "กองช่าง",
             "record": {"name": "x", "address": "1 ถนน", "kept": 1,
                        "people": [{"national_id": "1101700000000", "line_user_id": "U123", "role": "lead"}],
                        "due_at": datetime(2026, 1, 9, tzinfo=timezone.utc)}}
    body = payload("intake", "case_received", event)
    assert body["occurred_at"] == "2026-01-02T00:00:00+00:00" and body["case_id"] == CASE_ID
    assert body["data"] == {"unit_name": "กองช่าง", "record": {"kept": 1, "people": [{"role": "lead"}],
                                                                "due_at": "2026-01-09T00:00:00+00:00"}}


def test_free_texts_are_withheld_unless_the_endpoint_takes_them():
    event = answered_event()
    withheld = payload("routing", "case_answered", event)["data"]
    assert withheld["answer"] == withheld["officer"] == withheld["documents"][0]["filename"] == "…"
    assert withheld["documents"][0]["sha256"] == "a" * 64 and withheld["answered_by_site"] == "HUB"
    forwarded = payload("routing", "case_forwarded", forwarded_event())["data"]
    assert forwarded["record"]["subject"] == forwarded["record"]["description"] == "…"


def test_an_answer_keeps_all_its_fields():
    event = answered_event()
    body = payload("routing", "case_answered", event, text=True)
    expected = {k: v for k, v in event.items() if k not in ("event_id", "occurred_at", "site_id", "case_id", "version")}
    assert body["data"] == expected and body["version"] == 2
    assert body["data"]["documents"][0]["filename"] == "ผล.pdf"
    assert body["occurred_at"] == event["occurred_at"]


# --- the signature -----------------------------------------------------------------------------

def test_a_signature_is_checked_against_the_body_and_the_time():
    body, now = b'{"event":"routing.case_answered"}', 1_790_000_000
    header = signature(SECRET, now, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify(SECRET, str(now), body, header, now=now)
    assert verify(SECRET, str(now), body, header, now=now + 300)
    assert verify(SECRET, str(now), body, header, now=now - 300)
    assert not verify(SECRET, str(now), body, header, now=now + 301)      # stale
    assert not verify(SECRET, str(now), body, header, now=now - 301)      # from the future
    assert not verify(SECRET, str(now), body + b" ", header, now=now)
    assert not verify(SECRET, str(now + 1), body, header, now=now)
    assert not verify("another-secret-of-16", str(now), body, header, now=now)
    assert not verify(SECRET, "soon", body, header, now=now) and not verify(SECRET, str(now), body, "", now=now)
    assert not verify(SECRET, str(now), body, "sha256=ลายเซ็น", now=now)


# --- sending to a real HTTP server -------------------------------------------------------------

class Receiver:
    """An office's system: records each request and answers with the next of `answers`."""

    def __init__(self):
        self.received, self.answers = [], []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                status, headers, text = outer.answers.pop(0) if outer.answers else (204, {}, b"")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rongtuk/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


def poster_for(url, **changes):
    return WebhookPoster(parse_endpoints([item(url=url, **changes)]))


def test_the_receiver_gets_the_headers_and_a_signature_it_can_verify(receiver):
    body = payload("routing", "case_answered", answered_event())
    reference = "delivery-7f3a"
    before = int(time.time())
    poster_for(receiver.url).send("crm", body, reference)
    [request] = receiver.received
    headers = request["headers"]
    assert request["path"] == "/rongtuk/hook"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["User-Agent"] == "Rongtuk-Webhook/1"
    assert headers["X-Rongtuk-Event"] == "routing.case_answered"
    assert headers["X-Rongtuk-Delivery"] == reference
    timestamp = headers["X-Rongtuk-Timestamp"]
    assert timestamp.isdigit() and before <= int(timestamp) <= time.time()
    assert request["body"] == encode(body)
    assert request["body"] == json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert verify(SECRET, timestamp, request["body"], headers["X-Rongtuk-Signature"])
    altered = bytearray(request["body"])
    altered[-2] ^= 1
    assert not verify(SECRET, timestamp, bytes(altered), headers["X-Rongtuk-Signature"])
    assert not verify(SECRET, timestamp, request["body"], headers["X-Rongtuk-Signature"], now=int(timestamp) + 301)


def test_thai_text_arrives_intact_and_unescaped(receiver):
    body = payload("routing", "case_answered", answered_event(), text=True)
    poster_for(receiver.url).send("crm", body, "d-1")
    raw = receiver.received[0]["body"]
    assert ANSWER.encode("utf-8") in raw and b"\\u0e" not in raw
    assert json.loads(raw.decode("utf-8"))["data"]["answer"] == ANSWER


def test_a_retry_carries_the_same_delivery_reference(receiver):
    receiver.answers = [(503, {}, b"busy")]
    poster = poster_for(receiver.url)
    body = payload("routing", "case_answered", answered_event())
    with pytest.raises(WebhookError):
        poster.send("crm", body, "d-42")
    poster.send("crm", body, "d-42")
    first, second = receiver.received
    assert first["headers"]["X-Rongtuk-Delivery"] == second["headers"]["X-Rongtuk-Delivery"] == "d-42"
    assert first["body"] == second["body"]


@pytest.mark.parametrize("status", [500, 503, 408])
def test_a_server_error_or_timeout_answer_is_tried_again(receiver, status):
    receiver.answers = [(status, {}, b"oops")]
    with pytest.raises(WebhookError, match=str(status)) as caught:
        poster_for(receiver.url).send("crm", payload("routing", "case_answered", answered_event()), "d-1")
    assert caught.value.status == status and caught.value.retry_after is None


def test_too_many_requests_is_tried_again_after_what_it_asked(receiver):
    receiver.answers = [(429, {"Retry-After": "7"}, b"slow down")]
    with pytest.raises(WebhookError) as caught:
        poster_for(receiver.url).send("crm", payload("routing", "case_answered", answered_event()), "d-1")
    assert caught.value.retry_after == 7 and caught.value.status == 429


def test_a_refusal_is_not_tried_again_and_keeps_only_the_start_of_what_was_said(receiver):
    receiver.answers = [(400, {}, ("bad " + "x" * 500).encode())]
    with pytest.raises(SendRefused, match="400") as caught:
        poster_for(receiver.url).send("crm", payload("routing", "case_answered", answered_event()), "d-1")
    assert not isinstance(caught.value, WebhookError)
    assert "bad x" in str(caught.value) and "x" * 201 not in str(caught.value)


def test_an_endpoint_no_longer_configured_is_refused(receiver):
    with pytest.raises(SendRefused, match="gone"):
        poster_for(receiver.url).send("gone", {"event": "routing.case_answered"}, "d-1")
    assert receiver.received == []


def test_a_closed_port_is_tried_again():
    poster = poster_for(f"http://127.0.0.1:{free_port()}/hook", timeout=2)
    with pytest.raises(WebhookError, match="not reachable"):
        poster.send("crm", payload("routing", "case_answered", answered_event()), "d-1")
