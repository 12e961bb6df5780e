"""/healthz: each service of the process says whether it reaches its database and broker (200 when all
do, 503 and which check fails when one does not); /healthz/live answers while the process serves."""
import pytest
import requests

from services.routing.service import RoutingService
from services.sla.service import SlaService
from shared import health


def test_every_service_of_the_process_answers_for_its_database_and_broker(container_factory, embedded_config,
                                                                         monkeypatch):
    for service in (SlaService, RoutingService):
        container_factory(service, embedded_config).start()
    base = f"http://{embedded_config['WEB_SERVER_ADDRESS']}"
    answer = requests.get(f"{base}/healthz", timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "ok", "site": "HUB", "services": {
        "routing": {"database": "ok", "broker": "ok"}, "sla": {"database": "ok", "broker": "ok"}}}

    # sla's database stops answering: 503, and which check of which service; the process still lives
    def refused(engine):
        if "sla" in str(engine.url):
            raise ConnectionError("database away")
    monkeypatch.setattr(health, "_database_answers", refused)
    monkeypatch.setattr(health, "KEEP", 0.0)  # no answer kept from before
    answer = requests.get(f"{base}/healthz", timeout=10)
    assert answer.status_code == 503
    assert answer.json()["status"] == "failing"
    assert answer.json()["services"]["sla"] == {"database": "failing", "broker": "ok"}
    assert answer.json()["services"]["routing"]["database"] == "ok"
    assert "database away" not in answer.text  # why is for the log, not for whoever asks
    assert requests.get(f"{base}/healthz/live", timeout=10).json() == {"status": "ok"}


def test_a_broker_that_does_not_answer_fails_the_check():
    with pytest.raises(Exception):
        health._broker_answers("amqp://guest:guest@127.0.0.1:1/")
    health._broker_answers("memory://")  # the in-memory broker is the process's own
