"""Helpers for the service and integration tests."""
import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import requests
import yaml

from services import SERVICE_NAMES
from shared.config import PROJECT_ROOT, overlay

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

FAST = {
    "OUTBOX": {"poll_interval": 0.05},
    "DEAD_LETTERS": {"poll_interval": 0.05},
    "HANDLER_RETRY": {"attempts": 3, "backoff": 0.05, "max_backoff": 0.2},
    "RPC": {"timeout": 5},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(count):
    """`count` consecutive ports free on this machine."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count >= 65000:
            continue
        sockets = []
        try:
            for port in range(first, first + count):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                sockets.append(s)
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free ports")


def wait_for(predicate, timeout=15.0, interval=0.05, message="condition"):
    """Poll until predicate() is truthy; returns its value. Fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def thai_case(**overrides):
    body = {
        "channel": "web",
        "kind": 2,
        "subject": "เจ้าหน้าที่พูดจาไม่สุภาพ",
        "description": "ไปติดต่อขอเอกสารโครงการที่สำนักงาน เจ้าหน้าที่พูดจาไม่สุภาพและให้รอนานกว่าสองชั่วโมง",
        "complainant": {"name": "สมหญิง ใจดี", "email": "somying@example.org"},
    }
    body.update(overrides)
    return body


def merge(config, overrides):
    """A config with a test's overrides laid over it, as a config file's EXTENDS does (copied: a test
    that changes its config changes no other test's)."""
    return overlay(config, copy.deepcopy(overrides))


def site_config(amqp_uri, database_url, data_dir, **extra):
    """A distributed site's config for services run in the test's process (its databases migrated)."""
    from services import upgrade_databases
    from shared.config import DISTRIBUTED_CONFIG, load_config
    config = merge(load_config(DISTRIBUTED_CONFIG), FAST)
    config.update(AMQP_URI=amqp_uri, DATABASE_URL=database_url, DATA_DIR=str(data_dir),
                  WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}", **extra)
    config.pop("LOGGING", None)
    upgrade_databases(config)
    return config


class TcpProxy:
    """A TCP relay to `port` on this machine that a test can cut (every connection closed, new ones
    refused at once) and restore: a network link going down and coming back."""

    def __init__(self, port):
        import eventlet
        self.target = port
        self.listener = eventlet.listen(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.connections = []
        self._accepting = eventlet.spawn(self._accept)

    def _accept(self):
        import eventlet
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = eventlet.connect(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            self.connections.append((client, upstream))
            eventlet.spawn(self._pipe, client, upstream)
            eventlet.spawn(self._pipe, upstream, client)

    @staticmethod
    def _pipe(source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.open = False
        for client, upstream in self.connections:
            for sock in (client, upstream):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.connections = []

    def restore(self):
        self.open = True

    def close(self):
        self.cut()
        self._accepting.kill()
        self.listener.close()


def write_config(config, path):
    """Save a test config where the CLI can read it."""
    path = Path(path)
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@contextmanager
def connected(config, service):
    """A connection to one service's database, on an engine of its own disposed of afterwards."""
    from shared.store import open_store
    with open_store(config, service, "test") as store, store.engine.connect() as conn:
        yield conn


def count_rows(config, service, table, where=""):
    import sqlalchemy as sa
    with connected(config, service) as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table} {where}")).scalar_one()


class Api:
    """A small HTTP client for the case API."""

    def __init__(self, base_url):
        self.base = base_url.rstrip("/")

    def post_case(self, body=None, raw=None, headers=None):
        if raw is not None:
            return requests.post(f"{self.base}/api/v1/cases", data=raw, headers=headers or {}, timeout=10)
        return requests.post(f"{self.base}/api/v1/cases", json=body, timeout=10)

    def get_case(self, tracking_number, access_code):
        return requests.get(f"{self.base}/api/v1/cases/{tracking_number}",
                            params={"access_code": access_code}, timeout=10)

    def metrics(self):
        return requests.get(f"{self.base}/metrics", timeout=10).text

    def wait_until_routed(self, created, timeout=20.0, services=SERVICE_NAMES):
        """GET the case until it is routed and every service has put an entry on its timeline."""
        def ready():
            response = self.get_case(created["tracking_number"], created["access_code"])
            if response.status_code != 200:
                return None
            case = response.json()
            seen = {entry["service"] for entry in case.get("timeline") or []}
            if case["status"] == "routed" and case["deadline"] and set(services) <= seen:
                return case
            return None
        return wait_for(ready, timeout=timeout, interval=0.1, message="case routed with a full timeline")


def api_for(config):
    return Api(f"http://{config['WEB_SERVER_ADDRESS']}")


def run_cli(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "services.cli", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def metric_value(text, name, **labels):
    """The value of one sample in Prometheus text output, or None."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and line.split(" ")[0] != name:
            continue
        sample, _, value = line.rpartition(" ")
        if all(f'{k}="{v}"' in sample for k, v in labels.items()):
            return float(value)
    return None


def prom_query(base, expr):
    """{labels as a sorted tuple of (name, value): value} of an instant query to the Prometheus at `base`."""
    answer = requests.get(f"{base}/api/v1/query", params={"query": expr}, timeout=5).json()
    assert answer["status"] == "success", answer
    return {tuple(sorted(r["metric"].items())): float(r["value"][1]) for r in answer["data"]["result"]}


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)


def missing(what):
    """A test's prerequisite that the project's own files provide under CI (.ci/run installs the Debian
    programs; a CI clone has the repository's history) is not here. Under CI (CI set) that is a
    failure: CI must prove the test. Elsewhere, on a developer's machine without it, the test is
    skipped saying what to get: the rest of the suite still runs there."""
    import pytest
    if os.environ.get("CI"):
        pytest.fail(f"{what} (and CI provides it)")
    pytest.skip(what)


def installed(tool, package):
    """The path of a program of a Debian package the tests use (pdftotext, chromium, promtool...), or
    `missing` if it is not installed."""
    import shutil
    found = shutil.which(tool)
    if found is None:
        missing(f"{tool} ({package}) is not installed here: apt-get install {package}")
    return found


def poppler(tool):
    """The path of a poppler-utils tool (pdftotext, pdftoppm)."""
    return installed(tool, "poppler-utils")


def sla_with_routed_cases(container_factory, config, monkeypatch, cases, received_at, tracking_number,
                          routed=None):
    """An sla service on `config` with its clock faked (at receipt + 5 min), each of `cases`
    ({case_id: (unit, kind)}) routed to it (as `routed`, a case_routed EventType: the current version by
    default) and its two clocks started. Returns (container, the FakeTime)."""
    from nameko.standalone.events import event_dispatcher

    from services.sla.dependencies import Clock
    from services.sla.service import SlaService
    from shared.events import CASE_ROUTED
    routed = routed or CASE_ROUTED
    clock = FakeTime(received_at + timedelta(minutes=5))
    monkeypatch.setattr(Clock, "now", staticmethod(clock))
    config["SLA"]["sweep_interval"] = 0.05
    container = container_factory(SlaService, config)
    container.start()
    dispatch = event_dispatcher(config)
    for case_id, (unit, kind) in cases.items():
        later = {} if routed.version == 1 else {"method": "rule", "score": None, "model_version": None,
                                                 "kind_reason": "as received"}
        dispatch("routing", "case_routed", routed.build(
            site_id="HUB", case_id=case_id, tracking_number=tracking_number, kind=kind, received_at=received_at,
            unit_id=unit, unit_name=unit, reason="test", **later))
    wait_for(lambda: count_rows(config, "sla", "clocks") == 2 * len(cases), message="the cases' clocks")
    return container, clock


def pdf_text(pdf: bytes, folder):
    """A PDF's text in the order it was written (pdftotext -raw), sara am composed again."""
    from shared.thai import normalise_text
    path = Path(folder) / "document.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([poppler("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return normalise_text(out.stdout)


class FakeTime:
    """A clock a test moves by hand: patch it over services.sla.dependencies.Clock.now."""

    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


def end(process, timeout=10):
    """Stop a process a test started as an operator would: SIGTERM, then SIGKILL if it is still there
    after `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class RunProcesses:
    """`rongtuk run [SERVICE]` processes a test starts, each logging to its own file; stop_all ends
    them as an operator would (SIGTERM, then a kill for one still there after `timeout`)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.started = []

    def start(self, *services, env, log_name="rongtuk"):
        """Start one; returns (process, log_path)."""
        log_path = self.folder / f"{log_name}.log"
        log = open(log_path, "w+")
        process = subprocess.Popen([sys.executable, "-m", "services.cli", "run", *services], cwd=PROJECT_ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        self.started.append((process, log))
        return process, log_path

    def stop_all(self, timeout=15):
        for process, _log in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, log in self.started:
            end(process, timeout)
            log.close()


def answers(url):
    """Whether a GET of `url` answers 200 (False while nothing listens there yet)."""
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


class EmbeddedSites:
    """`rongtuk run` processes as a user starts them, each on a free port, all in one folder."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.processes = RunProcesses(folder)

    @property
    def started(self):
        return self.processes.started

    def start(self, **extra_env):
        """Start one; returns an Api with .data_dir, .log_path and .env (for the CLI on the same site)."""
        port = free_port()
        env = {**os.environ, "PORT": str(port), "DATA_DIR": str(self.folder / "data"), "LOG_LEVEL": "INFO",
               **extra_env}
        env.pop("RONGTUK_CONFIG", None)
        process, log_path = self.processes.start(env=env)
        api = Api(f"http://127.0.0.1:{port}")

        def healthy():
            assert process.poll() is None, f"rongtuk run exited: {log_path.read_text()}"
            # the services start only once this process holds the port (shared/serving.py): before
            # that, a /healthz answer could be another test's site that took the same free port
            started = "starting services" in log_path.read_text(encoding="utf-8", errors="replace")
            return started and answers(f"{api.base}/healthz")

        wait_for(healthy, timeout=30, interval=0.2, message="rongtuk run to answer /healthz")
        api.data_dir, api.log_path, api.env = self.folder / "data", log_path, env
        return api

    def stop_all(self):
        self.processes.stop_all()


class StubHttp:
    """A local HTTP server standing in for another system (an SMS gateway, LINE, a webhook receiver):
    each POST is kept in `requests` as {path, headers (case-insensitive), body (bytes)} and answered
    with `respond(request)` -> (status, JSON-able body, {header: value}); by default 200 {}."""

    def __init__(self, respond=None, path=""):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        self.requests = []
        self.respond = respond or (lambda request: (200, {}, {}))
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                request = {"path": self.path, "headers": self.headers,
                           "body": self.rfile.read(int(self.headers.get("Content-Length") or 0))}
                outer.requests.append(request)
                status, answer, headers = outer.respond(request)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(json.dumps(answer).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.base + path
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def officer(role="director", name="นายสมพงษ์ ใจดี", units=(), site="HUB", kind="person"):
    """An acting officer (shared/actors.py): a director of the HUB site unless told otherwise."""
    from shared.actors import Actor
    return Actor(name=name, role=role, site_id=site, units=tuple(units), kind=kind)


def acting_as(role="director", **who):
    """The context data that makes a standalone RPC proxy's calls those of an officer:
    `ServiceRpcProxy("routing", config, context_data=acting_as("unit_officer", units=["roads"]))`."""
    return officer(role, **who).context()


class Acting:
    """What a service's `acting` dependency gives, for worker_factory: the officer acting, fixed."""

    def __init__(self, actor):
        self.actor = actor

    def required(self):
        from shared.actors import Forbidden
        if self.actor is None:
            raise Forbidden("no one is acting")
        return self.actor

    def act_as(self, actor):
        self.actor = actor


APPROVER_PASSWORD = "quiet-harbour-maple-1987"


def log_in(base, username, password):
    """A session's headers for an account: {"Authorization": "Bearer ..."}."""
    answer = requests.post(f"{base}/api/v1/session", json={"username": username, "password": password}, timeout=10)
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def reveal_with_approval(site, tracking_number, headers, reason="สอบข้อเท็จจริงตามคำสั่งที่ 12/2569"):
    """Who complained, as an officer (`headers`) asks on a running site (`rongtuk run`, its Api): for a
    confidential case the request is approved by the site's director (an account made for it, once),
    then asked again. The last answer."""
    url = f"{site.base}/api/v1/cases/{tracking_number}/complainant"
    asked = requests.post(url, json={"reason": reason}, headers=headers, timeout=10)
    if asked.status_code != 202:
        return asked
    made = subprocess.run([sys.executable, "-m", "services.cli", "user", "create", "approving-director", "--role",
                           "director", "--password-stdin"], input=APPROVER_PASSWORD + "\n", cwd=PROJECT_ROOT,
                          env=site.env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0 or "already" in made.stderr, made.stderr
    director = log_in(site.base, "approving-director", APPROVER_PASSWORD)
    approved = requests.post(f"{site.base}/api/v1/identity-requests/{asked.json()['request']['id']}/approve",
                             json={"note": "อนุมัติตามคำสั่ง"}, headers=director, timeout=10)
    assert approved.status_code == 200, approved.text
    return requests.post(url, json={"reason": reason}, headers=headers, timeout=10)


def clear_of_the_window_end(margin, window=900):
    """Wait, if the limits' current window (a quarter hour by default; Bangkok's quarter hours, hours and
    days all begin on UTC quarter hours) ends within `margin` seconds, until the next one has begun:
    counts a test makes over several steps must all fall in one window."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 1)
