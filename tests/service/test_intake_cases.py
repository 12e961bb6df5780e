"""Intake's use cases (services/intake/cases.py) against a real SQLite database, without nameko."""
import base64
import hashlib
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from services.intake import cases, line
from services.intake.exceptions import IntakeError, NotRoutedYet
from services.intake.models import attachments, cases as cases_table, complainants, identity_access_log, \
    inbound_messages, disputes as disputes_table
from services.intake.schemas import NewCaseSchema
from shared import events
from shared.store import outbox
from shared.times import BANGKOK
from shared.times import utcnow


ROAD = {
    "channel": "web",
    "category": "public-works",
    "subject": "ถนนหน้าบ้านเป็นหลุมเป็นบ่อ",
    "description": "ถนนในซอยประชาอุทิศ 33 หน้าบ้านเลขที่ 45/12 เป็นหลุมเป็นบ่อ น้ำท่วมขังทุกครั้งที่ฝนตก "
                   "รถจักรยานยนต์ล้มไปแล้วหลายคัน ขอให้ซ่อมแซมด่วน",
    "complainant": {"name": "นายสมชาย ใจดี", "phone": "081-234-5678", "email": "somchai.j@example.co.th"},
}
ROAD_AGAIN = {
    "channel": "phone",
    "category": "public-works",
    "subject": "ถนนหน้าบ้านยังเป็นหลุมเป็นบ่อ",
    "description": "ถนนในซอยประชาอุทิศ 33 หน้าบ้านเลขที่ 45/12 ยังเป็นหลุมเป็นบ่อ ฝนตกทีไรน้ำท่วมขังทุกครั้ง "
                   "รถจักรยานยนต์ล้มไปแล้วหลายคัน ขอให้ซ่อมแซมโดยด่วน",
    "complainant": {"name": "สมชาย ใจดี", "phone": "+66 81 234 5678"},
}
FULL_IDENTITY = {
    "name": "นางสาวสมหญิง รักชาติ",
    "national_id": "1-1037-02071-83-8",
    "phone": "02-123-4567",
    "email": "somying.r@example.co.th",
    "address": "99/9 หมู่ 4 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200",
    "line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8",
}
T0 = datetime(2026, 11, 2, 9, 15, tzinfo=BANGKOK)


@pytest.fixture
def store(store_of):
    return store_of("intake", "test")


def load(body):
    return NewCaseSchema().load(body)


def receive(store, ctx, body, now=None):
    return store.run(cases.receive_case, load(body), ctx, now=now)


def rows(store, table, *where):
    with store.reading() as session:
        return session.execute(select(table).where(*where)).all()


def count(store, table):
    with store.reading() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def case_row(store, case_id):
    [row] = rows(store, cases_table, cases_table.c.id == case_id)
    return row


def emitted(store, event_type=None):
    with store.reading() as session:
        query = select(outbox.c.event_type, outbox.c.body).order_by(outbox.c.id)
        if event_type:
            query = query.where(outbox.c.event_type == event_type)
        return [(kind, json.loads(body), body) for kind, body in session.execute(query).all()]


# --- recording a complaint ---------------------------------------------------------------------


def test_the_identity_is_stored_only_sealed(store, ctx):
    created = receive(store, ctx, {**ROAD, "complainant": FULL_IDENTITY})
    row = case_row(store, created["case_id"])
    [person] = rows(store, complainants, complainants.c.id == row.complainant_id)
    assert (person.name, person.email, person.phone) == (None, None, None)
    for plaintext in ("สมหญิง", "รักชาติ", "1103702071838", "+6621234567", "021234567", "somying",
                      "สุเทพ", "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"):
        assert plaintext not in person.sealed
    assert ctx.sealer.unseal(person.sealed) == {
        "name": "นางสาวสมหญิง รักชาติ", "national_id": "1103702071838", "phone": "+6621234567",
        "email": "somying.r@example.co.th",
        "address": "99/9 หมู่ 4 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200",
        "line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"}
    assert person.fp_national_id == ctx.sealer.fingerprint("national_id", "1103702071838")
    assert person.fp_phone == ctx.sealer.fingerprint("phone", "+6621234567")
    assert person.fp_email == ctx.sealer.fingerprint("email", "somying.r@example.co.th")
    assert person.fp_line == ctx.sealer.fingerprint("line_user_id", "u4af4980629b3c7d0e4d2f8a1b5c6d7e8")


def test_case_received_v5_is_emitted_without_personal_data(store, ctx):
    created = receive(store, ctx, {**ROAD, "complainant": FULL_IDENTITY}, now=T0)
    [(event_type, body, raw)] = emitted(store)
    assert event_type == "case_received"
    assert body["version"] == 5
    assert body["referral"] is None
    assert events.load("intake", "case_received", body)  # matches the wire contract
    row = case_row(store, created["case_id"])
    assert body["case_id"] == created["case_id"]
    assert body["tracking_number"] == created["tracking_number"] == "HUB-2570-000001"
    assert body["complainant_ref"] == row.complainant_id
    assert body["contact_channels"] == ["email", "phone", "line", "address"]
    assert body["kind"] == 2 and body["category"] == "public-works" and body["confidential"] is False
    assert body["linked_case_id"] is None and body["link_reason"] is None and body["field_check"] is False
    # needles long enough that a random UUID in the event cannot hold one ("2123" once did)
    for personal in ("สมหญิง", "รักชาติ", "1103702071838", "1-1037", "21234567", "123-4567", "somying", "สุเทพ",
                     "50200", "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"):
        assert personal not in raw
    assert set(body) == {"event_id", "occurred_at", "site_id", "case_id", "version", "tracking_number", "channel",
                         "kind", "subject", "description", "received_at", "complainant_ref", "contact_channels",
                         "category", "location", "confidential", "field_check", "linked_case_id", "link_reason", "referral"}


def test_the_reply_and_the_case_row(store, ctx):
    created = receive(store, ctx, {**ROAD, "location": {"province": "กรุงเทพมหานคร", "district": "บางนา",
                                                        "latitude": 13.6679, "longitude": 100.6054}}, now=T0)
    assert created["status"] == "received" and created["reopened"] is False and created["linked_to"] is None
    assert created["received_at"] == "2026-11-02T09:15:00+07:00"
    assert len(created["access_code"]) == 8
    row = case_row(store, created["case_id"])
    assert (row.status, row.channel, row.kind, row.category, row.subject) == (
        "received", "web", 2, "public-works", "ถนนหน้าบ้านเป็นหลุมเป็นบ่อ")
    assert (row.province, row.district, row.latitude, row.longitude) == ("กรุงเทพมหานคร", "บางนา", 13.6679, 100.6054)
    assert row.received_at == T0 and row.confidential is False and row.field_check is False
    with store.reading() as session:
        assert cases.find_for_owner(session, created["tracking_number"].lower(),
                                    created["access_code"].lower()).id == created["case_id"]
        assert cases.find_for_owner(session, created["tracking_number"], "ZZZZZZZZ") is None
    [(_, body, _)] = emitted(store)
    assert body["location"] == {"province": "กรุงเทพมหานคร", "district": "บางนา", "subdistrict": None,
                                "has_coordinates": True}


def test_an_anonymous_complaint_has_no_complainant(store, ctx):
    created = receive(store, ctx, {**ROAD, "complainant": None})
    assert case_row(store, created["case_id"]).complainant_id is None
    assert count(store, complainants) == 0
    [(_, body, _)] = emitted(store)
    assert body["complainant_ref"] is None and body["contact_channels"] == []


@pytest.mark.parametrize("body, kind, confidential", [
    ({"category": "misconduct"}, 3, True),
    ({"category": "misconduct", "kind": 4}, 4, True),
    ({"category": "information"}, 1, False),
    ({"category": "media-lawsuit"}, 4, False),
    ({"category": "public-works", "confidential": True}, 2, True),
    ({"category": None, "kind": 3}, 3, False),
])
def test_the_category_sets_kind_and_confidentiality(store, ctx, body, kind, confidential):
    complaint = {**ROAD, "subject": "เจ้าหน้าที่เรียกรับเงินใต้โต๊ะ",
                 "description": "เจ้าหน้าที่กองช่างเรียกเงิน 20,000 บาทเพื่อเร่งออกใบอนุญาตก่อสร้าง", **body}
    complaint = {k: v for k, v in complaint.items() if v is not None}
    created = receive(store, ctx, complaint)
    row = case_row(store, created["case_id"])
    assert (row.kind, row.confidential) == (kind, confidential)
    [(_, event, _)] = emitted(store)
    assert (event["kind"], event["confidential"]) == (kind, confidential)


def test_an_unknown_category_is_refused_and_nothing_is_stored(store, ctx):
    with pytest.raises(IntakeError) as info:
        receive(store, ctx, {**ROAD, "category": "potholes", "kind": 2})
    assert "category" in info.value.errors
    assert "potholes" in info.value.errors["category"][0]
    for table in (cases_table, complainants, outbox):
        assert count(store, table) == 0


# --- repeats -------------------------------------------------------------------------------------


def test_the_same_complainant_with_similar_words_10_days_later_is_a_repeat(store, ctx):
    first = receive(store, ctx, ROAD, now=T0)
    second = receive(store, ctx, ROAD_AGAIN, now=T0 + timedelta(days=10))
    assert second["linked_to"] == first["tracking_number"]
    assert second["tracking_number"] != first["tracking_number"]
    row = case_row(store, second["case_id"])
    assert (row.linked_case_id, row.link_reason, row.field_check) == (first["case_id"], "repeat", False)
    assert count(store, cases_table) == 2
    [_, (_, body, _)] = emitted(store, "case_received")
    assert (body["linked_case_id"], body["link_reason"]) == (first["case_id"], "repeat")


def test_the_same_email_in_other_letters_case_is_the_same_complainant(store, ctx):
    first = receive(store, ctx, {**ROAD, "complainant": {"email": "Somchai.J@Example.co.th"}}, now=T0)
    second = receive(store, ctx, {**ROAD_AGAIN, "complainant": {"email": "somchai.j@example.co.th"}},
                     now=T0 + timedelta(days=3))
    assert second["linked_to"] == first["tracking_number"]


def test_40_days_later_is_not_a_repeat(store, ctx):
    receive(store, ctx, ROAD, now=T0)
    second = receive(store, ctx, ROAD_AGAIN, now=T0 + timedelta(days=40))
    assert second["linked_to"] is None
    row = case_row(store, second["case_id"])
    assert (row.linked_case_id, row.link_reason) == (None, None)


def test_another_complainant_with_the_same_words_is_not_a_repeat(store, ctx):
    receive(store, ctx, ROAD, now=T0)
    neighbour = {**ROAD, "complainant": {"name": "นางมาลี ศรีสุข", "phone": "089-765-4321",
                                         "email": "malee.s@example.co.th"}}
    second = receive(store, ctx, neighbour, now=T0 + timedelta(days=2))
    assert second["linked_to"] is None
    assert case_row(store, second["case_id"]).linked_case_id is None


def test_the_same_complainant_on_another_matter_is_not_a_repeat(store, ctx):
    receive(store, ctx, ROAD, now=T0)
    other = {**ROAD, "category": "service-quality", "subject": "เจ้าหน้าที่ที่ว่าการอำเภอพูดจาไม่สุภาพ",
             "description": "ไปติดต่อขอคัดสำเนาทะเบียนบ้าน เจ้าหน้าที่ตะคอกใส่และให้รอนานกว่าสามชั่วโมง"}
    assert receive(store, ctx, other, now=T0 + timedelta(days=1))["linked_to"] is None


# --- disputes ------------------------------------------------------------------------------------


def close(store, case_id, closed_at):
    with store.transaction() as tx:
        tx.session.execute(update(cases_table).where(cases_table.c.id == case_id).values(
            status="closed", closed_at=closed_at, updated_at=closed_at))


DISPUTE = {
    "channel": "web",
    "kind": 2,
    "subject": "ไม่พอใจผลการดำเนินการ ถนนยังไม่ได้ซ่อม",
    "description": "หน่วยงานแจ้งว่าซ่อมถนนเรียบร้อยแล้ว แต่ความจริงยังเป็นหลุมเป็นบ่อเหมือนเดิม ขอให้ลงพื้นที่ตรวจสอบ",
    "complainant": {"name": "นายสมชาย ใจดี", "phone": "0812345678"},
}


def test_disputing_a_case_closed_5_days_ago_reopens_it(store, ctx):
    first = receive(store, ctx, ROAD, now=utcnow() - timedelta(days=30))
    close(store, first["case_id"], utcnow() - timedelta(days=5))
    reply = receive(store, ctx, {**DISPUTE, "disputes": {"tracking_number": first["tracking_number"],
                                                         "access_code": first["access_code"]}})
    assert reply["reopened"] is True and reply["status"] == "reopened"
    assert reply["case_id"] == first["case_id"] and reply["tracking_number"] == first["tracking_number"]
    assert reply["access_code"] is None
    assert count(store, cases_table) == 1
    row = case_row(store, first["case_id"])
    assert (row.status, row.field_check, row.closed_at) == ("reopened", True, None)
    [(_, body, _)] = emitted(store, "case_reopened")
    assert (body["case_id"], body["tracking_number"], body["reason"], body["field_check"]) == (
        first["case_id"], first["tracking_number"], "dispute", True)
    assert len(emitted(store, "case_received")) == 1
    with store.reading() as session:  # the complainant's words are kept with the case, not dropped
        [kept] = session.execute(select(disputes_table).where(disputes_table.c.case_id == first["case_id"])).all()
    assert (kept.subject, kept.description) == (DISPUTE["subject"], DISPUTE["description"])


def test_disputing_a_case_still_open_makes_a_new_linked_case(store, ctx):
    first = receive(store, ctx, ROAD, now=T0)
    reply = receive(store, ctx, {**DISPUTE, "disputes": {"tracking_number": first["tracking_number"].lower(),
                                                         "access_code": " " + first["access_code"].lower()}},
                    now=T0 + timedelta(days=20))
    assert reply["reopened"] is False and reply["case_id"] != first["case_id"]
    assert reply["linked_to"] == first["tracking_number"]
    row = case_row(store, reply["case_id"])
    assert (row.linked_case_id, row.link_reason, row.field_check) == (first["case_id"], "dispute", True)
    assert case_row(store, first["case_id"]).status == "received"
    assert count(store, cases_table) == 2
    assert emitted(store, "case_reopened") == []
    [_, (_, body, _)] = emitted(store, "case_received")
    assert (body["linked_case_id"], body["link_reason"], body["field_check"]) == (first["case_id"], "dispute", True)


def test_disputing_a_case_closed_long_ago_makes_a_new_linked_case(store, ctx):
    first = receive(store, ctx, ROAD, now=utcnow() - timedelta(days=200))
    close(store, first["case_id"], utcnow() - timedelta(days=91))
    reply = receive(store, ctx, {**DISPUTE, "disputes": {"tracking_number": first["tracking_number"],
                                                         "access_code": first["access_code"]}})
    assert reply["reopened"] is False and reply["linked_to"] == first["tracking_number"]
    assert case_row(store, first["case_id"]).status == "closed"


@pytest.mark.parametrize("wrong", ["ZZZZZZZZ", ""])
def test_a_dispute_with_a_wrong_access_code_is_refused(store, ctx, wrong):
    first = receive(store, ctx, ROAD, now=T0)
    body = load({**DISPUTE, "disputes": {"tracking_number": first["tracking_number"], "access_code": "ZZZZZZZZ"}})
    body["disputes"]["access_code"] = wrong
    with pytest.raises(IntakeError) as info:
        store.run(cases.receive_case, body, ctx)
    assert "disputes" in info.value.errors
    assert count(store, cases_table) == 1 and len(emitted(store)) == 1


def test_a_dispute_of_an_unknown_case_is_refused(store, ctx):
    with pytest.raises(IntakeError) as info:
        receive(store, ctx, {**DISPUTE, "disputes": {"tracking_number": "HUB-2570-999999", "access_code": "Q8EWAZFB"}})
    assert "disputes" in info.value.errors
    assert count(store, cases_table) == 0


# --- attachments ---------------------------------------------------------------------------------

PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF" + "ภาพถนนชำรุด".encode() * 40
LETTER = b"%PDF-1.7\n" + "หนังสือร้องเรียนถึงนายกเทศมนตรี".encode() * 30


def attachment(filename, content_type, data):
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(data).decode()}


def test_attachments_are_kept_in_the_file_store_with_their_checksums(store, ctx, tmp_path):
    created = receive(store, ctx, {**ROAD, "attachments": [
        attachment("ถนนชำรุด.jpg", "image/jpeg", PHOTO),
        attachment("หนังสือร้องเรียน.pdf", "application/pdf", LETTER),
        attachment("ถนนชำรุด-สำเนา.jpg", "image/jpeg", PHOTO)]})
    kept = sorted(rows(store, attachments, attachments.c.case_id == created["case_id"]), key=lambda r: r.filename)
    assert [(r.filename, r.content_type, r.size, r.sha256) for r in kept] == [
        ("ถนนชำรุด-สำเนา.jpg", "image/jpeg", len(PHOTO), hashlib.sha256(PHOTO).hexdigest()),
        ("ถนนชำรุด.jpg", "image/jpeg", len(PHOTO), hashlib.sha256(PHOTO).hexdigest()),
        ("หนังสือร้องเรียน.pdf", "application/pdf", len(LETTER), hashlib.sha256(LETTER).hexdigest()),
    ]
    assert ctx.files.get(hashlib.sha256(PHOTO).hexdigest()) == PHOTO
    assert ctx.files.get(hashlib.sha256(LETTER).hexdigest()) == LETTER
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 2  # the photo kept once


def test_a_disallowed_attachment_is_refused_and_nothing_is_stored(store, ctx, tmp_path):
    with pytest.raises(IntakeError) as info:
        receive(store, ctx, {**ROAD, "attachments": [attachment("โปรแกรม.exe", "application/x-msdownload", b"MZ")]})
    assert "attachments" in info.value.errors
    assert count(store, cases_table) == 0 and count(store, attachments) == 0
    assert not (tmp_path / "files").exists()


# --- identity: revealed on purpose, contact for notices ------------------------------------------


def test_reveal_identity_is_logged_with_who_and_why(store, ctx):
    created = receive(store, ctx, {**ROAD, "category": "misconduct", "complainant": FULL_IDENTITY})
    at = datetime(2026, 11, 25, 14, 0, tzinfo=BANGKOK)
    revealed = store.run(cases.reveal_identity, created["case_id"], "officer:pranee.k",
                         "  สอบข้อเท็จจริงตามคำสั่งแต่งตั้งคณะกรรมการ ที่ 45/2569  ", ctx.sealer, now=at)
    assert revealed["confidential"] is True
    assert revealed["identity"]["name"] == "นางสาวสมหญิง รักชาติ"
    assert revealed["identity"]["national_id"] == "1103702071838"
    [entry] = rows(store, identity_access_log)
    assert (entry.case_id, entry.requested_by, entry.purpose, entry.at) == (
        created["case_id"], "officer:pranee.k", "สอบข้อเท็จจริงตามคำสั่งแต่งตั้งคณะกรรมการ ที่ 45/2569", at)


@pytest.mark.parametrize("requested_by, purpose", [("officer:pranee.k", ""), ("officer:pranee.k", "   "),
                                                   ("officer:pranee.k", None), ("", "ตรวจสอบ")])
def test_reveal_identity_needs_who_and_why(store, ctx, requested_by, purpose):
    created = receive(store, ctx, ROAD)
    with pytest.raises(IntakeError) as info:
        store.run(cases.reveal_identity, created["case_id"], requested_by, purpose, ctx.sealer)
    assert "purpose" in info.value.errors
    assert count(store, identity_access_log) == 0


def test_reveal_identity_of_an_anonymous_case_is_empty_but_logged(store, ctx):
    created = receive(store, ctx, {**ROAD, "complainant": None})
    assert store.run(cases.reveal_identity, created["case_id"], "officer:pranee.k", "ตรวจสอบ", ctx.sealer) == {
        "identity": {}, "confidential": False}
    assert count(store, identity_access_log) == 1


def test_contact_for_notice_of_an_ordinary_case_is_not_logged(store, ctx):
    created = receive(store, ctx, {**ROAD, "complainant": FULL_IDENTITY})
    contact = store.run(cases.contact_for_notice, created["case_id"], ctx.sealer)
    assert contact == {"name": "นางสาวสมหญิง รักชาติ", "email": "somying.r@example.co.th", "phone": "+6621234567",
                       "line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8",
                       "address": "99/9 หมู่ 4 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200",  # for a letter
                       "came_by": "web"}  # answered on the like of it first
    assert count(store, identity_access_log) == 0


def test_contact_for_notice_of_a_confidential_case_is_logged(store, ctx):
    created = receive(store, ctx, {**ROAD, "category": "misconduct"})
    contact = store.run(cases.contact_for_notice, created["case_id"], ctx.sealer)
    assert contact == {"name": "นายสมชาย ใจดี", "email": "somchai.j@example.co.th", "phone": "+66812345678",
                       "came_by": "web"}
    [entry] = rows(store, identity_access_log)
    assert (entry.case_id, entry.requested_by) == (created["case_id"], "notify")


def test_one_delivery_is_one_look_however_often_it_asks(store, ctx):
    created = receive(store, ctx, {**ROAD, "category": "misconduct"})
    for _ in range(3):  # a retry, an answer that came after the caller's timeout, a redelivery
        store.run(cases.contact_for_notice, created["case_id"], ctx.sealer, "d-1", "acknowledgment")
    store.run(cases.contact_for_notice, created["case_id"], ctx.sealer, "d-2", "result")
    assert sorted((r.delivery_id, r.purpose) for r in rows(store, identity_access_log)) == [
        ("d-1", "acknowledgment to the complainant"), ("d-2", "the result to the complainant")]


def test_a_forward_records_the_disclosure_it_carried_when_intake_hears_it(store, ctx):
    created = receive(store, ctx, {**ROAD, "complainant": FULL_IDENTITY})
    record = store.run(cases.forward_record, created["case_id"], "KALASIN", True, ctx.sealer)
    assert record["complainant"]["name"] == "นางสาวสมหญิง รักชาติ"
    assert count(store, identity_access_log) == 0  # asked, not yet sent: nothing disclosed
    forwarded = events.CASE_FORWARDED.load(events.CASE_FORWARDED.build(
        site_id="HUB", case_id=created["case_id"], tracking_number=created["tracking_number"], to_site="KALASIN",
        reason="เรื่องในเขตจังหวัด", officer="นายสมชาย (ศูนย์ 1111)", record={**record["record"], "kind": 2},
        complainant=record["complainant"]))
    store.run(cases.record_forward, forwarded)
    [entry] = rows(store, identity_access_log)
    assert (entry.requested_by, entry.purpose) == ("นายสมชาย (ศูนย์ 1111)", "case forwarded to site KALASIN")
    assert case_row(store, created["case_id"]).status == "forwarded"
    store.run(cases.record_forward, {**forwarded, "complainant": None})  # sent without: nothing disclosed
    assert count(store, identity_access_log) == 1


def test_contact_for_notice_of_an_anonymous_confidential_case_is_empty_and_not_logged(store, ctx):
    created = receive(store, ctx, {**ROAD, "category": "misconduct", "complainant": None})
    assert store.run(cases.contact_for_notice, created["case_id"], ctx.sealer) == {}
    assert count(store, identity_access_log) == 0


# --- inbound channels ----------------------------------------------------------------------------


def line_complaint():
    [(external_id, data)] = line.complaints({"destination": "U0000", "events": [{
        "type": "message", "mode": "active", "timestamp": 1763694600000,
        "webhookEventId": "01HZ8Q3V7X2K9M4N6P8R0T2W4Y", "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"}, "replyToken": "r1",
        "message": {"type": "text", "id": "510123456789012345",
                    "text": "น้ำประปาไม่ไหลมาสามวันแล้ว\nหมู่บ้านสุขใจ ซอย 5 ตำบลหนองปรือ อำเภอบางละมุง ชลบุรี"}}]})
    return external_id, data


def test_an_inbound_message_fetched_twice_makes_one_case(store, ctx):
    external_id, data = line_complaint()
    created = store.run(cases.receive_inbound, "line", external_id, data, ctx)
    assert created["tracking_number"].startswith("HUB-")
    assert store.run(cases.receive_inbound, "line", external_id, dict(data), ctx) is None
    assert count(store, cases_table) == 1
    assert len(emitted(store, "case_received")) == 1
    [message] = rows(store, inbound_messages)
    assert (message.channel, message.external_id, message.case_id) == ("line", external_id, created["case_id"])
    row = case_row(store, created["case_id"])
    assert (row.channel, row.kind, row.subject) == ("line", None, "น้ำประปาไม่ไหลมาสามวันแล้ว")  # routing decides
    assert json.loads(row.channel_ref) == {"line_message_id": "510123456789012345"}


def test_the_same_external_id_on_another_channel_is_another_message(store, ctx):
    external_id, data = line_complaint()
    store.run(cases.receive_inbound, "line", external_id, data, ctx)
    assert store.run(cases.receive_inbound, "email", external_id, {**data, "channel": "email"}, ctx) is not None
    assert count(store, cases_table) == 2


# --- tracking numbers ----------------------------------------------------------------------------


def test_tracking_numbers_count_up_per_fiscal_year(store, ctx):
    september = datetime(2026, 9, 15, 10, 0, tzinfo=BANGKOK)
    last_day = datetime(2026, 9, 30, 23, 59, tzinfo=BANGKOK)
    october = datetime(2026, 10, 1, 0, 1, tzinfo=BANGKOK)
    anonymous = {**ROAD, "complainant": None}
    numbers = [receive(store, ctx, anonymous, now=moment)["tracking_number"]
               for moment in (september, last_day, october, october + timedelta(days=3))]
    assert numbers == ["HUB-2569-000001", "HUB-2569-000002", "HUB-2570-000001", "HUB-2570-000002"]
    # a late entry for the earlier year continues that year's count
    assert receive(store, ctx, anonymous, now=september)["tracking_number"] == "HUB-2569-000003"


# --- other front doors ---------------------------------------------------------------------------


def test_an_open311_request_becomes_a_case_with_its_categorys_kind(store, ctx):
    from werkzeug.datastructures import MultiDict

    from services.intake import open311
    data = open311.request_to_case(MultiDict({
        "service_code": "misconduct", "lat": "18.7883", "long": "98.9853",
        "description": "เจ้าหน้าที่เรียกเงินค่าอำนวยความสะดวก 3,000 บาท\nเพื่อออกใบอนุญาตให้เร็วขึ้น",
        "first_name": "สมศรี", "last_name": "มีสุข", "phone": "053-123-456"}), ctx.catalogue, "Traffy Fondue")
    created = store.run(cases.receive_case, data, ctx, now=T0)
    row = case_row(store, created["case_id"])
    assert (row.kind, row.confidential, row.category, row.channel) == (3, True, "misconduct", "web")
    assert row.subject == "เจ้าหน้าที่เรียกเงินค่าอำนวยความสะดวก 3,000 บาท"
    assert (row.latitude, row.longitude) == (18.7883, 98.9853)
    assert json.loads(row.channel_ref) == {"open311_client": "Traffy Fondue"}
    assert store.run(cases.contact_for_notice, created["case_id"], ctx.sealer) == {
        "name": "สมศรี มีสุข", "phone": "+6653123456", "came_by": "web"}
    [(_, body, raw)] = emitted(store, "case_received")
    assert body["location"] == {"province": None, "district": None, "subdistrict": None, "has_coordinates": True}
    assert "สมศรี" not in raw and "53123456" not in raw


def test_a_photo_sent_with_a_dispute_that_reopens_the_case_is_kept_with_it(store, ctx):
    first = receive(store, ctx, ROAD, now=utcnow() - timedelta(days=30))
    close(store, first["case_id"], utcnow() - timedelta(days=5))
    receive(store, ctx, {**DISPUTE, "attachments": [attachment("ยังไม่ซ่อม.jpg", "image/jpeg", PHOTO)],
                         "disputes": {"tracking_number": first["tracking_number"], "access_code": first["access_code"]}})

    kept = rows(store, attachments, attachments.c.case_id == first["case_id"])
    assert [(r.filename, r.sha256) for r in kept] == [("ยังไม่ซ่อม.jpg", hashlib.sha256(PHOTO).hexdigest())]


def test_open311_lists_real_rows_with_the_words_of_public_subjects_only(store, ctx):
    from services.intake import open311
    road = receive(store, ctx, {**ROAD, "location": {"address": "ซอยประชาอุทิศ 33", "latitude": 13.69,
                                                     "longitude": 100.53}})
    staff = receive(store, ctx, {**ROAD, "category": "service-quality", "subject": "เจ้าหน้าที่พูดจาไม่สุภาพ",
                                 "description": "นางสาวสุดา เจ้าหน้าที่ช่อง 2 พูดจาดูถูกผู้มาติดต่อ",
                                 "location": {"address": "ที่ว่าการอำเภอ", "latitude": 13.7, "longitude": 100.5}})
    secret = receive(store, ctx, {**ROAD, "category": "misconduct"})
    with store.reading() as session:
        listed = cases.public_requests(session, {"limit": 10})
    views = {v["service_request_id"]: v for v in (open311.request_view(r, ctx.catalogue) for r in listed)}
    assert set(views) == {road["tracking_number"], staff["tracking_number"]}  # never the confidential one
    assert secret["tracking_number"] not in views
    assert (views[road["tracking_number"]]["description"], views[road["tracking_number"]]["lat"]) == (
        ROAD["description"], 13.69)
    private = views[staff["tracking_number"]]
    assert (private["description"], private["address"], private["lat"], private["long"], private["media_url"]) == (
        None, None, None, None, None)


# --- the kind routing decides is the case's kind ----------------------------------------------

def test_a_case_with_no_kind_takes_the_kind_routing_decides_and_an_officers_correction(store, ctx):
    created = receive(store, ctx, {"channel": "web", "subject": "ขอร้องเรียน",
                                   "description": "ชาวบ้านจะฟ้องศาลปกครองเรื่องการเวนคืนที่ดิน"})
    assert case_row(store, created["case_id"]).kind is None
    [(_, body, _)] = emitted(store)
    assert body["kind"] is None  # routing reads it from the words
    base = dict(site_id="HUB", case_id=created["case_id"], tracking_number=created["tracking_number"])
    correction = events.CASE_KIND_CHANGED.load(events.CASE_KIND_CHANGED.build(
        **base, kind=2, previous_kind=4, reason="ยังไม่ได้ฟ้อง", officer="นายสมชาย"))
    with pytest.raises(NotRoutedYet, match="is not routed here yet"):
        store.run(cases.record_kind, correction)  # overtook case_routed: tried again later
    routed = events.CASE_ROUTED.load(events.CASE_ROUTED.build(
        **base, kind=4, received_at=T0, unit_id="inspection", unit_name="กลุ่มงานตรวจสอบและติดตามผล",
        reason="rule serious: 'kind 4'", method="rule", score=None, model_version=None,
        kind_reason="signal lawsuit: 'ฟ้อง'"))
    store.run(cases.record_routing, routed)
    assert (case_row(store, created["case_id"]).kind, case_row(store, created["case_id"]).status) == (4, "routed")
    store.run(cases.record_kind, correction)
    assert case_row(store, created["case_id"]).kind == 2


def test_a_subjects_default_kind_is_given_when_the_complainant_gives_none(store, ctx):
    created = receive(store, ctx, ROAD)  # public-works: kind 2
    assert case_row(store, created["case_id"]).kind == 2


def test_the_channel_a_complainant_chooses_needs_its_address_and_reaches_notify(store, ctx):
    with pytest.raises(Exception) as refused:
        load({**ROAD, "complainant": {"name": "นายสมชาย ใจดี", "email": "somchai.j@example.co.th",
                                      "notify_by": "sms"}})
    assert "give the phone to be told by sms" in str(refused.value)
    created = receive(store, ctx, {**ROAD, "complainant": {**ROAD["complainant"], "notify_by": "sms"}})
    contact = store.run(cases.contact_for_notice, created["case_id"], ctx.sealer)
    assert contact["notify_by"] == "sms" and contact["phone"] == "+66812345678"
