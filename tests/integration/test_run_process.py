"""`rongtuk run` as a process (shared/serving.py): a second one on an address in use refuses to
start and leaves the port to the first, and SIGTERM or SIGINT, once or twice, ends it in time and
without a traceback while cases are flowing."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from shared.config import DISTRIBUTED_CONFIG, PROJECT_ROOT
from tests.helpers import Api, free_port, run_cli, thai_case, wait_for

REFUSAL = "another process is already listening there"
REFUSED_WITHIN = 30.0
STOPPED_WITHIN = 10.0


class Run:
    """One `rongtuk run` process as an operator starts it, its output in a file."""

    def __init__(self, log_path, env, python_args):
        self.log_path = log_path
        self._log = open(log_path, "w")
        self.process = subprocess.Popen([sys.executable, *python_args], cwd=PROJECT_ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)

    def output(self):
        return self.log_path.read_text(encoding="utf-8")

    def wait_until_answering(self, url):
        def answering():
            assert self.process.poll() is None, f"rongtuk run exited:\n{self.output()}"
            try:
                return requests.get(url, timeout=1).status_code == 200
            except requests.RequestException:
                return False
        wait_for(answering, timeout=30, interval=0.1, message=f"{url} to answer")

    def wait_for_output(self, text, timeout=10):
        wait_for(lambda: text in self.output(), timeout=timeout, interval=0.01, message=repr(text))

    def wait_for_exit(self, within):
        """The exit code and how long it took; fails the test if the process outlives `within`."""
        began = time.monotonic()
        try:
            code = self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {within} s later:\n{self.output()}")
        return code, time.monotonic() - began

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


@pytest.fixture
def start_run(tmp_path):
    started = []

    def start(name, env, *services, python_args=None):
        run = Run(tmp_path / f"{name}.log", env, python_args or ["-m", "services.cli", "run", *services])
        started.append(run)
        return run

    yield start
    for run in started:
        run.close()


def embedded_env(data_dir, port):
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "DATA_DIR": str(data_dir),
           "LOG_LEVEL": "INFO"}
    env.pop("RONGTUK_CONFIG", None)
    return env


def listeners(port):
    """How many sockets listen on TCP port `port` on this machine (the kernel's own tables)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                count += 1
    return count


def assert_refused(run, port):
    code, _ = run.wait_for_exit(REFUSED_WITHIN)
    output = run.output()
    assert code == 1, output
    assert f"cannot listen on 127.0.0.1:{port}: {REFUSAL}" in output
    assert "Traceback" not in output


def test_a_second_embedded_run_on_a_taken_port_refuses_and_the_first_keeps_every_request(
        start_run, tmp_path):
    port = free_port()
    env = embedded_env(tmp_path / "data", port)  # `make run` twice: one port, one data folder
    first = start_run("first", env)
    first.wait_until_answering(f"http://127.0.0.1:{port}/healthz")

    second = start_run("second", env)
    assert_refused(second, port)
    assert "starting services" not in second.output()  # refused before any service started

    assert listeners(port) == 1
    api = Api(f"http://127.0.0.1:{port}")
    created = api.post_case(thai_case()).json()
    # with two systems on the port, look-ups alternated between them and half were "not found"
    for _ in range(6):
        assert api.get_case(created["tracking_number"], created["access_code"]).status_code == 200
    assert first.process.poll() is None


def test_a_run_that_loses_the_port_while_starting_refuses_and_kills_what_it_started(start_run, tmp_path):
    # Two processes started at the same moment can both bind the address before either listens;
    # here the test is the other one: bound already, listening as soon as rongtuk starts services.
    port = free_port()
    other = socket.socket()
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    other.bind(("127.0.0.1", port))
    try:
        run = start_run("run", embedded_env(tmp_path / "data", port))
        run.wait_for_output("nameko.runners: starting services", timeout=30)
        other.listen(5)

        assert_refused(run, port)
        assert "killing services" in run.output()
        assert listeners(port) == 1
    finally:
        other.close()


@pytest.mark.rabbit
@pytest.mark.postgres
def test_a_second_distributed_service_process_on_a_taken_address_refuses(
        start_run, rabbit_config, pg_databases, tmp_path):
    port = free_port()
    env = {**os.environ, "RONGTUK_CONFIG": str(DISTRIBUTED_CONFIG), "AMQP_URI": rabbit_config["AMQP_URI"],
           "DATABASE_URL": pg_databases, "DATA_DIR": str(tmp_path / "data"),
           "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}", "LOG_LEVEL": "INFO"}
    migrated = run_cli("db", "upgrade", "--service", "reporting", env=env)
    assert migrated.returncode == 0, migrated.stderr
    first = start_run("reporting-1", env, "reporting")
    report = f"http://127.0.0.1:{port}/metrics"  # reporting's own (its reports need intake to check a key)
    first.wait_until_answering(report)

    second = start_run("reporting-2", env, "reporting")
    assert_refused(second, port)
    assert "starting services" not in second.output()

    assert listeners(port) == 1
    for _ in range(6):
        assert 'service="reporting"' in requests.get(report, timeout=5).text
    first.process.send_signal(signal.SIGTERM)
    code, seconds = first.wait_for_exit(STOPPED_WITHIN)
    assert code == 0 and "Traceback" not in first.output()
    print(f"distributed reporting stopped on SIGTERM in {seconds:.2f} s")


class CaseFlow(threading.Thread):
    """Posts cases one after another until told to stop, as a busy office would."""

    def __init__(self, api):
        super().__init__(daemon=True)
        self.api = api
        self.accepted = 0
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            try:
                if self.api.post_case(thai_case()).status_code == 201:
                    self.accepted += 1
            except requests.RequestException:  # the process stopping: refused, or cut off
                time.sleep(0.01)


# (signal, how many times, exit code): a repeated SIGTERM (a process-group kill, a supervisor
# insisting) changes nothing; a second SIGINT (Ctrl-C again) kills without waiting, which is
# exit code 1, as when the graceful stop runs out of time
STOPS = [(signal.SIGTERM, 1, 0), (signal.SIGTERM, 2, 0), (signal.SIGINT, 1, 0), (signal.SIGINT, 2, 1)]


@pytest.mark.parametrize("sig, times, expected_code", STOPS,
                         ids=[f"{s.name}x{n}" for s, n, _ in STOPS])
def test_a_stop_signal_ends_the_process_in_time_and_cleanly_while_cases_flow(
        start_run, tmp_path, sig, times, expected_code):
    port = free_port()
    run = start_run("run", embedded_env(tmp_path / "data", port))
    run.wait_until_answering(f"http://127.0.0.1:{port}/healthz")
    flow = CaseFlow(Api(f"http://127.0.0.1:{port}"))
    flow.start()
    try:
        wait_for(lambda: flow.accepted >= 20, timeout=20, message="cases flowing")

        began = time.monotonic()
        run.process.send_signal(sig)
        if times == 2:  # the second arrives while the first one's stop is under way
            run.wait_for_output(f"{sig.name} received: stopping services")
            run.process.send_signal(sig)
        code, _ = run.wait_for_exit(STOPPED_WITHIN - (time.monotonic() - began))
        seconds = time.monotonic() - began
    finally:
        flow.halt.set()
        flow.join(timeout=15)

    output = run.output()
    print(f"{sig.name} x{times}: exit {code} after {seconds:.2f} s, {flow.accepted} cases posted")
    assert code == expected_code, output
    assert seconds < STOPPED_WITHIN
    assert "Traceback" not in output
    assert output.count("received: stopping services") == 1
    assert output.count("nameko.runners: stopping services") <= 1
    if expected_code == 0:
        assert "services stopped" in output
    if times == 2 and sig == signal.SIGTERM:
        assert "SIGTERM received while stopping: ignored" in output
    if times == 2 and sig == signal.SIGINT:
        assert "SIGINT received again: killing services now" in output


# Two graceful stops that never end, patched into the process: a worker that never finishes (the
# grace runs out, then the kill), and the event loop itself blocked (only the watchdog, a thread
# of its own, can still end the process).
NEVER_STOPS = {
    "a worker never finishes": ("eventlet.sleep(3600)", "killing services: not stopped within 6 s"),
    "the event loop is blocked": ("patcher.original('time').sleep(3600)",
                                  "still running 9 s after SIGTERM; exiting now"),
}
NEVER_STOPPING_RUN = """
import eventlet
from eventlet import patcher

from shared import serving
from services.cli import main


def stop_starting_work(container):
    {stuck}


serving.Container.stop_starting_work = stop_starting_work
main(["run"])
"""


@pytest.mark.parametrize("stuck, said", NEVER_STOPS.values(), ids=NEVER_STOPS.keys())
def test_a_stop_that_cannot_finish_still_ends_the_process_in_time(start_run, tmp_path, stuck, said):
    port = free_port()
    run = start_run("run", embedded_env(tmp_path / "data", port),
                    python_args=["-c", NEVER_STOPPING_RUN.format(stuck=stuck)])
    run.wait_until_answering(f"http://127.0.0.1:{port}/healthz")

    began = time.monotonic()
    run.process.send_signal(signal.SIGTERM)
    code, _ = run.wait_for_exit(STOPPED_WITHIN)
    seconds = time.monotonic() - began

    output = run.output()
    print(f"{stuck}: exit {code} after {seconds:.2f} s")
    assert code == 1, output
    assert said in output
    assert "Traceback" not in output
