"""The wire contract in shared/events.py: what build emits, what load accepts and refuses."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from shared import events
from shared.events import (
    CASE_RECEIVED_V1 as CASE_RECEIVED,
    CASE_ROUTED_V1 as CASE_ROUTED,
    NOTIFICATION_RECORDED,
    SLA_CLOCK_STARTED,
    InvalidEvent,
)

BKK = timezone(timedelta(hours=7))
CASE_ID = uuid.UUID("6f1c2a3e-8b4d-4c5e-9f60-7a8b9c0d1e2f")
RECEIVED_AT = datetime(2025, 11, 3, 10, 15, tzinfo=BKK)
OCCURRED_AT = datetime(2025, 11, 3, 3, 15, 5, tzinfo=timezone.utc)

PAYLOADS = {
    "case_received": dict(
        tracking_number="HUB-2569-000042",
        channel="web",
        kind=2,
        subject="ขอให้ตรวจสอบการเบิกจ่ายงบประมาณโครงการพัฒนาหมู่บ้าน",
        description="ผู้ใหญ่บ้านแจ้งว่าโครงการขุดลอกคลองหมู่ 5 ตำบลบางพลี ได้รับงบประมาณแล้ว\n"
                    "แต่ยังไม่มีการดำเนินงานตั้งแต่เดือนมิถุนายน ขอให้ตรวจสอบด้วย",
        received_at=RECEIVED_AT,
        complainant_ref=uuid.UUID("0b7e4c52-1d3f-4a6b-8c9d-2e3f4a5b6c7d"),
        contact_channels=["email", "phone"],
    ),
    "case_routed": dict(
        tracking_number="HUB-2569-000042",
        kind=2,
        received_at=RECEIVED_AT,
        unit_id="projects-funds",
        unit_name="กลุ่มงานเสริมสร้างศักยภาพและการมีส่วนร่วม",
        reason="rule funds: keyword 'งบประมาณ'",
    ),
    "sla_clock_started": dict(
        clock_id=uuid.UUID("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"),
        target="resolution",
        kind=2,
        unit_id="projects-funds",
        started_at=RECEIVED_AT,
        due_at=datetime(2025, 11, 6, 16, 30, tzinfo=BKK),
        business_days=3,
    ),
    "notification_recorded": dict(
        notification_id=uuid.UUID("d4c3b2a1-f6e5-4b7a-9d8c-5c4b3a2f1e0d"),
        purpose="acknowledgment",
        channel="email",
        outcome="delivered",
        attempts=1,
        audience="complainant",
        role=None,
    ),
}
TYPES = {
    "case_received": CASE_RECEIVED,
    "case_routed": CASE_ROUTED,
    "sla_clock_started": SLA_CLOCK_STARTED,
    "notification_recorded": NOTIFICATION_RECORDED,
}
ALL = sorted(TYPES)


def build(name, **overrides):
    payload = {**PAYLOADS[name], **overrides}
    return TYPES[name].build(site_id="HUB", case_id=CASE_ID, occurred_at=OCCURRED_AT, **payload)


def wire(name, **overrides):
    body = build(name)
    body.update(overrides)
    return body


# --- build ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_build_produces_envelope_and_plain_json_values(name):
    body = build(name)

    assert body["version"] == TYPES[name].version
    assert body["site_id"] == "HUB"
    assert body["case_id"] == str(CASE_ID)
    assert str(uuid.UUID(body["event_id"])) == body["event_id"]
    assert body["occurred_at"] == "2025-11-03T03:15:05+00:00"
    for key, value in body.items():
        assert value is None or isinstance(value, (str, int, list)), (key, value)
    assert set(body) == {"event_id", "occurred_at", "site_id", "case_id", "version"} | set(PAYLOADS[name])


@pytest.mark.parametrize("name", ALL)
def test_build_output_round_trips_through_load(name):
    body = build(name)

    loaded = TYPES[name].load(body)

    assert loaded["occurred_at"] == OCCURRED_AT
    assert loaded["case_id"] == str(CASE_ID)
    for key, value in PAYLOADS[name].items():
        expected = str(value) if isinstance(value, uuid.UUID) else value
        assert loaded[key] == expected, key


def test_build_writes_datetimes_as_iso_strings_keeping_the_offset():
    body = build("sla_clock_started")

    assert body["started_at"] == "2025-11-03T10:15:00+07:00"
    assert body["due_at"] == "2025-11-06T16:30:00+07:00"


def test_build_uses_given_event_id_or_a_fresh_one():
    given = uuid.uuid4()
    one = CASE_ROUTED.build(site_id="HUB", case_id=CASE_ID, event_id=given, **PAYLOADS["case_routed"])
    two = CASE_ROUTED.build(site_id="HUB", case_id=CASE_ID, **PAYLOADS["case_routed"])
    three = CASE_ROUTED.build(site_id="HUB", case_id=CASE_ID, **PAYLOADS["case_routed"])

    assert one["event_id"] == str(given)
    assert two["event_id"] != three["event_id"]
    assert datetime.fromisoformat(two["occurred_at"]).tzinfo is not None


def test_build_allows_a_case_without_complainant():
    body = build("case_received", complainant_ref=None, contact_channels=[])

    assert body["complainant_ref"] is None
    assert CASE_RECEIVED.load(body)["contact_channels"] == []


@pytest.mark.parametrize("name, overrides, field", [
    ("case_received", {"channel": "telegram"}, "channel"),
    ("case_received", {"kind": 5}, "kind"),
    ("case_received", {"subject": ""}, "subject"),
    ("case_received", {"subject": "ร" * 201}, "subject"),
    ("case_received", {"received_at": datetime(2025, 11, 3, 10, 15)}, "received_at"),
    ("case_received", {"contact_channels": ["pigeon"]}, "contact_channels"),
    ("case_received", {"complainant_ref": "ไม่ใช่ UUID"}, "complainant_ref"),
    ("case_routed", {"unit_id": ""}, "unit_id"),
    ("sla_clock_started", {"target": "acknowledgment"}, "target"),
    ("sla_clock_started", {"business_days": -1}, "business_days"),
    ("notification_recorded", {"outcome": "bounced"}, "outcome"),
    ("notification_recorded", {"attempts": -1}, "attempts"),
])
def test_build_refuses_a_payload_that_breaks_the_schema(name, overrides, field):
    with pytest.raises(InvalidEvent) as info:
        build(name, **overrides)

    assert field in info.value.errors


def test_build_refuses_a_missing_payload_field():
    payload = dict(PAYLOADS["case_routed"])
    del payload["unit_name"]

    with pytest.raises(InvalidEvent) as info:
        CASE_ROUTED.build(site_id="HUB", case_id=CASE_ID, **payload)

    assert "unit_name" in info.value.errors


def test_build_refuses_an_overlong_site_id():
    with pytest.raises(InvalidEvent) as info:
        CASE_ROUTED.build(site_id="H" * 33, case_id=CASE_ID, **PAYLOADS["case_routed"])

    assert "site_id" in info.value.errors


# The module promises that a payload which does not match its schema is refused on the way out,
# and StrictInteger / unknown=RAISE say what matching means. build() validates the *dumped*
# form, so these reach the wire silently coerced or dropped.
@pytest.mark.parametrize("name, overrides", [
    ("case_received", {"kind": True}),
    ("case_received", {"kind": "2"}),
    ("case_routed", {"complainant_name": "นางสาวสมศรี ใจดี"}),
])
def test_build_refuses_what_load_would_refuse(name, overrides):
    with pytest.raises(InvalidEvent):
        build(name, **overrides)


# --- load ----------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [None, [], "{}", 42, b"{}"])
def test_load_refuses_a_body_that_is_not_an_object(body):
    with pytest.raises(InvalidEvent, match="not an object"):
        CASE_RECEIVED.load(body)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("missing", ["event_id", "occurred_at", "site_id", "case_id"])
def test_load_refuses_a_missing_envelope_field(name, missing):
    body = wire(name)
    del body[missing]

    with pytest.raises(InvalidEvent) as info:
        TYPES[name].load(body)

    assert missing in info.value.errors


@pytest.mark.parametrize("name", ALL)
def test_load_refuses_each_missing_payload_field(name):
    for missing in PAYLOADS[name]:
        body = wire(name)
        del body[missing]
        with pytest.raises(InvalidEvent) as info:
            TYPES[name].load(body)
        assert missing in info.value.errors, missing


@pytest.mark.parametrize("name", ALL)
def test_load_refuses_unknown_extra_fields(name):
    body = wire(name, complainant_email="somchai@example.co.th")

    with pytest.raises(InvalidEvent) as info:
        TYPES[name].load(body)

    assert info.value.errors == {"complainant_email": ["Unknown field."]}


@pytest.mark.parametrize("version", [0, 2, "1", None, 1.5])
def test_load_refuses_a_version_it_does_not_know(version):
    body = wire("case_routed", version=version)

    with pytest.raises(InvalidEvent) as info:
        CASE_ROUTED.load(body)

    assert "version" in info.value.errors


def test_load_refuses_a_body_without_version():
    body = wire("case_routed")
    del body["version"]

    with pytest.raises(InvalidEvent) as info:
        CASE_ROUTED.load(body)

    assert "version" in info.value.errors


@pytest.mark.parametrize("version", [True, 1.0])
def test_load_refuses_a_version_that_only_equals_one(version):
    with pytest.raises(InvalidEvent) as info:
        CASE_ROUTED.load(wire("case_routed", version=version))

    assert "version" in info.value.errors


@pytest.mark.parametrize("name", ["case_received", "case_routed", "sla_clock_started"])
@pytest.mark.parametrize("kind", [0, 5, -1, 2.0, True, False, "2"])
def test_load_refuses_a_kind_outside_one_to_four_or_not_an_integer(name, kind):
    with pytest.raises(InvalidEvent) as info:
        TYPES[name].load(wire(name, kind=kind))

    assert "kind" in info.value.errors


@pytest.mark.parametrize("name", ["case_routed", "sla_clock_started"])
def test_once_routed_every_event_carries_a_kind(name):
    with pytest.raises(InvalidEvent, match="does not match its schema") as info:
        TYPES[name].load(wire(name, kind=None))
    assert "kind" in info.value.errors


def test_a_case_received_with_no_kind_leaves_it_to_routing():
    with pytest.raises(InvalidEvent, match="v1 does not match its schema"):
        CASE_RECEIVED.load(wire("case_received", kind=None))  # before v4, a case always had a kind
    body = events.CASE_RECEIVED.build(site_id="HUB", case_id=CASE_ID, occurred_at=OCCURRED_AT,
                                      **{**PAYLOADS["case_received"], "kind": None}, category=None,
                                      location=None, confidential=False, field_check=False, linked_case_id=None,
                                      link_reason=None, referral=None)
    assert events.load("intake", "case_received", body)["kind"] is None


def test_case_received_v3_is_read_as_the_newest_with_its_kind():
    body = events.CASE_RECEIVED_V3.build(site_id="HUB", case_id=CASE_ID, occurred_at=OCCURRED_AT,
                                         **PAYLOADS["case_received"], category=None, location=None,
                                         confidential=False, field_check=False, linked_case_id=None,
                                         link_reason=None, referral=None)
    loaded = events.load("intake", "case_received", body)
    assert (loaded["version"], loaded["kind"], loaded["referral"]) == (5, 2, None)
    with pytest.raises(InvalidEvent, match="v3 does not match its schema"):
        events.load("intake", "case_received", {**body, "kind": None})  # v3 always had a kind


def test_case_kind_changed_says_from_what_to_what_and_why():
    body = events.CASE_KIND_CHANGED.build(site_id="HUB", case_id=CASE_ID, tracking_number="HUB-2569-000042",
                                          kind=2, previous_kind=4, reason="ผู้ร้องไม่ได้ฟ้องศาล", officer="somchai")
    assert events.load("routing", "case_kind_changed", body)["previous_kind"] == 4
    with pytest.raises(InvalidEvent, match="payload breaks its schema"):
        events.CASE_KIND_CHANGED.build(site_id="HUB", case_id=CASE_ID, tracking_number="HUB-2569-000042",
                                       kind=2, previous_kind=4, reason="", officer="somchai")


@pytest.mark.parametrize("kind", [1, 2, 3, 4])
def test_load_accepts_every_kind(kind):
    assert CASE_RECEIVED.load(wire("case_received", kind=kind))["kind"] == kind


@pytest.mark.parametrize("name, field", [
    ("case_received", "received_at"),
    ("case_received", "occurred_at"),
    ("case_routed", "received_at"),
    ("sla_clock_started", "started_at"),
    ("sla_clock_started", "due_at"),
    ("notification_recorded", "occurred_at"),
])
def test_load_refuses_naive_datetimes(name, field):
    body = wire(name, **{field: "2025-11-03T10:15:00"})

    with pytest.raises(InvalidEvent) as info:
        TYPES[name].load(body)

    assert field in info.value.errors


def test_load_parses_datetimes_and_canonicalises_uuids():
    body = wire("sla_clock_started", case_id=str(CASE_ID).upper(),
                due_at="2025-11-06T09:30:00Z")

    loaded = SLA_CLOCK_STARTED.load(body)

    assert loaded["case_id"] == str(CASE_ID)
    assert loaded["due_at"] == datetime(2025, 11, 6, 16, 30, tzinfo=BKK)
    assert loaded["due_at"].utcoffset() == timedelta(0)


def test_load_refuses_a_string_for_an_integer():
    with pytest.raises(InvalidEvent) as info:
        NOTIFICATION_RECORDED.load(wire("notification_recorded", attempts="1"))

    assert "attempts" in info.value.errors


def test_notification_channel_may_be_null():
    body = wire("notification_recorded", channel=None, outcome="no_contact")

    assert NOTIFICATION_RECORDED.load(body)["channel"] is None


# --- events.load: dispatch by source, name and version -------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_module_load_dispatches_to_the_registered_type(name):
    event_type = TYPES[name]

    loaded = events.load(event_type.source, event_type.name, wire(name))

    assert loaded["case_id"] == str(CASE_ID)
    assert loaded["occurred_at"] == OCCURRED_AT


def test_registry_knows_exactly_the_contracts_events():
    assert set(events.REGISTRY) == {
        ("intake", "case_received", 1),
        ("intake", "case_received", 2),
        ("intake", "case_received", 3),
        ("intake", "case_received", 4),
        ("intake", "case_received", 5),
        ("intake", "case_reopened", 1),
        ("intake", "case_reply_received", 1),
        ("intake", "case_reply_received", 2),
        ("intake", "case_rated", 1),
        ("routing", "case_routed", 1),
        ("routing", "case_routed", 2),
        ("routing", "case_triage_needed", 1),
        ("routing", "case_kind_changed", 1),
        ("routing", "case_rerouted", 1),
        ("routing", "case_routing_confirmed", 1),
        ("routing", "case_info_requested", 1),
        ("routing", "case_info_received", 1),
        ("routing", "case_answered_from_kb", 1),
        ("routing", "case_units_assigned", 1),
        ("routing", "case_unit_status_changed", 1),
        ("routing", "case_forwarded", 1),
        ("routing", "case_answered", 1),
        ("routing", "case_answered", 2),
        ("sla", "sla_clock_started", 1),
        ("sla", "sla_warning", 1),
        ("sla", "sla_breached", 1),
        ("sla", "sla_escalated", 1),
        ("sla", "sla_deadline_changed", 1),
        ("sla", "sla_clock_paused", 1),
        ("sla", "sla_clock_resumed", 1),
        ("sla", "sla_clock_stopped", 1),
        ("notify", "notification_recorded", 1),
        ("notify", "notification_recorded", 2),
        ("notify", "notification_recorded", 3),
    }
    assert all(event.source == source and event.name == name
               for (source, name, _), event in events.REGISTRY.items())
    assert events.versions("intake", "case_received") == [1, 2, 3, 4, 5]
    assert events.versions("intake", "case_closed") == []


def test_module_load_refuses_an_unknown_version_naming_the_known_ones():
    with pytest.raises(InvalidEvent) as info:
        events.load("routing", "case_routed", wire("case_routed", version=7))

    assert info.value.errors == {"version": ["unsupported version; known: 1, 2"]}


def test_module_load_applies_the_declared_versions_schema():
    with pytest.raises(InvalidEvent) as info:
        events.load("intake", "case_received", wire("case_received", kind=9))

    assert "kind" in info.value.errors


@pytest.mark.parametrize("source, name", [
    ("intake", "case_closed"),
    ("billing", "case_received"),
    ("routing", "case_received"),  # right name, wrong source
])
def test_module_load_refuses_an_unknown_source_or_name(source, name):
    with pytest.raises(InvalidEvent, match=f"no schema for {source}.{name}"):
        events.load(source, name, wire("case_received"))


@pytest.mark.parametrize("body", [None, ["case_received"], "body"])
def test_module_load_refuses_a_non_object_body(body):
    with pytest.raises(InvalidEvent, match="not an object"):
        events.load("intake", "case_received", body)


def test_invalid_event_is_a_value_error_with_errors():
    exc = InvalidEvent("bad")

    assert isinstance(exc, ValueError)
    assert exc.errors == {}


def test_notification_recorded_v2_is_read_as_a_notice_to_the_complainant():
    body = {**wire("notification_recorded"), "version": 2}
    del body["audience"], body["role"]
    loaded = events.load("notify", "notification_recorded", body)
    assert (loaded["version"], loaded["audience"], loaded["role"]) == (3, "complainant", None)


def test_case_received_v4_is_read_as_v5_and_only_v5_names_a_postal_address():
    fields = dict(site_id="HUB", case_id=CASE_ID, occurred_at=OCCURRED_AT, **PAYLOADS["case_received"],
                  category=None, location=None, confidential=False, field_check=False, linked_case_id=None,
                  link_reason=None, referral=None)
    body = events.CASE_RECEIVED_V4.build(**fields)
    assert events.load("intake", "case_received", body)["version"] == 5
    with pytest.raises(InvalidEvent):
        events.load("intake", "case_received", {**body, "contact_channels": ["address"]})
    fields["contact_channels"] = ["address"]
    assert events.load("intake", "case_received", events.CASE_RECEIVED.build(**fields))[
        "contact_channels"] == ["address"]
