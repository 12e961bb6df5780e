"""Routing on the labelled Thai complaints: the model with the rules, and the rules alone.

dev.jsonl is for measuring only: nothing in the project is tuned to its texts.
"""
import os

import pytest
from click.testing import CliRunner

from services.routing.decide import decide
from services.routing.directory import Directory
from services.routing.model import read_examples
from services.cli import main
from shared.config import DEPLOY_DIR, PROJECT_ROOT

DATA = PROJECT_ROOT.parent / "shared" / "data" / "routing"
TRAIN, DEV = DATA / "train.jsonl", DATA / "dev.jsonl"
# On a developer's machine without the team folder the module is skipped; in CI (CI=true) it must run.
pytestmark = pytest.mark.skipif(not DEV.exists() and not os.environ.get("CI"),
                                reason=f"the labelled data is not beside the checkout ({DATA})")


def test_evaluate_prints_unit_accuracy_then_the_kind_read_from_the_words():
    result = CliRunner().invoke(main, ["routing", "evaluate", "--train", str(TRAIN), "--test", str(DEV)])
    assert result.exit_code == 0, result.output
    accuracy, kind_accuracy, false_raises = result.output.strip().splitlines()[-3:]
    assert accuracy.startswith("accuracy ") and float(accuracy.split()[1]) >= 0.85, result.output
    assert kind_accuracy.startswith("kind accuracy ") and float(kind_accuracy.split()[2]) >= 0.85, result.output
    assert false_raises == "kind false raises 0", result.output
    for unit in ("admin-rules", "ict-pr", "inspection", "projects-funds", "training-knowledge"):
        assert unit in result.output  # per-unit precision and recall


def test_kind_false_raises_count_cases_decided_3_or_4_whose_kind_is_1_or_2(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join([
        '{"text": "ชาวบ้านจะฟ้องศาลปกครอง", "unit": "inspection", "kind": 2}',     # raised: counted
        '{"text": "มีการเรียกรับเงินหัวคิว", "unit": "inspection", "kind": 3}',      # right
        '{"text": "ขอทราบกำหนดการอบรม", "unit": "training-knowledge", "kind": 1}',   # right
        '{"text": "เจ้าหน้าที่พูดจาไม่สุภาพ", "unit": "inspection", "kind": 4}',      # lowered: not a raise
    ]), encoding="utf-8")
    result = CliRunner().invoke(main, ["routing", "evaluate", "--test", str(cases)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-2:] == ["kind accuracy 0.5000", "kind false raises 1"]


def test_a_test_file_without_kinds_prints_no_kind_lines(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"text": "ขอทราบกำหนดการฝึกอบรม", "unit": "training-knowledge"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["routing", "evaluate", "--test", str(cases)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "accuracy 1.0000" and "kind" not in result.output


def test_cross_validation_uses_the_training_file_alone():
    result = CliRunner().invoke(main, ["routing", "cross-validate", "--train", str(TRAIN), "--folds", "2",
                                       "--repeats", "1"])
    assert result.exit_code == 0, result.output
    first, kinds = result.output.strip().splitlines()
    assert first.startswith("cross-validated accuracy ") and first.endswith(" over 2 folds"), result.output
    assert float(first.split()[2]) >= 0.8 and kinds.startswith("kind accuracy ")


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


