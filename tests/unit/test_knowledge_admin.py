"""services/routing/knowledge_admin.py: what makes a knowledge-base entry valid, and the file format."""
import pytest
import yaml

from services.routing import knowledge_admin as kb
from services.routing.knowledge import Entry, KnowledgeBase, KnowledgeError
from shared.config import DEPLOY_DIR

UNITS = {"admin-rules": object(), "training-knowledge": object()}
KNOWLEDGE_FILE = DEPLOY_DIR / "knowledge.yml"  # the checkout's own, wherever it is


def entry(**changes):
    data = {"id": "office-parking", "questions": ["สำนักงานมีที่จอดรถไหม"], "answer": "มีที่จอดรถ 20 คัน",
            "unit": "admin-rules"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def refused(item, units=UNITS):
    with pytest.raises(KnowledgeError) as caught:
        kb.check(item, units)
    return str(caught.value)


def test_a_valid_entry_is_read_stripped():
    checked = kb.check(entry(questions=["  สำนักงานมีที่จอดรถไหม ", "จอดรถได้ที่ไหน"], answer="  มีที่จอดรถ\n"),
                       UNITS)
    assert checked == Entry("office-parking", ("สำนักงานมีที่จอดรถไหม", "จอดรถได้ที่ไหน"), "มีที่จอดรถ",
                            "admin-rules")


@pytest.mark.parametrize("entry_id", ["a", "x" * 64, "office-hours", "faq_2.1", "2569"])
def test_ids_of_lower_case_letters_digits_and_dashes_are_accepted(entry_id):
    assert kb.check(entry(id=entry_id), UNITS).id == entry_id


def test_a_numeric_yaml_id_becomes_text():
    assert kb.check(entry(id=12), UNITS).id == "12"


@pytest.mark.parametrize("entry_id", ["", "x" * 65, "Office", "ที่จอดรถ", "a b", "a/b", None, True, ...])
def test_other_ids_are_refused_saying_what_an_id_is(entry_id):
    assert "1-64 characters of a-z, 0-9" in refused(entry(id=entry_id))


@pytest.mark.parametrize("questions,message", [
    ("สำนักงานมีที่จอดรถไหม", "a list of questions"),
    (None, "a list of questions"),
    ([], "at least one question"),
    (["ok", ""], "question 2 is empty"),
    (["   "], "question 1 is empty"),
    (["ok", 3], "question 2 is empty"),
    (["ก" * 501], "question 1 has 501 characters; at most 500"),
    ([f"คำถาม {n}" for n in range(51)], "at most 50, not 51"),
])
def test_questions_must_be_a_short_list_of_texts(questions, message):
    assert message in refused(entry(questions=questions))


def test_the_limits_themselves_are_allowed_and_repeated_questions_kept_once():
    checked = kb.check(entry(questions=[f"คำถาม {n}" for n in range(50)] + ["คำถาม 1"], answer="ก" * 5000), UNITS)
    assert len(checked.questions) == 50 and len(checked.answer) == 5000
    assert kb.check(entry(questions=["ก" * 500, " ก" * 250 + " "]), UNITS).questions[0] == "ก" * 500


@pytest.mark.parametrize("answer,message", [
    (None, "answer: give the text"), ("", "answer: give the text"), ("  \n", "answer: give the text"),
    (42, "answer: give the text"), ("ก" * 5001, "answer has 5001 characters; at most 5000"),
])
def test_an_answer_has_1_to_5000_characters(answer, message):
    assert message in refused(entry(answer=answer))


def test_the_unit_must_be_one_of_the_directory_or_none():
    assert kb.check(entry(unit=""), UNITS).unit_id == ""
    assert kb.check(entry(unit=...), UNITS).unit_id == ""
    assert kb.check(entry(unit=None), UNITS).unit_id == ""
    message = refused(entry(unit="roads"))
    assert "unit 'roads' is not a unit of the directory (admin-rules, training-knowledge)" in message
    assert "give a unit id" in refused(entry(unit=["admin-rules"]))


def test_what_a_listing_returns_can_be_put_back_and_unit_id_is_understood():
    listed = {**entry(unit=...), "unit_id": "training-knowledge", "updated_at": "2026-01-05T03:00:00+00:00",
              "updated_by": "นางสาวเพ็ญ", "deleted_at": None}
    assert kb.check(listed, UNITS).unit_id == "training-knowledge"


def test_unknown_fields_and_non_mappings_are_refused():
    assert "unknown field(s) anwser" in refused({**entry(), "anwser": "x"})
    assert "an entry is a mapping" in refused(["office-parking"])


@pytest.mark.parametrize("officer", [None, "", "   ", 7])
def test_a_change_must_name_its_officer(officer):
    with pytest.raises(KnowledgeError, match="say which officer"):
        kb.check_officer(officer)


def test_the_officer_is_kept_stripped_and_bounded():
    assert kb.check_officer("  นายสมพงษ์ ศูนย์รับเรื่อง ") == "นายสมพงษ์ ศูนย์รับเรื่อง"
    assert len(kb.check_officer("ก" * 300)) == 128


def test_a_file_is_checked_whole_and_the_first_bad_entry_named():
    good = entry()
    with pytest.raises(KnowledgeError, match=r"entry 2 \(fees\): answer: give the text"):
        kb.check_all([good, entry(id="fees", answer="")], UNITS)
    with pytest.raises(KnowledgeError, match="entry 3: id 'office-parking' appears twice"):
        kb.check_all([good, entry(id="fees"), good], UNITS)
    with pytest.raises(KnowledgeError, match="a mapping with a list of entries"):
        kb.entries_of({"entry": []})
    with pytest.raises(KnowledgeError, match="a mapping with a list of entries"):
        kb.entries_of([good])


def test_the_shipped_knowledge_file_is_valid_for_the_shipped_directory():
    from services.routing.directory import Directory
    units = Directory.load(DEPLOY_DIR / "directory.yml").units
    checked = kb.check_all(kb.entries_of(kb.read_file(KNOWLEDGE_FILE)), units)
    assert {e.id for e in checked} >= {"training-schedule", "certificate", "grant-documents", "office-hours"}
    assert checked == KnowledgeBase.load(KNOWLEDGE_FILE).entries  # read as routing always read it


def test_an_unreadable_file_says_so(tmp_path):
    with pytest.raises(KnowledgeError, match="cannot read"):
        kb.read_file(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("entries: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="is not YAML"):
        kb.read_file(broken)


def test_the_exported_yaml_reads_back_to_the_same_entries():
    entries = kb.check_all(kb.entries_of(kb.read_file(KNOWLEDGE_FILE)), {"training-knowledge", "projects-funds",
                                                                          "admin-rules"})
    multi_line = Entry("multi", ("ถามว่า: \"อะไร\"?",), "บรรทัดแรก\n\nบรรทัดที่สาม  มีช่องว่างสองช่อง", "")
    entries.append(multi_line)
    data = {"entries": [{"id": e.id, **({"unit": e.unit_id} if e.unit_id else {}), "questions": list(e.questions),
                         "answer": e.answer} for e in entries]}
    text = kb.to_yaml(data)
    assert text.startswith("# ")
    assert kb.check_all(kb.entries_of(yaml.safe_load(text)), {"training-knowledge", "projects-funds",
                                                              "admin-rules"}) == entries
