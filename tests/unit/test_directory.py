"""services/routing/directory.py: the organisation directory and keyword routing."""
import copy
import unicodedata

import pytest

from services.routing.directory import Directory, DirectoryError
from shared.config import DEPLOY_DIR

DIRECTORY_FILE = DEPLOY_DIR / "directory.yml"  # the checkout's own, wherever it is


@pytest.fixture(scope="module")
def directory():
    return Directory.load(DIRECTORY_FILE)


MAPPING = {
    "default_unit": "inspection",
    "units": {
        "inspection": {"name_th": "กลุ่มงานตรวจสอบและติดตามผล", "name_en": "Inspection and Follow-up Group"},
        "water": {"name_th": "ฝ่ายประปา", "code": "ปป."},
        "roads": {"name_th": "ฝ่ายโยธา"},
    },
    "rules": [
        {"id": "urgent-water", "unit": "water", "keywords": ["น้ำไม่ไหล"], "kinds": [1]},
        {"id": "roads", "unit": "roads", "keywords": ["ถนน", "Pothole"]},
        {"id": "water", "unit": "water", "keywords": ["ประปา", "ปู่"]},
    ],
}


def mapping(**changes):
    data = copy.deepcopy(MAPPING)
    data.update(changes)
    return data


# --- the shipped directory -----------------------------------------------------------------

def test_shipped_directory_loads(directory):
    assert set(directory.units) == {"ict-pr", "projects-funds", "admin-rules", "inspection", "training-knowledge"}
    assert directory.triage_unit.id == "inspection"
    assert [r.id for r in directory.rules] == ["serious", "misconduct", "funds", "rules-meetings", "training",
                                              "information"]
    assert all(len(u.about) >= 10 for u in directory.units.values())  # each unit's words teach the model
    unit = directory.units["projects-funds"]
    assert unit.name_th == "กลุ่มงานเสริมสร้างศักยภาพและการมีส่วนร่วม"
    assert unit.name_en == "Capacity Building and Participation Group"
    assert unit.code == "กสร."


def test_assign_names_the_rule_and_keyword(directory):
    assignment = directory.assign(
        "ขอทราบความคืบหน้าการโอนเงินโครงการ",
        "กลุ่มเกษตรกรบ้านโนนสูงยื่นเอกสารตั้งแต่เดือนสิงหาคมแต่ยังไม่ได้รับเงิน",
        2,
    )

    assert assignment.unit.id == "projects-funds"
    assert assignment.reason == "rule funds: \'โอนเงิน'"


def test_first_matching_rule_wins(directory):
    # matches both "misconduct" (เรียกรับเงิน) and "funds" (เงินโครงการ); misconduct comes first
    assignment = directory.assign(
        "เจ้าหน้าที่เรียกรับเงินก่อนอนุมัติเงินโครงการ",
        "เจ้าหน้าที่แจ้งว่าต้องจ่ายเงิน 5,000 บาทจึงจะอนุมัติเงินโครงการให้กลุ่มวิสาหกิจชุมชน",
        2,
    )

    assert assignment.unit.id == "inspection"
    assert assignment.reason == "rule misconduct: \'เรียกรับเงิน'"


def test_serious_kinds_go_to_the_complaint_group_whatever_the_words(directory):
    assignment = directory.assign("ขอทราบความคืบหน้าการโอนเงินโครงการ", "", 3)
    assert (assignment.unit.id, assignment.reason) == ("inspection", "rule serious: 'kind 3'")
    assert directory.assign("ขอทราบความคืบหน้าการโอนเงินโครงการ", "", 2).unit.id == "projects-funds"


def test_a_rule_of_kinds_alone_and_the_units_own_words():
    directory = Directory.from_mapping(mapping(
        rules=[{"id": "grave", "unit": "roads", "kinds": [4]}],
        units={**MAPPING["units"], "water": {"name_th": "ฝ่ายประปา", "handles": "น้ำประปา",
                                             "about": ["น้ำไม่ไหล", " ท่อแตก "]}}))
    assert directory.assign("อะไรก็ได้", "", 4).reason == "rule grave: 'kind 4'"
    assert directory.assign("อะไรก็ได้", "", 3).reason == "triage: no rule matched"
    assert directory.units["water"].training_texts() == ["ฝ่ายประปา น้ำประปา", "น้ำไม่ไหล", "ท่อแตก"]
    assert directory.as_mapping()["units"]["water"]["about"] == ["น้ำไม่ไหล", "ท่อแตก"]


@pytest.mark.parametrize("about", ["น้ำไม่ไหล", ["น้ำไม่ไหล", ""], [3]])
def test_about_must_be_a_list_of_words(about):
    units = {**MAPPING["units"], "water": {"name_th": "ฝ่ายประปา", "about": about}}
    with pytest.raises(DirectoryError, match="about must be a list of non-empty strings"):
        Directory.from_mapping(mapping(units=units))


def test_a_rule_with_nothing_to_match_is_refused():
    with pytest.raises(DirectoryError, match="has no keywords, patterns or kinds"):
        Directory.from_mapping(mapping(rules=[{"id": "empty", "unit": "roads"}]))


def test_keyword_in_description_only_matches(directory):
    assignment = directory.assign(
        "สอบถามกำหนดการ",
        "อยากทราบว่าจะเปิดฝึกอบรมเศรษฐกิจพอเพียงรุ่นต่อไปเมื่อไร",
        1,
    )

    assert assignment.unit.id == "training-knowledge"
    # keywords are whole words: "อบรม" does not fire inside "ฝึกอบรม", the rule's next keyword does
    assert assignment.reason == "rule training: 'ฝึกอบรม'"


def test_no_match_goes_to_the_default_unit_with_a_reason(directory):
    assignment = directory.assign("สุนัขจรจัดในหมู่บ้าน", "มีสุนัขจรจัดจำนวนมากกัดเด็กนักเรียน", 2)

    assert assignment.unit.id == "inspection"
    assert assignment.unit.name_th == "กลุ่มงานตรวจสอบและติดตามผล"
    assert assignment.reason == "triage: no rule matched"


@pytest.mark.parametrize("subject", ["Website is down", "WEBSITE IS DOWN", "the WebSite is down"])
def test_english_keywords_ignore_case(directory, subject):
    assignment = directory.assign(subject, "Cannot open the office pages since Monday.", 1)

    assert assignment.unit.id == "ict-pr"
    assert assignment.reason == "rule information: \'website'"


def test_english_keyword_written_in_capitals_matches_lowercase_text():
    directory = Directory.from_mapping(mapping())

    assignment = directory.assign("big pothole on soi 5", "", 2)

    assert assignment.unit.id == "roads"
    assert assignment.reason == "rule roads: \'pothole'"


def test_thai_text_matches_after_nfc():
    directory = Directory.from_mapping(mapping())
    # keyword ปู่ is written with sara uu before mai ek; the complainant typed the tone mark first
    typed = "เบี้ยยังชีพของ\u0e1b\u0e48\u0e39ไม่ได้รับ"
    assert "ปู่" not in typed
    assert "ปู่" in unicodedata.normalize("NFC", typed)

    assignment = directory.assign(typed, "", 2)

    assert assignment.unit.id == "water"
    assert assignment.reason == "rule water: \'ปู่'"


def test_keyword_typed_in_the_other_order_in_the_directory_still_matches():
    data = mapping(rules=[{"id": "elders", "unit": "water", "keywords": ["\u0e1b\u0e48\u0e39"]}])
    directory = Directory.from_mapping(data)

    assert directory.assign("เรื่องเบี้ยยังชีพของปู่", "", 2).unit.id == "water"


# --- kinds ---------------------------------------------------------------------------------

def test_rule_with_kinds_applies_only_to_those_kinds():
    directory = Directory.from_mapping(mapping())
    text = ("น้ำไม่ไหลสามวันแล้ว", "ทั้งหมู่บ้านไม่มีน้ำใช้")

    urgent = directory.assign(*text, 1)
    other = directory.assign(*text, 3)

    assert urgent.unit.id == "water"
    assert urgent.reason == "rule urgent-water: \'น้ำไม่ไหล'"
    assert other.unit.id == "inspection"
    assert other.reason == "triage: no rule matched"


def test_kind_filter_falls_through_to_a_later_rule():
    directory = Directory.from_mapping(mapping())

    assignment = directory.assign("น้ำไม่ไหล", "ท่อประปาแตกหน้าบ้าน", 2)

    assert assignment.reason == "rule water: \'ประปา'"


def test_unit_defaults():
    directory = Directory.from_mapping(mapping())

    assert directory.units["roads"].name_en == "ฝ่ายโยธา"
    assert directory.units["roads"].code == ""
    assert directory.units["water"].code == "ปป."


def test_directory_without_rules_sends_everything_to_the_default():
    directory = Directory.from_mapping(mapping(rules=[]))
    del_rules = mapping()
    del del_rules["rules"]

    assert directory.assign("ถนนชำรุด", "", 1).unit.id == "inspection"
    assert Directory.from_mapping(del_rules).rules == []


# --- errors --------------------------------------------------------------------------------

def test_rule_naming_an_unknown_unit_is_refused():
    data = mapping()
    data["rules"][1]["unit"] = "electricity"

    with pytest.raises(DirectoryError, match="electricity"):
        Directory.from_mapping(data)


def test_unknown_default_unit_is_refused():
    with pytest.raises(DirectoryError, match="triage_unit"):
        Directory.from_mapping(mapping(default_unit="helpdesk"))


@pytest.mark.parametrize("remove", ["units", "default_unit"])
def test_missing_top_level_key_is_refused(remove):
    data = mapping()
    del data[remove]

    with pytest.raises(DirectoryError):
        Directory.from_mapping(data)


@pytest.mark.parametrize("remove", ["id", "unit", "keywords"])
def test_rule_missing_a_key_is_refused(remove):
    data = mapping()
    del data["rules"][1][remove]

    with pytest.raises(DirectoryError):
        Directory.from_mapping(data)


def test_unit_missing_its_thai_name_is_refused():
    data = mapping()
    del data["units"]["roads"]["name_th"]

    with pytest.raises(DirectoryError):
        Directory.from_mapping(data)


@pytest.mark.parametrize("data", [None, [], "units", {"units": None, "default_unit": "x"},
                                  {"units": {"a": "not a mapping"}, "default_unit": "a"}])
def test_misshapen_directory_is_refused(data):
    with pytest.raises(DirectoryError):
        Directory.from_mapping(data)


def test_keywords_given_as_a_single_string_are_refused():
    # an easy YAML slip: `keywords: ทุจริต` instead of `keywords: [ทุจริต]`. Accepted, it becomes
    # one keyword per character and the rule then catches almost every Thai complaint.
    data = mapping(rules=[{"id": "graft", "unit": "water", "keywords": "ทุจริต"}])

    with pytest.raises(DirectoryError):
        Directory.from_mapping(data)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "directory.yml"
    path.write_text("", encoding="utf-8")

    with pytest.raises(DirectoryError):
        Directory.load(path)


def test_directory_error_is_a_value_error():
    assert issubclass(DirectoryError, ValueError)


def test_the_shipped_directories_list_the_sites_they_exchange_cases_with():
    from services.routing.directory import Directory
    from shared.config import PROJECT_ROOT
    hub = Directory.load(PROJECT_ROOT / "deploy/directory.yml")
    kalasin = Directory.load(PROJECT_ROOT / "deploy/directory-kalasin.yml")

    assert hub.site == "HUB" and {"KALASIN", "RATCHABURI1", "RAYONGCD"} <= set(hub.sites)
    assert hub.sites["KALASIN"].personal_data and not hub.sites["RATCHABURI1"].personal_data
    assert kalasin.site == "KALASIN" and kalasin.sites["HUB"].kind == "hub"
    assert kalasin.units["administration"].roles["complaint_committee"]
    assert all(u.parent in ("", "administration") for u in kalasin.units.values())


@pytest.mark.parametrize("sites, message", [
    ({"hub!": {"name_th": "x"}}, "capital letters"),
    ({"HUB": {"name_th": "x", "kind": "ministry"}}, "kind must be"),
    ({"HUB": {"name_en": "no Thai name"}}, "needs at least name_th"),
    ({"KALASIN": {"name_th": "x"}}, "own site 'HUB' is not among"),
])
def test_a_directory_with_malformed_sites_is_refused(sites, message):
    from services.routing.directory import Directory, DirectoryError
    data = {"site": "HUB", "triage_unit": "a", "units": {"a": {"name_th": "ก"}}, "sites": sites}

    with pytest.raises(DirectoryError, match=message):
        Directory.from_mapping(data)


def test_a_unit_whose_parent_is_not_in_the_directory_is_refused():
    from services.routing.directory import Directory, DirectoryError
    with pytest.raises(DirectoryError, match="unknown parent"):
        Directory.from_mapping({"triage_unit": "a", "units": {"a": {"name_th": "ก", "parent": "zz"}}})
