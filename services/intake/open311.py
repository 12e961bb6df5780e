"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the civic-issue API apps already speak.

Pure translation between the spec's forms, JSON and XML and our case record. Services are the
subjects of the site's catalogue; a request is a case, its id the tracking number; status is
open/closed with our finer status in status_notes; expected_datetime is the SLA deadline and
agency_responsible the unit. Confidential cases are never listed or shown here.

Reading requests needs no key, so what GET shows is public, the same for everyone: a request's
description, address, coordinates and photo are shown only when its subject is marked public in the
catalogue (things such as a pothole, not complaints about people); every other request is listed
with its status, subject code, dates and unit only.
"""
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from services.intake import identity
from services.intake.exceptions import InvalidIdentifier, Open311Error
from services.intake.status import CLOSED_STATUSES
from shared.thai import control_character, normalise_text
from shared.times import BANGKOK

SPEC = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DESCRIPTION_MAX = 4000
MEDIA_URL_MAX = 200
LIST_LIMIT = 1000
DEFAULT_WINDOW = timedelta(days=90)
KIND_NAMES = {1: "ข้อคิดเห็น ข้อเสนอแนะ ชมเชย สอบถาม", 2: "ข้อร้องเรียนเรื่องเล็กน้อย", 3: "ข้อร้องเรียนเรื่องใหญ่",
              4: "การฟ้องร้องหรือเป็นข่าว"}


# -- what the server offers ---------------------------------------------------------------------

def check_jurisdiction(jurisdiction_id, own_site):
    """A request may name a jurisdiction (any method, any endpoint): it must be this site's."""
    if jurisdiction_id and jurisdiction_id.upper() != own_site:
        raise Open311Error(404, f"jurisdiction_id {jurisdiction_id} not found")


def discovery(base_url, contact):
    return {"changeset": "2026-11-21T00:00:00+07:00", "contact": contact,
            "key_service": "API keys are issued by the site's administrator (rongtuk apikey create).",
            "endpoints": [{"specification": SPEC, "url": f"{base_url}/open311/v2", "changeset":
                           "2026-11-21T00:00:00+07:00", "type": "production",
                           "formats": ["text/xml", "application/json"]}]}


PUBLIC_NOTE = "Public: requests are listed with their description, location and photo."
PRIVATE_NOTE = "Not public: requests are listed without description, location or photo."


def service_list(catalogue):
    # The spec has no field for it, so the free-text description tells apps (and the people using
    # them) whether what they write on a service will be shown to anyone.
    return [{"service_code": s.code, "service_name": s.name_th,
             "description": f"{s.name_en}. {PUBLIC_NOTE if s.public else PRIVATE_NOTE}", "metadata": True,
             "type": "realtime", "keywords": s.name_en, "group": s.group} for s in catalogue]


def service_definition(catalogue, code):
    subject = catalogue.get(code)
    if subject is None:
        raise Open311Error(404, f"service_code {code} not found")
    return {"service_code": subject.code, "attributes": [
        {"variable": True, "code": "subject", "datatype": "string", "required": False,
         "datatype_description": "ไม่เกิน 200 ตัวอักษร", "order": 1, "description": "หัวเรื่อง"},
        {"variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
         "datatype_description": f"ค่าเริ่มต้น {subject.kind}", "order": 2, "description": "ประเภทเรื่อง",
         "values": [{"key": str(k), "name": name} for k, name in KIND_NAMES.items()]},
        {"variable": True, "code": "confidential", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "yes เพื่อปกปิดชื่อผู้ร้อง", "order": 3, "description": "ปกปิดชื่อผู้ร้อง",
         "values": [{"key": "yes", "name": "ปกปิดชื่อผู้ร้อง"}, {"key": "no", "name": "ไม่ต้องปกปิด"}]},
    ]}


# -- a new request --------------------------------------------------------------------------------

def request_to_case(form, catalogue, client_name):
    """A POST requests form as the case record intake takes; Open311Error(400) says what is wrong."""
    code = _one(form, "service_code")
    if not code:
        raise Open311Error(400, "service_code is required")
    subject = catalogue.get(code)
    if subject is None:
        raise Open311Error(400, f"service_code {code} not found")
    description = _one(form, "description")
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, f"description is longer than {DESCRIPTION_MAX} characters")
    location = _location(form)
    title = _one(form, "attribute[subject]") or _first_line(description) or subject.name_th
    kind = _one(form, "attribute[kind]")
    if kind and kind not in ("1", "2", "3", "4"):
        raise Open311Error(400, "attribute[kind] must be 1, 2, 3 or 4")
    confidential = _one(form, "attribute[confidential]").lower()
    if confidential not in ("", "yes", "no", "true", "false"):
        raise Open311Error(400, "attribute[confidential] must be yes or no")
    complainant = {}
    name = " ".join(p for p in (_one(form, "first_name"), _one(form, "last_name")) if p)
    if name:
        complainant["name"] = name[:200]
    if _one(form, "email"):
        if "@" not in _one(form, "email") or len(_one(form, "email")) > 254:
            raise Open311Error(400, "email is not a valid address")
        complainant["email"] = _one(form, "email")
    if _one(form, "phone"):
        try:
            complainant["phone"] = identity.normalise_phone(_one(form, "phone"))
        except InvalidIdentifier as exc:
            raise Open311Error(400, f"phone: {exc}") from exc
    channel_ref = {k: v[:200] for k, v in {"open311_client": client_name, "device_id": _one(form, "device_id"),
                                            "account_id": _one(form, "account_id"),
                                            "media_url": _media_url_given(form)}.items() if v}
    return {"channel": "web", "channel_ref": channel_ref, "category": subject.code,
            "kind": int(kind) if kind else None, "subject": title[:200],
            "description": description or subject.name_th, "location": location,
            "complainant": complainant or None, "confidential": confidential in ("yes", "true"),
            "disputes": None, "attachments": []}


def _one(form, key):
    """A form value, normalised; control characters are refused as the JSON API refuses them
    (they would also make the XML answer unreadable)."""
    value = normalise_text(form.get(key) or "")
    bad = control_character(value, multiline=key == "description")
    if bad is not None:
        raise Open311Error(400, f"{key} contains a control character (U+{ord(bad):04X})")
    return value


def _media_url_given(form):
    """media_url as given, if it is an https URL (a photo anyone may be shown: never javascript:,
    data: or a plain-http address); Open311Error(400) otherwise."""
    url = _one(form, "media_url")
    if url and not is_https_url(url):
        raise Open311Error(400, "media_url must be an https:// URL")
    if len(url) > MEDIA_URL_MAX:
        raise Open311Error(400, f"media_url is longer than {MEDIA_URL_MAX} characters")
    return url


def is_https_url(url):
    try:
        parts = urlsplit(url)
        return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in url)
    except ValueError:  # a malformed host ("https://[x")
        return False


def _first_line(text):
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def _location(form):
    lat, lon = _one(form, "lat"), _one(form, "long")
    address = _one(form, "address_string") or _one(form, "address_id")
    if not (lat and lon) and not address:
        raise Open311Error(400, "a location is required: lat and long, or address_string, or address_id")
    location = {"address": address[:500] or None}
    if lat or lon:
        try:
            location["latitude"], location["longitude"] = float(lat), float(lon)
        except ValueError:
            raise Open311Error(400, "lat and long must be decimal degrees") from None
        if not (5.0 <= location["latitude"] <= 21.0 and 97.0 <= location["longitude"] <= 106.0):
            raise Open311Error(400, "lat and long are outside Thailand")
    return location


def created(tracking_number, access_code, case_id):
    notice = (f"รับเรื่องแล้ว เลขที่ {tracking_number} รหัสติดตาม {access_code} "
              f"(เก็บไว้ใช้ติดตามความคืบหน้า)")
    return [{"service_request_id": tracking_number, "service_notice": notice, "account_id": None,
             "token": case_id}]


# -- looking requests up ------------------------------------------------------------------------

def query(args, now):
    """GET requests filters: service_request_id, service_code, start_date, end_date, status."""
    ids = [i.strip().upper() for i in (args.get("service_request_id") or "").split(",") if i.strip()]
    codes = [c.strip() for c in (args.get("service_code") or "").split(",") if c.strip()]
    statuses = [s.strip().lower() for s in (args.get("status") or "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status must be open, closed, or both separated by a comma")
    start, end = _date(args, "start_date"), _date(args, "end_date")
    if not ids and start is None and end is None:
        start = now - DEFAULT_WINDOW
    if start and end and start > end:
        raise Open311Error(400, "start_date is after end_date")
    return {"ids": ids, "codes": codes, "statuses": statuses, "start": start, "end": end, "limit": LIST_LIMIT}


def _date(args, key):
    text = (args.get(key) or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{key} must be a W3C date-time, e.g. 2026-11-21T09:00:00+07:00") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)
    try:  # 0001-01-01T00:00:00 in Bangkok, or 9999-12-31T23:59:59-12:00, is no time in UTC (the database's)
        moment.astimezone(timezone.utc)
    except OverflowError:
        raise Open311Error(400, f"{key} is out of range (years 1 to 9999 in UTC)") from None
    return moment


def open_or_closed(status):
    return "closed" if status in CLOSED_STATUSES else "open"


def is_public(subject, row):
    """Whether anyone may see what a request says, where and with which photo: only on a subject the
    site marked public, never a confidential case; a request without a subject is not public."""
    return bool(subject is not None and subject.public and not row.confidential)


def request_view(row, catalogue, public_descriptions=True):
    """A case as GET requests shows it to anyone. Privacy by default (PDPA): a complaint about a
    person, its words, the address and coordinates (often the complainant's home or the office they
    named) and the photo stay out unless its subject is public; `public_descriptions=False` (the
    site's OPEN311.public_descriptions) hides every description, public subjects' too."""
    subject = catalogue.get(row.category) if row.category else None
    public = is_public(subject, row)
    return {"service_request_id": row.tracking_number, "status": open_or_closed(row.status),
            "status_notes": row.status, "service_name": subject.name_th if subject else None,
            "service_code": row.category,
            "description": row.description if public and public_descriptions else None,
            "agency_responsible": row.unit_name, "service_notice": None,
            "requested_datetime": _w3c(row.received_at), "updated_datetime": _w3c(row.updated_at),
            "expected_datetime": _w3c(row.due_at), "address": row.address if public else None,
            "address_id": None, "zipcode": None, "lat": row.latitude if public else None,
            "long": row.longitude if public else None, "media_url": _media_url(row) if public else None}


def _media_url(row):
    """The photo's URL, only if it is https (one stored before that was checked is not shown)."""
    try:
        url = (json.loads(row.channel_ref or "{}") or {}).get("media_url")
    except ValueError:
        return None
    return url if isinstance(url, str) and is_https_url(url) else None


def _w3c(moment):
    return moment.astimezone(BANGKOK).isoformat(timespec="seconds") if moment else None


def token_view(token, tracking_number):
    return [{"service_request_id": tracking_number, "token": token}]


# -- formats ------------------------------------------------------------------------------------

def render(payload, shape, fmt):
    """(body, content type) of a payload: JSON as it is, XML in the spec's element names."""
    if fmt == "json":
        return json.dumps(payload, ensure_ascii=False), CONTENT_TYPES["json"]
    root = XML_SHAPES[shape](payload)
    return ET.tostring(root, encoding="unicode", xml_declaration=True), CONTENT_TYPES["xml"]


def error_body(errors, fmt):
    payload = [{"code": e.code, "description": e.description} for e in errors]
    return render(payload, "errors", fmt)


# what XML 1.0 allows in a document (https://www.w3.org/TR/xml/#charsets); ElementTree writes any
# other character as it is, and the answer is then no XML a client can read
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value):
    """A text XML 1.0 can hold: each character it forbids (U+0001, a lone surrogate, U+FFFE…)
    replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _element(parent, name, value):
    child = ET.SubElement(parent, name)
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = xml_text(str(value))
    return child


def _records(root_name, item_name):
    def build(items):
        root = ET.Element(root_name)
        for item in items:
            node = ET.SubElement(root, item_name)
            for key, value in item.items():
                _element(node, key, value)
        return root
    return build


def _definition(payload):
    root = ET.Element("service_definition")
    _element(root, "service_code", payload["service_code"])
    attributes = ET.SubElement(root, "attributes")
    for attribute in payload["attributes"]:
        node = ET.SubElement(attributes, "attribute")
        for key, value in attribute.items():
            if key == "values":
                values = ET.SubElement(node, "values")
                for entry in value:
                    item = ET.SubElement(values, "value")
                    _element(item, "key", entry["key"])
                    _element(item, "name", entry["name"])
            else:
                _element(node, key, value)
    return root


def _discovery(payload):
    root = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        _element(root, key, payload[key])
    endpoints = ET.SubElement(root, "endpoints")
    for endpoint in payload["endpoints"]:
        node = ET.SubElement(endpoints, "endpoint")
        for key, value in endpoint.items():
            if key == "formats":
                formats = ET.SubElement(node, "formats")
                for fmt in value:
                    _element(formats, "format", fmt)
            else:
                _element(node, key, value)
    return root


XML_SHAPES = {
    "discovery": _discovery,
    "services": _records("services", "service"),
    "service_definition": _definition,
    "service_requests": _records("service_requests", "request"),
    "errors": _records("errors", "error"),
}
