"""Routing on the labelled Thai complaints: the model with the rules, and the rules alone.

dev.jsonl is for measuring only: nothing in the project is tuned to its texts.
"""
import os

import pytest
from click.testing import CliRunner

from services.routing.decide import decide
from services.routing.directory import Directory
from services.routing.model import read_examples
from shared.cli import main
from shared.config import DEPLOY_DIR, PROJECT_ROOT

DATA = PROJECT_ROOT.parent / "shared" / "data" / "routing"
TRAIN, DEV = DATA / "train.jsonl", DATA / "dev.jsonl"
# On a developer's machine without the team folder the module is skipped; in CI (CI=true) it must run.
pytestmark = pytest.mark.skipif(not DEV.exists() and not os.environ.get("CI"),
                                reason=f"the labelled data is not beside the checkout ({DATA})")


def test_evaluate_reaches_085_unit_accuracy_on_dev():
    result = CliRunner().invoke(main, ["routing", "evaluate", "--train", str(TRAIN), "--test", str(DEV)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("accuracy ")
    assert float(last.split()[1]) >= 0.85, result.output
    for unit in ("admin-rules", "ict-pr", "inspection", "projects-funds", "training-knowledge"):
        assert unit in result.output  # per-unit precision and recall


def test_with_no_training_data_the_rules_route_or_triage_every_dev_text_and_say_why():
    directory = Directory.load(DEPLOY_DIR / "directory.yml")
    decisions = [decide(text, "", 1, directory) for text, _ in read_examples(DEV)]
    assert len(decisions) == len(read_examples(DEV))
    for decision in decisions:
        assert decision.method in ("rule", "triage")
        assert decision.unit.id in directory.units
        assert decision.reason.startswith("rule ") or decision.reason.startswith("triage: ")
    assert any(d.method == "rule" for d in decisions)


def test_train_saves_a_versioned_model(tmp_path):
    out = tmp_path / "model.joblib"
    result = CliRunner().invoke(main, ["routing", "train", "--train", str(TRAIN), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and result.output.startswith("model 2")
    from services.routing.model import RoutingModel
    model = RoutingModel.load(out)
    assert model.version in result.output and set(model.units) == {u for _, u in read_examples(TRAIN)}
    assert model.meta["examples"] == 50


def test_a_training_file_naming_an_unknown_unit_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ถนนพัง", "unit": "roads"}\n{"text": "ขอข้อมูล", "unit": "ict-pr"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["routing", "train", "--train", str(bad), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "roads" in result.output


def test_a_test_file_that_is_not_jsonl_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["routing", "evaluate", "--test", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output


