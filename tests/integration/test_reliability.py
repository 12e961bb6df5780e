"""What must hold when things go wrong, through real RabbitMQ and real PostgreSQL."""
import json
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from unittest.mock import patch

import eventlet
import pytest
from kombu import Connection, Exchange, Producer, Queue
from prometheus_client import REGISTRY

from services.intake.service import IntakeService
from services.routing import assignments
from services.routing.service import RoutingService
from shared.events import CASE_RECEIVED_V1 as CASE_RECEIVED  # v1 producers are still understood
from shared.outbox import OutboxRelay
from tests.helpers import api_for, count_rows, run_cli, thai_case, wait_for, write_config

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]

ROUTING_QUEUE = "evt-intake-case_received--routing.route_case"


def case_received(subject="ถนนหน้าโรงเรียนชำรุด", **overrides):
    now = datetime.now(timezone.utc)
    payload = dict(site_id="HUB", case_id=str(uuid.uuid4()), tracking_number=f"HUB-2570-{uuid.uuid4().int % 10**6:06d}",
                   channel="hotline", kind=2, subject=subject, description="ร้องเรียนผ่านสายด่วน",
                   received_at=now, complainant_ref=None, contact_channels=[])
    payload.update(overrides)
    return CASE_RECEIVED.build(**payload)


@contextmanager
def broker(config):
    with Connection(config["AMQP_URI"]) as conn:
        yield conn


def publish_raw(config, body, routing_key="case_received", exchange="intake.events",
                content_type="application/json"):
    with broker(config) as conn:
        producer = Producer(conn.channel(), exchange=Exchange(exchange, type="topic", durable=True))
        raw = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
        producer.publish(raw, routing_key=routing_key, content_type=content_type, content_encoding="utf-8",
                         declare=[producer.exchange])


def queue_depth(config, name):
    with broker(config) as conn:
        _, ready, consumers = conn.channel().queue_declare(name, passive=True)
        return ready


class Catcher:
    """A queue of our own bound to a service's event exchange: counts what was really published."""

    def __init__(self, config, exchange, routing_key):
        self.config = config
        self.queue = Queue(f"test-catcher-{uuid.uuid4().hex[:6]}", Exchange(exchange, type="topic", durable=True),
                           routing_key=routing_key, durable=True)
        with broker(config) as conn:
            self.queue(conn.channel()).declare()

    def drain(self):
        bodies = []
        with broker(self.config) as conn:
            bound = self.queue(conn.channel())
            while (message := bound.get(no_ack=True)) is not None:
                bodies.append(json.loads(message.body))
        return bodies


def calls(service, entrypoint):
    return REGISTRY.get_sample_value("rongtuk_entrypoint_calls_total",
                                     {"service": service, "entrypoint": entrypoint}) or 0


def test_an_event_committed_but_not_yet_published_is_published_after_a_restart(container_factory,
                                                                                 distributed_config):
    catcher = Catcher(distributed_config, "intake.events", "case_received")
    reached_publish = eventlet.event.Event()

    def stuck_forever(self, event_type, body, to_site=None):
        reached_publish.send()
        eventlet.sleep(3600)

    with patch.object(OutboxRelay, "publish", stuck_forever):
        intake = container_factory(IntakeService, distributed_config)
        intake.start()
        created = api_for(distributed_config).post_case(thai_case()).json()
        with eventlet.Timeout(15):
            reached_publish.wait()
        intake.kill()  # the relay dies between the commit and the publish

    assert count_rows(distributed_config, "intake", "outbox", "WHERE published_at IS NULL") == 1

    restarted = container_factory(IntakeService, distributed_config)
    restarted.start()
    wait_for(lambda: count_rows(distributed_config, "intake", "outbox", "WHERE published_at IS NULL") == 0,
             message="the outbox to drain after restart")
    published = catcher.drain()  # everything ever published: the killed relay sent nothing, the new one once
    assert [body["case_id"] for body in published] == [created["case_id"]]
    assert published[0]["tracking_number"] == created["tracking_number"]


def test_case_received_delivered_twice_has_one_effect(container_factory, distributed_config):
    routing = container_factory(RoutingService, distributed_config)
    routing.start()
    catcher = Catcher(distributed_config, "routing.events", "case_routed")
    before = calls("routing", "route_case")
    body = case_received()

    publish_raw(distributed_config, body)
    publish_raw(distributed_config, body)

    wait_for(lambda: calls("routing", "route_case") - before == 2, message="both deliveries handled")
    assert count_rows(distributed_config, "routing", "assignments") == 1
    assert count_rows(distributed_config, "routing", "inbox") == 1
    assert count_rows(distributed_config, "routing", "outbox", "WHERE event_type = 'case_routed'") == 1
    wait_for(lambda: count_rows(distributed_config, "routing", "outbox", "WHERE published_at IS NULL") == 0)
    # both handlers are done and the broker confirmed every row: the queue holds all there will be
    assert [e["case_id"] for e in catcher.drain()] == [body["case_id"]]


def test_a_handler_that_keeps_failing_ends_in_the_dead_letters_while_others_flow_and_replay_delivers_it(
        container_factory, distributed_config, tmp_path):
    real_route_case = assignments.route_case

    def broken_for_poison(tx, event, directory):
        if "POISON" in event["subject"]:
            raise RuntimeError("directory service unreachable")
        return real_route_case(tx, event, directory)

    poison = case_received(subject="POISON ท่อประปาแตก")
    retried = {"service": "routing", "handler": "routing.route_case"}
    retries_before = REGISTRY.get_sample_value("rongtuk_handler_retries_total", retried) or 0
    with patch.object(assignments, "route_case", broken_for_poison):
        routing = container_factory(RoutingService, distributed_config)
        routing.start()
        publish_raw(distributed_config, poison)
        good = [case_received(subject=f"ไฟฟ้าดับ ซอย {i}") for i in range(3)]
        for body in good:
            publish_raw(distributed_config, body)

        # the good cases are routed while the poison one is still being retried
        wait_for(lambda: count_rows(distributed_config, "routing", "assignments") == 3, message="good cases routed")
        wait_for(lambda: count_rows(distributed_config, "routing", "dead_letters") == 1, message="a dead letter")

    config_file = write_config(distributed_config, tmp_path / "config.yml")
    listed = run_cli("--config", str(config_file), "dlq", "list", "--service", "routing")
    assert listed.returncode == 0, listed.stderr
    assert "routing:1" in listed.stdout and "case_received" in listed.stdout
    assert poison["case_id"] in listed.stdout and "RuntimeError" in listed.stdout
    assert " 3 " in listed.stdout  # every attempt the policy allows was made
    assert REGISTRY.get_sample_value("rongtuk_handler_retries_total", retried) - retries_before == 2  # 3 attempts
    assert queue_depth(distributed_config, ROUTING_QUEUE) == 0  # acknowledged, not stuck in the queue

    # the cause is fixed (the patch is gone): replay delivers it
    replayed = run_cli("--config", str(config_file), "dlq", "replay", "routing:1", "--wait", "15")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    wait_for(lambda: count_rows(distributed_config, "routing", "assignments",
                                f"WHERE case_id = '{poison['case_id']}'") == 1, message="the replayed case routed")
    assert count_rows(distributed_config, "routing", "dead_letters", "WHERE status = 'replayed'") == 1
    assert "no dead letters" in run_cli("--config", str(config_file), "dlq", "list").stdout


def test_messages_that_break_the_contract_are_dead_lettered_and_crash_nothing(container_factory,
                                                                              distributed_config):
    routing = container_factory(RoutingService, distributed_config)
    routing.start()
    wrong_schema = case_received()
    wrong_schema["kind"] = 9
    del wrong_schema["tracking_number"]
    publish_raw(distributed_config, wrong_schema)
    publish_raw(distributed_config, {"hello": "world"})
    publish_raw(distributed_config, b'{"event_id": "truncated', content_type="application/json")
    publish_raw(distributed_config, b"\x80\x81 not json", content_type="application/octet-stream")
    good = case_received()
    publish_raw(distributed_config, good)

    wait_for(lambda: count_rows(distributed_config, "routing", "dead_letters") == 4, message="four dead letters")
    wait_for(lambda: count_rows(distributed_config, "routing", "assignments") == 1, message="the good case routed")
    assert count_rows(distributed_config, "routing", "dead_letters", "WHERE reason = 'invalid'") == 4
    assert count_rows(distributed_config, "routing", "dead_letters",
                      f"WHERE case_id = '{wrong_schema['case_id']}' AND error LIKE '%kind%'") == 1
    assert not routing._died.ready()
    assert queue_depth(distributed_config, ROUTING_QUEUE) == 0

    # and the service still works afterwards
    later = case_received()
    publish_raw(distributed_config, later)
    wait_for(lambda: count_rows(distributed_config, "routing", "assignments") == 2)
