"""shared/web.py: reading a JSON object from a request, and answering bad input."""
import io
import json

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.intake.schemas import NewCaseSchema
from shared.web import MAX_BODY_BYTES, InvalidRequest, load_or_400, read_json_object


def request(data, content_type="application/json; charset=utf-8"):
    return EnvironBuilder(method="POST", path="/cases", data=data, content_type=content_type).get_request()


def chunked_request(data):
    """A body sent without Content-Length (chunked transfer encoding)."""
    environ = EnvironBuilder(method="POST", path="/cases", input_stream=io.BytesIO(data),
                             content_type="application/json").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["wsgi.input_terminated"] = True
    return Request(environ)


def refused(req, **kwargs):
    with pytest.raises(InvalidRequest) as info:
        read_json_object(req, **kwargs)
    return info.value


CASE = {"channel": "web", "kind": 1, "subject": "ไฟถนนดับทั้งซอย", "description": "ไฟถนนซอยวัดใหม่ดับมาหนึ่งสัปดาห์"}


def test_reads_a_utf8_json_object_with_thai_text():
    req = request(json.dumps(CASE, ensure_ascii=False).encode("utf-8"))

    assert read_json_object(req) == CASE


def test_reads_an_empty_object():
    assert read_json_object(request(b"{}")) == {}


def test_invalid_utf8_is_a_400_on_the_body():
    exc = refused(request(b'{"a": "\xff"}'))

    assert exc.status == 400
    assert exc.errors == {"_body": ["Request body is not valid UTF-8 (byte 7)."]}


def test_thai_encoded_as_tis620_is_not_utf8():
    exc = refused(request('{"subject": "ร้องเรียน"}'.encode("tis-620")))

    assert exc.status == 400
    assert "UTF-8" in exc.errors["_body"][0]


@pytest.mark.parametrize("data", [b"", b"{", b"{'subject': 'x'}", b'{"a": 1,}', b"not json", b"\xef\xbb\xbf{}"])
def test_invalid_json_is_a_400_on_the_body(data):
    exc = refused(request(data))

    assert exc.status == 400
    assert list(exc.errors) == ["_body"]
    assert "not valid JSON" in exc.errors["_body"][0]


@pytest.mark.parametrize("data", [b"[]", b'[{"subject": "x"}]', b'"text"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_a_400(data):
    exc = refused(request(data))

    assert exc.status == 400
    assert exc.errors == {"_body": ["Request body must be a JSON object."]}


def test_body_over_max_bytes_is_a_413():
    exc = refused(request(b'{"description": "' + b"x" * 100 + b'"}'), max_bytes=64)

    assert exc.status == 413
    assert exc.errors == {"_body": ["Request body is larger than 64 bytes."]}


def test_body_of_exactly_max_bytes_is_read():
    data = b'{"d": "' + b"x" * 50 + b'"}'

    assert read_json_object(request(data), max_bytes=len(data)) == {"d": "x" * 50}


def test_default_limit_is_two_megabytes():
    data = b'{"d": "' + b"x" * MAX_BODY_BYTES + b'"}'

    assert refused(request(data)).status == 413


def test_chunked_body_over_max_bytes_is_a_413():
    exc = refused(chunked_request(b'{"d": "' + b"x" * 100 + b'"}'), max_bytes=64)

    assert exc.status == 413


def test_chunked_body_within_limit_is_read():
    assert read_json_object(chunked_request(b'{"kind": 3}'), max_bytes=64) == {"kind": 3}


def test_invalid_request_response_is_json_with_errors():
    response = InvalidRequest({"_body": ["Request body must be a JSON object."]}).response()

    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == {
        "error": "invalid_request",
        "errors": {"_body": ["Request body must be a JSON object."]},
    }


def test_invalid_request_response_keeps_status_and_thai_text():
    response = InvalidRequest({"subject": ["ต้องระบุเรื่อง"]}, status=413).response()

    assert response.status_code == 413
    assert "ต้องระบุเรื่อง".encode("utf-8") in response.get_data()
    assert json.loads(response.get_data())["errors"] == {"subject": ["ต้องระบุเรื่อง"]}


def test_load_or_400_returns_the_loaded_data():
    assert load_or_400(NewCaseSchema(), dict(CASE)) == {**CASE, "attachments": [], "confidential": False}


def test_load_or_400_turns_validation_errors_into_a_400():
    body = {**CASE, "kind": "2", "nickname": "ลุงแดง"}
    del body["subject"]

    with pytest.raises(InvalidRequest) as info:
        load_or_400(NewCaseSchema(), body)

    assert info.value.status == 400
    assert set(info.value.errors) == {"kind", "subject", "nickname"}
    assert json.loads(info.value.response().get_data())["errors"]["subject"] == [
        "Missing data for required field."]


def test_read_then_load_a_bad_request_end_to_end():
    req = request(json.dumps({**CASE, "kind": 5}).encode())

    with pytest.raises(InvalidRequest) as info:
        load_or_400(NewCaseSchema(), read_json_object(req))

    assert list(info.value.errors) == ["kind"]
