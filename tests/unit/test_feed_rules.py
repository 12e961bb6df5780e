"""The feed's rules (services/reporting/feed.py): what leaves a district, how the hub counts."""
import uuid
from datetime import datetime, timezone

import pytest

from services.reporting import feed
from shared import events

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)
CANARY = "นางสาวนกแก้ว ทดสอบ 0812345678"


def received(**more):
    return events.CASE_RECEIVED.build(
        site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2570-000001", channel="hotline",
        kind=2, subject=f"ถนนชำรุด {CANARY}", description=f"ถนนหน้าบ้าน {CANARY} เป็นหลุม", received_at=NOW,
        complainant_ref=str(uuid.uuid4()), contact_channels=["phone"], category=None,
        location={"province": "กาฬสินธุ์", "district": "ยางตลาด", "subdistrict": None, "has_coordinates": False},
        confidential=False, field_check=False, linked_case_id=None, link_reason=None, referral=None, **more)


def test_a_received_case_leaves_without_its_words_or_its_complainant_and_still_reads_as_one():
    body = received()

    sent = feed.outgoing("case_received", body)

    assert CANARY not in str(sent) and sent["complainant_ref"] is None
    assert (sent["subject"], sent["description"]) == (feed.WITHHELD, feed.WITHHELD)
    assert (sent["channel"], sent["kind"], sent["location"]["district"]) == ("hotline", 2, "ยางตลาด")
    assert events.load("intake", "case_received", sent)["contact_channels"] == ["phone"]
    assert body["subject"].endswith(CANARY)  # the district's own event is left as it was


def test_text_allowed_sends_the_words_but_never_who_complained():
    sent = feed.outgoing("case_received", received(), allow_text=True)

    assert CANARY in sent["description"] and sent["complainant_ref"] is None


def test_a_forward_never_carries_the_complainant_and_an_answer_names_no_file():
    forwarded = events.CASE_FORWARDED.build(
        site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2570-000002", to_site="HUB",
        reason=f"ส่งต่อ {CANARY}", officer="นายสมชาย", complainant={"name": CANARY, "email": None, "phone": None},
        record={"channel": "web", "kind": 2, "subject": CANARY, "description": CANARY,
                "received_at": NOW.isoformat(), "category": None, "location": None, "confidential": False})
    answered = events.CASE_ANSWERED.build(
        site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2570-000003", answer=CANARY,
        officer="นายสมชาย", unit_id="personnel", answered_by_site="KALASIN", referral=None, to_site=None,
        documents=[{"id": str(uuid.uuid4()), "filename": f"{CANARY}.pdf", "content_type": "application/pdf",
                    "size": 10, "sha256": "a" * 64, "site_id": "KALASIN"}])

    for name, body in (("case_forwarded", forwarded), ("case_answered", answered)):
        for allow_text in (False, True):
            sent = feed.outgoing(name, body, allow_text)
            assert events.load("routing", name, sent)  # still the event its schema describes
            if not allow_text:
                assert CANARY not in str(sent) and "นายสมชาย" not in str(sent), name
    assert feed.outgoing("case_forwarded", forwarded, allow_text=True)["complainant"] is None
    assert len(feed.outgoing("case_answered", answered)["documents"]) == 1  # counted, not named


def test_every_event_the_feed_carries_has_its_texts_named():
    """A new event with free text must be added to TEXTS (or shown to have none): the feed is what
    reporting folds, so every folded event is listed here."""
    from services.reporting.service import FOLDED

    text_free = {"case_reopened", "case_reply_received", "case_rated", "sla_clock_started", "sla_warning", "sla_breached", "sla_escalated",
                 "sla_deadline_changed", "sla_clock_resumed", "sla_clock_stopped", "notification_recorded"}
    folded = {name for _source, names in FOLDED for name in names}
    assert folded - text_free == set(feed.TEXTS)


def test_a_unit_note_that_was_none_stays_none():
    body = {"note": None, "officer": "x"}
    assert feed.outgoing("case_unit_status_changed", body) == {"note": None, "officer": feed.WITHHELD}


@pytest.mark.parametrize("after,received,missing", [
    (0, [1, 2, 3], []),
    (0, [2, 3], [(1, 1)]),
    (3, [5, 6, 9], [(4, 4), (7, 8)]),
    (3, [4, 5, 7], [(6, 6)]),
    (10, [], []),
])
def test_missing_ranges(after, received, missing):
    assert feed.missing_ranges(after, received) == missing


def test_settings_a_site_feeds_a_hub_or_receives_feeds_never_both():
    assert feed.FeedSettings.from_config({}, "HUB") == feed.FeedSettings()
    district = feed.FeedSettings.from_config({"FEED": {"hub": "hub", "text": "false", "keep_days": 7}}, "KALASIN")
    assert (district.hub, district.text, district.keep_days, district.receive) == ("HUB", False, 7, False)
    assert feed.FeedSettings.from_config({"FEED": {"hub": "HUB"}}, "HUB").hub is None  # the hub feeds itself nothing
    with pytest.raises(ValueError, match="one or the other"):
        feed.FeedSettings.from_config({"FEED": {"hub": "HUB", "receive": True}}, "KALASIN")
    with pytest.raises(ValueError, match="unknown settings hubb"):
        feed.FeedSettings.from_config({"FEED": {"hubb": "HUB"}}, "KALASIN")
