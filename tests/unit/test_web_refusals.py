"""shared/web.py's refusals without a server: which exceptions are refusals and the answer each gets,
another service's (a RemoteError naming its class) included, in the endpoint's own format."""
import importlib
import json

import pytest
from nameko.exceptions import RemoteError

from services.intake.exceptions import IntakeError, Open311Error, Refused
from services.routing.exceptions import RoutingError, SiteMismatch
from shared import web
from shared.rpc import RpcTimeout
from shared.web import InvalidRequest, Refusal, refusal, refusal_for, remote_refusal

importlib.import_module("services.intake.service")  # its module declares intake's refusals, read below


def answered(response):
    return response.status_code, json.loads(response.get_data()), dict(response.headers)


class TooLate(ValueError):
    pass


class TooLateExactly(TooLate):
    pass


@pytest.fixture
def registry(monkeypatch):
    """The registries as they are, restored after the test."""
    monkeypatch.setattr(web, "_REFUSALS", dict(web._REFUSALS))
    monkeypatch.setattr(web, "_REMOTE", dict(web._REMOTE))


def test_shared_refusals_bad_input_and_a_service_that_does_not_answer():
    assert refusal_for(InvalidRequest({"kind": ["Must be 1, 2, 3 or 4."]})) == Refusal(
        400, "invalid_request", errors={"kind": ["Must be 1, 2, 3 or 4."]})
    assert refusal_for(InvalidRequest({"_body": ["too large"]}, 413)).status == 413
    assert refusal_for(RpcTimeout("no answer within 5.0s", "routing")) == Refusal(
        503, "unavailable", "routing did not answer in time")


def test_intakes_refusals_as_its_json_api_answers_them():
    assert refusal_for(IntakeError({"category": ["Unknown category 'x'."]})) == Refusal(
        400, "invalid_request", errors={"category": ["Unknown category 'x'."]})
    too_many = refusal_for(Refused(42, "Too many complaints from here: try again later, or call the office."))
    assert (too_many.status, too_many.error, too_many.headers) == (429, "too_many_requests", (("Retry-After", "42"),))
    assert refusal_for(Open311Error(404, "token x not found")) == Refusal(404, "open311", "token x not found")


def test_a_remote_refusal_is_known_by_the_name_nameko_sends_and_answered_with_its_words():
    refused = RemoteError("RoutingError", "the case is already with ict-pr")
    assert refusal_for(refused) == Refusal(409, "not_possible", "the case is already with ict-pr")
    # only the class declared: any other remote error is a fault, a subclass's too (nameko sends its own name)
    assert refusal_for(RemoteError("SiteMismatch", "answer from KALASIN names no case of this site")) is None
    assert refusal_for(RemoteError("KeyError", "'unit_id'")) is None
    # raised here rather than over RPC, routing's refusal is no refusal of an HTTP endpoint
    assert refusal_for(RoutingError("x")) is None and refusal_for(SiteMismatch("x")) is None


def test_a_subclass_of_a_refusal_is_answered_as_it_is(registry):
    refusal(TooLate, lambda exc: Refusal(410, "gone", str(exc)))
    assert refusal_for(TooLateExactly("the deadline passed")) == Refusal(410, "gone", "the deadline passed")
    assert refusal_for(ValueError("x")) is None


def test_two_remote_refusals_cannot_share_a_name(registry):
    TwinError = type("RoutingError", (ValueError,), {})
    with pytest.raises(ValueError, match="two remote refusals named RoutingError"):
        remote_refusal(TwinError, 400, "twin")
    remote_refusal(RoutingError, 409, "not_possible")  # declaring the same class again is harmless


class Endpoints:
    """Service methods as `http` declares them, called without nameko."""

    @web.http("POST", "/things/<thing>", body="json")
    def json_endpoint(self, request, thing):
        raise self.raising

    @web.http("GET", "/things/<thing>.<fmt>", answer_refusal=lambda r, values: (r.status, r.message, values))
    def own_format(self, request, thing, fmt):
        raise self.raising


def test_an_endpoint_answers_its_refusals_in_json_by_default():
    endpoints = Endpoints()
    endpoints.raising = RemoteError("RoutingError", "unit 'x' is not on the case")
    status, body, headers = answered(endpoints.json_endpoint(None, thing="t"))
    assert (status, body) == (409, {"error": "not_possible", "message": "unit 'x' is not on the case"})
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    endpoints.raising = InvalidRequest({"reason": ["Missing data for required field."]})
    status, body, _ = answered(endpoints.json_endpoint(None, thing="t"))
    assert (status, body) == (400, {"error": "invalid_request", "errors": {"reason": ["Missing data for required field."]}})


def test_an_endpoint_words_a_refusal_in_its_own_format_and_lets_a_fault_through():
    endpoints = Endpoints()
    endpoints.raising = Open311Error(404, "service_code roads not found")
    assert endpoints.own_format(None, thing="t", fmt="xml") == (404, "service_code roads not found",
                                                                {"thing": "t", "fmt": "xml"})
    endpoints.raising = KeyError("unit_id")
    with pytest.raises(KeyError):
        endpoints.own_format(None, thing="t", fmt="xml")
    endpoints.raising = RemoteError("KeyError", "'unit_id'")
    with pytest.raises(RemoteError):
        endpoints.json_endpoint(None, thing="t")
