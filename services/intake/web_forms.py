"""The portal's forms as the JSON API's bodies, and the API's field errors said in Thai beside each field.

A web form's fields are the JSON API's, flattened (docs/portal.md): `category`, `subject`,
`description`; where: `province`, `district`, `subdistrict`, `address` (where the problem is); who:
`name`, `phone`, `email`, `national_id`, or `anonymous` (then none of them); `confidential`;
`attachments` (file inputs). `complaint(...)` builds the body the JSON API takes from them, so the
same schema and the same use case judge and record it. Plain rules: no nameko, no database.
"""
import base64
import re
from datetime import date

from shared.thai import clean_text

IDENTITY_FIELDS = ("name", "phone", "email", "national_id")
LOCATION_FIELDS = ("province", "district", "subdistrict", "address")
FORM_FIELDS = ("category", "subject", "description") + LOCATION_FIELDS + IDENTITY_FIELDS + (
    "confidential", "attachments", "anonymous")
OFFICER_FIELDS = ("channel", "kind", "letter_number", "letter_date", "call_reference")
# channels an officer records on the intake screen, and the references each needs
OFFICER_CHANNELS = ("phone", "hotline", "counter", "letter", "fax", "email", "po_box", "complaint_box",
                    "facebook", "field_inspection", "meeting")
LETTER_CHANNELS = ("letter",)

LABELS = {  # each field as its form names it, for the list of errors above the form
    "category": "หมวดเรื่อง", "subject": "เรื่อง", "description": "รายละเอียด", "province": "จังหวัด",
    "district": "อำเภอ/เขต", "subdistrict": "ตำบล/แขวง", "address": "ที่อยู่หรือจุดสังเกต", "name": "ชื่อ-นามสกุล",
    "phone": "โทรศัพท์", "email": "อีเมล", "national_id": "เลขประจำตัวประชาชน", "confidential": "ปกปิดชื่อ",
    "attachments": "แนบไฟล์", "anonymous": "ไม่ประสงค์ออกนาม", "channel": "ช่องทางที่รับเรื่อง", "kind": "ประเภทเรื่อง",
    "letter_number": "เลขทะเบียนหนังสือ", "letter_date": "ลงวันที่", "call_reference": "เลขอ้างอิงการโทร",
    "tracking_number": "เลขที่เรื่อง", "access_code": "รหัสติดตาม", "username": "ชื่อผู้ใช้", "password": "รหัสผ่าน",
}
REQUIRED = "กรุณากรอกข้อมูลในช่องนี้"
GENERIC = "ข้อมูลในช่องนี้ไม่ถูกต้อง"

# the API's English messages (marshmallow's and ours) -> Thai; the first pattern that matches
_THAI = [
    (r"Missing data for required field", lambda m: REQUIRED),
    (r"Field may not be null", lambda m: REQUIRED),
    (r"Length must be between 1 and (\d+)", lambda m: f"กรุณากรอกข้อมูล ไม่เกิน {m[1]} ตัวอักษร"),
    (r"Longer than maximum length (\d+)", lambda m: f"ยาวเกิน {m[1]} ตัวอักษร"),
    (r"Shorter than minimum length", lambda m: REQUIRED),
    (r"Not a valid email", lambda m: "รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@example.com"),
    (r"national ID has 13 digits", lambda m: "เลขประจำตัวประชาชนต้องมี 13 หลัก"),
    (r"national ID does not start with 0", lambda m: "เลขประจำตัวประชาชนไม่ขึ้นต้นด้วย 0"),
    (r"check digit of this national ID", lambda m: "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"),
    (r"phone number has only digits", lambda m: "หมายเลขโทรศัพท์มีได้เฉพาะตัวเลข ขีด และ +66"),
    (r"Not a Thai mobile", lambda m: "หมายเลขโทรศัพท์ไม่ถูกต้อง เช่น 081-234-5678 หรือ 02-123-4567"),
    (r"Unknown category", lambda m: "ไม่มีเรื่องนี้ในรายการ กรุณาเลือกจากรายการ"),
    (r"control character", lambda m: "มีอักขระที่ไม่อนุญาต"),
    (r"At most (\d+)", lambda m: f"แนบได้ไม่เกิน {m[1]} ไฟล์"),
    (r"^(.*): type .* is not accepted", lambda m: f"{m[1]}: ไม่รับไฟล์ประเภทนี้ (รับ PDF, รูปภาพ JPEG/PNG, "
                                                  "Word, Excel, ข้อความ)"),
    (r"^(.*): larger than (\d+) MB", lambda m: f"{m[1]}: ไฟล์ใหญ่เกิน {m[2]} MB"),
    (r"^(.*): the file is empty", lambda m: f"{m[1]}: ไฟล์ว่างเปล่า"),
    (r"^(.*): declared .* but the content", lambda m: f"{m[1]}: เนื้อไฟล์ไม่ตรงกับชนิดของไฟล์"),
    (r"No case with that tracking number and access code", lambda m: "เลขที่เรื่องหรือรหัสติดตามไม่ถูกต้อง"),
    (r"Not a valid (integer|number)", lambda m: "กรุณากรอกเป็นตัวเลข"),
    (r"Too many messages", lambda m: "ส่งข้อความถึงเจ้าหน้าที่ในเรื่องนี้ครบจำนวนของวันนี้แล้ว "
                                     "กรุณาส่งอีกครั้งพรุ่งนี้"),
    (r"say why in a few words", lambda m: "กรุณาระบุเหตุผลเป็นข้อความสั้น ๆ อย่างน้อย 15 ตัวอักษร (บันทึกไว้)"),
    (r"Must be one of|Must be greater|Must be less|Must be between", lambda m: "กรุณาเลือกจากรายการ"),
]


def thai(message):
    for pattern, say in _THAI:
        found = re.search(pattern, str(message))
        if found:
            return say(found)
    return GENERIC


def field_errors(errors, known=FORM_FIELDS):
    """The API's errors ({field: [messages]}, nested for the complainant, the location and each
    attachment) flattened to the form's field names, in Thai; what names no field goes under "_form"."""
    flat = {}

    def put(field, messages):
        for message in messages if isinstance(messages, (list, tuple)) else [messages]:
            said = thai(message)
            if said not in flat.setdefault(field, []):
                flat[field].append(said)

    def walk(value, field):
        if isinstance(value, dict):
            for key, inner in value.items():  # a nested part (complainant, location, an attachment) is its field's
                walk(inner, str(key) if str(key) in known else field)
        else:
            put(field, value)

    walk(errors or {}, "_form")
    return flat


def _text(form, name):
    return (form.get(name) or "").strip()


def text(form, name, limit=5000):
    """A posted text as the console's forms read it: normalised, control characters other than newline
    and tab dropped, trimmed, at most `limit` characters (the service that takes it checks the rest)."""
    return clean_text(form.get(name) or "").strip()[:limit]


TRACKING_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{0,39}")


def tracking_number(value):
    """A tracking number as typed (spaces and case forgiven), or None when it cannot be one."""
    number = re.sub(r"\s+", "", str(value or "")).upper()
    return number if TRACKING_NUMBER.fullmatch(number) else None


def uploads_of(files, field="attachments"):
    """The files a form sent under `field` as the API's {filename, content_type, content_base64}
    (an empty file input sends a part with no name: not a file)."""
    given = []
    for upload in files.getlist(field):
        if not upload or not upload.filename:
            continue
        data = upload.read()
        given.append({"filename": upload.filename, "content_type": (upload.mimetype or "application/octet-stream"),
                      "content_base64": base64.b64encode(data).decode("ascii")})
    return given


def complaint(form, files, channel="web"):
    """(the JSON API's body, errors the API could not say) from the complaint form."""
    errors = {}
    body = {"channel": channel, "subject": _text(form, "subject"), "description": _text(form, "description"),
            "confidential": form.get("confidential") in ("on", "true", "1", "yes")}
    if not body["subject"]:
        body.pop("subject")
    if not body["description"]:
        body.pop("description")
    if _text(form, "category"):
        body["category"] = _text(form, "category")
    location = {k: _text(form, k) for k in LOCATION_FIELDS if _text(form, k)}
    if location:
        body["location"] = location
    identity = {k: _text(form, k) for k in IDENTITY_FIELDS if _text(form, k)}
    if form.get("anonymous") in ("on", "yes", "true", "1"):
        for name in identity:
            errors.setdefault(name, []).append(
                "เลือกไม่ประสงค์ออกนามแล้ว: กรุณาลบข้อมูลในช่องนี้ หรือเลือกแจ้งชื่อและช่องทางติดต่อ")
    elif identity:
        body["complainant"] = identity
    attachments = uploads_of(files)
    if attachments:
        body["attachments"] = attachments
    return body, errors


def officer_record(form, files):
    """(the JSON API's body, errors) from the intake screen: the complaint form plus its channel and,
    for a letter, its registration number and date (both required: the letter's place in the register)."""
    channel = _text(form, "channel")
    body, errors = complaint(form, files, channel=channel or "phone")
    if channel not in OFFICER_CHANNELS:
        errors.setdefault("channel", []).append("กรุณาเลือกช่องทางที่รับเรื่อง")
    if _text(form, "kind"):
        try:
            body["kind"] = int(_text(form, "kind"))
        except ValueError:
            errors.setdefault("kind", []).append("กรุณาเลือกจากรายการ")
    reference = {}
    number, given_date = _text(form, "letter_number"), _text(form, "letter_date")
    if channel in LETTER_CHANNELS:
        if not number:
            errors.setdefault("letter_number", []).append("กรุณากรอกเลขทะเบียนหนังสือ")
        if not given_date:
            errors.setdefault("letter_date", []).append("กรุณากรอกวันที่ของหนังสือ")
    if given_date:
        try:
            date.fromisoformat(given_date)
        except ValueError:
            errors.setdefault("letter_date", []).append("วันที่ไม่ถูกต้อง (ปี-เดือน-วัน)")
    if number:
        reference["letter_number"] = number
    if given_date:
        reference["letter_date"] = given_date
    if _text(form, "call_reference"):
        reference["call_reference"] = _text(form, "call_reference")
    if reference:
        body["channel_ref"] = reference
    return body, errors


def values_of(form):
    """What the form showed, to show it again beside its errors (never the files)."""
    return {key: form.get(key, "") for key in form.keys() if key not in ("csrf_token", "password")}
