"""The console's site pages: the knowledge-base editor, the calendar of extra holidays, the users, and
the requests to see a confidential complainant waiting for this officer's approval (docs/portal.md).

Each page is the portal's face of what the services already offer: routing's kb_put/kb_remove, sla's
calendar_add/remove and intake's accounts, each judged by the policy where it is done and put on the
audit log as the acting officer's. A page the officer's role may not use says so (403), and lists nothing.
"""
import re
from datetime import date

from services.intake import accounts, cases, identity_access, officers, web_forms
from services.intake.exceptions import AccountError, IntakeError, NotFound
from services.intake.portal import ROLE_TH
from shared.pages import BANGKOK, csrf_ok, done_message, may_approve, page, unit_names
from shared.policy import PEOPLE
from shared.rpc import RpcTimeout, call_with_timeout, rpc_timeout
from shared.thai import clean_text
from shared.times import utcnow
from shared.web import FORM, KiB, refusal_for

ROLE_NAMES = {**ROLE_TH, "committee": "คณะกรรมการบริหารจัดการข้อร้องเรียน"}
CHANGED = {"saved": "บันทึกแล้ว", "removed": "นำออกแล้ว"}
DENIED_TH = "บทบาทของท่านไม่มีสิทธิ์ใช้หน้านี้ การเข้าถึงครั้งนี้ถูกบันทึกไว้แล้ว"


def _lines(text):
    return [line.strip() for line in clean_text(text or "").splitlines() if line.strip()]


def _problem(exc):
    """What a service refused, for the page: its own words after a Thai lead (None: a fault)."""
    if isinstance(exc, AccountError):
        return f"บันทึกไม่ได้: {exc}"
    refused = refusal_for(exc)
    if refused is None:
        return None
    return f"บันทึกไม่ได้: {refused.message or ''}".rstrip(": ")


class AdminPages:
    """Mixed into IntakeService, beside PortalPages (whose helpers it uses)."""

    def _site_page(self, request, action):
        """(officer, None) when the policy lets the officer do `action` (a site-wide one), else (None, page)."""
        officer, away = self._console(request)
        if away:
            return None, away
        if self.db.run(officers.site_action, officer, action, {"page": request.path}):
            return officer, None
        return None, self._page(request, "error.html", 403, officer=officer, title="ไม่มีสิทธิ์", message=DENIED_TH)

    def _posted(self, request, action):
        officer, away = self._site_page(request, action)
        if away:
            return None, away
        if not csrf_ok(request):
            return None, self._stale_form(request)
        return officer, None

    def _call(self, method, *args, **kwargs):
        """(result, problem in Thai or None): another service's admin RPC, as the acting officer."""
        try:
            return call_with_timeout(method, *args, timeout=rpc_timeout(self.config), **kwargs), None
        except RpcTimeout:
            return None, "ระบบไม่ตอบในเวลาที่กำหนด กรุณาลองใหม่"
        except Exception as exc:  # what the service refuses, in its words
            said = _problem(exc)
            if said is None:
                raise
            return None, said

    # -- the knowledge base ----------------------------------------------------------------------

    @page("GET", "/officer/knowledge")
    def console_knowledge(self, request):
        officer, away = self._site_page(request, "manage_knowledge")
        if away:
            return away
        return self._knowledge_page(request, officer, editing=(request.args.get("edit") or "").strip()[:64])

    @page("POST", "/officer/knowledge", body=FORM, max_bytes=64 * KiB)
    def console_knowledge_put(self, request):
        officer, away = self._posted(request, "manage_knowledge")
        if away:
            return away
        form = request.form
        entry = {"id": web_forms.text(form, "id", 64), "questions": _lines(form.get("questions")),
                 "answer": web_forms.text(form, "answer")}
        if (form.get("unit") or "").strip():
            entry["unit"] = form.get("unit").strip()
        _done, problem = self._call(self.routing.kb_put, entry)
        if problem:
            return self._knowledge_page(request, officer, problem=problem, status=400, given=form)
        return self._pages().redirect(request, "/officer/knowledge?saved=1")

    @page("POST", "/officer/knowledge/<entry_id>/remove", body=FORM, max_bytes=4 * KiB)
    def console_knowledge_remove(self, request, entry_id):
        officer, away = self._posted(request, "manage_knowledge")
        if away:
            return away
        _done, problem = self._call(self.routing.kb_remove, entry_id)
        if problem:
            return self._knowledge_page(request, officer, problem=problem, status=400)
        return self._pages().redirect(request, "/officer/knowledge?removed=1")

    def _knowledge_page(self, request, officer, editing="", problem=None, status=200, given=None):
        entries = self._ask(self.routing.kb_list)
        directory = self._ask(self.routing.directory) or {}
        units = unit_names(directory)
        current = next((e for e in entries or [] if e["id"] == editing), None)
        if given is not None:
            current = {"id": given.get("id", ""), "questions": _lines(given.get("questions")),
                       "answer": given.get("answer", ""), "unit": given.get("unit", "")}
        message = done_message(request, CHANGED)
        return self._page(request, "knowledge.html", status, officer=officer, entries=entries, units=units,
                          current=current, problem=problem if entries is not None else "ระบบส่งเรื่องไม่ตอบในขณะนี้",
                          message=message)

    # -- the calendar ---------------------------------------------------------------------------

    @page("GET", "/officer/calendar")
    def console_calendar(self, request):
        officer, away = self._site_page(request, "manage_calendar")
        if away:
            return away
        return self._calendar_page(request, officer, _year(request.args.get("year")))

    @page("POST", "/officer/calendar", body=FORM, max_bytes=8 * KiB)
    def console_calendar_add(self, request):
        officer, away = self._posted(request, "manage_calendar")
        if away:
            return away
        day, kind, name = (web_forms.text(request.form, k, 200) for k in ("day", "kind", "name"))
        problem = None if _is_day(day) else "กรุณาระบุวันที่"
        if not problem and not name:
            problem = "กรุณาระบุชื่อวันหยุดหรือมติ ครม. ที่ประกาศ"
        if not problem:
            _done, problem = self._call(self.sla.calendar_add, day, kind if kind in ("holiday", "workday") else "",
                                        name[:200])
        return self._calendar_changed(request, officer, day, problem, "saved")

    @page("POST", "/officer/calendar/remove", body=FORM, max_bytes=4 * KiB)
    def console_calendar_remove(self, request):
        officer, away = self._posted(request, "manage_calendar")
        if away:
            return away
        day = request.form.get("day", "").strip()
        _done, problem = self._call(self.sla.calendar_remove, day) if _is_day(day) else (None, "กรุณาระบุวันที่")
        return self._calendar_changed(request, officer, day, problem, "removed")

    def _calendar_changed(self, request, officer, day, problem, done):
        """After a change to the calendar: its year again with the problem, or a redirect saying it was done."""
        year = int(day[:4]) if _is_day(day) else _year(None)
        if problem:
            return self._calendar_page(request, officer, year, problem=problem, status=400)
        return self._pages().redirect(request, f"/officer/calendar?year={year}&{done}=1")

    def _calendar_page(self, request, officer, year, problem=None, status=200):
        days = self._ask(self.sla.calendar_list, year)
        message = done_message(request, CHANGED)
        return self._page(request, "calendar.html", status, officer=officer, year=year, days=days or [],
                          problem=problem or (None if days is not None else "ระบบนับเวลาไม่ตอบในขณะนี้"),
                          message=message)

    # -- users ------------------------------------------------------------------------------------

    @page("GET", "/officer/users")
    def console_users(self, request):
        officer, away = self._site_page(request, "manage_users")
        if away:
            return away
        return self._users_page(request, officer)

    @page("POST", "/officer/users", body=FORM, max_bytes=8 * KiB)
    def console_users_create(self, request):
        officer, away = self._posted(request, "manage_users")
        if away:
            return away
        form = request.form
        directory = self._ask(self.routing.directory)
        if directory is None:
            return self._users_page(request, officer, status=503,
                                    problem="ระบบส่งเรื่องไม่ตอบในขณะนี้ (รายชื่อหน่วยงาน)")
        try:
            self.db.run(officers.manage_users, officer, accounts.create, (form.get("username") or "").strip().lower(),
                        form.get("role") or "", form.getlist("units"), officer.site_id, form.get("password") or "",
                        set(directory.get("units") or {}))
        except AccountError as exc:
            return self._users_page(request, officer, problem=_problem(exc), status=400, given=form)
        return self._pages().redirect(request, "/officer/users?saved=1")

    @page("POST", "/officer/users/<username>/disable", body=FORM, max_bytes=4 * KiB)
    def console_users_disable(self, request, username):
        officer, away = self._posted(request, "manage_users")
        if away:
            return away
        with self.db.reading() as session:
            here = {u["username"] for u in accounts.listing(session) if u["site_id"] == officer.site_id}
        if username == officer.name or username not in here:  # not oneself; not another site's account
            why = "ระงับบัญชีของตนเองไม่ได้" if username == officer.name else "ไม่มีบัญชีนี้ในสำนักงาน"
            return self._users_page(request, officer, problem=f"บันทึกไม่ได้: {why}", status=400)
        try:
            self.db.run(officers.manage_users, officer, accounts.disable, username)
        except AccountError as exc:
            return self._users_page(request, officer, problem=_problem(exc), status=400)
        return self._pages().redirect(request, "/officer/users?disabled=1")

    def _users_page(self, request, officer, problem=None, status=200, given=None):
        with self.db.reading() as session:
            users = [u for u in accounts.listing(session) if u["site_id"] == officer.site_id]
        units = unit_names(self._ask(self.routing.directory))
        message = done_message(request, {"saved": "สร้างบัญชีแล้ว",
                                         "disabled": "ระงับบัญชีแล้ว และออกจากระบบทุกอุปกรณ์"})
        return self._page(request, "users.html", status, officer=officer, users=users, units=units, roles=PEOPLE,
                          role_names=ROLE_NAMES, problem=problem, message=message,
                          given={"username": (given or {}).get("username", ""), "role": (given or {}).get("role", "")})

    # -- approvals of a look at a confidential complainant --------------------------------------

    @page("GET", "/officer/approvals")
    def console_approvals(self, request):
        officer, away = self._console(request, may_approve)
        if away:
            return away
        return self._approvals_page(request, officer)

    @page("POST", "/officer/approvals/<request_id>/<any(approve,refuse):decision>", body=FORM, max_bytes=8 * KiB)
    def console_approvals_decide(self, request, request_id, decision):
        officer, away = self._console(request, may_approve)
        if away:
            return away
        if not csrf_ok(request):
            return self._stale_form(request)
        with self.db.reading() as session:
            case_id = identity_access.request_case(session, request_id)
            row = cases.by_id(session, case_id) if case_id else None
        if row is None:
            return self._approvals_page(request, officer, problem="ไม่พบคำขอนี้", status=404)
        try:
            outcome = self.db.run(identity_access.decide, officer, self._facts(officer, row), request_id,
                                  decision == "approve", web_forms.text(request.form, "note", 2000))
        except (IntakeError, NotFound):
            return self._approvals_page(request, officer, problem="คำขอนี้ได้รับการตัดสินแล้ว", status=409)
        if outcome.state == "denied":
            return self._approvals_page(request, officer, problem=f"ไม่สามารถอนุมัติได้: {outcome.message}", status=403)
        return self._pages().redirect(request, f"/officer/approvals?done={decision}")

    def _approvals_page(self, request, officer, problem=None, status=200):
        return self._page(request, "approvals.html", status, officer=officer, problem=problem,
                          requests=self._requests_waiting_for(officer),
                          message={"approve": "อนุมัติแล้ว", "refuse": "ไม่อนุมัติแล้ว"}.get(request.args.get("done")))


def _is_day(text):
    try:
        date.fromisoformat(text)
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))
    except ValueError:
        return False


def _year(text):
    """A calendar year (Common Era) from the page's year, which may be given in the Buddhist Era."""
    try:
        year = int(str(text).strip())
    except (TypeError, ValueError):
        return utcnow().astimezone(BANGKOK).year
    year = year - 543 if year > 2400 else year
    return year if 1990 <= year <= 2200 else utcnow().astimezone(BANGKOK).year

