"""Web pages: the Thai portal's templates, their security headers, CSRF tokens and Thai dates.

Every service that serves pages renders them here: its own templates first (its `templates/portal`
folder), then the common layout in shared/templates/portal. Pages are HTML rendered on the server;
the only script is /static/portal.js (progressive enhancement: every form works without it), and the
Content-Security-Policy allows nothing inline.

CSRF: a random token in a cookie (`rt_csrf`, HttpOnly, SameSite=Strict) that every form repeats in
a hidden field (`csrf_token`); a POST whose field does not match the cookie changes nothing (the
double-submit pattern: another site can make a browser send the cookie, never read it to copy it).
"""
import hmac
import secrets
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from shared import policy
from shared.web import HttpSettings, held_by, http

BANGKOK = ZoneInfo("Asia/Bangkok")
SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates" / "portal"
STATIC = Path(__file__).resolve().parent / "static"

CSRF_COOKIE = "rt_csrf"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "rt_session"

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")

STATUS_TH = {
    "received": "รับเรื่องแล้ว", "routed": "ส่งหน่วยงานดำเนินการ", "reopened": "เปิดเรื่องอีกครั้ง",
    "waiting_for_complainant": "รอข้อมูลเพิ่มเติมจากผู้ร้อง", "answered_from_kb": "ตอบจากฐานความรู้แล้ว",
    "forwarded": "ส่งต่อหน่วยงานอื่น", "answered": "แจ้งผลแล้ว", "closed": "ยุติเรื่อง",
}
KIND_TH = {1: "ข้อเสนอแนะ/สอบถาม", 2: "เรื่องร้องเรียนทั่วไป", 3: "เรื่องร้องเรียนร้ายแรง", 4: "เรื่องฟ้องร้อง/สื่อ"}
CHANNEL_TH = {
    "hotline": "สายด่วน", "phone": "โทรศัพท์", "fax": "โทรสาร", "web": "เว็บไซต์", "email": "อีเมล",
    "counter": "ติดต่อด้วยตนเอง", "letter": "หนังสือ/จดหมาย", "po_box": "ตู้ ปณ.", "complaint_box": "ตู้รับเรื่อง",
    "line": "ไลน์", "facebook": "เฟซบุ๊ก", "field_inspection": "ลงพื้นที่", "meeting": "ที่ประชุม",
    "referral": "ส่งต่อจากหน่วยงานอื่น",
}


def _moment(value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(BANGKOK)


def thai_date(value, with_time=True):
    """A moment as Thais write it, in the Buddhist Era and Bangkok time: 7 ธ.ค. 2569 14:05 น. Text that
    is not a date (a letter's date as a script recorded it) is shown as it is."""
    try:
        moment = _moment(value)
    except (TypeError, ValueError):
        return str(value)
    if moment is None:
        return "-"
    day = f"{moment.day} {THAI_MONTHS[moment.month - 1]} {moment.year + 543}"
    return f"{day} {moment:%H:%M} น." if with_time else day


def thai_day(value):
    return thai_date(value, with_time=False)


def iso_date(value):
    try:
        moment = _moment(value)
    except (TypeError, ValueError):
        return ""
    return moment.isoformat() if moment else ""


def may(role, action):
    """Whether a role may do a site-wide action (what the console's menu offers it)."""
    return policy.decide(role, action) == policy.ALLOW if role in policy.ROLES else False


def works_cases(role):
    """Whether a role works cases (has a queue): all but executives and administrators."""
    return role in policy.PEOPLE and role not in ("executive", "admin")


def may_approve(role):
    return role in ("unit_head", "director", "committee")


def home(role):
    """The console's first page for a role: the queue, or for executives the figures and for
    administrators the users."""
    return {"executive": "/officer/figures", "admin": "/officer/users"}.get(role, "/officer/")


@lru_cache(maxsize=None)
def environment(*folders):
    """The Jinja2 environment of a service's template folders (looked in first) and the common ones."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader([str(f) for f in folders] + [str(SHARED_TEMPLATES)])]),
                      autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(thai_date=thai_date, thai_day=thai_day, iso_date=iso_date,
                       status_th=lambda s: STATUS_TH.get(s, s or "-"),
                       kind_th=lambda k: KIND_TH.get(k, "ยังไม่ระบุ") if k else "ยังไม่ระบุ",
                       channel_th=lambda c: CHANNEL_TH.get(c, c or "-"),
                       number=lambda n: f"{n:,}" if isinstance(n, int) else ("-" if n is None else str(n)))
    env.globals.update(STATUS_TH=STATUS_TH, KIND_TH=KIND_TH, CHANNEL_TH=CHANNEL_TH, may=may, works_cases=works_cases,
                       may_approve=may_approve, home=home)
    return env


def is_secure(request, config=None):
    """Whether the browser reached us over TLS: directly, through a trusted proxy that says so
    (X-Forwarded-Proto), or the site's public address is https (HTTP.public_url). The cookies are then
    Secure."""
    if request.scheme == "https":
        return True
    settings = HttpSettings.from_config(config or {})
    if settings.public_url.startswith("https://"):
        return True
    proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return proto == "https" and held_by(request.remote_addr or "", settings.trusted_proxies)


def csrf_token(request):
    """The browser's CSRF token: its cookie's, or a new one (set by `page`)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) < 32 or not token.isascii():
        token = getattr(request, "_new_csrf", None) or secrets.token_urlsafe(32)
        request._new_csrf = token
    return token


def csrf_ok(request):
    """Whether a posted form carries the token its browser's cookie holds."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = request.form.get(CSRF_FIELD, "")
    return len(cookie) >= 32 and hmac.compare_digest(cookie.encode("utf-8", "replace"),
                                                     given.encode("utf-8", "replace"))


class Pages:
    """A service's page renderer: `page(request, template, status, **values)` -> Response."""

    def __init__(self, *folders, config=None):
        self.env = environment(*(str(Path(f)) for f in folders))
        self.config = config or {}

    def render(self, request, template, **values):
        return self.env.get_template(template).render(csrf_token=csrf_token(request), request_path=request.path,
                                                      **values)

    def page(self, request, template, status=200, headers=None, **values):
        response = Response(self.render(request, template, **values), status=status,
                            content_type="text/html; charset=utf-8")
        return self.finish(request, response, headers)

    def finish(self, request, response, headers=None):
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            response.headers[name] = value
        new = getattr(request, "_new_csrf", None)
        if new:
            response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="Strict", path="/",
                                secure=is_secure(request, self.config))
        return response

    def new_csrf(self, request, response):
        """Give the browser a new CSRF token (at login: a token planted before it is not the session's)."""
        response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), httponly=True, samesite="Strict", path="/",
                            secure=is_secure(request, self.config))
        return response

    def redirect(self, request, location, status=303):
        response = Response("", status=status, headers={"Location": location})
        return self.finish(request, response)


def unit_names(directory):
    """{unit id: Thai name} of routing's directory as its RPC gives it (an id for a unit without a name);
    {} for no directory (routing did not answer)."""
    return {uid: unit.get("name_th") or uid for uid, unit in ((directory or {}).get("units") or {}).items()}


def done_message(request, said):
    """The notice of what a redirect after a form says was done (`?saved=1` -> said["saved"]), or None."""
    return next((text for key, text in said.items() if request.args.get(key)), None)


def static_file(name):
    """(bytes, content type) of a file under shared/static, or None (no path outside it)."""
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file():
        return None
    types = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
             ".png": "image/png", ".ico": "image/x-icon"}
    return path.read_bytes(), types.get(path.suffix, "application/octet-stream")


REFUSED_PAGES = {  # what a refused request is told, by status, when nothing more fitting is known
    400: ("ข้อมูลไม่ถูกต้อง", "ข้อมูลที่ส่งมาไม่ถูกต้อง กรุณากลับไปแก้ไขแล้วส่งอีกครั้ง"),
    403: ("ไม่มีสิทธิ์", "ท่านไม่มีสิทธิ์ทำรายการนี้ การเข้าถึงครั้งนี้ถูกบันทึกไว้แล้ว"),
    404: ("ไม่พบ", "ไม่พบสิ่งที่ต้องการ"),
    408: ("หมดเวลา", "การส่งข้อมูลใช้เวลานานเกินไป กรุณาลองใหม่"),
    409: ("ทำรายการไม่ได้", "ไม่สามารถทำรายการนี้ได้ในสถานะปัจจุบันของเรื่อง"),
    413: ("ข้อมูลใหญ่เกินไป", "ไฟล์หรือข้อมูลที่ส่งมีขนาดรวมใหญ่เกินกำหนด กรุณาลดขนาดหรือจำนวนไฟล์แล้วส่งอีกครั้ง"),
    415: ("ข้อมูลไม่ถูกต้อง", "แบบฟอร์มนี้ต้องส่งจากหน้าเว็บไซต์"),
    429: ("ส่งคำขอมากเกินไป", "มีการส่งคำขอจากที่นี่มากเกินไป กรุณาลองใหม่ภายหลัง"),
    503: ("ระบบไม่พร้อม", "ระบบไม่ตอบในเวลาที่กำหนด กรุณาลองใหม่ในอีกสักครู่"),
}


def html_refusal(refused, _path_values):
    """A refusal as a page in Thai (the portal's endpoints: a person reads it, not a program)."""
    title, message = REFUSED_PAGES.get(refused.status, ("ทำรายการไม่ได้", "ระบบไม่สามารถทำรายการนี้ได้"))
    body = environment().get_template("error.html").render(
        csrf_token="", request_path="", officer=None, title=title, message=message)
    response = Response(body, status=refused.status, content_type="text/html; charset=utf-8",
                        headers=list(refused.headers))
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def page(method, url, **options):
    """A portal endpoint: what it refuses (and a body the server refuses) answered as a page in Thai."""
    return http(method, url, answer_refusal=html_refusal, refuse=html_refusal, **options)
