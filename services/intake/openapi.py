"""The OpenAPI 3 document of the native API, generated from the marshmallow schemas it validates with."""
from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.intake import schemas
from services.intake.routing_actions import ROUTING_ACTIONS

JSON = "application/json"


def _error(description):
    return {"description": description, "content": {JSON: {"schema": "Error"}}}


UNAUTHORIZED = {"description": "An Authorization header that is not a live session's bearer token: log in "
                               "again (WWW-Authenticate: Bearer)", "content": {JSON: {"schema": "Error"}}}


def _body_errors(limit):
    """What the server answers, before the endpoint runs, about a body it will not read."""
    return {"408": _error("The body did not arrive within the server's read time limits"),
            "413": _error(f"The body is larger than {limit}"),
            "415": _error("The body is not application/json"),
            "503": _error("Too many bodies are being received at once; see Retry-After")}


@lru_cache(maxsize=8)
def document(server_url):
    """The document; its server is the site's public URL (HTTP.public_url), or "/" when none is
    set: relative to where the document was fetched, never the Host header a client sent."""
    spec = APISpec(title="Rongtuk intake API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()], servers=[{"url": server_url or "/"}],
                   info={"description": "Complaints to a Thai government office: record one, follow it."})
    spec.components.security_scheme("officerKey", {"type": "apiKey", "in": "header", "name": "X-Api-Key"})
    spec.components.security_scheme("officerSession", {"type": "http", "scheme": "bearer",
                                                       "description": "a token from POST /api/v1/session"})
    for name, schema in [("NewCase", schemas.NewCaseSchema), ("Created", schemas.CreatedSchema),
                         ("CaseView", schemas.CaseViewSchema), ("Error", schemas.ErrorSchema),
                         ("RevealRequest", schemas.RevealRequestSchema), ("Revealed", schemas.RevealedSchema),
                         ("LookupRequest", schemas.LookupSchema), ("Answer", schemas.AnswerSchema),
                         ("RateRequest", schemas.RateRequestSchema), ("Rated", schemas.RatedSchema),
                         ("Login", schemas.LoginSchema), ("Session", schemas.SessionSchema),
                         ("IdentityRequest", schemas.IdentityRequestSchema)]:
        spec.components.schema(name, schema=schema)
    tracking = {"name": "tracking_number", "in": "path", "required": True, "schema": {"type": "string"},
                "example": "HUB-2570-000001"}
    spec.path(path="/api/v1/cases", operations={"post": {
        "summary": "Record a complaint",
        "description": "Anyone may post; an officer's X-Api-Key records who took it (calls, counters, letters).",
        "security": [{}, {"officerSession": []}, {"officerKey": []}],
        "requestBody": {"required": True, "content": {JSON: {"schema": "NewCase"}}},
        "responses": {"201": {"description": "Recorded (or, for a dispute of a recently closed case, reopened)",
                              "content": {JSON: {"schema": "Created"}}},
                      "400": _error("Invalid input, field by field; nothing was stored"),
                      "401": UNAUTHORIZED,
                      "403": _error("An X-Api-Key that is not an officer's valid key, or an officer whose role "
                                    "does not record complaints"),
                      "429": _error("Too many complaints from this address this hour, or too many wrong access "
                                    "codes (a dispute's code counts as a look-up); see Retry-After. Never with "
                                    "an officer's key"),
                      **_body_errors("HTTP.max_case_body (8 MiB by default)")}}})
    case_responses = {
        "200": {"description": "The case, without personal data", "content": {JSON: {"schema": "CaseView"}}},
        "401": UNAUTHORIZED,
        "403": _error("An X-Api-Key that is not an officer's valid key, or an officer the policy does not let "
                      "read this case"),
        "404": _error("No case with that tracking number and access code (or, for an officer, with that "
                      "tracking number)"),
        "429": _error("Too many wrong access codes from this address, or for this number from this address "
                      "(refused before the code is checked); see Retry-After. Never with an officer's key")}
    spec.path(path="/api/v1/cases/{tracking_number}", operations={"get": {
        "summary": "Follow a case",
        "description": "The complainant gives the access code, best in the X-Access-Code header (or POST it "
                       "to /lookup); the access_code query parameter is still read, but a URL ends up in "
                       "proxies' and browsers' histories. An officer's X-Api-Key reads any case, confidential "
                       "ones too, without the code. Either way the same view, without the complainant's "
                       "identity (see /complainant).",
        "security": [{}, {"officerSession": []}, {"officerKey": []}],
        "parameters": [tracking,
                       {"name": "X-Access-Code", "in": "header", "required": False,
                        "description": "the access code; required (here or in the query) without an officer's "
                                       "X-Api-Key", "schema": {"type": "string"}},
                       {"name": "access_code", "in": "query", "required": False, "deprecated": True,
                        "description": "the access code in the URL; prefer X-Access-Code",
                        "schema": {"type": "string"}}],
        "responses": case_responses}})
    spec.path(path="/api/v1/cases/{tracking_number}/lookup", operations={"post": {
        "summary": "Follow a case, the access code in the body",
        "description": "The same as GET /api/v1/cases/{tracking_number}, for clients that keep the code out of "
                       "URLs and headers alike. An officer's X-Api-Key needs no code.",
        "security": [{}, {"officerSession": []}, {"officerKey": []}],
        "parameters": [tracking],
        "requestBody": {"required": False, "content": {JSON: {"schema": "LookupRequest"}}},
        "responses": {**case_responses, "400": _error("No access code, or a malformed body"),
                      **_body_errors("4 KiB")}}})
    spec.path(path="/api/v1/cases/{tracking_number}/rating", operations={"post": {
        "summary": "Rate how an answered case was handled (its complainant, once)",
        "description": "With the access code (counted as any look-up's): a score from 1 (not at all satisfied) "
                       "to 5 (very) and, if they like, a comment, which the office reads and never publishes.",
        "parameters": [tracking],
        "requestBody": {"required": True, "content": {JSON: {"schema": "RateRequest"}}},
        "responses": {"201": {"description": "Rated", "content": {JSON: {"schema": "Rated"}}},
                      "400": _error("A field is missing or malformed; nothing was stored"),
                      "404": _error("No case with that tracking number and access code"),
                      "409": _error("Not answered yet, or rated already"),
                      "429": case_responses["429"],
                      **_body_errors("8 KiB")}}})
    spec.path(path="/api/v1/cases/{tracking_number}/complainant", operations={"post": {
        "summary": "Who complained (officers the policy allows; every request is on the audit log)",
        "description": "Shown (200) when the policy allows; for a confidential case a request (202) that a "
                       "second person approves (GET /api/v1/identity-requests), after which the same call "
                       "shows it; 403 when the policy denies it.",
        "security": [{"officerSession": []}, {"officerKey": []}],
        "parameters": [tracking],
        "requestBody": {"required": True, "content": {JSON: {"schema": "RevealRequest"}}},
        "responses": {"200": {"description": "The identity", "content": {JSON: {"schema": "Revealed"}}},
                      "202": {"description": "Waiting for a second person's approval", "content": {JSON: {
                          "schema": {"type": "object", "properties": {
                              "status": {"type": "string"}, "message": {"type": "string"},
                              "request": {"$ref": "#/components/schemas/IdentityRequest"}}}}}},
                      "400": _error("No reason, or not a few words"), "401": UNAUTHORIZED,
                      "403": _error("Not an officer's valid key, or the policy denies it (on record)"),
                      "404": _error("No such case"), **_body_errors("16 KiB")}}})
    spec.path(path="/api/v1/identity-requests", operations={"get": {
        "summary": "Requests to see a confidential complainant that wait for this officer's approval",
        "security": [{"officerSession": []}, {"officerKey": []}],
        "responses": {"200": {"description": "The requests, oldest first", "content": {JSON: {"schema": {
                          "type": "object", "properties": {"requests": {"type": "array", "items": {
                              "$ref": "#/components/schemas/IdentityRequest"}}}}}}},
                      "401": UNAUTHORIZED, "403": _error("Not an officer's valid key")}}})
    spec.path(path="/api/v1/identity-requests/{request_id}/{decision}", operations={"post": {
        "summary": "Approve or refuse a request to see who complained (a second person)",
        "security": [{"officerSession": []}, {"officerKey": []}],
        "parameters": [{"name": "request_id", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "decision", "in": "path", "required": True,
                        "schema": {"type": "string", "enum": ["approve", "refuse"]}}],
        "requestBody": {"required": False, "content": {JSON: {"schema": {"type": "object", "properties": {
            "note": {"type": "string"}}}}}},
        "responses": {"200": {"description": "Decided", "content": {JSON: {"schema": "IdentityRequest"}}},
                      "400": _error("Decided already, or a malformed body"), "401": UNAUTHORIZED,
                      "403": _error("Not one this officer may decide (their own, another unit's), or not a "
                                    "valid key"),
                      "404": _error("No such request"), **_body_errors("16 KiB")}}})
    spec.path(path="/api/v1/session", operations={
        "post": {"summary": "Log in: a new session's bearer token",
                 "description": "A wrong username and a wrong password answer alike. Failed logins are limited per "
                                "address, per username and per both (429, Retry-After).",
                 "requestBody": {"required": True, "content": {JSON: {"schema": "Login"}}},
                 "responses": {"201": {"description": "Logged in", "content": {JSON: {"schema": "Session"}}},
                               "400": _error("A field is missing or malformed"),
                               "401": _error("The username or password is wrong"),
                               "429": _error("Too many failed logins; see Retry-After"), **_body_errors("4 KiB")}},
        "get": {"summary": "Who the bearer token is", "security": [{"officerSession": []}, {"officerKey": []}],
                "responses": {"200": {"description": "The officer", "content": {JSON: {"schema": {
                                  "type": "object"}}}},
                              "401": UNAUTHORIZED, "403": _error("Not an officer's valid key")}},
        "delete": {"summary": "Log out", "security": [{"officerSession": []}, {"officerKey": []}],
                   "responses": {"204": {"description": "Logged out"}, "401": UNAUTHORIZED,
                                 "403": _error("Not an officer's valid key")}}})
    spec.path(path="/api/v1/cases/{tracking_number}/routing/{action}", operations={"post": {
        "summary": "An officer's routing action: confirm, reroute {unit_id, reason}, request-info {question}, "
                   "info-received, assign-units {unit_ids, reason}, unit-status {unit_id, status, note}, "
                   "forward {to_site, reason}, change-kind {kind, reason} (answer: its own path)",
        "security": [{"officerSession": []}, {"officerKey": []}],
        "parameters": [tracking, {"name": "action", "in": "path", "required": True, "schema": {
            "type": "string", "enum": [a for a, spec in ROUTING_ACTIONS.items() if not spec.files]}}],
        "requestBody": {"required": False, "content": {JSON: {"schema": {"type": "object", "properties": {
            "unit_id": {"type": "string"}, "reason": {"type": "string"}, "question": {"type": "string"},
            "unit_ids": {"type": "array", "items": {"type": "string"}}, "status": {"type": "string", "enum": [
                "in_progress", "answered", "withdrawn"]}, "note": {"type": "string"}, "to_site": {"type": "string"},
            "kind": {"type": "integer", "enum": [1, 2, 3, 4]}}}}}},
        "responses": {"200": {"description": "Done", "content": {JSON: {"schema": {"type": "object"}}}},
                      "400": _error("A field the action needs is missing"), "401": UNAUTHORIZED,
                      "403": _error("Not an officer's valid key, or the policy denies it (on record)"),
                      "404": _error("No such case"), "409": _error("Not possible now (e.g. unknown unit)"),
                      **_body_errors("HTTP.max_json_body (256 KiB by default)"),
                      "503": _error("The routing service did not answer in time, or too many bodies are "
                                    "being received at once")}}})
    spec.path(path="/api/v1/cases/{tracking_number}/routing/answer", operations={"post": {
        "summary": "Answer the case (closes it for the complainant), with its result documents",
        "security": [{"officerSession": []}, {"officerKey": []}],
        "parameters": [tracking],
        "requestBody": {"required": True, "content": {JSON: {"schema": "Answer"}}},
        "responses": {"200": {"description": "Answered: case_id, status, sent_to_site, documents "
                                             "[{id, filename, content_type, size}]",
                              "content": {JSON: {"schema": {"type": "object"}}}},
                      "400": _error("No answer, or a document that is malformed or breaks the rules of "
                                    "attachments; nothing was recorded"),
                      "401": UNAUTHORIZED,
                      "403": _error("Not an officer's valid key, or the policy denies it (on record)"),
                      "404": _error("No such case"),
                      "409": _error("Not possible now (already answered, an unknown unit)"),
                      **_body_errors("HTTP.max_case_body (8 MiB by default)")}}})
    spec.path(path="/api/v1/cases/{tracking_number}/documents/{document_id}", operations={"get": {
        "summary": "A document the case's result came with",
        "description": "For an officer's X-Api-Key, or the complainant with X-Access-Code (counted as any "
                       "look-up). The file itself, as an attachment.",
        "security": [{}, {"officerSession": []}, {"officerKey": []}],
        "parameters": [tracking, {"name": "document_id", "in": "path", "required": True,
                                  "schema": {"type": "string"}},
                       {"name": "X-Access-Code", "in": "header", "required": False, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "The file", "content": {"*/*": {"schema": {
                          "type": "string", "format": "binary"}}}},
                      "401": UNAUTHORIZED,
                      "403": _error("Not an officer's valid key, or an officer who may not read the case"),
                      "404": _error("No such case, wrong code, no such document, or one kept at another site"),
                      "429": _error("Too many wrong access codes; see Retry-After")}}})
    spec.path(path="/healthz", operations={"get": {"summary": "Liveness", "responses": {"200": {
        "description": "Up", "content": {JSON: {"schema": {"type": "object", "properties": {
            "status": {"type": "string"}}}}}}}}})
    return spec.to_dict()
