"""services/notify/letters.py: a letter to a complainant by post, as PDF, read back with poppler-utils
(pdftotext, pdftoppm) in the Thai font .ci/run installs, and the folder of letters waiting to be printed.

The Thai is read back with `pdftotext -raw` (tests.helpers.pdf_text, which composes sara am again):
`-layout` places a tone mark raised above its letter (ผู้ร้อง) on a line of its own, whatever the font,
so it cannot read Thai back word for word. `-layout` is used where the place on the page is the point.
"""
import os
import stat
import subprocess
from datetime import date

import pytest

from services.notify import messages
from services.notify.exceptions import SendRefused
from services.notify.letters import LetterError, LetterQueue, letter_html, render_letter
from shared.thai import SARA_AM, SARA_AM_DECOMPOSED
from tests.helpers import pdf_text, poppler



@pytest.fixture(autouse=True)
def _poppler():
    """Every test here reads a PDF back: skipped without poppler-utils, failed without it under CI."""
    poppler("pdftotext")
    poppler("pdftoppm")

TRACKING = "KSN-2569-000123"
OFFICE = {"name_th": "สำนักงานจังหวัดกาฬสินธุ์", "address_lines": ["ถนนเกษตรสมบูรณ์ ตำบลกาฬสินธุ์",
                                                               "อำเภอเมือง จังหวัดกาฬสินธุ์ 46000"],
          "phone": "0 4381 1584", "signatory": "ผู้อำนวยการสำนักงานจังหวัดกาฬสินธุ์", "reference_prefix": "กส 0017"}
ADDRESS = ["นายสมชาย ใจดี", "99/1 หมู่ 3 ตำบลหลุบ", "อำเภอเมือง จังหวัดกาฬสินธุ์ 46000"]
LETTER = dict(office=OFFICE, tracking_number=TRACKING, recipient_lines=ADDRESS,
              subject=f"ความคืบหน้าเรื่องเลขที่ {TRACKING}", date=date(2026, 12, 1),
              body=f"สำนักงานกำลังดำเนินการเรื่องของท่าน เลขที่ {TRACKING}\nจะแจ้งผลภายใน 15 วัน\n\n"
                   "ท่านติดตามความคืบหน้าได้ด้วยเลขที่รับเรื่อง")


def layout_text(pdf, folder):
    path = folder / "layout.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_letter_reads_back_as_written_in_thai_digits(tmp_path):
    pdf = render_letter(**LETTER, reference="delivery-1")
    text = pdf_text(pdf, tmp_path)

    for words in (f"ที่ กส ๐๐๑๗/{TRACKING}", "สำนักงานจังหวัดกาฬสินธุ์", "ถนนเกษตรสมบูรณ์", "นายสมชาย ใจดี",
                  "99/1 หมู่ 3 ตำบลหลุบ", "๑ ธันวาคม ๒๕๖๙", f"เรื่อง ความคืบหน้าเรื่องเลขที่ {TRACKING}",
                  "เรียน ผู้ร้องเรียน", f"อ้างถึง เรื่องร้องเรียนเลขที่ {TRACKING}",
                  "สำนักงานกำลังดำเนินการเรื่องของท่าน", "จะแจ้งผลภายใน ๑๕ วัน",
                  "ท่านติดตามความคืบหน้าได้ด้วยเลขที่รับเรื่อง", "ขอแสดงความนับถือ",
                  "ผู้อำนวยการสำนักงานจังหวัดกาฬสินธุ์", "โทร. ๐ ๔๓๘๑ ๑๕๘๔", "delivery-1"):
        assert words in text, words
    assert "2569" not in text.replace(TRACKING, "")  # the tracking number alone keeps its Arabic digits
    assert "สำนักงำน" not in text and "ดำเนินกำร" not in text  # no sara aa read back as sara am
    assert text.count("เรียน ") == 1  # the greeting, and no name in it


def test_sara_am_is_in_the_pdf_as_nikhahit_and_sara_aa_so_it_reads_back(tmp_path):
    (tmp_path / "letter.pdf").write_bytes(render_letter(**LETTER))
    raw = subprocess.run(["pdftotext", "-raw", str(tmp_path / "letter.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert "สำนักงานกำลังดำเนินการ".replace(SARA_AM, SARA_AM_DECOMPOSED) in raw
    assert SARA_AM not in raw


def test_arabic_digits_by_option_and_the_places_on_the_page(tmp_path):
    pdf = render_letter(**LETTER, thai_digits=False)
    text = pdf_text(pdf, tmp_path)

    for words in (f"ที่ กส 0017/{TRACKING}", "1 ธันวาคม 2569", "เรียน ผู้ร้องเรียน", "นายสมชาย ใจดี",
                  "สำนักงานกำลังดำเนินการเรื่องของท่าน", "จะแจ้งผลภายใน 15 วัน", "โทร. 0 4381 1584"):
        assert words in text, words
    assert not any(ch in text for ch in "๐๑๒๓๔๕๖๗๘๙")

    lines = [line for line in layout_text(pdf, tmp_path).splitlines() if line.strip()]
    number = next(line for line in lines if TRACKING in line)
    assert number.index(TRACKING) < 20  # ที่ at the left margin, first text on the page
    assert lines.index(number) == 0
    day = next(line for line in lines if "2569" in line and TRACKING not in line)
    assert len(day) - len(day.lstrip()) > 30  # the date from the middle of the page
    phone = next(line for line in lines if "4381 1584" in line)
    assert len(phone) - len(phone.lstrip()) < 5 and lines.index(phone) > lines.index(day)  # bottom left


def test_the_first_page_has_ink_and_a_blank_where_the_garuda_goes(tmp_path):
    from PIL import Image
    (tmp_path / "letter.pdf").write_bytes(render_letter(**LETTER))
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-gray", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = page.size  # A4 at 50 dpi: about 413 x 585
    dark = sum(1 for value in page.getdata() if value < 128)
    assert dark > 2000

    def ink(box):
        left, top, right, bottom = (round(v * 50 / 2.54) for v in box)  # centimetres to pixels
        return sum(1 for value in page.crop((left, top, right, bottom)).getdata() if value < 200)

    assert ink((9.0, 1.5, 12.0, 4.4)) == 0    # the Garuda's 3 cm at the top centre: blank
    assert ink((3.0, 4.5, 10.0, 5.5)) > 20    # ที่ under it, on the left
    assert ink((0, 0, 2.9, 29.7)) == 0        # the 3 cm left margin


def test_what_a_text_says_is_printed_as_text_never_as_markup(tmp_path):
    letter = {**LETTER, "body": "ข้อความ <b>ตัวหนา</b> & <script>x</script>", "recipient_lines": ["<i>บ้าน</i>"]}
    html = letter_html(**letter)
    assert "<b>" not in html and "&lt;b&gt;" in html and "<i>" not in html
    text = pdf_text(render_letter(**letter), tmp_path)
    assert "ข้อความ <b>ตัวหนา</b> & <script>x</script>" in text and "<i>บ้าน</i>" in text


def test_an_office_template_is_used_before_the_shipped_one(tmp_path):
    (tmp_path / "letter.html").write_text("{{ greeting }} {{ number }} {{ date }} ทำ", encoding="utf-8")
    html = letter_html(**LETTER, own_folder=tmp_path)
    assert html == f"เรียน ผู้ร้องเรียน กส ๐๐๑๗/{TRACKING} ๑ ธันวาคม ๒๕๖๙ ท" + SARA_AM_DECOMPOSED


def test_a_letter_without_an_address_or_an_office_name_is_refused():
    with pytest.raises(LetterError, match="postal address"):
        letter_html(**{**LETTER, "recipient_lines": ["", " "]})
    with pytest.raises(LetterError, match="name_th"):
        letter_html(**{**LETTER, "office": {"address_lines": []}})


# --- the queue -------------------------------------------------------------------------------------

def queue(tmp_path, **options):
    return LetterQueue(tmp_path / "letters", OFFICE, today=lambda: date(2026, 12, 1), **options)


def test_a_letter_sent_is_a_private_file_once_however_often_it_is_sent(tmp_path):
    letters = queue(tmp_path)
    notice = messages.compose("progress", {"tracking_number": TRACKING})
    letters.send("\n".join(ADDRESS), notice.subject, notice.body, reference="d-1")
    letters.send("\n".join(ADDRESS), notice.subject, notice.body, reference="d-1")

    folder = tmp_path / "letters"
    assert sorted(p.name for p in folder.iterdir()) == ["d-1.html", "d-1.pdf"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert letters.queued() == ["d-1"] and letters.path("d-1") == folder / "d-1.pdf"

    text = pdf_text(letters.path("d-1").read_bytes(), tmp_path)
    assert f"อ้างถึง เรื่องร้องเรียนเลขที่ {TRACKING}" in text and "99/1 หมู่ 3 ตำบลหลุบ" in text
    assert text.count("เรียน ผู้ร้องเรียน") == 1  # the notice's own greeting line is not printed twice
    assert "หน่วยงานที่รับผิดชอบกำลังดำเนินการเรื่องของท่าน" in text and "๑ ธันวาคม ๒๕๖๙" in text


def test_printed_letters_leave_the_queue_and_are_printed_once(tmp_path):
    letters = queue(tmp_path, thai_digits=False)
    for reference, number in (("d-2", "KSN-2569-000002"), ("d-1", "KSN-2569-000001")):
        notice = messages.compose("acknowledgment", {"tracking_number": number})
        letters.send("นาง ก\nบ้านเลขที่ 1", notice.subject, notice.body, reference=reference)
    os.utime(letters.path("d-2"), (1_700_000_000, 1_700_000_000))  # the older of the two
    assert letters.queued() == ["d-2", "d-1"]

    both = pdf_text(letters.combined(["d-1", "d-2"]), tmp_path)
    assert "KSN-2569-000001" in both and "KSN-2569-000002" in both
    assert both.index("ที่ KSN-2569-000001") < both.index("ที่ KSN-2569-000002")  # in the order asked
    assert "สำนักงานจังหวัดกาฬสินธุ์" in both and "สำนักงำน" not in both

    assert letters.printed("d-2") is True
    assert letters.printed("d-2") is False and letters.printed("never-sent") is False
    assert letters.queued() == ["d-1"]
    done = tmp_path / "letters" / "printed"
    assert sorted(p.name for p in done.iterdir()) == ["d-2.html", "d-2.pdf"]
    assert stat.S_IMODE(done.stat().st_mode) == 0o700
    with pytest.raises(LetterError, match="d-2 is not waiting"):
        letters.combined(["d-1", "d-2"])


def test_a_letter_needs_its_reference_a_tracking_number_and_an_address(tmp_path):
    letters = queue(tmp_path)
    notice = messages.compose("progress", {"tracking_number": TRACKING})
    with pytest.raises(ValueError, match="reference"):
        letters.send("บ้าน", notice.subject, notice.body)
    with pytest.raises(ValueError, match="reference"):
        letters.send("บ้าน", notice.subject, notice.body, reference="../outside")
    with pytest.raises(SendRefused, match="tracking number"):
        letters.send("บ้าน", "เรื่องทั่วไป", "ไม่มีเลขที่", reference="d-3")
    with pytest.raises(SendRefused, match="postal address"):
        letters.send(" \n", notice.subject, notice.body, reference="d-3")
    assert letters.queued() == [] and not (tmp_path / "letters").exists()
