"""The words sent to complainants."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def kb_answer(tracking_number, answer, name=None):
    greeting = f"เรียน คุณ{name}" if name else "เรียน ผู้สอบถาม"
    return Message(
        subject=f"คำตอบเรื่องที่ท่านสอบถาม เลขที่ {tracking_number}",
        body=(f"{greeting}\n\n{answer}\n\n"
              f"เรื่องเลขที่ {tracking_number} ได้รับคำตอบแล้วและปิดเรื่อง หากยังไม่ตรงกับที่ต้องการ "
              "ท่านยื่นเรื่องใหม่ได้ทุกช่องทาง\n"),
    )


def result(tracking_number, answer, answered_by=None, name=None):
    greeting = f"เรียน คุณ{name}" if name else "เรียน ผู้ร้องเรียน"
    by = f" (ผลการพิจารณาจาก {answered_by})" if answered_by else ""
    return Message(
        subject=f"แจ้งผลการพิจารณาเรื่องร้องเรียน เลขที่ {tracking_number}",
        body=(f"{greeting}\n\nผลการพิจารณาเรื่องของท่าน เลขที่ {tracking_number}{by}:\n\n{answer}\n\n"
              "หากท่านไม่เห็นด้วยกับผลการพิจารณา ท่านโต้แย้งได้ภายใน 90 วัน โดยอ้างเลขที่รับเรื่องและรหัสติดตาม\n"),
    )


def acknowledgment(tracking_number, name=None):
    greeting = f"เรียน คุณ{name}" if name else "เรียน ผู้ร้องเรียน"
    return Message(
        subject=f"ได้รับเรื่องร้องเรียนของท่านแล้ว เลขที่ {tracking_number}",
        body=(
            f"{greeting}\n\n"
            f"หน่วยงานได้รับเรื่องของท่านแล้ว เลขที่รับเรื่อง {tracking_number}\n"
            "ท่านติดตามความคืบหน้าได้ด้วยเลขที่รับเรื่องนี้และรหัสติดตามที่ได้รับเมื่อยื่นเรื่อง\n\n"
            f"We have received your complaint. Tracking number: {tracking_number}.\n"
            "Use it with the access code you were given to follow its progress.\n"
        ),
    )
