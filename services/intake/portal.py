"""The web portal's pages that intake serves (Thai, server-rendered; docs/portal.md).

Public: `/` the complaint form, `/track` a complainant's case (number and access code posted, never in
a URL). Officers: `/login`, `/logout` and the console under `/officer/`: my queue, triage, search, the
case page with every action the policy allows, and the intake screen. Each page decodes the form, calls
the same use cases as the JSON API (so the same rules, limits, policy and audit hold) and renders a
template; a form that does not pass shows its errors in Thai beside its fields and records nothing.

The officer's session is the JSON API's (services/intake/sessions.py): its token lives in an HttpOnly,
SameSite=Lax cookie (Secure behind TLS), and every form carries a CSRF token (shared/pages.py).
Reporting serves the executives' figures page the same way (services/reporting/portal.py).
"""
import base64
import logging
from pathlib import Path

from marshmallow import ValidationError
from werkzeug.wrappers import Response

from services.intake import cases, counters, identity_access, officers, sessions, web_forms, worklists
from services.intake.exceptions import IntakeError, NotAuthenticated, NotFound, NotRatable, Refused
from services.intake.routing_actions import routing_call
from services.intake.schemas import NewCaseSchema, RateRequestSchema
from shared.config import site_id
from shared.pages import (SESSION_COOKIE, Pages, csrf_ok, home, is_secure, page, static_file, unit_names,
                          works_cases)
from shared.policy import ALLOW, DENY
from shared.rpc import RpcTimeout, call_with_timeout, rpc_timeout
from shared.thai import control_character
from shared.web import FORM, HttpSettings, KiB, MiB, InvalidRequest, client_address, file_response, refusal_for

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates" / "portal"
new_case_schema = NewCaseSchema()
rate_schema = RateRequestSchema()

# the console's actions: the form's name -> (routing's action, the policy's action)
CONSOLE_ACTIONS = {
    "confirm": ("confirm", "confirm"),
    "reroute": ("reroute", "reroute"),
    "change-kind": ("change-kind", "change_kind"),
    "request-info": ("request-info", "request_info"),
    "info-received": ("info-received", "info_received"),
    "note": ("unit-status", "unit_status"),
    "unit-status": ("unit-status", "unit_status"),
    "assign-units": ("assign-units", "assign_units"),
    "forward": ("forward", "forward"),
    "answer": ("answer", "answer"),
}
DONE_TH = {
    "confirm": "ยืนยันหน่วยงานแล้ว",
    "reroute": "ส่งเรื่องให้หน่วยงานใหม่แล้ว",
    "change-kind": "เปลี่ยนประเภทเรื่องแล้ว",
    "request-info": "ส่งคำขอข้อมูลเพิ่มเติมถึงผู้ร้องแล้ว (หยุดนับเวลา)",
    "info-received": "บันทึกว่าได้รับข้อมูลแล้ว",
    "note": "บันทึกความคืบหน้าแล้ว",
    "unit-status": "บันทึกสถานะของหน่วยงานแล้ว",
    "assign-units": "มอบหมายหน่วยงานเพิ่มแล้ว",
    "forward": "ส่งต่อไปยังหน่วยงานอื่นแล้ว",
    "answer": "แจ้งผลการดำเนินการแล้ว",
}
REFUSED_TH = "ระบบไม่สามารถทำรายการนี้ได้ในขณะนี้"


class PortalPages:
    """The portal's entrypoints, mixed into IntakeService (they use its dependencies)."""

    def _pages(self):
        return Pages(TEMPLATES, config=self.config)

    def _page(self, request, template, status=200, **values):
        values.setdefault("labels", web_forms.LABELS)
        return self._pages().page(request, template, status, officer=values.pop("officer", None), **values)

    # -- static files ---------------------------------------------------------------------------

    @page("GET", "/static/<path:name>")
    def portal_static(self, request, name):
        found = static_file(name)
        if found is None:
            return self._page(request, "error.html", 404, title="ไม่พบหน้านี้", message="ไม่พบไฟล์ที่ต้องการ")
        data, content_type = found
        return self._pages().finish(request, Response(data, content_type=content_type),
                                    {"Cache-Control": "public, max-age=3600"})

    # -- the public: complain, and follow the case -----------------------------------------------

    @page("GET", "/")
    def complaint_form(self, request):
        return self._page(request, "complain.html", **self._form_values({}, {}))

    @page("POST", "/", body=FORM, max_bytes="max_case_body")
    def complaint_post(self, request):
        body, errors = web_forms.complaint(request.form, request.files)
        data = self._loaded(body, errors)
        if not csrf_ok(request):
            # a form without its token (an old page, cookies refused, another site's form): nothing is
            # recorded; what was typed comes back, with its errors, to be sent again with a fresh token
            return self._page(request, "complain.html", 403, stale=True, **self._form_values(
                request.form, data.get("_errors", {}) if isinstance(data, dict) else {}))
        if isinstance(data, dict) and "_errors" in data:
            return self._page(request, "complain.html", 400, **self._form_values(request.form, data["_errors"]))
        try:
            received = self.db.run(counters.receive, data, self.intake, self.throttle,
                                   address=client_address(request))
        except IntakeError as exc:
            return self._page(request, "complain.html", 400,
                              **self._form_values(request.form, web_forms.field_errors(exc.errors)))
        except Refused as exc:
            return self._too_many(request, exc)
        if received.errors:
            return self._page(request, "complain.html", 400,
                              **self._form_values(request.form, web_forms.field_errors(received.errors)))
        return self._page(request, "received.html", 201, created=received.created, recorded_by_officer=False)

    def _loaded(self, body, errors):
        """The body as the JSON API's schema loads it, or {"_errors": {...}} in Thai by form field."""
        try:
            data = new_case_schema.load(body)
        except ValidationError as exc:
            found = web_forms.field_errors(exc.messages, web_forms.FORM_FIELDS + web_forms.OFFICER_FIELDS)
            for name, said in errors.items():
                found.setdefault(name, []).extend(said)
            return {"_errors": found}
        if errors:
            return {"_errors": errors}
        return data

    def _form_values(self, form, errors):
        subjects = sorted(self.intake.catalogue.subjects.values(), key=lambda s: (s.group, s.name_th))
        return {"values": web_forms.values_of(form), "errors": errors, "subjects": subjects,
                "max_upload_mb": HttpSettings.from_config(self.config).max_case_body // MiB,
                "error_count": sum(len(v) for v in errors.values())}

    @page("GET", "/track")
    def track_form(self, request):
        return self._page(request, "track.html", values={}, errors={}, error_count=0)

    @page("POST", "/track", body=FORM, max_bytes=16 * KiB)
    def track_post(self, request):
        return self._tracked(request)

    @page("POST", "/track/<any(reply,rate,dispute,document):step>", body=FORM, max_bytes="max_case_body")
    def track_step(self, request, step):
        return self._tracked(request, step)

    def _tracked(self, request, step=None):
        """The complainant's case page for the number and code the form posts, after the step it asks."""
        if not csrf_ok(request):
            return self._stale_form(request)
        form = request.form
        typed = (form.get("tracking_number") or "").strip()
        number, code = web_forms.tracking_number(typed), (form.get("access_code") or "").strip()[:40]
        errors = {}
        if not typed:
            errors["tracking_number"] = [web_forms.REQUIRED]
        elif number is None:
            errors["tracking_number"] = ["รูปแบบเลขที่เรื่องไม่ถูกต้อง เช่น HUB-2570-000123"]
        if not code:
            errors["access_code"] = [web_forms.REQUIRED]
        if errors:
            return self._page(request, "track.html", 400, values=web_forms.values_of(form), errors=errors,
                              error_count=len(errors))
        try:
            row = self.db.run(counters.look_up, self.throttle, self.intake, client_address(request), number, code)
        except Refused as exc:
            return self._too_many(request, exc)
        if row is None:
            wrong = {"access_code": ["เลขที่เรื่องหรือรหัสติดตามไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง"]}
            return self._page(request, "track.html", 404, values=web_forms.values_of(form), errors=wrong,
                              error_count=1)
        message, problem, status = None, None, 200
        if step == "document":
            return self._document(row, form.get("document_id") or "")
        try:
            if step == "reply":
                self.db.run(cases.receive_web_reply, row, form.get("text") or "")
                message = "ส่งข้อความถึงเจ้าหน้าที่แล้ว"
            elif step == "rate":
                score = (form.get("score") or "").strip()
                rating = _valid(rate_schema, {"access_code": code, "score": int(score) if score.isdigit() else 0,
                                              "comment": web_forms.text(form, "comment", 1000) or None})
                self.db.run(cases.rate, row, rating["score"], rating["comment"])
                message = "ขอบคุณสำหรับการประเมิน"
            elif step == "dispute":
                message = self._dispute(request, row, number, code, form)
        except IntakeError as exc:
            problem, status = "; ".join(m for v in web_forms.field_errors(exc.errors).values() for m in v), 400
        except NotRatable as exc:
            problem, status = _not_possible_th(str(exc)), 409
        except Refused as exc:
            return self._too_many(request, exc)
        with self.db.reading() as session:
            row = cases.by_id(session, row.id)
        return self._page(request, "case.html", status, **self._complainant_view(row, number, code),
                          message=message, problem=problem)

    def _dispute(self, request, row, number, code, form):
        text = (form.get("text") or "").strip()
        if not text:
            raise IntakeError({"text": ["Missing data for required field."]})
        data = _valid(new_case_schema, {"channel": "web", "subject": f"โต้แย้งผลการดำเนินการเรื่อง {number}"[:200],
                                     "description": text[:5000],
                                     "disputes": {"tracking_number": number, "access_code": code}})
        received = self.db.run(counters.receive, data, self.intake, self.throttle, address=client_address(request))
        if received.errors:
            raise IntakeError(received.errors)
        created = received.created
        if created.get("reopened"):
            return "เปิดเรื่องอีกครั้งเพื่อตรวจสอบผลตามที่ท่านโต้แย้งแล้ว"
        return (f"รับเรื่องโต้แย้งแล้ว เลขที่เรื่อง {created['tracking_number']} "
                f"รหัสติดตาม {created['access_code']} (โปรดเก็บไว้)")

    def _complainant_view(self, row, number, code):
        timeline = self._ask(self.reporting.case_timeline, row.id)
        clocks = self._ask(self.sla.case_clocks, row.id)
        with self.db.reading() as session:
            replies, rating = cases.replies_of(session, row.id), cases.rating_of(session, row.id)
        return {"case": cases.public_view(row, timeline, clocks, replies, rating), "tracking_number": number,
                "access_code": code, "closed": row.status in ("answered", "answered_from_kb", "closed"),
                "waiting": row.status == "waiting_for_complainant"}

    def _document(self, row, document_id):
        cases.kept_here(row, document_id, site_id(self.config))
        found = call_with_timeout(self.routing.result_document, row.id, document_id, timeout=rpc_timeout(self.config))
        if found is None:
            raise NotFound("The document's file is missing at this site.")
        return file_response(base64.b64decode(found["content_base64"]), found["content_type"], found["filename"])

    def _stale_form(self, request):
        return self._page(request, "error.html", 403, title="แบบฟอร์มหมดอายุ",
                          message="แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งจากเว็บไซต์นี้ กรุณาเปิดหน้าเดิมแล้วส่งอีกครั้ง")

    def _too_many(self, request, exc):
        minutes = max(1, (int(exc.retry_after) + 59) // 60)
        return self._pages().page(request, "error.html", 429, {"Retry-After": str(exc.retry_after)},
                                  title="ส่งคำขอมากเกินไป", officer=None,
                                  message=f"มีการส่งคำขอจากที่นี่มากเกินไป กรุณาลองใหม่ในอีกประมาณ {minutes} นาที "
                                          "หรือโทรติดต่อสำนักงาน")

    # -- officers: log in and out ----------------------------------------------------------------

    @page("GET", "/login")
    def login_form(self, request):
        return self._page(request, "login.html", values={}, errors={}, error_count=0)

    @page("POST", "/login", body=FORM, max_bytes=8 * KiB)
    def login_post(self, request):
        if not csrf_ok(request):
            return self._stale_form(request)
        username, password = (request.form.get("username") or "").strip(), request.form.get("password") or ""
        errors = {name: [web_forms.REQUIRED] for name, value in (("username", username), ("password", password))
                  if not value}
        if not errors and control_character(username) is None and control_character(password) is None:
            try:
                made = self.db.run(sessions.login, self.throttle, self.intake.sealer, client_address(request),
                                   username[:128], password[:1024], request.cookies.get(SESSION_COOKIE))
            except Refused as exc:
                return self._too_many(request, exc)
            if made is not None:
                pages = self._pages()
                response = pages.new_csrf(request, pages.redirect(request, home(made["officer"]["role"])))
                response.set_cookie(SESSION_COOKIE, made["token"], httponly=True, samesite="Lax", path="/",
                                    secure=is_secure(request, self.config))
                return response
        if not errors:
            errors = {"password": ["ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"]}
        return self._page(request, "login.html", 401 if "password" in errors else 400,
                          values={"username": username}, errors=errors, error_count=len(errors))

    @page("POST", "/logout", body=FORM, max_bytes=4 * KiB)
    def logout_post(self, request):
        if not csrf_ok(request):
            return self._stale_form(request)
        officer = self._console_officer(request)
        if officer is not None:
            self.db.run(sessions.log_out, officer, request.cookies.get(SESSION_COOKIE))
        response = self._pages().redirect(request, "/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def _console_officer(self, request):
        """The officer of the session cookie (acting for the worker's calls), or None."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            actor = self.db.run(officers.actor_for, f"Bearer {token}", None, self.throttle, site_id(self.config))
        except NotAuthenticated:
            return None
        self.acting.act_as(actor)
        return actor

    def _console(self, request, allowed=None):
        """(officer, None), or (None, the page instead): to the login without a session, 403 for a role
        `allowed(role)` says no to."""
        officer = self._console_officer(request)
        if officer is None:
            return None, self._pages().redirect(request, "/login")
        if allowed is not None and not allowed(officer.role):
            return None, self._page(request, "error.html", 403, officer=officer, title="ไม่มีสิทธิ์",
                                    message=f"บทบาทของท่าน ({_role_th(officer.role)}) ไม่มีหน้านี้")
        return officer, None

    # -- the console ---------------------------------------------------------------------------

    @page("GET", "/officer/")
    def console_queue(self, request):
        officer, away = self._console(request, works_cases)
        if away:
            return away
        filters = worklists.Filters.from_args(request.args)
        left = self._days_left()
        assigned = (self._ask(self.routing.units_cases, list(officer.units)) or []) if officer.units else []
        with self.db.reading() as session:
            items = worklists.queue(session, officer, filters, left or {}, assigned)
        return self._page(request, "queue.html", officer=officer, items=items, filters=request.args,
                          counted=left is not None)

    @page("GET", "/officer/triage")
    def console_triage(self, request):
        officer, away = self._console(request, works_cases)
        if away:
            return away
        directory = self._ask(self.routing.directory) or {}
        with self.db.reading() as session:
            rows = worklists.triage(session, officer, worklists.Filters.from_args(request.args),
                                    directory.get("triage_unit") or "")
        return self._page(request, "list.html", officer=officer, rows=rows, filters=request.args,
                          title="เรื่องรอคัดแยก", searching=False)

    @page("GET", "/officer/search")
    def console_search(self, request):
        officer, away = self._console(request, works_cases)
        if away:
            return away
        asked = any((request.args.get(k) or "").strip() for k in ("q", "from", "to", "status", "channel", "kind"))
        rows = []
        if asked:
            with self.db.reading() as session:
                rows = worklists.search(session, officer, worklists.Filters.from_args(request.args))
        return self._page(request, "list.html", officer=officer, rows=rows, filters=request.args,
                          title="ค้นหาเรื่อง", searching=True, asked=asked)

    @page("GET", "/officer/cases/<tracking_number>")
    def console_case(self, request, tracking_number):
        officer, away = self._console(request)
        if away:
            return away
        return self._officer_case_page(request, officer, tracking_number, message=_done(request.args.get("done")))

    @page("POST", "/officer/cases/<tracking_number>/<any(" + ",".join(f'"{a}"' for a in CONSOLE_ACTIONS)
          + ",reveal):action>", body=FORM, max_bytes="max_case_body")
    def console_action(self, request, tracking_number, action):
        officer, away = self._console(request)
        if away:
            return away
        if not csrf_ok(request):
            return self._stale_form(request)
        row, facts, denied = self._readable_case(request, officer, tracking_number)
        if denied:
            return denied
        if action == "reveal":
            return self._reveal(request, officer, row, facts)
        routing_action, policy_action = CONSOLE_ACTIONS[action]
        again = self._case_page_again(request, officer, row, facts)
        if facts.decide(officer, policy_action) != ALLOW:
            self.db.run(officers.record, officer, policy_action, "denied", row.id)
            return again(403, problem=f"บทบาทของท่าน ({_role_th(officer.role)}) "
                                      f"ไม่มีสิทธิ์{_action_th(action)}ในเรื่องนี้")
        try:
            method, args, kwargs = routing_call(routing_action, _action_body(action, request.form, request.files))
            call_with_timeout(getattr(self.routing, method), row.id, *args, timeout=rpc_timeout(self.config),
                              **kwargs)
        except InvalidRequest as exc:
            return again(400, problem="กรุณากรอกข้อมูลให้ครบ: " + "; ".join(_field_th(k) for k in exc.errors))
        except RpcTimeout:
            return again(503, problem="ระบบส่งเรื่องไม่ตอบในเวลาที่กำหนด กรุณาลองใหม่")
        except Exception as exc:  # what routing refuses: said as the JSON API says it, in Thai where known
            refused = refusal_for(exc)
            if refused is None:
                raise
            return again(refused.status, problem=f"{REFUSED_TH}: {refused.message or ''}".rstrip(": "))
        return self._pages().redirect(request, f"/officer/cases/{row.tracking_number}?done={action}")

    def _case_page_again(self, request, officer, row, facts):
        """The case page after an action that did not go (its read already on record): again(status, ...)."""
        return lambda status, **said: self._officer_case_page(request, officer, row.tracking_number, status=status,
                                                             known=(row, facts), **said)

    def _reveal(self, request, officer, row, facts):
        again = self._case_page_again(request, officer, row, facts)
        try:
            outcome = self.db.run(identity_access.ask, officer, facts, web_forms.text(request.form, "reason", 2000),
                                  self.intake.sealer, self.throttle.approval_valid)
        except IntakeError as exc:
            return again(400, problem="; ".join(m for v in web_forms.field_errors(exc.errors).values() for m in v))
        if outcome.state == "denied":
            return again(403, problem=f"ไม่สามารถดูข้อมูลผู้ร้องได้: {outcome.message}")
        if outcome.state == "shown":
            return again(200, identity=outcome.identity)
        return again(202, message="ส่งคำขอดูข้อมูลผู้ร้องแล้ว รอหัวหน้าหน่วยงาน ผู้อำนวยการ หรือคณะกรรมการอนุมัติ")

    @page("GET", "/officer/cases/<tracking_number>/documents/<document_id>")
    def console_document(self, request, tracking_number, document_id):
        """A result document, for an officer who may read the case (the read on record)."""
        return self._case_file(request, tracking_number, lambda officer, row: self._document(row, document_id))

    @page("GET", "/officer/cases/<tracking_number>/attachments/<attachment_id>")
    def console_attachment(self, request, tracking_number, attachment_id):
        """A file the complaint came with, for an officer who may read the case (the read on record)."""
        def attachment(officer, row):
            with self.db.reading() as session:
                found = cases.attachment_of(session, row.id, attachment_id)
            if found is None:
                return self._page(request, "error.html", 404, officer=officer, title="ไม่พบไฟล์",
                                  message="ไม่พบไฟล์แนบนี้ในเรื่อง")
            return file_response(self.intake.files.get(found.sha256), found.content_type, found.filename)
        return self._case_file(request, tracking_number, attachment)

    def _case_file(self, request, tracking_number, send):
        officer, away = self._console(request)
        if away:
            return away
        row, _facts, denied = self._readable_case(request, officer, tracking_number)
        return denied or send(officer, row)

    def _readable_case(self, request, officer, tracking_number):
        """(row, facts, None) for a case the officer may read (the read on record), else (None, None, a page)."""
        number = web_forms.tracking_number(tracking_number)
        with self.db.reading() as session:
            row = cases.by_tracking_number(session, number) if number else None
        if row is None:
            return None, None, self._page(request, "error.html", 404, officer=officer, title="ไม่พบเรื่อง",
                                          message="ไม่พบเรื่องตามเลขที่นี้")
        facts = self._facts(officer, row)
        allowed = facts.decide(officer, "read_case") == ALLOW
        self.db.run(officers.record, officer, "read_case", "allowed" if allowed else "denied", row.id)
        if not allowed:
            return None, None, self._page(
                request, "error.html", 403, officer=officer, title="ไม่มีสิทธิ์เข้าถึงเรื่องนี้",
                message=f"เรื่องนี้ไม่อยู่ในความรับผิดชอบของหน่วยงานของท่าน บทบาทของท่าน ({_role_th(officer.role)}) "
                        "จึงไม่มีสิทธิ์เปิดดู การเข้าถึงครั้งนี้ถูกบันทึกไว้แล้ว")
        return row, facts, None

    def _officer_case_page(self, request, officer, tracking_number, status=200, message=None, problem=None,
                           identity=None, known=None):
        """The case page; `known`: the (row, facts) of a case this request has already read (on record once)."""
        row, facts, denied = known + (None,) if known else self._readable_case(request, officer, tracking_number)
        if denied:
            return denied
        timeline = self._ask(self.reporting.case_timeline, row.id)
        clocks = self._ask(self.sla.case_clocks, row.id)
        units = self._ask(self.routing.case_units, row.id) or {"units": []}
        directory = self._ask(self.routing.directory) or {}
        with self.db.reading() as session:
            replies, rating = cases.replies_of(session, row.id), cases.rating_of(session, row.id)
            files = cases.attachments_of(session, row.id)
        allowed = {name for name, (_r, action) in CONSOLE_ACTIONS.items() if facts.decide(officer, action) == ALLOW}
        if facts.decide(officer, "reveal_identity") != DENY:
            allowed.add("reveal")
        names = unit_names(directory)
        return self._page(request, "officer_case.html", status, officer=officer, row=row,
                          max_upload_mb=HttpSettings.from_config(self.config).max_case_body // MiB,
                          case=cases.public_view(row, timeline, clocks, replies, rating), units=units["units"],
                          unit_names=names, sites=directory.get("sites") or {}, allowed=allowed,
                          attachments=files, reference=cases.channel_ref_of(row), message=message,
                          problem=problem, identity=identity)

    # -- the intake screen ------------------------------------------------------------------------

    @page("GET", "/officer/record")
    def console_record_form(self, request):
        officer, away = self._console(request)
        if away:
            return away
        return self._record_page(request, officer, {}, {}, 200 if officer.decide("record_case") == ALLOW else 403)

    @page("POST", "/officer/record", body=FORM, max_bytes="max_case_body")
    def console_record(self, request):
        officer, away = self._console(request)
        if away:
            return away
        if not csrf_ok(request):
            return self._stale_form(request)
        body, errors = web_forms.officer_record(request.form, request.files)
        data = self._loaded(body, errors)
        if "_errors" in data:
            return self._record_page(request, officer, request.form, data["_errors"], 400)
        try:
            created = self.db.run(officers.record_case, officer, data, self.intake)
        except IntakeError as exc:
            found = web_forms.field_errors(exc.errors, web_forms.FORM_FIELDS + web_forms.OFFICER_FIELDS)
            return self._record_page(request, officer, request.form, found, 400)
        if created is None:
            return self._record_page(request, officer, request.form, {}, 403)
        return self._page(request, "received.html", 201, officer=officer, created=created, recorded_by_officer=True)

    def _record_page(self, request, officer, form, errors, status):
        return self._page(request, "record.html", status, officer=officer, channels=web_forms.OFFICER_CHANNELS,
                          denied=status == 403, **self._form_values(form, errors))

    def _days_left(self):
        """{case_id: business days left} of the open clocks, as sla counts them; None if sla does not answer."""
        given = self._ask(self.sla.open_clocks_by_unit)
        if given is None:
            return None
        left = {}
        for entries in (given.get("units") or {}).values():
            for entry in entries:  # a paused clock (waiting for the complainant), another site's answer: grey
                if entry["state"] == "paused" or entry["target"] != "resolution":
                    continue
                days = entry["business_days_left"]
                left[entry["case_id"]] = min(days, left.get(entry["case_id"], days))
        return left


def _valid(schema, body):
    """The body as `schema` loads it; its errors as IntakeError's (said in Thai by the page)."""
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise IntakeError(exc.messages) from None


def _action_body(action, form, files):
    """The JSON API's body of a console action from its form."""
    text = {k: (form.get(k) or "").strip() for k in ("unit_id", "reason", "question", "status", "note", "to_site",
                                                     "answer")}
    body = {k: v for k, v in text.items() if v}
    if action == "note":
        body["status"] = "in_progress"
    if action == "change-kind":
        kind = (form.get("kind") or "").strip()
        body["kind"] = int(kind) if kind in ("1", "2", "3", "4") else None
    if action == "assign-units":
        body["unit_ids"] = [u for u in form.getlist("unit_ids") if u.strip()]
    if action == "answer":
        documents = web_forms.uploads_of(files, "documents")
        if documents:
            body["documents"] = documents
    return body


ROLE_TH = {
    "intake_officer": "เจ้าหน้าที่รับเรื่อง",
    "unit_officer": "เจ้าหน้าที่หน่วยงาน",
    "unit_head": "หัวหน้าหน่วยงาน",
    "director": "ผู้อำนวยการ",
    "committee": "คณะกรรมการ",
    "executive": "ผู้บริหาร",
    "admin": "ผู้ดูแลระบบ",
}
ACTION_TH = {
    "confirm": "ยืนยันหน่วยงาน",
    "reroute": "ส่งเรื่องให้หน่วยงานอื่น",
    "change-kind": "เปลี่ยนประเภทเรื่อง",
    "request-info": "ขอข้อมูลเพิ่มเติม",
    "info-received": "บันทึกการได้รับข้อมูล",
    "note": "บันทึกความคืบหน้า",
    "unit-status": "บันทึกสถานะหน่วยงาน",
    "assign-units": "มอบหมายหน่วยงานเพิ่ม",
    "forward": "ส่งต่อหน่วยงานอื่น",
    "answer": "แจ้งผลการดำเนินการ",
}
FIELD_TH = {
    "unit_id": "หน่วยงาน",
    "reason": "เหตุผล",
    "question": "คำถามถึงผู้ร้อง",
    "status": "สถานะ",
    "note": "บันทึก",
    "to_site": "หน่วยงานปลายทาง",
    "answer": "ผลการดำเนินการ",
    "kind": "ประเภทเรื่อง",
    "unit_ids": "หน่วยงาน",
    "documents": "เอกสาร",
}


def _role_th(role):
    return ROLE_TH.get(role, role)


def _action_th(action):
    return ACTION_TH.get(action, action)


def _field_th(field):
    return FIELD_TH.get(field, field)


def _done(action):
    return DONE_TH.get(action or "")


def _not_possible_th(message):
    if "closed" in message:
        return "เรื่องนี้ปิดแล้ว หากไม่พอใจผลการดำเนินการ โปรดแจ้งโต้แย้งด้านล่าง"
    if "not answered" in message:
        return "ประเมินได้เมื่อเรื่องได้รับการแจ้งผลแล้ว"
    if "rated already" in message:
        return "ท่านประเมินเรื่องนี้แล้ว"
    return REFUSED_TH

