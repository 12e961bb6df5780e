"""Issue 10, through the real HTTP server of `rongtuk run`: slow clients, huge forms, secrets in the
log, input that made 500s, Open311's media_url, and the smaller holes (Host header, media types,
chunked bodies, line ids, invisible characters, XML, /metrics and the reports).

Each figure the issue gives is checked as the issue gives it, the slow clients held for 30 s
included (RONGTUK_SLOW_CLIENT_SECONDS shortens it while working on this file).
"""
import base64
import hashlib
import hmac
import json
import os
import signal
import socket
import threading
import time
import xml.etree.ElementTree as ET

import pytest
import requests

from tests.helpers import EmbeddedSites, count_rows, run_cli, thai_case, wait_for

HOLD_SECONDS = float(os.environ.get("RONGTUK_SLOW_CLIENT_SECONDS", "30"))
LINE_SECRET = "8c570fa6dd201bb328f1c1eac23a96d8"
PUBLIC_URL = "https://rongtuk.example.go.th"
METRICS_TOKEN = "metrics-token-for-tests"
HALF_SENT = (b"POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             b"Content-Length: 10\r\n\r\n{")


# -- helpers --------------------------------------------------------------------------------------

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def port_of(api):
    return int(api.base.rsplit(":", 1)[1])


def process_of(start_embedded):
    """The `rongtuk run` process the fixture started last."""
    return start_embedded.__self__.started[-1][0]


def status_of(response_bytes):
    """The status code of a raw HTTP answer, or None if none came."""
    if not response_bytes.startswith(b"HTTP/"):
        return None
    return int(response_bytes.split(b" ", 2)[1])


def read_answer(sock, timeout):
    """Everything the server sends until it closes the connection or `timeout` passes."""
    sock.settimeout(timeout)
    received = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            received += data
    except (socket.timeout, ConnectionResetError):
        pass
    return received


def timed(call):
    began = time.monotonic()
    result = call()
    return result, time.monotonic() - began


def cases_at(api):
    return count_rows({"DATA_DIR": str(api.data_dir), "DATABASE_URL": None}, "intake", "cases")


def key_for(api, role, name=None):
    made = run_cli("apikey", "create", "--name", name or f"ทดสอบ {role}", "--role", role, env=api.env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip()


def line_signature(body, secret=LINE_SECRET):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def json_post(url, raw, headers=None):
    return requests.post(url, data=raw, headers={"Content-Type": "application/json", **(headers or {})}, timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One running site with the default settings (and the LINE channel on), an officer's and a
    client app's key, for the checks that need nothing else."""
    sites = EmbeddedSites(tmp_path_factory.mktemp("hardening"))
    api = sites.start(LINE_CHANNEL_SECRET=LINE_SECRET)
    api.officer, api.client = key_for(api, "officer"), key_for(api, "client")
    yield api
    sites.stop_all()


# -- 1. slow clients ------------------------------------------------------------------------------

def test_two_hundred_half_sent_bodies_hold_no_worker_and_the_site_still_stops(start_embedded):
    # read timeouts longer than the hold: the connections stay open all along, each waiting for 9 bytes;
    # a case every half second is more than the hour's 30 one address may post: that limit off here
    api = start_embedded(HTTP_READ_TIMEOUT="120", HTTP_BODY_TIMEOUT="120", INTAKE_CASES_PER_ADDRESS="0")
    process = process_of(start_embedded)
    assert api.post_case(thai_case()).status_code == 201  # warm: the first case loads what every case uses
    before = rss_mb(process.pid)
    held = [socket.create_connection(("127.0.0.1", port_of(api))) for _ in range(200)]
    for sock in held:
        sock.sendall(HALF_SENT)

    slowest, peak, rounds = 0.0, before, 0
    until = time.monotonic() + HOLD_SECONDS
    while time.monotonic() < until:
        health, seconds = timed(lambda: requests.get(f"{api.base}/healthz", timeout=5))
        assert health.status_code == 200
        slowest = max(slowest, seconds)
        posted, seconds = timed(lambda: api.post_case(thai_case()))
        assert posted.status_code == 201, posted.text
        slowest = max(slowest, seconds)
        peak = max(peak, rss_mb(process.pid))
        rounds += 1
        time.sleep(0.5)
    for sock in held:  # still waiting for their bodies: nothing answered, nothing closed
        sock.setblocking(False)
        with pytest.raises(BlockingIOError):
            sock.recv(1)
    print(f"200 half-sent bodies held {HOLD_SECONDS:g} s: {rounds} rounds of /healthz + POST, slowest "
          f"{slowest * 1000:.1f} ms; RSS {before:.0f} MB before, {peak:.0f} MB at most")
    assert slowest < 1.0
    assert peak - before < 50

    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=15)
    print(f"stopped {time.monotonic() - began:.2f} s after SIGTERM with the 200 connections open")
    assert code == 0
    assert "services stopped" in api.log_path.read_text()
    for sock in held:
        sock.close()


def test_a_body_or_headers_that_stop_arriving_get_408_within_the_read_timeout(start_embedded):
    api = start_embedded(HTTP_READ_TIMEOUT="1")
    port = port_of(api)
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(HALF_SENT)
        answer, seconds = timed(lambda: read_answer(sock, timeout=10))
    assert status_of(answer) == 408 and b"Connection: close" in answer
    assert 0.9 < seconds < 3

    # headers trickled a byte every half second: every read is in time, the headers as a whole are not
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        began = time.monotonic()
        answer = b""
        while time.monotonic() - began < 10 and not answer:
            try:
                sock.sendall(b"a")
            except OSError:
                break
            sock.settimeout(0.5)
            try:
                answer = sock.recv(65536)
            except socket.timeout:
                pass
        seconds = time.monotonic() - began
    assert status_of(answer) == 408
    assert seconds < 3
    assert requests.get(f"{api.base}/healthz", timeout=1).status_code == 200


# -- 2. the huge form -------------------------------------------------------------------------------

def test_a_huge_open311_form_is_refused_at_once_and_stalls_nothing(start_embedded):
    api = start_embedded()
    process = process_of(start_embedded)
    assert requests.get(f"{api.base}/open311/v2/services.json", timeout=5).status_code == 200  # warm
    before = rss_mb(process.pid)
    form = b"&".join(b"f%07d=v" % i for i in range(2_000_000))  # 2 M fields, 20 MB, no api_key
    assert len(form) > 20_000_000

    sock = socket.create_connection(("127.0.0.1", port_of(api)))
    began = time.monotonic()
    sock.sendall(b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(form))
    sending = threading.Thread(target=lambda: _send_ignoring_errors(sock, form), daemon=True)
    sending.start()
    meanwhile = []
    while sending.is_alive() or not meanwhile:
        health, seconds = timed(lambda: requests.get(f"{api.base}/healthz", timeout=5))
        assert health.status_code == 200
        meanwhile.append(seconds)
    answer = read_answer(sock, timeout=10)
    answered_in = time.monotonic() - began
    sock.close()
    sending.join(timeout=10)
    peak = rss_mb(process.pid)
    print(f"20 MB form: 413 after {answered_in * 1000:.0f} ms (the whole form sent meanwhile); /healthz "
          f"slowest {max(meanwhile) * 1000:.1f} ms over {len(meanwhile)} requests; RSS {before:.0f} -> {peak:.0f} MB")
    assert status_of(answer) == 413
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == [{"code": 413, "description":
                                                            "Request body is larger than 65536 bytes."}]
    assert answered_in < 2 and max(meanwhile) < 1.0
    assert peak - before < 50

    # as a client library sends it, whole, then reads: the answer still comes (the rest is read away)
    response, seconds = timed(lambda: requests.post(f"{api.base}/open311/v2/requests.xml", data=form, timeout=30,
                                                    headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert response.status_code == 413 and seconds < 5
    ET.fromstring(response.content)
    # without a Content-Length (chunked), no more than the limit is read
    chunks = (form[i:i + 1_000_000] for i in range(0, 3_000_000, 1_000_000))
    response = requests.post(f"{api.base}/open311/v2/requests.json", data=chunks, timeout=30,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    # small but with more fields than any request has
    many = "&".join(f"attribute[f{i}]=v" for i in range(51))
    response = requests.post(f"{api.base}/open311/v2/requests.json", data=many, timeout=10,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and "50 fields" in response.json()[0]["description"]
    assert cases_at(api) == 0
    assert peak - before < 50


def _send_ignoring_errors(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass


def test_a_line_body_is_bounded_before_its_signature_is_checked(site):
    body = json.dumps({"destination": "U0", "events": [], "padding": "x" * (2 * 1024 * 1024)}).encode()
    response = requests.post(f"{site.base}/webhooks/line", data=body, timeout=10,
                             headers={"Content-Type": "application/json", "X-Line-Signature": "forged"})
    assert response.status_code == 413
    response = requests.post(f"{site.base}/webhooks/line", data=body, timeout=10,
                             headers={"Content-Type": "application/json", "X-Line-Signature": line_signature(body)})
    assert response.status_code == 413  # signed or not: LINE sends nothing near 1 MiB


# -- 3 (item 5). no secret in the log ---------------------------------------------------------------

def test_no_access_code_or_api_key_is_written_to_the_log(start_embedded):
    api = start_embedded()
    created = api.post_case(thai_case()).json()
    number, code = created["tracking_number"], created["access_code"]
    client = key_for(api, "client")
    case_url = f"{api.base}/api/v1/cases/{number}"

    statuses = [
        requests.get(case_url, params={"access_code": code}, timeout=10).status_code,
        requests.get(f"{api.base}/open311/v2/requests.json", params={"api_key": client, "access_code": code},
                     timeout=10).status_code,
        # the code where no URL carries it: a header, or the body of a POST
        requests.get(case_url, headers={"X-Access-Code": code}, timeout=10).status_code,
        requests.post(f"{case_url}/lookup", json={"access_code": code}, timeout=10).status_code,
    ]
    requests.get(f"{case_url}?Access%5Fcode={code}&x=1", timeout=10)  # the name percent-encoded
    with socket.create_connection(("127.0.0.1", port_of(api))) as sock:  # a request line the server refuses
        sock.sendall(f"GET /api/v1/cases/{number}?access_code={code} HTTP/1.1 extra\r\n\r\n".encode())
        read_answer(sock, timeout=5)

    log = wait_for(lambda: (lambda text: text if text.count("/api/v1/cases/") >= 5 else None)(
        api.log_path.read_text()), timeout=5, message="the look-ups in the access log")
    assert code not in log
    assert client not in log and client[4:] not in log
    assert "?access_code=[redacted]" in log and "api_key=[redacted]" in log
    assert statuses == [200, 200, 200, 200]
    assert requests.post(f"{case_url}/lookup", json={"access_code": "WRONGONE"}, timeout=10).status_code == 404


# -- 4 (item 10). 400, not 500, and nothing changed -------------------------------------------------

DEEP_ARRAY = "[" * 10_000 + "]" * 10_000
DEEP_OBJECT = '{"a": ' * 10_000 + "1" + "}" * 10_000
# within the look-up's 4 KiB and the reveal's 16 KiB: deeper than json.loads goes, and deep enough for it but not for us
SMALL_DEEP = {DEEP_ARRAY: "[" * 2_000 + "]" * 2_000, DEEP_OBJECT: '{"a":' * 600 + "1" + "}" * 600}


def test_input_that_made_500s_gets_a_clear_400_and_changes_nothing(site):
    created = site.post_case(thai_case()).json()
    case_url = f"{site.base}/api/v1/cases/{created['tracking_number']}"
    officer = {"X-Api-Key": site.officer}
    cases_before = cases_at(site)

    for deep in (DEEP_ARRAY, DEEP_OBJECT):
        for url, headers, body in [(f"{site.base}/api/v1/cases", {}, deep),
                                   (f"{case_url}/lookup", {}, SMALL_DEEP[deep]),
                                   (f"{case_url}/complainant", officer, SMALL_DEEP[deep]),
                                   (f"{case_url}/routing/confirm", officer, deep),
                                   (f"{case_url}/routing/change-kind", officer, deep)]:
            response = json_post(url, body, headers)
            assert response.status_code == 400, (url, response.text)
            assert "nested" in response.json()["errors"]["_body"][0]
        signed = deep.encode()
        response = json_post(f"{site.base}/webhooks/line", signed, {"X-Line-Signature": line_signature(signed)})
        assert response.status_code == 400 and "nested" in response.json()["message"]

    lone = "\ud800"
    for body in [{**thai_case(), "channel_ref": {f"letter{lone}": "นร 0105/123"}},
                 {**thai_case(), "channel_ref": {"letter_number": f"นร{lone}"}},
                 {**thai_case(), "disputes": {"tracking_number": f"HUB-2570-{lone}", "access_code": "AAAAAAAA"}}]:
        response = json_post(f"{site.base}/api/v1/cases", json.dumps(body))  # json.dumps escapes it: \ud800
        assert response.status_code == 400, response.text
        assert "U+D800" in response.json()["errors"]["_body"][0]
    response = json_post(f"{case_url}/lookup", json.dumps({"access_code": lone}))
    assert response.status_code == 400

    for params in [{"start_date": "0001-01-01T00:00:00"}, {"end_date": "9999-12-31T23:59:59-12:00"}]:
        for fmt in ("json", "xml"):
            response = requests.get(f"{site.base}/open311/v2/requests.{fmt}", params=params, timeout=10)
            assert response.status_code == 400, response.text
            assert "out of range" in response.text

    assert cases_at(site) == cases_before
    assert requests.get(case_url, headers={"X-Access-Code": created["access_code"]}, timeout=10).status_code == 200


# -- 5 (item 11). Open311's media_url ---------------------------------------------------------------

def test_open311_takes_only_https_media_urls(site):
    form = {"api_key": site.client, "service_code": "public-works", "lat": "13.7563", "long": "100.5018",
            "description": "ไฟถนนดับทั้งซอย"}
    before = cases_at(site)
    for url in ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                "http://example.org/photo.jpg", "https://", "//example.org/photo.jpg", "ftp://example.org/a.jpg"]:
        response = requests.post(f"{site.base}/open311/v2/requests.json", data={**form, "media_url": url}, timeout=10)
        assert response.status_code == 400, (url, response.text)
        assert "media_url" in response.json()[0]["description"]
    assert cases_at(site) == before

    photo = "https://photos.example.org/ไฟถนน.jpg"
    created = requests.post(f"{site.base}/open311/v2/requests.json", data={**form, "media_url": photo}, timeout=10)
    assert created.status_code == 201
    number = created.json()[0]["service_request_id"]
    shown = requests.get(f"{site.base}/open311/v2/requests/{number}.json", timeout=10).json()[0]
    assert shown["media_url"] == photo


# -- 6 (item 12). the smaller holes -------------------------------------------------------------------

def test_the_host_header_is_never_reflected(site, start_embedded):
    evil = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    document = requests.get(f"{site.base}/api/v1/openapi.json", headers=evil, timeout=10).json()
    assert document["servers"] == [{"url": "/"}]
    discovery = requests.get(f"{site.base}/open311/v2/discovery.json", headers=evil, timeout=10)
    assert discovery.json()["endpoints"][0]["url"] == "/open311/v2" and "evil" not in discovery.text

    configured = start_embedded(PUBLIC_URL=PUBLIC_URL + "/")
    document = requests.get(f"{configured.base}/api/v1/openapi.json", headers=evil, timeout=10).json()
    assert document["servers"] == [{"url": PUBLIC_URL}]
    for fmt in ("json", "xml"):
        discovery = requests.get(f"{configured.base}/open311/v2/discovery.{fmt}", headers=evil, timeout=10)
        assert f"{PUBLIC_URL}/open311/v2" in discovery.text and "evil" not in discovery.text


def test_json_endpoints_take_only_application_json(site):
    before = cases_at(site)
    body = json.dumps(thai_case(), ensure_ascii=False).encode()
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         None]:
        headers = {"Content-Type": content_type} if content_type else {}
        response = requests.post(f"{site.base}/api/v1/cases", data=body, headers=headers, timeout=10)
        assert response.status_code == 415, (content_type, response.text)
        assert response.json()["error"] == "unsupported_media_type"
    assert cases_at(site) == before
    ok = requests.post(f"{site.base}/api/v1/cases", data=body, timeout=10,
                       headers={"Content-Type": "Application/JSON; charset=UTF-8"})
    assert ok.status_code == 201
    # Open311 takes forms, not JSON
    response = requests.post(f"{site.base}/open311/v2/requests.xml", data=b"{}", timeout=10,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    ET.fromstring(response.content)


def test_a_chunked_body_is_read_within_the_limit(site):
    before = cases_at(site)
    body = json.dumps(thai_case(), ensure_ascii=False).encode()
    response = requests.post(f"{site.base}/api/v1/cases", data=iter([body[:40], body[40:]]), timeout=10,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert cases_at(site) == before + 1
    over = iter([b'{"description": "', b"x" * (8 * 1024 * 1024), b'"}'])
    response = requests.post(f"{site.base}/api/v1/cases", data=over, timeout=30,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert cases_at(site) == before + 1


def test_a_line_user_id_with_a_trailing_newline_is_refused(site):
    before = cases_at(site)
    complainant = {"name": "สมชาย", "line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8\n"}
    response = site.post_case(thai_case(complainant=complainant))
    assert response.status_code == 400
    assert response.json()["errors"] == {"complainant": {"line_user_id": ["String does not match expected pattern."]}}
    assert cases_at(site) == before


def test_bidi_controls_and_zero_width_characters_are_stripped_from_text(site):
    subject = "\u202eเจ้าหน้าที่\u200bพูดจา\u2066ไม่สุภาพ\u2069\ufeff"
    created = site.post_case(thai_case(subject=subject, channel_ref={"call_taker\u200d": "โต๊ะ\u202e 3"})).json()
    case = site.get_case(created["tracking_number"], created["access_code"]).json()
    assert case["subject"] == "เจ้าหน้าที่พูดจาไม่สุภาพ"


def test_open311_xml_errors_are_well_formed_whatever_was_sent(site):
    for path, params in [("requests/HUB%01-2570.xml", {}), ("services/x%01y.xml", {}),
                         ("requests.xml", {"jurisdiction_id": "A\x01\x1fB"})]:
        response = requests.get(f"{site.base}/open311/v2/{path}", params=params, timeout=10)
        assert response.status_code in (400, 404)
        root = ET.fromstring(response.content)  # ParseError on U+0001 before
        assert root.tag == "errors" and "\x01" not in response.text


def test_metrics_answer_only_on_this_machine_without_a_token(site):
    assert requests.get(f"{site.base}/metrics", timeout=10).status_code == 200
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):  # through a proxy: from anywhere
        assert requests.get(f"{site.base}/metrics", headers={header: "203.0.113.9"}, timeout=10).status_code == 403


def test_metrics_need_the_token_when_one_is_set(start_embedded):
    api = start_embedded(METRICS_TOKEN=METRICS_TOKEN)
    assert requests.get(f"{api.base}/metrics", timeout=10).status_code == 401
    assert requests.get(f"{api.base}/metrics", headers={"Authorization": "Bearer wrong"}, timeout=10).status_code == 401
    scraped = requests.get(f"{api.base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10)
    assert scraped.status_code == 200 and "rongtuk_entrypoint_calls_total" in scraped.text


def test_the_reports_are_for_officers(site):
    report = f"{site.base}/api/v1/reports/cases-by-status"
    assert requests.get(report, timeout=10).status_code == 401
    assert requests.get(report, headers={"X-Api-Key": site.client}, timeout=10).status_code == 403
    assert requests.get(report, headers={"X-Api-Key": "rtk_forged"}, timeout=10).status_code == 403
    counts = requests.get(report, headers={"X-Api-Key": site.officer}, timeout=10)
    assert counts.status_code == 200 and "cases_by_status" in counts.json()
