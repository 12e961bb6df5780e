"""The hub's count of each district's feed (services/reporting/feed_store.py) on a real database:
numbers arriving out of order, a lost tail shown by a heartbeat, a number reused for another event."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.reporting import feed_store
from services.reporting.exceptions import FeedNumberReused
from shared import events

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(store_of):
    return store_of("reporting", "reporting.on_feed")


def arrives(store, seq, site="KALASIN", event_id=None):
    event = events.NOTIFICATION_RECORDED.load(events.NOTIFICATION_RECORDED.build(
        site_id=site, case_id=str(uuid.uuid4()), event_id=event_id, notification_id=str(uuid.uuid4()),
        purpose="routed", channel="sms", outcome="delivered", attempts=1,
        audience="complainant", role=None))
    message = {"site_id": site, "seq": seq, "source": "notify", "event_type": "notification_recorded",
               "fed_at": NOW - timedelta(seconds=2)}
    return store.run(feed_store.receive, message, event, NOW), event["event_id"]


def summary(store, site="KALASIN"):
    store.run(feed_store.refresh, NOW)
    with store.reading() as session:
        return next(s for s in feed_store.status(session, NOW) if s["site_id"] == site)


def test_numbers_out_of_order_leave_a_gap_until_the_missing_one_comes(store):
    for seq in (1, 2, 5, 4):
        arrives(store, seq)
    seen = summary(store)
    assert (seen["contiguous_to"], seen["highest"], seen["received"], seen["gaps"]) == (2, 5, 4, [(3, 3)])
    assert seen["lag_seconds"] == pytest.approx(2.0)
    arrives(store, 3)
    seen = summary(store)
    assert (seen["contiguous_to"], seen["received"], seen["gaps"]) == (5, 5, [])


def test_a_heartbeat_shows_a_lost_tail_and_a_site_heard_only_by_heartbeat(store):
    arrives(store, 1)
    store.run(feed_store.announced, {"site_id": "KALASIN", "last_seq": 4}, NOW)
    store.run(feed_store.announced, {"site_id": "RATCHABURI1", "last_seq": 2}, NOW)
    assert summary(store)["gaps"] == [(2, 4)]
    assert summary(store, "RATCHABURI1")["gaps"] == [(1, 2)]
    assert [a for a in store.run(feed_store.gaps_to_ask, 0, NOW)] == [("KALASIN", 2, 4), ("RATCHABURI1", 1, 2)]


def test_a_number_again_is_dropped_but_a_number_reused_for_another_event_is_refused(store):
    first, event_id = arrives(store, 1)
    again, _ = arrives(store, 1, event_id=event_id)  # a redelivery or a replay
    assert (first, again) == (True, False)
    with pytest.raises(FeedNumberReused, match="number 1 again for another event"):
        arrives(store, 1)
    assert summary(store)["received"] == 1
