"""The words sent to complainants.

Every word of a notice is the office's own: the greeting names the complainant's role, never the
name they typed, and no text a complainant wrote (name, subject, description) is ever put into a
notice. Anyone can file a case with anyone's e-mail address; were their words in the office's mail,
the office would send a stranger's message ("refund at https://…") to whoever they chose. What a
notice may carry besides our own words: the tracking number (ours), an answer (written by an officer
or the knowledge base officers keep) and the code of the site that answered.
"""
from dataclasses import dataclass

GREETING_COMPLAINANT = "เรียน ผู้ร้องเรียน"
GREETING_INQUIRER = "เรียน ผู้สอบถาม"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    short: str = ""  # the text of an SMS: the same words, without greeting or English


def kb_answer(tracking_number, answer):
    return Message(
        subject=f"คำตอบเรื่องที่ท่านสอบถาม เลขที่ {tracking_number}",
        body=(f"{GREETING_INQUIRER}\n\n{answer}\n\n"
              f"เรื่องเลขที่ {tracking_number} ได้รับคำตอบแล้วและปิดเรื่อง หากยังไม่ตรงกับที่ต้องการ "
              "ท่านยื่นเรื่องใหม่ได้ทุกช่องทาง\n"),
        short=f"คำตอบเรื่องเลขที่ {tracking_number}: {answer}",
    )


def result(tracking_number, answer, answered_by=None):
    by = f" (ผลการพิจารณาจาก {answered_by})" if answered_by else ""
    return Message(
        subject=f"แจ้งผลการพิจารณาเรื่องร้องเรียน เลขที่ {tracking_number}",
        body=(f"{GREETING_COMPLAINANT}\n\nผลการพิจารณาเรื่องของท่าน เลขที่ {tracking_number}{by}:\n\n{answer}\n\n"
              "หากท่านไม่เห็นด้วยกับผลการพิจารณา ท่านโต้แย้งได้ภายใน 90 วัน โดยอ้างเลขที่รับเรื่องและรหัสติดตาม\n"),
        short=f"ผลการพิจารณาเรื่องเลขที่ {tracking_number}{by}: {answer}",
    )


def acknowledgment(tracking_number):
    return Message(
        subject=f"ได้รับเรื่องร้องเรียนของท่านแล้ว เลขที่ {tracking_number}",
        body=(
            f"{GREETING_COMPLAINANT}\n\n"
            f"หน่วยงานได้รับเรื่องของท่านแล้ว เลขที่รับเรื่อง {tracking_number}\n"
            "ท่านติดตามความคืบหน้าได้ด้วยเลขที่รับเรื่องนี้และรหัสติดตามที่ได้รับเมื่อยื่นเรื่อง\n"
            "หากท่านไม่ได้ยื่นเรื่องนี้ ท่านไม่ต้องดำเนินการใด ๆ\n\n"
            f"We have received your complaint. Tracking number: {tracking_number}.\n"
            "Use it with the access code you were given to follow its progress.\n"
            "If you did not file this complaint, you need not do anything.\n"
        ),
        short=f"ได้รับเรื่องร้องเรียนของท่านแล้ว เลขที่ {tracking_number} ติดตามได้ด้วยเลขที่นี้และรหัสติดตาม",
    )
