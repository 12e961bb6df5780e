"""Kind signals in Thai complaint texts: the media, lawsuits and superiors make kind 4; money and harm kind 3."""
import pytest

from services.routing.kinds import decide_kind


@pytest.mark.parametrize("text,signal", [
    ("เรื่องนี้ลงหนังสือพิมพ์ท้องถิ่นไปแล้วเมื่อวาน ยังไม่มีใครมาแก้ไข", "media"),
    ("ทางช่องข่าวโทรทัศน์มาถ่ายทำที่หมู่บ้านแล้ว", "media"),
    ("จะไปออกรายการทีวีเพื่อร้องเรียนเรื่องนี้", "media"),
    ("ชาวบ้านเตรียมฟ้องศาลปกครองเรื่องการเวนคืนที่ดิน", "lawsuit"),
    ("ได้แจ้งความดำเนินคดีกับผู้รับเหมาแล้ว", "lawsuit"),
    ("ได้ทำหนังสือถึงผู้ว่าราชการจังหวัดขอนแก่นแล้วแต่ยังเงียบ", "superiors"),
    ("จะร้องเรียนต่อผู้ว่าฯ ถ้ายังไม่ดำเนินการ", "superiors"),
])
def test_media_lawsuits_and_superiors_make_kind_4(text, signal):
    decision = decide_kind(text, 1)
    assert decision.kind == 4 and decision.reason.startswith(f"signal {signal}")


@pytest.mark.parametrize("text", [
    "ผู้ใหญ่บ้านยักยอกเงินกองทุนหมู่บ้านไปใช้ส่วนตัว",
    "เจ้าหน้าที่เรียกรับสินบนเพื่อเร่งออกใบอนุญาต",
    "มีการทุจริตในการจัดซื้อจัดจ้างโครงการถนน",
    "ต้องจ่ายเงินใต้โต๊ะจึงจะได้รับการอนุมัติ",
    "นักเรียนได้รับบาดเจ็บจากเสาไฟที่ล้มลงมา",
])
def test_embezzlement_bribes_and_harm_make_kind_3(text):
    assert decide_kind(text, 1).kind == 3


def test_the_strongest_signal_wins_and_signals_never_lower_a_kind():
    assert decide_kind("มีการทุจริตและเป็นข่าวในหนังสือพิมพ์", 1).kind == 4
    assert decide_kind("เจ้าหน้าที่ทุจริต", 4).kind == 4
    assert decide_kind("ขอทราบกำหนดการอบรม", 2).kind == 2


def test_plain_inquiries_keep_their_kind_and_say_so():
    decision = decide_kind("ขอทราบขั้นตอนการขอรับเงินอุดหนุนโครงการ", 1)
    assert (decision.kind, decision.reason) == (1, "as received")


def test_a_word_that_only_looks_like_a_signal_does_not_fire():
    assert decide_kind("ผู้ว่าจ้างยังไม่จ่ายค่าแรงคนงาน", 2).kind == 2  # ผู้ว่าจ้าง is an employer
