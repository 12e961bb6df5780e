"""A case's kind from its Thai words: signals read words, not letters; with no kind given, the
words decide it from 1 to 4 and say why."""
import json
from pathlib import Path

import pytest

from services.routing.kinds import decide_kind


@pytest.mark.parametrize("text,signal", [
    ("เรื่องนี้ลงหนังสือพิมพ์ท้องถิ่นไปแล้วเมื่อวาน ยังไม่มีใครมาแก้ไข", "media"),
    ("ทางช่องข่าวโทรทัศน์มาถ่ายทำที่หมู่บ้านแล้ว เพราะถนนพังมาครึ่งปีไม่มีใครมาซ่อม", "media"),
    ("จะไปออกรายการทีวีเพื่อร้องเรียนเรื่องนี้", "media"),
    ("ชาวบ้านเตรียมฟ้องศาลปกครองเรื่องการเวนคืนที่ดิน", "lawsuit"),
    ("ได้แจ้งความดำเนินคดีกับผู้รับเหมาแล้ว", "lawsuit"),
    ("แจ้งความไว้ที่โรงพักแล้วเรื่องเงินกองทุนหาย", "lawsuit"),
    ("ได้ทำหนังสือถึงผู้ว่าราชการจังหวัดขอนแก่นแล้วแต่ยังเงียบ", "superiors"),
    ("จะร้องเรียนต่อผู้ว่าฯ ถ้ายังไม่ดำเนินการ", "superiors"),
    ("เรื่องกรรมการยักยอกเงิน ผมไปร้องที่ ป.ป.ช. แล้ว", "superiors"),
])
def test_media_lawsuits_and_superiors_make_kind_4(text, signal):
    decision = decide_kind(text, 1)
    assert decision.kind == 4 and decision.reason.startswith(f"signal {signal}"), decision


@pytest.mark.parametrize("text", [
    "ผู้ใหญ่บ้านยักยอกเงินกองทุนหมู่บ้านไปใช้ส่วนตัว",
    "เจ้าหน้าที่เรียกรับสินบนเพื่อเร่งออกใบอนุญาต",
    "มีการทุจริตในการจัดซื้อจัดจ้างโครงการถนน",
    "ต้องจ่ายเงินใต้โต๊ะจึงจะได้รับการอนุมัติ",
    "นักเรียนได้รับบาดเจ็บจากเสาไฟที่ล้มลงมา",
    "มีคนมาขู่ว่าถ้าร้องเรียนอีกจะไม่ได้เข้าร่วมโครงการ",
    "ถนนคอนกรีตที่สร้างจากงบโครงการแตกร้าวภายในสามเดือน",  # segmented โครง|การแตกร้าว: letters still count
    "ผู้ใหญ่บ้านเอาชื่อชาวบ้านไปเบิกค่าอบรมทั้งที่ไม่มีใครได้ไปอบรม",
    "กรรมการซื้อปุ๋ยให้กลุ่มในราคาสูงกว่าท้องตลาดเกือบเท่าตัว",
    "ผู้รับเหมาใช้วัสดุคุณภาพต่ำสร้างฝายของโครงการ",
])
def test_embezzlement_bribes_harm_and_failing_public_works_make_kind_3(text):
    assert decide_kind(text, 1).kind == 3


@pytest.mark.parametrize("text", [
    "ขอให้แจ้งความคืบหน้าเรื่องถนนในหมู่บ้านด้วยครับ",       # tell me the progress, not a police report
    "ไฟที่ศาลาหมู่บ้านดับ",                                # a pavilion, not a court
    "ศาลเจ้าประจำหมู่บ้านทรุดโทรม อยากให้ช่วยบูรณะ",          # a shrine
    "ขอรับเงินค่าตอบแทนวิทยากรที่มาบรรยายเมื่อวาน",            # a speaker's fee, not a bribe
    "ร้านค้าในงานไม่มีเงินทอน",                              # change, not a kickback
    "ขอเสนอให้ประชาสัมพันธ์โครงการทางหนังสือพิมพ์ท้องถิ่น",      # publicity, not the media as a complaint
    "สื่อมวลชนท้องถิ่นขอสัมภาษณ์ผู้บริหารเรื่องผลสำเร็จของโครงการ ติดต่อฝ่ายใด",
    "ขอเชิญผู้ว่าราชการจังหวัดมาเป็นประธานเปิดงานตลาดชุมชน",
    "ผู้ว่าจ้างยังไม่จ่ายค่าแรงคนงาน",                        # an employer, not the governor
    "ขอทราบช่องทางร้องเรียนการทุจริต",                        # asks about the topic
    "อยากให้จัดอบรมการป้องกันการทุจริตให้กรรมการหมู่บ้าน",
    "ขอชมเชยเจ้าหน้าที่ที่ทำงานโปร่งใสไม่มีการทุจริต",           # negated
    "ขอทราบกำหนดการอบรมผ่านสื่อออนไลน์",
    "ช่วยส่งจดหมายข่าวของสำนักงานมาทางอีเมลด้วย",
    "ขอทราบราคาข้าวเปลือกในท้องตลาดเดือนนี้",
    "เมล็ดพันธุ์ที่ซื้อเองจากร้านคุณภาพต่ำ ขอคำแนะนำแหล่งซื้อที่ดี",            # no public money
])
def test_everyday_words_that_look_like_signals_raise_nothing(text):
    decision = decide_kind(text)
    assert decision.kind in (1, 2), decision
    assert decide_kind(text, 1).kind == 1 and decide_kind(text, 2).kind == 2


def test_the_strongest_signal_wins_and_signals_never_lower_a_kind():
    assert decide_kind("มีการทุจริตและเป็นข่าวในหนังสือพิมพ์", 1).kind == 4
    assert decide_kind("เจ้าหน้าที่ทุจริต", 4).kind == 4
    assert decide_kind("ขอทราบกำหนดการอบรม", 2) == decide_kind("ขอทราบกำหนดการอบรม", 2)
    assert decide_kind("ขอทราบกำหนดการอบรม", 2).kind == 2


def test_a_given_kind_is_kept_and_says_so():
    decision = decide_kind("ขอทราบขั้นตอนการขอรับเงินอุดหนุนโครงการ", 1)
    assert (decision.kind, decision.reason) == (1, "as received")
    # a complaint filed as an inquiry stays an inquiry: only 3 and 4 are raised over a given kind
    assert decide_kind("เจ้าหน้าที่พูดจาไม่สุภาพ", 1).kind == 1


@pytest.mark.parametrize("text,kind,cue", [
    ("เจ้าหน้าที่ที่เคาน์เตอร์พูดจาไม่ดีเลยอ่ะ ถามอะไรก็ตอบห้วนๆ", 2, "พูดจาไม่ดี"),
    ("โทรไปสำนักงานหลายรอบแล้ว ไม่มีคนรับสายเลยครับ", 2, "ไม่มีคนรับ"),
    ("ขอให้ติดตามความคืบหน้าเรื่องร้องเรียน ยังไม่ได้รับคำตอบ", 2, "ไม่ได้รับคำตอบ"),
    ("เจ้าหน้าที่บริการดีมาก ไม่ล่าช้าเลย ขอชื่นชมครับ", 1, None),
    ("อยากรู้ว่าปีนี้จะมีอบรมทำขนมอีกไหมคะ", 1, "ไหม"),
    ("สำนักงานเปิดวันเสาร์มั้ยครับ", 1, "มั้ย"),
    ("ขอบคุณเจ้าหน้าที่ที่มาช่วยแนะนำการทำบัญชีครัวเรือนค่ะ", 1, "ขอบคุณ"),
])
def test_with_no_kind_given_the_words_tell_a_complaint_from_an_inquiry(text, kind, cue):
    decision = decide_kind(text)
    assert decision.kind == kind, decision
    assert decision.reason.startswith("complaint: " if kind == 2 else "inquiry or suggestion: ")
    if cue:
        assert cue in decision.reason


def test_with_no_kind_given_signals_decide_3_and_4_and_say_why():
    assert decide_kind("ชาวบ้านจะฟ้องศาลปกครองเรื่องนี้") == decide_kind("ชาวบ้านจะฟ้องศาลปกครองเรื่องนี้", None)
    decision = decide_kind("ชาวบ้านจะฟ้องศาลปกครองเรื่องนี้")
    assert decision.kind == 4 and decision.reason == "signal lawsuit: 'ฟ้อง'"
    assert decide_kind("มีการเรียกรับเงินหัวคิวจากชาวบ้าน").reason.startswith("signal corruption: ")


def test_english_words_count_only_as_whole_words():
    assert decide_kind("We will sue the office").kind == 4
    assert decide_kind("Please tell me about this issue", 1).kind == 1  # "sue" inside "issue"


def test_complaints_written_apart_from_the_labelled_data_keep_their_kind_and_raise_nothing_falsely():
    """tests/data/routing_cases.jsonl: everyday Thai complaints, inquiries and compliments (colloquial ones
    too), each with the kind its standard gives it; the figure may not fall, and nothing is raised."""
    cases = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "data" / "routing_cases.jsonl")
             .read_text(encoding="utf-8").splitlines() if line.strip()]
    decided = [(case["kind"], decide_kind(case["text"]).kind) for case in cases]
    assert len(cases) >= 90
    assert sum(1 for truth, kind in decided if truth == kind) / len(cases) >= 0.95
    assert [(truth, kind) for truth, kind in decided if truth <= 2 < kind] == []


def test_complaints_written_without_sight_of_the_rules_keep_their_kind_and_raise_almost_nothing():
    """tests/data/kind_cases.jsonl: 120 complaints to a municipal centre (roads, water, schools, land,
    relief money...), written and given kinds under seed 003 by someone who had not read the rules,
    half of them hard on purpose (look-alike words, complaints written as questions, corruption
    without the word). 0.69 when they were written; the figure may not fall below 0.88, and no more
    than the two false raises left (a procedural question about a police report; a conduct
    complaint about the police station itself)."""
    cases = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "data" / "kind_cases.jsonl")
             .read_text(encoding="utf-8").splitlines() if line.strip()]
    decided = [(case["kind"], decide_kind(case["text"]).kind) for case in cases]
    assert len(cases) == 120
    assert sum(1 for truth, kind in decided if truth == kind) / len(cases) >= 0.88
    assert len([(truth, kind) for truth, kind in decided if truth <= 2 < kind]) <= 2


@pytest.mark.parametrize("text", [
    "ขอทราบค่าเร่งด่วนในการทำหนังสือเดินทาง",                        # an official express fee
    "ค่าน้ำประปาเดือนนี้สูงเกินความเป็นจริง ขอให้ตรวจสอบมิเตอร์",          # a bill, not an expense claim
    "บ้านข้างๆ ใช้อาคารผิดวัตถุประสงค์ เปิดเป็นโกดัง",                  # a building's use, not money
    "จ่ายเงินเต็มจำนวนแล้วแต่ยังไม่ได้รับใบเสร็จ",
    "เจ้าหน้าที่จ่ายเงินทอนไม่ครบ",                                   # short change
    "นายจ้างหักเงินค่าจ้างโดยไม่บอก",                                  # a private employer
    "โพสต์ถามในเพจเฟซบุ๊กของเทศบาลแล้วไม่มีใครตอบ",                    # the office's own page
    "ไฟฟ้าเฟส 3 ที่บ้านดับ ขอแชร์มิเตอร์กับเพื่อนบ้านได้ไหม",               # a phase, not Facebook
    "เทศบาลออกข่าวแล้วว่าน้ำประปาจะหยุดไหล",                           # the office's own news
    "ขอเชิญนักข่าวมาทำข่าวงานประเพณีลอยกระทง",                         # reporters invited
    "ผู้รับเหมาบริษัทลงลูกรังไม่ครบ",                                   # laterite, not a son
    "ร้านค้าลูกชิ้นที่โรงเรียนจัดซื้อ",
    "คำร้องถูกตีความผิด",                                             # interpreted, not beaten
    "ถนนในซอยทรุดตัว เป็นหลุม จ่ายภาษีทุกปี",                           # taxes are not a project's money
])
def test_everyday_words_near_the_new_signals_raise_nothing(text):
    assert decide_kind(text).kind <= 2, decide_kind(text).reason


@pytest.mark.parametrize("text, kind", [
    ("ลงชื่อรับเงินช่วยเหลือน้ำท่วม 3000 บาท แต่ได้จริงแค่ 1000", 3),
    ("ผู้ใหญ่บ้านหักเบี้ยยังชีพผู้สูงอายุคนละ 100 บาท", 3),
    ("จะได้งานถนนต้องจ่ายเงินทอน 10% ให้คนใน", 3),
    ("ปลัดเบิกค่าน้ำมันเชื้อเพลิงเกินความเป็นจริงเป็นประจำ", 3),
    ("นายก อบต. ให้บริษัทของน้องชายเป็นผู้รับเหมาทุกโครงการ", 3),
    ("ลูกถูกตีที่โรงเรียนจนหัวแตก", 3),
    ("โพสต์ลงเฟซบุ๊กไปแล้วเรื่องเจ้าหน้าที่พูดจาไม่สุภาพ", 4),
    ("นักข่าวช่อง 7 มาทำข่าวเรื่องน้ำประปาสีโคลนแล้ว", 4),
])
def test_grave_matters_told_without_the_obvious_word_are_raised(text, kind):
    assert decide_kind(text).kind == kind, decide_kind(text).reason
