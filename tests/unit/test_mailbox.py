"""services/intake/mailbox.py: an e-mail, as it arrives in the complaints mailbox, read into a case;
and the settings and folder names of services/intake/imap.py."""
import base64
import hashlib
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.intake import imap
from shared.files import MAX_FILES
from services.intake.exceptions import MailboxError
from services.intake.imap import ImapSettings
from services.intake.mailbox import NO_SUBJECT, NO_TEXT, InboundMail, message_to_case
from services.intake.schemas import DESCRIPTION_MAX, SUBJECT_MAX, NewCaseSchema

SUBJECT = "ร้องเรียนเจ้าหน้าที่เรียกรับเงินค่าขออนุญาตก่อสร้าง"
BODY = ("เรียน นายกเทศมนตรี\n\n"
        "เมื่อวันที่ 12 พฤศจิกายน 2568 ข้าพเจ้าไปยื่นคำขออนุญาตก่อสร้างอาคารที่กองช่าง\n"
        "เจ้าหน้าที่แจ้งว่าต้องจ่ายเงิน 3,000 บาท จึงจะออกใบอนุญาตให้ภายในสัปดาห์นี้\n"
        "ขอให้ตรวจสอบด้วย\n\nขอแสดงความนับถือ\nสมชาย ใจดี\n")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SENT_AT = datetime(2025, 11, 20, 2, 15, tzinfo=timezone.utc)


def thai_mail(subject=SUBJECT, body=BODY, sender="สมชาย ใจดี <somchai.j@example.co.th>", message_id=True):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "ร้องทุกข์ เทศบาลนคร <complaints@city.go.th>"
    message["Subject"] = subject
    message["Date"] = format_datetime(SENT_AT)
    if message_id:
        message["Message-ID"] = make_msgid(domain="mail.example.co.th")
    message.set_content(body)
    return message


def wire(message):
    """The bytes as a mail server stores them: RFC 2047 words, CRLF line ends."""
    return message.as_bytes(policy=policy.SMTP)


def test_a_thai_mail_with_a_pdf_becomes_a_case_with_its_sender_and_attachment():
    message = thai_mail()
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="ใบเสร็จรับเงิน.pdf")
    raw = wire(message)
    assert b"=?utf-8?" in raw and SUBJECT.encode() not in raw  # the subject really is RFC 2047-encoded

    mail = message_to_case(raw)

    assert isinstance(mail, InboundMail)
    assert mail.external_id == message["Message-ID"]
    data = mail.data
    assert (data["channel"], data["kind"], data["category"]) == ("email", None, None)  # routing reads it
    assert data["subject"] == SUBJECT
    assert data["description"] == BODY.strip()
    assert data["complainant"] == {"name": "สมชาย ใจดี", "email": "somchai.j@example.co.th"}
    assert data["attachments"] == [{"filename": "ใบเสร็จรับเงิน.pdf", "content_type": "application/pdf",
                                    "data": PDF}]
    assert data["channel_ref"] == {"message_id": message["Message-ID"], "date": "Thu, 20 Nov 2025 02:15:00 +0000"}
    assert (data["confidential"], data["location"], data["disputes"]) == (False, None, None)


def test_what_the_mail_channel_makes_is_what_the_api_would_accept():
    data = message_to_case(wire(thai_mail())).data
    api_view = {k: v for k, v in data.items() if k not in ("channel_ref", "attachments")}
    loaded = NewCaseSchema().load(api_view)
    assert (loaded["subject"], loaded["description"]) == (data["subject"], data["description"])


def test_an_html_only_mail_gives_its_visible_text():
    message = thai_mail()
    message.set_content(
        "<html><head><style>p {color: red}</style><title>แบบฟอร์ม</title></head><body>"
        "<p>เรียน&nbsp;ผู้อำนวยการเขต</p><div>ถนนหน้าบ้าน<b>ชำรุด</b> เป็นหลุมลึก &amp; น้ำขัง</div>"
        "<script>alert('x')</script><ul><li>ซอยสุขุมวิท 101/1</li></ul></body></html>", subtype="html")

    data = message_to_case(wire(message)).data

    assert data["description"] == "เรียน ผู้อำนวยการเขต\nถนนหน้าบ้านชำรุด เป็นหลุมลึก & น้ำขัง\nซอยสุขุมวิท 101/1"
    assert data["attachments"] == []


def test_the_plain_part_is_preferred_over_its_html_alternative():
    message = thai_mail()
    message.add_alternative("<p>ฉบับ <i>HTML</i></p>", subtype="html")
    assert message_to_case(wire(message)).data["description"] == BODY.strip()


def test_an_attachment_of_a_refused_type_is_left_out_and_named():
    message = thai_mail()
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="หลักฐาน.pdf")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="x-msdownload", filename="โปรแกรม.exe")
    message.add_attachment(b"PK\x03\x04", maintype="application", subtype="zip", filename="photos.zip")

    data = message_to_case(wire(message)).data

    assert [a["filename"] for a in data["attachments"]] == ["หลักฐาน.pdf"]
    assert data["channel_ref"]["skipped_attachments"] == "โปรแกรม.exe, photos.zip"


def test_a_file_whose_content_is_not_what_it_says_is_left_out_and_named_and_a_mislabelled_one_kept():
    message = thai_mail()
    message.add_attachment(b"<!DOCTYPE html><html><script>location='https://evil.example/'</script>",
                           maintype="application", subtype="pdf", filename="ใบแจ้งหนี้.pdf")
    message.add_attachment(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                           maintype="image", subtype="png", filename="รูป.png")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(24), maintype="image", subtype="jpeg", filename="ถนน.jpg")

    data = message_to_case(wire(message)).data

    assert [(a["filename"], a["content_type"]) for a in data["attachments"]] == [("ถนน.jpg", "image/png")]
    assert data["channel_ref"]["skipped_attachments"] == "ใบแจ้งหนี้.pdf, รูป.png"


def test_a_pdf_sent_as_octet_stream_is_kept_as_a_pdf():
    message = thai_mail()
    message.add_attachment(PDF, maintype="application", subtype="octet-stream", filename="สำเนาบัตร.PDF")
    assert message_to_case(wire(message)).data["attachments"][0]["content_type"] == "application/pdf"


def test_files_intake_would_refuse_for_size_or_number_are_left_out_not_the_case():
    message = thai_mail()
    message.add_attachment(b"", maintype="image", subtype="jpeg", filename="empty.jpg")
    for n in range(MAX_FILES + 1):
        message.add_attachment(b"\xff\xd8\xff" + bytes([n]), maintype="image", subtype="jpeg",
                               filename=f"รูป{n}.jpg")

    data = message_to_case(wire(message)).data

    assert len(data["attachments"]) == MAX_FILES
    assert data["channel_ref"]["skipped_attachments"] == f"empty.jpg, รูป{MAX_FILES}.jpg"


def test_an_attachment_name_cannot_carry_a_path():
    message = thai_mail()
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="..\\..\\windows\\แบบ.pdf")
    assert message_to_case(wire(message)).data["attachments"][0]["filename"] == "แบบ.pdf"


def test_a_mail_without_message_id_is_known_by_the_hash_of_its_bytes():
    raw = wire(thai_mail(message_id=False))
    mail = message_to_case(raw)
    assert mail.external_id == hashlib.sha256(raw).hexdigest()
    assert mail.data["channel_ref"]["message_id"] is None
    assert message_to_case(raw).external_id == mail.external_id  # fetched again: the same id
    other = wire(thai_mail(body="อีกเรื่องหนึ่ง", message_id=False))
    assert message_to_case(other).external_id != mail.external_id


def test_thai_in_a_legacy_charset_is_decoded():
    body = "ไฟฟ้าส่องสว่างในซอยดับมาสองสัปดาห์"
    raw = (b"From: =?windows-874?b?" + base64.b64encode("มานี มีนา".encode("cp874")) +
           b"?= <manee@example.org>\r\nSubject: =?TIS-620?Q?" +
           "".join(f"={b:02X}" for b in "ไฟดับ".encode("tis-620")).encode() +
           b"?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-874\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body.encode("cp874") + b"\r\n")

    data = message_to_case(raw).data

    assert (data["subject"], data["description"]) == ("ไฟดับ", body)
    assert data["complainant"]["name"] == "มานี มีนา"


def test_an_unknown_charset_still_gives_the_text():
    raw = ("From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
           "\r\nถนนชำรุด\r\n").encode()
    assert message_to_case(raw).data["description"] == "ถนนชำรุด"


def test_text_is_normalised_cleaned_and_cut_to_the_api_limits():
    decomposed = "น\u0e49\u0e4d\u0e32ท\u0e48วม"  # น้ำท่วม typed as nikhahit + sara aa
    message = thai_mail(subject="เรื่อง " * 100, body=f"{decomposed}\x00\x1b[31m\r\nบรรทัด\tสอง\r\n" + "ก" * 6000)

    data = message_to_case(wire(message)).data

    assert len(data["subject"]) <= SUBJECT_MAX and data["subject"].startswith("เรื่อง เรื่อง")
    assert len(data["description"]) == DESCRIPTION_MAX
    assert data["description"].startswith("น้ำท่วม[31m\nบรรทัด\tสอง\n")
    assert not any(ch in data["description"] for ch in "\x00\x1b\r")


def test_an_empty_subject_and_body_get_placeholders():
    message = thai_mail(subject="", body="  \n ")
    data = message_to_case(wire(message)).data
    assert (data["subject"], data["description"]) == (NO_SUBJECT, NO_TEXT)


def test_a_sender_without_a_display_name_has_no_name():
    data = message_to_case(wire(thai_mail(sender="somying@example.org"))).data
    assert data["complainant"] == {"name": None, "email": "somying@example.org"}


@pytest.mark.parametrize("raw,reason", [
    (b"", "empty"),
    (b"\x00\xff\xfe\x89PNG\r\n\x1a\n\x00\x00garbage" * 20, "no headers"),
    ("ไม่ใช่อีเมล แค่ข้อความ\n".encode(), "no headers"),
    ("Subject: =?utf-8?b?4LiX4LiU4Liq4Lit4Lia?=\r\n\r\nไม่มีผู้ส่ง\r\n".encode(), "From"),
    (b"From: undisclosed-recipients:;\r\nSubject: x\r\n\r\nbody\r\n", "address"),
    (b"From: =?utf-8?b?4LiX4LiU4Liq4Lit4Lia?=\r\nSubject: x\r\n\r\nbody\r\n", "address"),
])
def test_what_is_not_an_answerable_mail_is_refused_with_a_reason(raw, reason):
    with pytest.raises(MailboxError, match=reason):
        message_to_case(raw)


ODD_MAILS = [
    # a multipart without its boundary, a broken base64 attachment, a header in an unknown charset,
    # a bare LF file with an 8-bit header, and a mail that is nothing but a PDF
    b"From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nhello\r\n",
    b"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
    b"hi\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"JVBERi0x!!!@@@\r\n--b--\r\n",
    b"From: =?x-bogus?q?=E0=B8=81?= <a@example.org>\r\nSubject: =?x-bogus?b?4LiB?=\r\n\r\nbody\r\n",
    "From: ผู้ร้อง <a@example.org>\nSubject: เรื่อง\n\nข้อความ\n".encode(),
    b"From: a@example.org\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"JVBERi0xLjQK\r\n",
]


@pytest.mark.parametrize("raw", ODD_MAILS, ids=["no boundary", "bad base64", "bogus charset", "8-bit headers",
                                                "only a pdf"])
def test_odd_but_real_mails_still_become_cases(raw):
    data = message_to_case(raw).data
    assert data["complainant"]["email"] == "a@example.org"
    assert data["subject"] and data["description"]


def test_a_multipart_mail_that_lost_its_boundary_is_read_as_text():
    assert "hello" in message_to_case(ODD_MAILS[0]).data["description"]


def test_a_part_whose_header_breaks_the_stdlib_parser_still_gives_the_case_and_the_file():
    raw = (b"From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + "ถนนชำรุด".encode() + b"\r\n"
           b"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*\r\n\r\n"
           b"%PDF-1.4\r\n--b--\r\n")  # "filename*" makes email._header_value_parser raise IndexError

    data = message_to_case(raw).data

    assert data["description"] == "ถนนชำรุด"
    assert data["attachments"] == [{"filename": "attachment-1.pdf", "content_type": "application/pdf",
                                    "data": b"%PDF-1.4"}]


def test_a_mail_that_is_only_a_pdf_keeps_the_pdf():
    data = message_to_case(ODD_MAILS[-1]).data
    assert data["attachments"] == [{"filename": "attachment-1.pdf", "content_type": "application/pdf",
                                    "data": b"%PDF-1.4\n"}]
    assert data["description"] == NO_TEXT


def _a_full_mail():
    message = thai_mail()
    message.add_alternative("<p>ฉบับ <b>HTML</b></p>", subtype="html")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="ใบเสร็จรับเงิน.pdf")
    return wire(message)


FULL_MAIL = _a_full_mail()


def _read_or_refuse(raw):
    """The contract for any input: a case, or MailboxError; nothing else ever escapes."""
    try:
        data = message_to_case(raw).data
    except MailboxError:
        return
    assert data["subject"] and len(data["subject"]) <= SUBJECT_MAX
    assert data["description"] and len(data["description"]) <= DESCRIPTION_MAX
    assert "@" in data["complainant"]["email"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_case_or_a_mailbox_error(raw):
    _read_or_refuse(raw)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(FULL_MAIL) - 1), st.integers(0, 255)), max_size=20))
def test_a_damaged_real_mail_gives_a_case_or_a_mailbox_error(damage):
    raw = bytearray(FULL_MAIL)
    for position, byte in damage:
        raw[position] = byte
    _read_or_refuse(bytes(raw))


# --- services/intake/imap.py: its settings and folder names (the conversation is tested against
# --- a real Dovecot in tests/integration/test_email_channel.py)

def test_the_mailbox_settings_come_from_the_mailbox_section_and_keep_the_password_out_of_reprs():
    settings = ImapSettings.from_config({"MAILBOX": {
        "host": " imap.city.go.th ", "port": "993", "user": "complaints", "password": "s3cret",
        "folder": "ร้องเรียน", "ssl": "true", "processed_folder": "ดำเนินการแล้ว"}})
    assert settings == ImapSettings(host="imap.city.go.th", port=993, user="complaints", password="s3cret",
                                    folder="ร้องเรียน", ssl=True, processed_folder="ดำเนินการแล้ว")
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize("config,port,ssl", [
    ({"MAILBOX": {"host": "imap.example.org"}}, 143, False),
    ({"MAILBOX": {"host": "imap.example.org", "ssl": True}}, 993, True),
    ({"MAILBOX": {"host": "imap.example.org", "ssl": "false", "port": 1143}}, 1143, False),
])
def test_the_port_defaults_by_ssl(config, port, ssl):
    settings = ImapSettings.from_config(config)
    assert (settings.port, settings.ssl, settings.folder, settings.processed_folder) == (port, ssl, "INBOX", None)


@pytest.mark.parametrize("config", [{}, {"MAILBOX": None}, {"MAILBOX": {"host": ""}}, {"MAILBOX": {"host": "  "}}])
def test_no_host_means_no_email_channel(config):
    assert ImapSettings.from_config(config) is None


@pytest.mark.parametrize("name,wire", [
    ("INBOX", '"INBOX"'),
    ("~peter/mail/台北/日本語", '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'),  # RFC 3501's own example
    ("ร้องเรียน & ติดตาม", '"&DiMOSQ4tDgcOQA4jDjUOIg4Z- &- &DhUONA4UDhUOMg4h-"'),
    ('a "quoted" name', r'"a \"quoted\" name"'),
])
def test_folder_names_are_sent_in_modified_utf7_and_quoted(name, wire):
    assert imap._quote(name) == wire


def test_a_reply_names_the_case_its_subject_carries():
    from services.intake.mailbox import named_cases
    assert named_cases("Re: ขอข้อมูลเพิ่มเติม เรื่องเลขที่ HUB-2570-000123") == ["HUB-2570-000123"]
    assert named_cases("ตอบ: RE: เรื่อง KALASIN-2569-0000042 และ HUB-2570-000001") == [
        "KALASIN-2569-0000042", "HUB-2570-000001"]
    assert named_cases("ถนนชำรุด หน้าบ้านเลขที่ 12/3") == [] and named_cases(None) == []


def test_a_reply_keeps_what_the_complainant_wrote_not_the_notice_it_quotes():
    from services.intake.mailbox import reply_text
    text = ("บ้านอยู่ซอย 5 ถนนสุขุมวิท ครับ\nโทรหาได้ช่วงเย็น\n\n"
            "On Tue, 1 Dec 2026 at 10:00, Rongtuk <no-reply@rongtuk.local> wrote:\n"
            "> เรียน ผู้ร้องเรียน\n> ขอข้อมูลเพิ่มเติม\n")
    assert reply_text(text) == "บ้านอยู่ซอย 5 ถนนสุขุมวิท ครับ\nโทรหาได้ช่วงเย็น"
    assert reply_text("ตามนี้ครับ\n\n-----Original Message-----\nFrom: x\nเรียน ผู้ร้องเรียน") == "ตามนี้ครับ"
    assert reply_text("> only a quote") == "> only a quote"  # nothing of their own: all of it is kept
