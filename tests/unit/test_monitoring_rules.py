"""deploy/monitoring/ as Prometheus reads it: the scrape configs and rules pass `promtool check`, every
alert's unit tests pass `promtool test rules` (each alert firing and not firing), every alert says
what is wrong in Thai and in English and links to its runbook in the docs, and the Alertmanager
example passes `amtool check-config`. promtool is Debian's `prometheus` package (.ci/run installs it)."""
import re
import shutil
import subprocess

import yaml

from shared.config import PROJECT_ROOT
from tests.helpers import installed

MONITORING = PROJECT_ROOT / "deploy" / "monitoring"
ALERTS = MONITORING / "rules" / "alerts.yml"
TESTS = MONITORING / "tests" / "alerts-test.yml"


def run(*command, cwd=MONITORING):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def alerts():
    return [rule for group in yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
            for rule in group["rules"] if "alert" in rule]


def test_the_rules_pass_promtool_check_and_their_unit_tests():
    promtool = installed("promtool", "prometheus")
    run(promtool, "check", "rules", "rules/recording.yml", "rules/alerts.yml")
    assert "SUCCESS" in run(promtool, "test", "rules", str(TESTS))


def test_the_scrape_configs_pass_promtool_check(tmp_path):
    promtool = installed("promtool", "prometheus")
    run(promtool, "check", "config", "prometheus-embedded.yml")
    # the distributed one names the token's file: checked with one in its place
    token = tmp_path / "token"
    token.write_text("x" * 32)
    shutil.copytree(MONITORING / "rules", tmp_path / "rules")
    text = (MONITORING / "prometheus-distributed.yml").read_text(encoding="utf-8")
    (tmp_path / "prometheus.yml").write_text(text.replace("/etc/prometheus/rongtuk-metrics.token", str(token)))
    run(promtool, "check", "config", "prometheus.yml", cwd=tmp_path)


def test_the_alertmanager_example_passes_amtool():
    amtool = installed("amtool", "prometheus-alertmanager")
    run(amtool, "check-config", "alertmanager.yml")


def test_every_alert_says_what_in_thai_and_english_links_its_runbook_and_is_tested():
    docs = (PROJECT_ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    anchors = {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
               for heading in re.findall(r"^#+ (.+)$", docs, re.M)}
    tested = TESTS.read_text(encoding="utf-8")
    for rule in alerts():
        said = rule["annotations"]
        assert said["summary"] and re.search("[\u0e00-\u0e7f]", said["summary_th"]), rule["alert"]
        assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
        page, _, anchor = said["runbook_url"].partition("#")
        assert page == "docs/operations.md" and anchor in anchors, (rule["alert"], anchor)
        firing = re.search(rf"alertname: {rule['alert']}\s+(#.*\s+)?exp_alerts:\s*(#.*)?\n\s+- exp_labels", tested)
        assert firing, f"{rule['alert']} has no test where it fires"
