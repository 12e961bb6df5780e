"""The rules of issue 10 without a server: which bodies are read, secrets redacted, JSON that is
too deep or holds a lone surrogate, the HTTP settings, Open311's URLs, dates and XML, and the
client's address behind a trusted proxy."""
import io
import logging
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from nameko.exceptions import ConfigurationError
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from services.intake import open311
from services.intake.exceptions import Open311Error
from shared.redact import RedactingFilter, RedactingLog, redact
from shared.web import (FORM, JSON, BodyBudget, BodySpec, HttpSettings, InvalidRequest, NO_BODY, parse_json,
                        receive_body, resolve_client_address)

SETTINGS = HttpSettings.from_config({"HTTP": {"max_json_body": 64, "max_form_body": 64, "max_form_fields": 3}})


def environ(data=b"", content_type="application/json", chunked=False, **extra):
    env = EnvironBuilder(method="POST", path="/x", data=data, content_type=content_type).get_environ()
    if chunked:
        env.pop("CONTENT_LENGTH", None)
        env["HTTP_TRANSFER_ENCODING"] = "chunked"
        env["wsgi.input"] = io.BytesIO(data)
    env.update(extra)
    return env


def receive(env, spec=BodySpec(JSON, "max_json_body"), budget=None):
    budget = budget or BodyBudget(1024)
    refusal, reserved = receive_body(env, spec, SETTINGS, budget)
    budget.give(reserved)
    return refusal


# -- bodies ---------------------------------------------------------------------------------------

def test_a_body_within_the_limit_is_read_into_memory():
    env = environ(b'{"kind": 3}')
    assert receive(env) is None
    assert env["wsgi.input"].read() == b'{"kind": 3}' and env["CONTENT_LENGTH"] == "11"


def test_a_chunked_body_is_read_and_given_its_length():
    env = environ(b'{"kind": 3}', chunked=True)
    assert receive(env) is None
    assert env["CONTENT_LENGTH"] == "11" and "HTTP_TRANSFER_ENCODING" not in env


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_is_413(chunked):
    refusal = receive(environ(b'{"d": "' + b"x" * 100 + b'"}', chunked=chunked))
    assert refusal.status == 413 and refusal.linger


def test_a_declared_length_over_the_limit_is_refused_before_anything_is_read():
    env = environ(b"{}")
    env["CONTENT_LENGTH"] = str(10 ** 9)
    env["wsgi.input"] = None  # reading it would fail
    assert receive(env).status == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/json", ""])
def test_a_json_endpoint_refuses_other_media_types(content_type):
    assert receive(environ(b"{}", content_type=content_type)).status == 415


def test_a_form_endpoint_refuses_json_and_too_many_fields():
    form = BodySpec(FORM, "max_form_body")
    assert receive(environ(b"{}", content_type="application/json"), form).status == 415
    assert receive(environ(b"a=1&b=2&c=3", content_type="application/x-www-form-urlencoded"), form) is None
    refusal = receive(environ(b"a=1&b=2&c=3&d=4", content_type="application/x-www-form-urlencoded"), form)
    assert refusal.status == 413 and "3 fields" in refusal.message


def test_an_endpoint_without_a_body_refuses_one_but_not_an_empty_one():
    assert receive(environ(b"x"), NO_BODY).status == 413
    assert receive(environ(b""), NO_BODY) is None


def test_bodies_beyond_the_memory_budget_wait_for_another_time():
    budget = BodyBudget(100)
    assert budget.take(90)
    refusal = receive(environ(b'{"a": 1}' * 3), budget=budget)
    assert refusal.status == 503 and ("Retry-After", "5") in refusal.headers
    budget.give(90)
    assert receive(environ(b'{"a": 1}' * 3), budget=budget) is None
    assert budget.used == 0


def test_other_transfer_codings_are_refused():
    assert receive(environ(b"{}", HTTP_TRANSFER_ENCODING="gzip, chunked")).status == 501


# -- JSON -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"[" * 10_000 + b"]" * 10_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
                                 b'{"a":' * 33 + b"1" + b"}" * 33, b"[" * 40 + b"]" * 40])
def test_json_nested_too_deep_is_a_400(raw):
    with pytest.raises(InvalidRequest) as info:
        parse_json(raw)
    assert "nested more than 32 levels" in info.value.errors["_body"][0]


def test_json_32_levels_deep_is_read():
    assert parse_json(b"[" * 32 + b"]" * 32) is not None


@pytest.mark.parametrize("raw, where", [
    (rb'{"channel_ref": {"a\ud800": "x"}}', "A key at channel_ref"),
    (rb'{"channel_ref": {"a": "x\udfff"}}', "channel_ref.a"),
    (rb'{"disputes": {"tracking_number": "\ud800"}}', "disputes.tracking_number"),
    (rb'{"attachments": [{"filename": "\udc00.pdf"}]}', "attachments[0].filename"),
    (rb'"\ud800"', "the top level"),
])
def test_a_lone_surrogate_is_a_400_saying_where(raw, where):
    with pytest.raises(InvalidRequest) as info:
        parse_json(raw)
    message = info.value.errors["_body"][0]
    assert where in message and "lone surrogate" in message
    message.encode("utf-8")  # the answer itself can be written


def test_a_surrogate_pair_is_a_character():
    assert parse_json(rb'{"subject": "\ud83d\ude00"}') == {"subject": "\U0001F600"}


# -- secrets in logs ------------------------------------------------------------------------------

@pytest.mark.parametrize("line, secret", [
    ('"GET /api/v1/cases/HUB-2570-000001?access_code=SRRFP3DQ HTTP/1.1" 200', "SRRFP3DQ"),
    ('"GET /open311/v2/requests.json?status=open&api_key=rtk_abc-DEF_123 HTTP/1.1" 200', "rtk_abc-DEF_123"),
    ('"GET /x?Access%5Fcode=SRRFP3DQ&y=1 HTTP/1.1"', "SRRFP3DQ"),
    ('"GET /x?%61ccess_code=SRRFP3DQ HTTP/1.1"', "SRRFP3DQ"),
    ("body api_key=rtk_secret&service_code=x", "rtk_secret"),
    ("{'access_code': 'SRRFP3DQ', 'x': 1}", "SRRFP3DQ"),
    ('{"api_key": "rtk_secret"}', "rtk_secret"),
])
def test_secrets_are_redacted(line, secret):
    cleaned = redact(line)
    assert secret not in cleaned and "[redacted]" in cleaned


def test_other_parameters_stay():
    line = '"GET /open311/v2/requests.json?status=open&service_code=roads HTTP/1.1" 200 12 0.01'
    assert redact(line) == line


def test_the_filter_and_the_server_log_redact(caplog):
    logger = logging.getLogger("test.redaction")
    caplog.set_level(logging.INFO)
    handler_filter = RedactingFilter()
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "looked up %s", ("?access_code=SECRET1",), None)
    assert handler_filter.filter(record) and "SECRET1" not in record.getMessage()
    RedactingLog(logger).info('127.0.0.1 - - "GET /a?api_key=rtk_SECRET2 HTTP/1.1" 200')
    assert "rtk_SECRET2" not in caplog.text and "api_key=[redacted]" in caplog.text


# -- settings -------------------------------------------------------------------------------------

def test_the_defaults():
    settings = HttpSettings.from_config({})
    assert (settings.public_url, settings.read_timeout, settings.body_timeout, settings.body_memory,
            settings.max_case_body, settings.max_json_body, settings.max_form_body, settings.max_form_fields,
            settings.max_line_body) == ("", 10.0, 60.0, 64 << 20, 8 << 20, 256 << 10, 64 << 10, 50, 1 << 20)


@pytest.mark.parametrize("http", [{"read_timeout": 0}, {"max_case_body": "big"}, {"public_url": "rongtuk.go.th"},
                                  {"public_url": "javascript:alert(1)"}, {"public_url": "https://a.go.th/?x=1"},
                                  {"max_form_fieldz": 10}])
def test_a_wrong_setting_is_refused(http):
    with pytest.raises(ConfigurationError):
        HttpSettings.from_config({"HTTP": http})


def test_the_public_url_loses_its_trailing_slash():
    assert HttpSettings.from_config({"HTTP": {"public_url": "https://a.go.th/rongtuk/"}}).public_url == \
        "https://a.go.th/rongtuk"


# -- Open311 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, ok", [("https://photos.example.org/a.jpg", True), ("javascript:alert(1)", False),
                                     ("http://example.org/a.jpg", False), ("data:image/png;base64,AA", False),
                                     ("https://", False), ("//example.org/a.jpg", False),
                                     ("https://[broken/a.jpg", False), ("https://a.org/x y.jpg", False)])
def test_only_https_media_urls(url, ok):
    assert open311.is_https_url(url) is ok


@pytest.mark.parametrize("params", [{"start_date": "0001-01-01T00:00:00"}, {"end_date": "9999-12-31T23:59:59-12:00"}])
def test_dates_beyond_what_utc_can_hold_are_a_400(params):
    with pytest.raises(Open311Error) as info:
        open311.query(MultiDict(params), datetime(2026, 11, 21, tzinfo=timezone.utc))
    assert info.value.code == 400


def test_xml_answers_hold_only_characters_xml_allows():
    body, _ = open311.error_body([Open311Error(404, "service_request_id A\x01B\ud800\ufffe not found")], "xml")
    assert ET.fromstring(body).find("error/description").text == "service_request_id A\ufffdB\ufffd\ufffd not found"


# -- the client's address -------------------------------------------------------------------------

def settings(trusted):
    return HttpSettings.from_config({"HTTP": {"trusted_proxies": trusted}})


def test_trusted_proxies_are_addresses_or_networks_in_a_list_or_a_string():
    assert settings("").trusted_proxies == ()
    assert [str(n) for n in settings("127.0.0.1, 10.0.0.0/24 ::1").trusted_proxies] == [
        "127.0.0.1/32", "10.0.0.0/24", "::1/128"]
    assert [str(n) for n in settings(["192.0.2.1"]).trusted_proxies] == ["192.0.2.1/32"]
    with pytest.raises(ConfigurationError, match="not an address or a network"):
        settings("proxy.example")


def env(peer, forwarded=None):
    return {"REMOTE_ADDR": peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}


PROXY = settings("10.0.0.0/24").trusted_proxies


@pytest.mark.parametrize("peer, forwarded, trusted, client", [
    ("203.0.113.7", None, (), "203.0.113.7"),
    ("203.0.113.7", "198.51.100.1", (), "203.0.113.7"),                 # not believed by default
    ("203.0.113.7", "198.51.100.1", PROXY, "203.0.113.7"),              # a peer that is no proxy of ours
    ("10.0.0.5", "198.51.100.1", PROXY, "198.51.100.1"),                # our proxy says who it served
    ("10.0.0.5", "1.2.3.4, 198.51.100.1", PROXY, "198.51.100.1"),       # what the client wrote is left of it
    ("10.0.0.5", "198.51.100.1, 10.0.0.9", PROXY, "198.51.100.1"),      # through two of our proxies
    ("10.0.0.5", "10.0.0.8, 10.0.0.9", PROXY, "10.0.0.8"),              # all ours: the first
    ("10.0.0.5", "  ", PROXY, "10.0.0.5"),
    ("::ffff:10.0.0.5", "198.51.100.1", PROXY, "198.51.100.1"),
])
def test_the_client_address(peer, forwarded, trusted, client):
    assert resolve_client_address(env(peer, forwarded), trusted) == client
