"""How long a complaint takes to go through all five services, next to a bare HTTP round trip.

    make bench                      # embedded mode (memory transport, SQLite)
    .venv/bin/python -m benchmarks.flow --cases 200

Starts `rongtuk run` in a fresh data folder on a free port, posts cases one at a time and polls
GET every 5 ms until each shows status `routed`, a deadline and timeline entries from all five
services. The baseline, measured in the same run against the same process, is GET /healthz/live.
Prints figures; asserts nothing.
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

from services import SERVICE_NAMES
from shared.config import PROJECT_ROOT

CASE = {"channel": "hotline", "kind": 2, "subject": "ไฟถนนดับทั้งซอย",
        "description": "ไฟถนนในซอยดับมาสามคืนแล้ว ขอให้ตรวจสอบและซ่อมแซม"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PORT": str(port), "DATA_DIR": data, "LOG_LEVEL": "WARNING"}
        process = subprocess.Popen([sys.executable, "-m", "services.cli", "run"], cwd=PROJECT_ROOT, env=env)
        try:
            started = time.perf_counter()
            while True:
                try:
                    if requests.get(f"{base}/healthz/live", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.05)
            startup = time.perf_counter() - started
            session = requests.Session()
            for _ in range(20):  # warm up connections and code paths
                session.get(f"{base}/healthz/live")
            bare = []
            for _ in range(args.cases):
                t0 = time.perf_counter()
                session.get(f"{base}/healthz/live")
                bare.append(time.perf_counter() - t0)
            posts, flows = [], []
            for _ in range(args.cases):
                t0 = time.perf_counter()
                created = session.post(f"{base}/api/v1/cases", json=CASE).json()
                posts.append(time.perf_counter() - t0)
                while True:
                    case = session.get(f"{base}/api/v1/cases/{created['tracking_number']}",
                                       params={"access_code": created["access_code"]}).json()
                    seen = {entry["service"] for entry in case["timeline"] or []}
                    if case["status"] == "routed" and case["deadline"] and seen >= set(SERVICE_NAMES):
                        break
                    time.sleep(0.005)
                flows.append(time.perf_counter() - t0)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)

    baseline = statistics.median(bare)
    print(f"embedded mode, {args.cases} cases one at a time, startup {startup:.2f} s")
    print(f"{'':34}{'median':>10}{'p95':>10}{'max':>10}{'x baseline':>12}")
    for label, values in [("GET /healthz/live (baseline)", bare), ("POST /api/v1/cases", posts),
                          ("POST until all five services done", flows)]:
        print(f"{label:34}{statistics.median(values) * 1000:>8.1f}ms{percentile(values, .95) * 1000:>8.1f}ms"
              f"{max(values) * 1000:>8.1f}ms{statistics.median(values) / baseline:>11.1f}x")


if __name__ == "__main__":
    main()
