"""deploy/ as the tools that read it do: the systemd units pass `systemd-analyze verify`, the compose
file `docker-compose config`, the Kubernetes overlay `kubectl kustomize` (every service with its
readiness and liveness probes), and the RabbitMQ definitions declare every exchange the services do,
as they declare it (a definition that disagreed would stop a service at start)."""
import json
import shutil
import subprocess

import yaml

from services import SERVICE_NAMES
from shared.config import PROJECT_ROOT
from shared.events import FEED_EXCHANGE, SITES_EXCHANGE
from tests.helpers import installed

DEPLOY = PROJECT_ROOT / "deploy"


def run(*command, cwd=PROJECT_ROOT):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = installed("systemd-analyze", "systemd")
    # as installed: /opt/rongtuk is the checkout (its .venv/bin/rongtuk must exist for verify to pass)
    for unit in ("rongtuk@.service", "rongtuk.target"):
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        (tmp_path / unit).write_text(text.replace("/opt/rongtuk", str(PROJECT_ROOT)), encoding="utf-8")
    said = run(analyze, "verify", "--man=no", str(tmp_path / "rongtuk@intake-1.service"),
               str(tmp_path / "rongtuk.target"), cwd=tmp_path)
    assert "Unknown key" not in said and "Unknown section" not in said, said
    unit = (DEPLOY / "systemd" / "rongtuk@.service").read_text(encoding="utf-8")
    for hardening in ("User=rongtuk", "NoNewPrivileges=yes", "ProtectSystem=strict", "Restart=on-failure",
                      "CapabilityBoundingSet=\n", "--no-migrate"):
        assert hardening in unit, hardening


def test_the_compose_file_passes_docker_compose_config(tmp_path):
    compose = installed("docker-compose", "docker-compose")
    env = tmp_path / "site.env"
    shutil.copy(DEPLOY / "docker" / "site.env.example", env)
    config = yaml.safe_load(run(compose, "-p", "rongtuk", "-f", str(DEPLOY / "docker" / "compose.yml"),
                                "--env-file", str(env), "config"))
    services = config["services"]
    assert set(SERVICE_NAMES) | {"init", "rabbitmq", "postgres"} == set(services)
    for name in SERVICE_NAMES:
        assert services[name]["command"] == ["run", "--no-migrate", name]
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])
    assert services["init"]["entrypoint"] == ["rongtuk", "site", "init"]


def test_the_kubernetes_overlay_builds_with_probes_on_every_service():
    kubectl = installed("kubectl", "kubectl")
    documents = list(yaml.safe_load_all(run(kubectl, "kustomize", str(DEPLOY / "kubernetes" / "overlays" / "example"))))
    deployments = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Deployment"}
    assert set(deployments) == {f"rongtuk-{name}" for name in SERVICE_NAMES}
    for name, deployment in deployments.items():
        assert deployment["metadata"]["namespace"] == "rongtuk-ksn"
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz/live", name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert deployments["rongtuk-intake"]["spec"]["replicas"] == 2
    assert {d["kind"] for d in documents} >= {"Namespace", "ConfigMap", "Service", "PersistentVolumeClaim"}


def test_the_rabbitmq_definitions_declare_the_exchanges_as_the_services_do():
    definitions = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))
    declared = {e["name"]: e for e in definitions["exchanges"]}
    expected = {f"{name}.events" for name in SERVICE_NAMES} | {"nameko-rpc", SITES_EXCHANGE, FEED_EXCHANGE}
    assert set(declared) == expected
    for exchange in declared.values():
        assert (exchange["type"], exchange["durable"], exchange["auto_delete"]) == ("topic", True, False)
