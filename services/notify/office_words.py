"""The words notify sends to the office: a unit given a case, a deadline near or passed, an escalation.

Only the office's own words about the case: its tracking number, unit, kind and deadline (a Thai
Buddhist Era date, Bangkok time). Never the complainant's name or contacts, nor anything they wrote:
a message about a confidential case says no more than about any other.
"""
from datetime import datetime

from services.notify.messages import Message
from shared.times import BANGKOK

MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
TARGETS = {"resolution": "กำหนดแล้วเสร็จ", "first_notice": "กำหนดแจ้งความคืบหน้าแก่ผู้ร้อง",
           "forward_answer": "กำหนดได้รับผลจากหน่วยงานที่ส่งเรื่องต่อ"}
KINDS = {1: "ข้อเสนอแนะ/สอบถาม", 2: "ข้อร้องเรียนทั่วไป", 3: "ข้อร้องเรียนร้ายแรง", 4: "คดีความ/สื่อ"}
GREETING = "เรียน {who}"


def when(moment, thai_digits=False):
    """"1 ธันวาคม 2569 เวลา 16.30 น." in Bangkok time (Buddhist Era), Thai digits if asked."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone(BANGKOK)
    text = f"{local.day} {MONTHS[local.month - 1]} {local.year + 543} เวลา {local:%H.%M} น."
    return text.translate(THAI_DIGITS) if thai_digits else text


def assigned(notice, thai_digits=False):
    number, unit = notice["tracking_number"], notice["unit_name"]
    kind = KINDS.get(notice.get("kind"))
    days = notice.get("business_days")
    due = f" กำหนดแล้วเสร็จภายใน {days} วันทำการ" if days else ""
    what = f" ({kind})" if kind else ""
    return Message(
        subject=f"เรื่องร้องเรียนเลขที่ {number} มอบหมายให้ {unit}",
        body=(f"{GREETING.format(who=unit)}\n\nเรื่องร้องเรียนเลขที่ {number}{what} ได้มอบหมายให้หน่วยงานของท่าน"
              f"ดำเนินการ{due}\nโปรดตรวจสอบรายละเอียดในระบบ Rongtuk และแจ้งความคืบหน้าแก่ผู้ร้อง\n"),
        short=f"เรื่องเลขที่ {number}{what} มอบหมายให้ {unit}{due}")


def warning(notice, thai_digits=False):
    number, unit = notice["tracking_number"], notice["unit_name"]
    target = TARGETS.get(notice["target"], notice["target"])
    due = when(notice["due_at"], thai_digits)
    return Message(
        subject=f"แจ้งเตือน: เรื่องร้องเรียนเลขที่ {number} ใกล้ครบ{target}",
        body=(f"{GREETING.format(who=unit)}\n\nเรื่องร้องเรียนเลขที่ {number} ใกล้ครบ{target} "
              f"คือ {due}\nโปรดดำเนินการให้แล้วเสร็จภายในกำหนด\n"),
        short=f"แจ้งเตือน: เรื่องเลขที่ {number} ใกล้ครบ{target} {due}")


def breach(notice, thai_digits=False):
    number, unit = notice["tracking_number"], notice["unit_name"]
    target = TARGETS.get(notice["target"], notice["target"])
    due = when(notice["due_at"], thai_digits)
    return Message(
        subject=f"เรื่องร้องเรียนเลขที่ {number} เกิน{target}แล้ว",
        body=(f"{GREETING.format(who=unit)}\n\nเรื่องร้องเรียนเลขที่ {number} เกิน{target} ({due}) แล้ว\n"
              "โปรดเร่งรัดดำเนินการและรายงานผลโดยเร็ว\n"),
        short=f"เรื่องเลขที่ {number} เกิน{target} ({due}) แล้ว โปรดเร่งรัดดำเนินการ")


def escalation(notice, thai_digits=False):
    number, unit = notice["tracking_number"], notice["unit_name"]
    target = TARGETS.get(notice["target"], notice["target"])
    due = when(notice["due_at"], thai_digits)
    who = notice.get("role_title") or notice["role"]
    step = str(notice["step"]).translate(THAI_DIGITS) if thai_digits else notice["step"]
    return Message(
        subject=f"รายงานเรื่องร้องเรียนเลขที่ {number} เกินกำหนด (ขั้นที่ {step})",
        body=(f"{GREETING.format(who=who)}\n\nเรื่องร้องเรียนเลขที่ {number} ซึ่ง{unit}รับผิดชอบ "
              f"เกิน{target} ({due}) และยังไม่แล้วเสร็จ จึงรายงานเพื่อโปรดพิจารณาเร่งรัด (ขั้นที่ {step})\n"),
        short=f"เรื่องเลขที่ {number} ของ{unit} เกิน{target} ({due}) รายงานเพื่อเร่งรัด ขั้นที่ {step}")


WORDS = {"assigned": assigned, "warning": warning, "breach": breach, "escalation": escalation}
