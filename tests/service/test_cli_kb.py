"""`rongtuk kb`: the knowledge base kept from the command line, on routing's database."""
import yaml
from click.testing import CliRunner

from services.cli import main
from tests.helpers import write_config

SHIPPED = ["certificate", "grant-documents", "office-hours", "training-schedule"]
PARKING = ["--id", "office-parking", "--question", "สำนักงานมีที่จอดรถสำหรับผู้มาติดต่อไหม",
           "--question", "มาติดต่อราชการจอดรถได้ที่ไหน", "--unit", "admin-rules",
           "--answer", "ผู้มาติดต่อจอดรถได้ที่ลานจอดด้านหลังอาคาร 2"]
INQUIRY = "อยากทราบว่าสำนักงานมีที่จอดรถให้ผู้มาติดต่อไหมครับ"


def invoke(config, *args, env=None):
    return CliRunner().invoke(main, ["--config", str(config), "kb", *args], catch_exceptions=False, env=env)


def listed_ids(config, *flags):
    result = invoke(config, "list", *flags)
    assert result.exit_code == 0, result.output
    return [line.split()[0] for line in result.output.splitlines()]


def test_help_names_the_kb_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert "rongtuk kb" in result.output
    result = CliRunner().invoke(main, ["kb", "--help"])
    for command in ("list", "put", "add", "remove", "import", "export", "search", "history"):
        assert f"  {command} " in result.output


def test_entries_are_put_searched_and_removed(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")
    assert listed_ids(config) == SHIPPED  # a new site starts from deploy/knowledge.yml
    assert "office-parking" not in invoke(config, "search", INQUIRY).output

    added = invoke(config, "put", *PARKING, "--officer", "นางสาวเพ็ญ")
    assert added.exit_code == 0 and added.output == "office-parking: added\n"
    assert invoke(config, "put", *PARKING, "--officer", "x").output == "office-parking: unchanged\n"
    taken = invoke(config, "add", *PARKING, "--officer", "x")
    assert taken.exit_code == 1 and "already exists" in taken.output
    assert "office-parking" in listed_ids(config)
    line = next(x for x in invoke(config, "list").output.splitlines() if x.startswith("office-parking"))
    assert "admin-rules" in line and "นางสาวเพ็ญ" in line and "2 question(s)" in line

    found = invoke(config, "search", INQUIRY).output.splitlines()
    assert found[0].split()[1] == "office-parking" and found[0].endswith("answers an inquiry")
    assert found[-1] == "ผู้มาติดต่อจอดรถได้ที่ลานจอดด้านหลังอาคาร 2"

    removed = invoke(config, "remove", "office-parking", env={"LOGNAME": "somphong", "USER": "somphong"})
    assert removed.exit_code == 0 and removed.output == "office-parking: removed\n"
    assert listed_ids(config) == SHIPPED
    assert "office-parking" in listed_ids(config, "--removed")
    assert "office-parking" not in invoke(config, "search", INQUIRY).output
    again = invoke(config, "remove", "office-parking")
    assert again.exit_code == 1 and "no entry 'office-parking'" in again.output
    history = invoke(config, "history", "office-parking").output.splitlines()
    assert [line.split()[2:] for line in history] == [["added", "office-parking", "นางสาวเพ็ญ"],
                                                      ["removed", "office-parking", "somphong"]]


def test_bad_entries_are_refused_with_the_reason(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")
    for args, reason in [(["--id", "Office Parking"], "1-64 characters of a-z"),
                         (["--unit", "roads"], "unit 'roads' is not a unit of the directory"),
                         (["--answer", " "], "answer: give the text"),
                         (["--officer", ""], "say which officer")]:
        result = invoke(config, "put", *PARKING, *args)
        assert result.exit_code == 1 and reason in result.output, (args, result.output)
    assert invoke(config, "put", "--id", "x", "--answer", "y").exit_code == 2  # no --question
    assert listed_ids(config) == SHIPPED


def test_export_and_import_round_trip_all_or_nothing(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")
    invoke(config, "put", *PARKING, "--officer", "นางสาวเพ็ญ")
    exported = invoke(config, "export")
    data = yaml.safe_load(exported.output)
    assert [e["id"] for e in data["entries"]] == sorted(SHIPPED + ["office-parking"])
    parking = next(e for e in data["entries"] if e["id"] == "office-parking")
    assert parking["unit"] == "admin-rules" and len(parking["questions"]) == 2

    path = tmp_path / "kb.yml"
    assert invoke(config, "export", str(path)).output == f"5 entries written to {path}\n"
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == data
    assert invoke(config, "import", str(path)).output == "0 added, 0 replaced, 5 unchanged, 0 removed\n"

    data["entries"] = [e for e in data["entries"] if e["id"] != "certificate"]
    data["entries"][0]["answer"] += " (ปรับปรุง)"
    data["entries"].append({"id": "fees", "questions": ["ค่าธรรมเนียมเท่าไร"], "answer": "ไม่มีค่าธรรมเนียม"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump({"entries": data["entries"] + [{"id": "bad", "questions": [],
                                                                       "answer": "x"}]}, allow_unicode=True),
                      encoding="utf-8")
    refused = invoke(config, "import", str(broken), "--remove-missing")
    assert refused.exit_code == 1 and "entry 6 (bad): questions: give at least one question" in refused.output
    assert listed_ids(config) == sorted(SHIPPED + ["office-parking"])  # nothing of it was written

    imported = invoke(config, "import", str(path), "--remove-missing", "--officer", "นายสมพงษ์")
    assert imported.output == "1 added, 1 replaced, 3 unchanged, 1 removed\n"
    assert listed_ids(config) == ["fees", "grant-documents", "office-hours", "office-parking", "training-schedule"]


def test_a_database_not_yet_migrated_is_named(tmp_path):
    from shared.config import EMBEDDED_CONFIG, load_config
    config = load_config(EMBEDDED_CONFIG)
    config.update(DATA_DIR=str(tmp_path / "data"))
    path = write_config(config, tmp_path / "config.yml")
    result = invoke(path, "list")
    assert result.exit_code == 1 and "run `rongtuk db upgrade`" in result.output
