"""Routing's cost (run it through benchmarks.routing, which patches the standard library first): classifications per second, and the latency it adds to a case's event round trip.

    make bench-routing      # or: .venv/bin/python -m benchmarks.routing [--cases 200]

Trains the model on ../shared/data/routing/train.jsonl, then (1) times the decision alone over the
dev texts, rules only and rules plus model; (2) on the memory transport with SQLite, as embedded
mode runs, times case_received from publish to handled: first through a bare handler that only
records the event once (the baseline: the event round trip), then through the routing service.
Prints figures; asserts nothing.
"""
import argparse
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timezone

import eventlet
from nameko.runners import ServiceRunner
from nameko.standalone.events import event_dispatcher
from sqlalchemy import text

from services import upgrade_databases
from services.routing.decide import decide
from services.routing.directory import Directory
from services.routing.model import read_examples, train
from services.routing.service import RoutingService
from shared.config import DEPLOY_DIR, EMBEDDED_CONFIG, PROJECT_ROOT, load_config
from shared.delivery import event_handler
from shared.events import CASE_RECEIVED
from shared.store import Database, open_store

DATA = PROJECT_ROOT.parent / "shared" / "data" / "routing"


class BareHandler:
    """The baseline: receive case_received, record it once in the inbox, nothing else."""
    name = "routing"
    db = Database()

    @event_handler("intake", "case_received")
    def route_case(self, event):
        self.db.handle(event, lambda tx, e: None)


def body(text):
    return CASE_RECEIVED.build(
        site_id="HUB", case_id=str(uuid.uuid4()), tracking_number="HUB-2570-000001", channel="web", kind=1,
        subject=text[:60], description=text, received_at=datetime.now(timezone.utc), complainant_ref=None,
        contact_channels=[], category=None, location=None, confidential=False, field_check=False,
        linked_case_id=None, link_reason=None, referral=None)


def round_trips(config, service, texts):
    runner = ServiceRunner(config)
    runner.add_service(service)
    runner.start()
    dispatch = event_dispatcher(config)
    timings = []
    try:
        with open_store(config, "routing", "bench") as store:
            for sample in texts:
                event = body(sample)
                started = time.perf_counter()
                dispatch("intake", "case_received", event)
                while True:
                    with store.engine.connect() as conn:
                        if conn.execute(text("SELECT 1 FROM inbox WHERE event_id = :e"),
                                        {"e": event["event_id"]}).first():
                            break
                    eventlet.sleep(0.0005)
                timings.append(time.perf_counter() - started)
    finally:
        runner.stop()
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    directory = Directory.load(DEPLOY_DIR / "directory.yml")
    model = train(read_examples(DATA / "train.jsonl"), directory)
    texts = [t for t, _ in read_examples(DATA / "dev.jsonl")]
    # distinct texts, so no cache of word segmentation flatters the figures
    sample = [f"{t} (เรื่องที่ {i})" for i, t in enumerate((texts * (args.cases // len(texts) + 1))[:args.cases])]

    rates = {}
    for label, used in [("rules only", None), ("rules + model", model)]:
        started = time.perf_counter()
        for item in sample:
            decide(item, "", 1, directory, used)
        rates[label] = len(sample) / (time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as data:
        config = {**load_config(EMBEDDED_CONFIG), "DATA_DIR": data, "AMQP_URI": "memory://"}
        config.pop("LOGGING", None)
        upgrade_databases(config, ["routing"])
        model_path = f"{data}/model.joblib"
        model.save(model_path)
        base = round_trips({**config, "WEB_SERVER_ADDRESS": "127.0.0.1:0"}, BareHandler, sample)
        upgrade_databases({**config, "DATA_DIR": data + "/r"}, ["routing"])
        routed = round_trips({**config, "DATA_DIR": data + "/r", "ROUTING_MODEL": model_path,
                              "WEB_SERVER_ADDRESS": "127.0.0.1:0"}, RoutingService, sample)

    print(f"model {model.version}; {len(sample)} decisions each")
    for label, rate in rates.items():
        print(f"classifications per second, {label:<14} {rate:>8.0f}")
    b, r = statistics.median(base), statistics.median(routed)
    print(f"case_received round trip, bare handler (baseline)   median {b * 1000:6.1f} ms  "
          f"p95 {sorted(base)[int(.95 * len(base))] * 1000:6.1f} ms")
    print(f"case_received round trip, routing service           median {r * 1000:6.1f} ms  "
          f"p95 {sorted(routed)[int(.95 * len(routed))] * 1000:6.1f} ms  ({r / b:.1f}x baseline)")
    print(f"added latency per case                               median {(r - b) * 1000:6.1f} ms")

