"""Does the hub keep up with many districts as well as with one? The lag from a district publishing
a feed event to the hub having folded it, with the same total load from 1 and from 100 districts.

    make bench-hub     # or: .venv/bin/python -m benchmarks.hub [--sites 1 100] [--rate 1000] [--seconds 15]

Needs RabbitMQ (127.0.0.1:5672 and its management API on 15672, guest/guest, the federation plugin
on, as .ci/run enables it) and PostgreSQL (127.0.0.1:5432, trust). Makes a hub vhost and one vhost per
district (all removed at the end), the database rongtuk_bench_hub (dropped at the end), and starts
the hub's reporting as `rongtuk run reporting` processes (`--processes`, FEED.receive on), linked to
every district by RabbitMQ federation as `rongtuk sites link` links them. The districts are synthetic
publishers: each writes its feed exactly as a district's feed relay does (numbered, redacted events
of whole cases: received, routed, two clocks started, the acknowledgment, the answer, the clock
stopped), with publisher confirms, mandatory, on its own vhost's feed exchange; together they send
`--rate` events a second for `--seconds`. The lag of an event is the hub's `feed_received.received_at`
(the commit that folded it) minus when its district published it; all on this machine's clock.
Prints, per number of districts, events, p50 / p99 / max lag and the hub's throughput, and the ratios
of 100 districts to 1. Asserts nothing but that every event arrived once.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import requests
import sqlalchemy as sa
import yaml
from kombu import Connection, Exchange

from benchmarks import fresh_database
from services.reporting import feed
from shared import events, sites
from shared.config import DISTRIBUTED_CONFIG, PROJECT_ROOT, load_config
from shared.store import make_engine
from shared.times import utcnow

MANAGEMENT = "http://guest:guest@127.0.0.1:15672"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
HUB_VHOST = "rongtuk_bench_hub"
FEED_EXCHANGE = Exchange(events.FEED_EXCHANGE, type="topic", durable=True)


def api(method, path, **kwargs):
    response = requests.request(method, f"http://127.0.0.1:15672/api/{path}", auth=("guest", "guest"),
                                timeout=30, **kwargs)
    if response.status_code >= 400 and not (method == "DELETE" and response.status_code == 404):
        raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:200]}")
    return response.json() if response.content else None


def make_vhost(name):
    api("DELETE", f"vhosts/{quote(name, safe='')}")
    api("PUT", f"vhosts/{quote(name, safe='')}")
    api("PUT", f"permissions/{quote(name, safe='')}/guest", json={"configure": ".*", "write": ".*", "read": ".*"})


def vhost_uri(vhost):
    return f"{AMQP}{quote(vhost, safe='')}"


def case_events(site, case_number, now):
    """The feed events of one whole case at `site`, in order: (source, name, redacted body)."""
    case_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site}/{case_number}/{now.timestamp()}"))
    tracking = f"{site}-2570-{case_number:06d}"
    due = now + timedelta(days=3)
    common = {"site_id": site, "case_id": case_id}
    clock = {"clock_id": None, "kind": 2, "unit_id": "works", "due_at": due}
    built = [
        ("intake", events.CASE_RECEIVED.build(
            **common, tracking_number=tracking, channel="hotline", kind=2, subject="ถนนชำรุด",
            description="ถนนหน้าหมู่บ้านเป็นหลุมลึก", received_at=now, complainant_ref=str(uuid.uuid4()),
            contact_channels=["phone"], category=None, location={"province": "กาฬสินธุ์", "district": None,
                                                                 "subdistrict": None, "has_coordinates": False},
            confidential=False, field_check=False, linked_case_id=None, link_reason=None, referral=None)),
        ("routing", events.CASE_ROUTED.build(
            **common, tracking_number=tracking, kind=2, received_at=now, unit_id="works", unit_name="กองช่าง",
            reason="rule: ถนน", method="rule", score=None, model_version=None, kind_reason="as received")),
        ("sla", events.SLA_CLOCK_STARTED.build(**common, **{**clock, "clock_id": str(uuid.uuid4())},
                                               target="resolution", started_at=now, business_days=3)),
        ("sla", events.SLA_CLOCK_STARTED.build(**common, **{**clock, "clock_id": str(uuid.uuid4())},
                                               target="first_notice", started_at=now, business_days=0)),
        ("notify", events.NOTIFICATION_RECORDED.build(**common, notification_id=str(uuid.uuid4()),
                                                      purpose="acknowledgment", channel="sms", outcome="delivered",
                                                      attempts=1)),
        ("routing", events.CASE_ANSWERED.build(**common, tracking_number=tracking, answer="ซ่อมแล้ว",
                                               officer="นายช่าง", unit_id="works", answered_by_site=site,
                                               referral=None, to_site=None, documents=[])),
        ("sla", events.SLA_CLOCK_STOPPED.build(**common, **{**clock, "clock_id": str(uuid.uuid4())},
                                               target="resolution", outcome="met", business_days_used=1)),
    ]
    names = ("case_received", "case_routed", "sla_clock_started", "sla_clock_started", "notification_recorded",
             "case_answered", "sla_clock_stopped")
    return [(source, name, feed.outgoing(name, body)) for (source, body), name in zip(built, names)]


class District(threading.Thread):
    """One synthetic district: publishes its feed at `rate` events a second for `seconds`."""

    def __init__(self, site, vhost, rate, seconds, started):
        super().__init__(daemon=True)
        self.site, self.vhost, self.rate, self.seconds, self.started = site, vhost, rate, seconds, started
        self.published = {}   # seq -> time.time() just before its publish (confirmed before the next)
        self.error = None

    def run(self):
        try:
            with Connection(vhost_uri(self.vhost), transport_options={"confirm_publish": True}) as conn:
                producer = conn.Producer()
                seq, case_number, queue = 0, 0, []
                total = int(self.rate * self.seconds)
                self.started.wait()
                t0 = time.monotonic()
                while seq < total:
                    if not queue:
                        case_number += 1
                        queue = case_events(self.site, case_number, utcnow())
                    source, name, body = queue.pop(0)
                    seq += 1
                    delay = t0 + (seq - 1) / self.rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    sent = time.time()
                    producer.publish({"site_id": self.site, "seq": seq, "source": source, "event_type": name,
                                      "fed_at": utcnow().isoformat(), "event": body}, exchange=FEED_EXCHANGE,
                                     routing_key=events.feed_routing_key("HUB", self.site, source, name), mandatory=True,
                                     serializer="json", retry=True)
                    self.published[seq] = sent
        except Exception as exc:  # shown by the run
            self.error = exc


def hub_config(folder, database_url, port, n):
    config = load_config(DISTRIBUTED_CONFIG)
    config.update(AMQP_URI=vhost_uri(HUB_VHOST), DATABASE_URL=database_url, WEB_SERVER_ADDRESS=f"127.0.0.1:{port}",
                  SITE_ID="HUB", DATA_DIR=str(folder / "data"))
    config["FEED"] = {**config["FEED"], "receive": True, "replay_after": 3600, "upkeep_interval": 60}
    config["LOGGING"]["root"]["level"] = "WARNING"
    path = folder / f"hub-{n}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def start_hub(database_url, processes, folder):
    started = []
    for n in range(processes):
        port = _free_port()
        env = {**os.environ, "RONGTUK_CONFIG": str(hub_config(folder, database_url, port, n))}
        log = open(folder / f"hub-{n}.log", "w")
        started.append((subprocess.Popen([sys.executable, "-m", "services.cli", "run", "reporting"], cwd=PROJECT_ROOT,
                                         env=env, stdout=log, stderr=subprocess.STDOUT), port))
    try:
        _wait_until_up(started, folder)
    except BaseException:
        for process, _ in started:
            process.kill()
        raise
    return [process for process, _ in started]


def _wait_until_up(started, folder):
    for n, (process, port) in enumerate(started):
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("the hub's reporting exited:\n" + (folder / f"hub-{n}.log").read_text()[-3000:])
            try:
                if requests.get(f"http://127.0.0.1:{port}/metrics", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the hub's reporting did not start:\n" + (folder / f"hub-{n}.log").read_text()[-3000:])
            time.sleep(0.2)


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bound(vhost):
    bindings = api("GET", f"exchanges/{quote(vhost, safe='')}/{events.FEED_EXCHANGE}/bindings/source") or []
    return any(b["routing_key"] == "HUB.#" for b in bindings)


def run(engine, count, rate, seconds):
    """One run with `count` districts; returns the lags (seconds) and the hub's elapsed time."""
    with engine.begin() as conn:
        for table in ("feed_received", "feed_sites", "case_events", "case_summaries", "case_figures", "inbox"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
    names = [f"D{n:03d}" for n in range(1, count + 1)]
    vhosts = {name: f"rongtuk_bench_{name.lower()}" for name in names}
    try:
        for name, vhost in vhosts.items():
            make_vhost(vhost)
            sites.link(MANAGEMENT, HUB_VHOST, name.lower(), vhost_uri(vhost))
        deadline = time.monotonic() + 120
        while not all(bound(v) for v in vhosts.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("the hub's federation links did not come up")
            time.sleep(0.5)
        go = threading.Event()
        districts = [District(name, vhosts[name], rate / count, seconds, go) for name in names]
        for district in districts:
            district.start()
        began = time.time()
        go.set()
        for district in districts:
            district.join()
        errors = [d.error for d in districts if d.error]
        if errors:
            raise RuntimeError(f"a district failed to publish: {errors[0]!r}")
        expected = sum(len(d.published) for d in districts)
        deadline = time.monotonic() + 600
        while True:
            with engine.connect() as conn:
                got = conn.execute(sa.text("SELECT count(*) FROM feed_received")).scalar_one()
            if got >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT site_id, seq, received_at FROM feed_received")).all()
        by_site = {d.site: d.published for d in districts}
        lags = [row.received_at.timestamp() - by_site[row.site_id][row.seq] for row in rows]
        last = max(row.received_at.timestamp() for row in rows) if rows else began
        return {"districts": count, "events": expected, "received": len(rows), "lags": lags,
                "throughput": len(rows) / max(last - began, 1e-9)}
    finally:
        for name, vhost in vhosts.items():
            try:
                sites.unlink(MANAGEMENT, HUB_VHOST, name.lower())
            except sites.LinkError:
                pass
            api("DELETE", f"vhosts/{quote(vhost, safe='')}")


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--rate", type=float, default=1000.0, help="events a second, all districts together")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--processes", type=int, default=2, help="the hub's reporting processes")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="rongtuk-bench-hub-") as tmp, \
            fresh_database("rongtuk_bench_hub", "reporting") as url:
        folder = Path(tmp)
        make_vhost(HUB_VHOST)
        engine = make_engine(url)
        hub = start_hub(url, args.processes, folder)
        try:
            for count in args.sites:
                result = run(engine, count, args.rate, args.seconds)
                results.append(result)
                lags = result["lags"]
                print(f"{count:>4} district(s): {result['received']}/{result['events']} events, "
                      f"lag p50 {statistics.median(lags) * 1000:.0f} ms, p99 {quantile(lags, 0.99) * 1000:.0f} ms, "
                      f"max {max(lags) * 1000:.0f} ms; the hub folded {result['throughput']:.0f} events/s",
                      flush=True)
        finally:
            for process in hub:
                process.terminate()
            for process in hub:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            engine.dispose()
            api("DELETE", f"vhosts/{quote(HUB_VHOST, safe='')}")
    if len(results) >= 2:
        base, many = results[0], results[-1]
        print(f"{many['districts']} districts / {base['districts']}: "
              f"p50 {statistics.median(many['lags']) / statistics.median(base['lags']):.2f}x, "
              f"p99 {quantile(many['lags'], 0.99) / quantile(base['lags'], 0.99):.2f}x "
              f"(same {args.rate:.0f} events/s for {args.seconds:.0f} s, {args.processes} hub reporting processes)")
    for result in results:
        if result["received"] != result["events"]:
            print(f"MISSING: {result['events'] - result['received']} events of the {result['districts']}-district run")
            sys.exit(1)


if __name__ == "__main__":
    main()
