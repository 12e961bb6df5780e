"""intake: the case record and the public front door (JSON API, Open311 GeoReport v2).

Each endpoint decodes, calls a use case and encodes; what it refuses it raises, and shared/web.py
answers it as declared below (in JSON, in Open311's format, or as the LINE webhook words it).
"""
import base64
import logging

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from werkzeug.wrappers import Response

from services.intake import (apikeys, cases, counters, identity_access, line, mailbox_poll, officers, open311,
                            openapi, sessions)
from services.intake import status as case_status
from services.intake.dependencies import Intake, Throttling
from services.intake.exceptions import (IntakeError, KeyNotValid, LineError, LoginFailed, NotAuthenticated, NotFound,
                                       NotRatable, Open311Error, ReferralError, Refused)
from services.intake.imap import ImapSettings
from services.intake.mailbox import named_cases
from services.intake.portal import PortalPages
from services.intake.portal_admin import AdminPages
from services.intake.routing_actions import ACTIONS_PATTERN, routing_call
from services.intake.schemas import LoginSchema, LookupSchema, NewCaseSchema, RateRequestSchema
from services.routing.exceptions import DocumentRefused, KnowledgeError, RoutingError
from services.sla.exceptions import CalendarError
from shared.actors import ActingOfficer, Forbidden
from shared.config import setting, site_id
from shared.policy import ALLOW
from shared.delivery import Unprocessable, event_handler, site_event_handler
from shared.health import Health
from shared.metrics import Metrics
from shared.rpc import RpcTimeout, call_with_timeout, rpc, rpc_timeout
from shared.store import Database
from shared.timers import configured_timer
from shared.times import utcnow
from shared.web import (JSON, FORM, JSON_OR_FORM, KiB, InvalidRequest, Refusal, client_address, file_response, http,
                        json_response, load_or_400, parse_json, public_url, read_json_object, refusal, remote_refusal)

log = logging.getLogger(__name__)
new_case_schema = NewCaseSchema()
lookup_schema = LookupSchema()
rate_schema = RateRequestSchema()
login_schema = LoginSchema()
NOT_FOUND = {"error": "not_found", "message": "No case with that tracking number and access code."}
FORBIDDEN = {"error": "forbidden", "message": "The API key is not valid for this."}
OPEN311 = "/open311/v2"
FMT = "<any(json,xml):fmt>"

# What intake refuses, and how (shared/web.py also answers InvalidRequest with 400 or 413 and its
# field errors, and RpcTimeout with 503).
refusal(IntakeError, lambda exc: Refusal(400, "invalid_request", errors=exc.errors))
refusal(Refused, lambda exc: Refusal(429, "too_many_requests", exc.message,  # past a limit (throttle.py)
                                     headers=(("Retry-After", str(exc.retry_after)),)))
refusal(NotFound, lambda exc: Refusal(404, "not_found", str(exc)))
refusal(NotRatable, lambda exc: Refusal(409, "not_possible", str(exc)))
refusal(KeyNotValid, lambda exc: Refusal(403, "forbidden", FORBIDDEN["message"]))
refusal(Forbidden, lambda exc: Refusal(403, "forbidden", str(exc)))  # the policy denies it (on record)
refusal(NotAuthenticated, lambda exc: Refusal(401, "unauthorized", str(exc),
                                              headers=(("WWW-Authenticate", 'Bearer realm="rongtuk"'),)))
refusal(LoginFailed, lambda exc: Refusal(401, "unauthorized", "The username or password is wrong."))
refusal(LineError, lambda exc: Refusal(400, "invalid_request", str(exc)))
refusal(Open311Error, lambda exc: Refusal(exc.code, "open311", exc.description, headers=(
    (("Retry-After", str(exc.retry_after)),) if exc.retry_after else ())))
remote_refusal(RoutingError, 409, "not_possible")  # an officer's routing action routing refuses
remote_refusal(DocumentRefused, 400, "invalid_request")  # a result document routing will not take
remote_refusal(Forbidden, 403, "forbidden")  # an officer's action the policy denies (routing's record says so)
remote_refusal(KnowledgeError, 400, "invalid_request")  # a knowledge-base entry routing will not take (the portal)
remote_refusal(CalendarError, 400, "invalid_request")  # a calendar day sla will not take (the portal)


def open311_refusal(refused, path_values):
    """A refusal in the spec's error format: of a body the server refused before the endpoint ran (too
    large, too slow, wrong type), or of the endpoint's own (field errors said on one line)."""
    message = refused.message
    if message is None:
        message = "; ".join(f"{k}: {v}" for k, v in refused.errors.items())
    body, content_type = open311.error_body([Open311Error(refused.status, message)], path_values.get("fmt", "json"))
    return Response(body, status=refused.status, content_type=content_type, headers=list(refused.headers))


def line_refusal(refused, _path_values):
    """A refusal as the LINE webhook words it: a message, never field errors."""
    message = refused.message
    if message is None:
        message = "; ".join(said for saying in refused.errors.values() for said in saying)
    return json_response(refused.status, {"error": refused.error, "message": message}, headers=list(refused.headers))


def open311_answer(payload, shape, fmt, status=200):
    body, content_type = open311.render(payload, shape, fmt)
    return Response(body, status=status, content_type=content_type)


class IntakeService(PortalPages, AdminPages):
    """The JSON API, Open311, the channels' webhooks and RPCs here; the portal's pages in portal.py and
    portal_admin.py."""

    name = "intake"

    db = Database()
    metrics = Metrics()
    health = Health()
    config = Config()
    intake = Intake()
    throttle = Throttling()  # the limits; counted in the database by services/intake/counters.py
    reporting = RpcProxy("reporting")
    sla = RpcProxy("sla")
    routing = RpcProxy("routing")
    notify = RpcProxy("notify")
    acting = ActingOfficer()  # the officer a request comes from, carried into every RPC it makes

    # -- the JSON API ---------------------------------------------------------------------------

    @http("POST", "/api/v1/cases", body=JSON, max_bytes="max_case_body")
    def create_case(self, request):
        officer = self._actor(request)
        data = load_or_400(new_case_schema, read_json_object(request))
        if officer:  # calls, counters and letters an officer records: never limited, on record as theirs
            created = self.db.run(officers.record_case, officer, data, self.intake)
            if created is None:  # the denial is on record
                raise Forbidden("Your role does not record complaints.")
        else:  # counted per address; a dispute's access code counted as any look-up
            received = self.db.run(counters.receive, data, self.intake, self.throttle,
                                   address=client_address(request))
            if received.errors:
                raise InvalidRequest(received.errors)
            created = received.created
        return json_response(201, created, headers={"Location": f"/api/v1/cases/{created['tracking_number']}"})

    # -- officers' sessions ---------------------------------------------------------------------

    @http("POST", "/api/v1/session", body=JSON, max_bytes=4 * KiB)
    def log_in(self, request):
        """{username, password} -> a new session's bearer token (services/intake/sessions.py). A wrong
        username and a wrong password answer alike; failed logins are limited per address and account."""
        data = load_or_400(login_schema, read_json_object(request))
        replaces = request.headers.get("Authorization", "").partition(" ")[2].strip() or None
        made = self.db.run(sessions.login, self.throttle, self.intake.sealer, client_address(request),
                           data["username"], data["password"], replaces)
        if made is None:
            raise LoginFailed()
        return json_response(201, made, headers={"Cache-Control": "no-store"})

    @http("GET", "/api/v1/session")
    def session_info(self, request):
        """Who the bearer token's session is (a token that has ended: 401)."""
        actor = self._officer(request)
        return json_response(200, {"username": actor.name, "role": actor.role, "units": list(actor.units),
                                   "site_id": actor.site_id, "kind": actor.kind})

    @http("DELETE", "/api/v1/session")
    def log_out(self, request):
        """End the bearer token's session."""
        token = request.headers.get("Authorization", "").partition(" ")[2].strip()
        actor = self._officer(request)
        self.db.run(sessions.log_out, actor, token)
        return Response(status=204)

    @http("GET", "/api/v1/cases/<tracking_number>")
    def get_case(self, request, tracking_number):
        """The case page: for its complainant with the access code (X-Access-Code, or the query's
        access_code), or for an officer's key (confidential cases too); the same view either way,
        never the complainant's identity."""
        code = request.headers.get("X-Access-Code") or request.args.get("access_code", "")
        return self._case_page(request, tracking_number, code)

    @http("POST", "/api/v1/cases/<tracking_number>/lookup", body=JSON, max_bytes=4 * KiB)
    def lookup_case(self, request, tracking_number):
        """The case page, the access code in the body ({"access_code"}): nowhere a URL is logged."""
        body = read_json_object(request) if request.content_length else {}
        code = load_or_400(lookup_schema, body)["access_code"]
        if not code and not request.headers.get("X-Api-Key") and not request.headers.get("Authorization"):
            raise InvalidRequest({"access_code": ["Missing data for required field."]})
        return self._case_page(request, tracking_number, code)

    def _case_page(self, request, tracking_number, access_code):
        row = self._case_for(request, tracking_number, access_code)
        timeline = self._ask(self.reporting.case_timeline, row.id)
        clocks = self._ask(self.sla.case_clocks, row.id)
        with self.db.reading() as session:
            replies, rating = cases.replies_of(session, row.id), cases.rating_of(session, row.id)
        return json_response(200, cases.public_view(row, timeline, clocks, replies, rating))

    @http("POST", "/api/v1/cases/<tracking_number>/rating", body=JSON, max_bytes=8 * KiB)
    def rate_case(self, request, tracking_number):
        """The complainant rates how their answered case was handled ({access_code, score 1-5,
        comment}): once. The code is checked and counted as any look-up's."""
        data = load_or_400(rate_schema, read_json_object(request))
        row = self.db.run(counters.look_up, self.throttle, self.intake, client_address(request),
                          tracking_number, data["access_code"])
        if row is None:
            raise NotFound(NOT_FOUND["message"])
        return json_response(201, self.db.run(cases.rate, row, data["score"], data["comment"]))

    def _case_for(self, request, tracking_number, access_code):
        """The case's row for an officer the policy lets read it, or its complainant's access code;
        Forbidden or KeyNotValid for an officer who may not, NotFound for an unknown number or a
        wrong code (alike)."""
        officer = self._actor(request)
        if officer:
            # An officer holds a key, not a guess: their look-ups neither wait for nor feed the throttle
            # on wrong access codes, which would otherwise lock out a whole office behind one address.
            row = self._officers_case(tracking_number)
            facts = self._facts(officer, row)
            allowed = facts.decide(officer, "read_case") == ALLOW
            self.db.run(officers.record, officer, "read_case", "allowed" if allowed else "denied", row.id)
            if not allowed:
                raise Forbidden("Your role may not read this case.")
            return row
        # counted per address, per number and per both; refused before the code is checked
        row = self.db.run(counters.look_up, self.throttle, self.intake, client_address(request),
                          tracking_number, access_code)
        if row is None:  # a wrong code and an unknown number look the same
            raise NotFound(NOT_FOUND["message"])
        return row

    @http("POST", "/api/v1/cases/<tracking_number>/complainant", body=JSON, max_bytes=16 * KiB)
    def reveal_complainant(self, request, tracking_number):
        """Who complained, for a reason of a few words ({"reason"}): shown (200) when the policy allows;
        for a confidential case, a request (202) until a second person approves it; every request,
        view and denial on the audit log (services/intake/identity_access.py)."""
        officer = self._officer(request)
        row = self._officers_case(tracking_number)
        body = read_json_object(request)
        reason = str(body.get("reason") or body.get("purpose") or "")  # "purpose": the name of earlier versions
        outcome = self.db.run(identity_access.ask, officer, self._facts(officer, row), reason,
                              self.intake.sealer, self.throttle.approval_valid)
        return self._outcome(outcome)

    @http("GET", "/api/v1/identity-requests")
    def identity_requests(self, request):
        """The requests to see a confidential complainant that wait for this officer's approval."""
        return json_response(200, {"requests": self._requests_waiting_for(self._officer(request))})

    @http("POST", "/api/v1/identity-requests/<request_id>/<any(approve,refuse):decision>", body=JSON,
          max_bytes=16 * KiB)
    def decide_identity_request(self, request, request_id, decision):
        """A second person approves or refuses a request ({"note"} optional)."""
        officer = self._officer(request)
        body = read_json_object(request) if request.content_length else {}
        with self.db.reading() as session:
            row = cases.by_id(session, identity_access.request_case(session, request_id))
        outcome = self.db.run(identity_access.decide, officer, self._facts(officer, row), request_id,
                              decision == "approve", str(body.get("note") or "")[:2000])
        return self._outcome(outcome)

    def _outcome(self, outcome):
        if outcome.state == "denied":  # on record (committed); nothing shown
            raise Forbidden(outcome.message)
        if outcome.state == "shown":
            return json_response(200, outcome.identity, headers={"Cache-Control": "no-store"})
        if outcome.state == "requested":
            return json_response(202, {"status": "waiting_for_approval", "request": outcome.request,
                                       "message": "A unit head, director or the committee must approve first."})
        return json_response(200, outcome.request)

    @http("POST", f"/api/v1/cases/<tracking_number>/routing/<{ACTIONS_PATTERN}:action>", body=JSON)
    def routing_action(self, request, tracking_number, action):
        """Officers' routing actions (routing carries them out): see services/intake/routing_actions.py."""
        return self._routing_action(request, tracking_number, action)

    @http("POST", "/api/v1/cases/<tracking_number>/routing/answer", body=JSON, max_bytes="max_case_body")
    def answer_case(self, request, tracking_number):
        """The answer, with its result documents (base64 in the body, as a case's attachments)."""
        return self._routing_action(request, tracking_number, "answer")

    @http("GET", "/api/v1/cases/<tracking_number>/documents/<document_id>")
    def result_document(self, request, tracking_number, document_id):
        """A document the case's result came with: for an officer's key, or for the complainant with
        the access code (X-Access-Code), counted as any look-up."""
        row = self._case_for(request, tracking_number, request.headers.get("X-Access-Code", ""))
        cases.kept_here(row, document_id, site_id(self.config))
        found = call_with_timeout(self.routing.result_document, row.id, document_id, timeout=rpc_timeout(self.config))
        if found is None:
            raise NotFound("The document's file is missing at this site.")
        return file_response(base64.b64decode(found["content_base64"]), found["content_type"], found["filename"])

    def _routing_action(self, request, tracking_number, action):
        """routing carries the action out as the acting officer, and its policy decides (a 403 it gives is
        on its record)."""
        self._officer(request)
        row = self._officers_case(tracking_number)
        body = read_json_object(request) if request.content_length else {}
        method, args, kwargs = routing_call(action, body)
        result = call_with_timeout(getattr(self.routing, method), row.id, *args,
                                   timeout=rpc_timeout(self.config), **kwargs)
        return json_response(200, result)

    @http("POST", "/webhooks/line", body=JSON, max_bytes="max_line_body", refuse=line_refusal)
    def line_webhook(self, request):
        """LINE Messaging API: only correctly signed bodies are read (the server bounds their size before
        the signature is checked); each text message becomes a case, unless it is the complainant's
        reply to a case of theirs (cases.receive_line_reply)."""
        secret = setting(self.config, "LINE", "channel_secret", "")
        if not secret:
            return json_response(404, {"error": "not_found", "message": "The LINE channel is not configured."})
        body = request.get_data(cache=False)
        if not line.verify(secret, body, request.headers.get("X-Line-Signature")):
            return json_response(401, {"error": "unauthorized", "message": "Bad X-Line-Signature."})
        messages = line.complaints(parse_json(body))
        created = []
        for external_id, data in messages:
            user_id, text = data["complainant"]["line_user_id"], data["description"]
            reply = self.db.run(cases.receive_line_reply, external_id, user_id, text, named_cases(text),
                                self.intake.sealer)
            if reply is not None:  # their answer to a case of theirs: kept with it, no new case
                continue
            try:
                result = self.db.run(cases.receive_inbound, "line", external_id, data, self.intake)
            except IntakeError as exc:
                log.warning("a LINE message could not become a case: %s", list(exc.errors))
                continue
            if result:
                created.append(result["tracking_number"])
        return json_response(200, {"created": created})

    @http("POST", "/webhooks/sms/<token>", body=JSON_OR_FORM, max_bytes=16 * KiB)
    def sms_report(self, request, token):
        """An SMS gateway's delivery report (form or JSON), handed to notify, which keeps the delivery
        log: the token is SMS.report_token (404 otherwise, and without one)."""
        if request.mimetype == "application/json":
            body = read_json_object(request)
        else:
            body = request.form.to_dict()
        status, answer = call_with_timeout(self.notify.sms_report, token, body, timeout=rpc_timeout(self.config))
        return json_response(status, answer)

    @http("GET", "/api/v1/openapi.json")
    def openapi(self, request):
        return json_response(200, openapi.document(public_url(self.config)))

    # -- Open311 GeoReport v2 -------------------------------------------------------------------

    @http("GET", f"{OPEN311}/discovery.{FMT}", answer_refusal=open311_refusal)
    def open311_discovery(self, request, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        discovery = open311.discovery(public_url(self.config), f"Rongtuk {site_id(self.config)}")
        return open311_answer(discovery, "discovery", fmt)

    @http("GET", f"{OPEN311}/services.{FMT}", answer_refusal=open311_refusal)
    def open311_services(self, request, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        return open311_answer(open311.service_list(self.intake.catalogue), "services", fmt)

    @http("GET", f"{OPEN311}/services/<service_code>.{FMT}", answer_refusal=open311_refusal)
    def open311_service_definition(self, request, service_code, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        definition = open311.service_definition(self.intake.catalogue, service_code)
        return open311_answer(definition, "service_definition", fmt)

    @http("POST", f"{OPEN311}/requests.{FMT}", body=FORM, max_bytes="max_form_body", refuse=open311_refusal)
    def open311_post_request(self, request, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        client = self._caller(request, ("client", "officer"), key=request.form.get("api_key"))
        if not client:
            raise Open311Error(403, "api_key is missing or not valid")
        data = open311.request_to_case(request.form, self.intake.catalogue, client["name"])
        if client["role"] == "officer":  # a script's officer key: recorded as its, on the audit log
            created = self.db.run(officers.record_case, officers.key_actor(client, site_id(self.config)), data,
                                  self.intake)
        else:  # a client app's key: counted per key
            created = self.db.run(counters.receive, data, self.intake, self.throttle,
                                  client_key_id=client["id"]).created
        receipt = open311.created(created["tracking_number"], created["access_code"], created["case_id"])
        return open311_answer(receipt, "service_requests", fmt, status=201)

    @http("GET", f"{OPEN311}/requests.{FMT}", answer_refusal=open311_refusal)
    def open311_requests(self, request, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        with self.db.reading() as session:
            rows = cases.public_requests(session, open311.query(request.args, utcnow()))
        return open311_answer([self._request_view(row) for row in rows], "service_requests", fmt)

    @http("GET", f"{OPEN311}/requests/<request_id>.{FMT}", answer_refusal=open311_refusal)
    def open311_request(self, request, request_id, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        with self.db.reading() as session:
            row = cases.public_request(session, tracking_number=request_id)
        if row is None:
            raise Open311Error(404, f"service_request_id {request_id} not found")
        return open311_answer([self._request_view(row)], "service_requests", fmt)

    @http("GET", f"{OPEN311}/tokens/<token>.{FMT}", answer_refusal=open311_refusal)
    def open311_token(self, request, token, fmt):
        open311.check_jurisdiction(request.values.get("jurisdiction_id"), site_id(self.config))
        with self.db.reading() as session:
            row = cases.public_request(session, case_id=token)
        if row is None:
            raise Open311Error(404, f"token {token} not found")
        return open311_answer(open311.token_view(token, row.tracking_number), "service_requests", fmt)

    # -- the e-mail channel ---------------------------------------------------------------------

    @configured_timer("MAILBOX", "poll_interval", default=30, eager=True)
    def poll_mailbox(self):
        """New messages in the MAILBOX folder become cases, once each; off while MAILBOX.host is empty."""
        settings = ImapSettings.from_config(self.config)
        if settings is not None:
            mailbox_poll.poll_mailbox(self.db, self.intake, settings)

    @configured_timer("INTAKE", "forget_interval", default=300)
    def forget_old_counts(self):
        """The limits' counts whose window has ended are deleted."""
        self.db.run(counters.forget_old)

    # -- events and RPC -------------------------------------------------------------------------

    @event_handler("routing", "case_routed")
    def on_case_routed(self, event):
        self.db.handle(event, cases.record_routing)

    @event_handler("routing", "case_rerouted")
    def on_case_rerouted(self, event):
        self.db.handle(event, cases.record_routing)

    @event_handler("routing", "case_kind_changed")
    def on_case_kind_changed(self, event):
        self.db.handle(event, cases.record_kind)

    @event_handler("routing", "case_info_requested")
    def on_case_info_requested(self, event):
        self.db.handle(event, cases.record_status, case_status.WAITING_FOR_COMPLAINANT)

    @event_handler("routing", "case_info_received")
    def on_case_info_received(self, event):
        self.db.handle(event, cases.record_status, case_status.ROUTED)

    @event_handler("routing", "case_answered_from_kb")
    def on_case_answered_from_kb(self, event):
        self.db.handle(event, cases.record_status, case_status.ANSWERED_FROM_KB)

    @event_handler("routing", "case_forwarded")
    def on_case_forwarded(self, event):
        self.db.handle(event, cases.record_forward)

    @event_handler("routing", "case_answered")
    def on_case_answered(self, event):
        self.db.handle(event, cases.record_answer)

    @site_event_handler("routing", "case_forwarded")
    def receive_referral(self, event):
        """A case another site forwarded here becomes a case of this site (channel: referral)."""
        try:
            self.db.handle(event, cases.receive_referral, self.intake)
        except ReferralError as exc:
            raise Unprocessable(str(exc)) from exc

    @event_handler("sla", "sla_clock_started")
    def on_sla_clock_started(self, event):
        self.db.handle(event, cases.record_deadline)

    @event_handler("sla", "sla_deadline_changed")
    def on_sla_deadline_changed(self, event):
        self.db.handle(event, cases.record_deadline)

    @rpc
    def contact_for_notice(self, case_id, delivery_id=None, purpose=None):
        return self.db.run(cases.contact_for_notice, case_id, self.intake.sealer, delivery_id, purpose)

    @rpc
    def tracking_number(self, case_id):
        """The case's tracking number, or None: how notify names a case an SLA event is about."""
        with self.db.reading() as session:
            return cases.tracking_number_of(session, case_id)

    @rpc
    def tracking_numbers(self, case_ids):
        """{case id: tracking number} of those cases that are here (notify's daily digest)."""
        with self.db.reading() as session:
            return cases.tracking_numbers_of(session, list(case_ids or ())[:20000])

    @rpc(expected_exceptions=IntakeError)
    def forward_record(self, case_id, to_site, with_identity):
        return self.db.run(cases.forward_record, case_id, to_site, with_identity, self.intake.sealer)

    @rpc
    def authorize(self, authorization, api_key, action):
        """Whether the officer of a request another service took (reporting's) may do a site-wide
        action: {"status": 200 | 401 | 403, "message", "officer", "role"}; on the audit log either way."""
        try:
            officer = self.db.run(officers.actor_for, authorization, api_key, self.throttle, site_id(self.config))
        except (NotAuthenticated, KeyNotValid) as exc:
            return {"status": 401 if isinstance(exc, NotAuthenticated) else 403,
                    "message": str(exc) if isinstance(exc, NotAuthenticated) else FORBIDDEN["message"]}
        if officer is None:
            return {"status": 401, "message": officers.LOG_IN}
        if not self.db.run(officers.site_action, officer, action):
            return {"status": 403, "message": "Your role may not do this.", "officer": officer.name,
                    "role": officer.role}
        return {"status": 200, "officer": officer.name, "role": officer.role}

    @rpc(expected_exceptions=(IntakeError, Forbidden, NotFound))
    def reveal_identity(self, case_id, reason):
        """Who complained, for the acting officer (the call's context) as the API's POST .../complainant:
        {"state": shown | requested, "identity" or "request"}; Forbidden (on record) if denied."""
        officer = self.acting.required()
        with self.db.reading() as session:
            row = cases.by_id(session, case_id)
        if row is None:
            raise NotFound("No such case.")
        outcome = self.db.run(identity_access.ask, officer, self._facts(officer, row), reason,
                              self.intake.sealer, self.throttle.approval_valid)
        if outcome.state == "denied":
            raise Forbidden(outcome.message)
        return {"state": outcome.state, "identity": outcome.identity, "request": outcome.request}

    # -- helpers (decoding and encoding only) ---------------------------------------------------

    def _caller(self, request, roles, key=None):
        """The API key's holder; None when no key was given; False when one was given but is not valid."""
        key = key if key is not None else request.headers.get("X-Api-Key")
        if not key:
            return None
        with self.db.reading() as session:
            return apikeys.authenticate(session, key, roles) or False

    def _actor(self, request):
        """The officer of the request (a session's token, an officer's key), now acting for the worker's
        calls; None for a request without either (a complainant's, the public's)."""
        actor = self.db.run(officers.actor_for, request.headers.get("Authorization"), request.headers.get("X-Api-Key"),
                            self.throttle, site_id(self.config))
        if actor is not None:
            self.acting.act_as(actor)
        return actor

    def _officer(self, request):
        actor = self._actor(request)
        if actor is None:
            raise NotAuthenticated(officers.LOG_IN)
        return actor

    def _officers_case(self, tracking_number):
        with self.db.reading() as session:
            row = cases.by_tracking_number(session, tracking_number)
        if row is None:
            raise NotFound("No case with that tracking number.")
        return row

    def _facts(self, officer, row):
        """What the policy asks of the case. Its units matter only to an officer of units, and for them
        routing, which assigns cases, says which they are now (intake's copy of the lead unit follows
        a reroute an event later). If routing does not answer in time, the case has no unit for them:
        less is allowed, never more."""
        units = (row.unit_id,) if row.unit_id else ()
        if officer.units:
            try:
                given = call_with_timeout(self.routing.case_units, row.id, timeout=rpc_timeout(self.config))
                units = tuple(u["unit_id"] for u in given["units"])
            except RpcTimeout:
                log.warning("routing did not say a case's units in time; judged as of no unit of the officer's")
                units = ()
        return identity_access.CaseFacts(row.id, row.tracking_number, row.site_id, units, row.recorded_by,
                                         bool(row.confidential), row.kind)

    def _requests_waiting_for(self, officer):
        """The requests to see a confidential complainant that this officer may decide (the API's and the
        portal's list)."""
        with self.db.reading() as session:
            found = [(row, cases.by_id(session, row.case_id)) for row in identity_access.waiting(session)]
        return [identity_access.view(row, case.tracking_number) for row, case in found
                if identity_access.may_decide(row, officer, self._facts(officer, case))]

    def _request_view(self, row):
        public = bool((self.config.get("OPEN311") or {}).get("public_descriptions", True))
        return open311.request_view(row, self.intake.catalogue, public)

    def _ask(self, method, *args):
        """Another service's part of the case page; None when it does not answer in time."""
        try:
            return call_with_timeout(method, *args, timeout=rpc_timeout(self.config))
        except RpcTimeout:
            log.warning("no answer from %s; case shown without it", method.service_name)
            return None
