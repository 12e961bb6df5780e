"""LINE push (services/notify/line_push.py) against a local server that answers as the LINE Messaging
API does: each push carries the delivery's retry key, so a retry after a 5xx is answered 409 and is
the delivery done, never a second message; the rate limit's 429 waits its Retry-After; the monthly
quota's 429 and a 400 are kept with why and not tried again."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.notify import deliveries
from services.notify.line_push import LinePusher
from services.notify.models import deliveries as deliveries_table
from shared.times import utcnow
from tests.helpers import StubHttp
from tests.service.test_notify_sms import result_event

USER = "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"
TOKEN = "channel-access-token"


class FakeLine(StubHttp):
    """The push endpoint: answers each push with the next of `answers` ((status, body, headers),
    default 200 {}), and as LINE does, 409 to a retry key it accepted before."""

    def __init__(self):
        self.answers, self.accepted = [], set()
        super().__init__(self._answer)

    def _answer(self, request):
        key = request["headers"].get("X-Line-Retry-Key")
        if key in self.accepted:
            return 409, {"message": "The retry key is already accepted"}, {"X-Line-Accepted-Request-Id": "a1b2c3"}
        status, said, headers = self.answers.pop(0) if self.answers else (200, {}, {})
        if status == 200 or status == 500 and "then accepted" in said.get("message", ""):
            self.accepted.add(key)
        return status, said, headers

    @property
    def received(self):
        return [{"path": r["path"], "auth": r["headers"].get("Authorization"),
                 "key": r["headers"].get("X-Line-Retry-Key"), "body": json.loads(r["body"])} for r in self.requests]


@pytest.fixture
def line():
    fake = FakeLine()
    yield fake
    fake.close()


@pytest.fixture
def store(store_of):
    return store_of("notify", "notify.send_result")


def line_delivery(store, recipients):
    delivery_id = store.run(deliveries.log_notice, result_event(), "result", store.handler_name)
    assert store.run(deliveries.address, delivery_id, {"line_user_id": USER}, recipients, ("email", "line"))
    return delivery_id


def row(store):
    with store.reading() as session:
        return session.execute(select(deliveries_table)).one()


def send(store, line, recipients, delivery_id):
    return deliveries.attempt(store, {"line": LinePusher(line.base, TOKEN)}, recipients, delivery_id)


def test_a_push_carries_the_token_the_user_the_thai_text_and_the_deliverys_retry_key(store, recipients, line):
    delivery_id = line_delivery(store, recipients)
    assert send(store, line, recipients, delivery_id) == "delivered"
    [request] = line.received
    assert (request["path"], request["auth"], request["key"]) == ("/v2/bot/message/push", f"Bearer {TOKEN}",
                                                                   delivery_id)
    assert request["body"]["to"] == USER
    [message] = request["body"]["messages"]
    assert message["type"] == "text" and "HUB-2570-000042" in message["text"]
    assert "ซ่อมไฟฟ้าแสงสว่างหน้าหมู่บ้านเรียบร้อยแล้ว" in message["text"]


def test_a_retry_after_a_5xx_that_was_delivered_after_all_sends_nothing_twice(store, recipients, line):
    delivery_id = line_delivery(store, recipients)
    line.answers = [(500, {"message": "internal error, then accepted"}, {})]
    assert send(store, line, recipients, delivery_id) == "failed"
    assert row(store).next_attempt_at is not None and "500" in row(store).last_error
    assert send(store, line, recipients, delivery_id) == "delivered"  # LINE: 409, the key was accepted
    assert [r["key"] for r in line.received] == [delivery_id, delivery_id]
    assert (row(store).status, row(store).attempts) == ("delivered", 2)


def test_the_rate_limit_waits_its_retry_after_and_the_monthly_quota_is_not_tried_again(store, recipients, line):
    delivery_id = line_delivery(store, recipients)
    line.answers = [(429, {"message": "The API rate limit has been exceeded. Try again later."},
                     {"Retry-After": "900"})]
    before = utcnow()
    assert send(store, line, recipients, delivery_id) == "failed"
    waited = row(store)
    assert waited.next_attempt_at >= before + timedelta(seconds=900)  # not the 30 s of a first backoff
    assert "rate limit" in waited.last_error

    line.answers = [(429, {"message": "You have reached your monthly limit."}, {})]
    assert send(store, line, recipients, delivery_id) == "failed"
    refused = row(store)
    assert refused.next_attempt_at is None and "monthly message quota" in refused.last_error
    with store.reading() as session:
        assert [r["id"] for r in deliveries.failed(session)] == [delivery_id]  # to send again when raised


def test_a_user_line_refuses_is_kept_with_why_and_not_tried_again(store, recipients, line):
    delivery_id = line_delivery(store, recipients)
    line.answers = [(400, {"message": f"The property, 'to', in the request body is invalid ({USER})"}, {})]
    assert send(store, line, recipients, delivery_id) == "failed"
    refused = row(store)
    assert refused.next_attempt_at is None and "SendRefused" in refused.last_error and "400" in refused.last_error
    assert USER not in refused.last_error  # the LINE id is an address: sealed, never in the log
    with store.reading() as session:
        assert deliveries.due_for_retry(session, now=utcnow() + timedelta(days=2)) == []
