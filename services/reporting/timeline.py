"""How case events read on a timeline, and what each says about the case's status."""

from shared.times import BANGKOK


# status a case reaches through an event; a later status never falls back to an earlier one
STATUS_BY_EVENT = {"case_received": "received", "case_routed": "routed", "case_reopened": "reopened",
                   "case_answered_from_kb": "answered_from_kb", "case_forwarded": "forwarded",
                   "case_answered": "answered"}
STATUS_RANK = {"received": 1, "routed": 2, "forwarded": 3, "answered_from_kb": 4, "answered": 4, "reopened": 5}
UNIT_STATUSES_TH = {"assigned": "ได้รับมอบหมาย", "in_progress": "กำลังดำเนินการ", "answered": "ตอบส่วนของตนแล้ว",
                    "withdrawn": "ถอนออกจากเรื่อง"}

PURPOSES_TH = {"acknowledgment": "แจ้งผู้ร้องว่าได้รับเรื่อง", "kb_answer": "ส่งคำตอบจากฐานความรู้ให้ผู้ร้อง",
               "result": "แจ้งผลการพิจารณาแก่ผู้ร้อง", "routed": "แจ้งผู้ร้องว่าส่งเรื่องถึงหน่วยงานแล้ว",
               "progress": "แจ้งความคืบหน้าแก่ผู้ร้อง", "info_request": "แจ้งผู้ร้องขอข้อมูลเพิ่มเติม",
               "reopened": "แจ้งผู้ร้องว่าเปิดพิจารณาเรื่องอีกครั้ง", "survey": "ขอให้ผู้ร้องประเมินความพึงพอใจ",
               # to the office (audience unit or role): who was told is said with it
               "assigned": "แจ้งหน่วยงานว่าได้รับมอบหมายเรื่อง", "warning": "แจ้งเตือนหน่วยงานว่าใกล้ครบกำหนด",
               "breach": "แจ้งหน่วยงานว่าเรื่องเกินกำหนด", "escalation": "รายงานเรื่องเกินกำหนดต่อผู้บังคับบัญชา"}
OUTCOMES_TH = {"delivered": "ส่งแล้ว", "failed": "ส่งไม่สำเร็จ จะลองใหม่", "no_contact": "ไม่มีช่องทางติดต่อ"}


def later_status(current, candidate):
    if candidate is None:
        return current
    if current is None or STATUS_RANK.get(candidate, 0) > STATUS_RANK.get(current, 0):
        return candidate
    return current


TARGETS_TH = {"resolution": "กำหนดแล้วเสร็จ", "first_notice": "กำหนดแจ้งความคืบหน้า",
              "forward_answer": "กำหนดตอบกลับของหน่วยที่รับเรื่องต่อ"}
ROLES_TH = {"unit_head": "หัวหน้ากลุ่มงาน", "office_director": "ผู้อำนวยการสำนักงาน",
            "complaint_committee": "คณะกรรมการพิจารณาเรื่องร้องเรียน"}
OUTCOMES_SLA_TH = {"met": "ทันกำหนด", "late": "เกินกำหนด", "superseded": "ยกเลิก"}


KINDS_TH = {1: "ประเภท 1 ข้อเสนอแนะ/สอบถาม", 2: "ประเภท 2 ข้อร้องเรียนเรื่องเล็กน้อย",
            3: "ประเภท 3 ข้อร้องเรียนเรื่องใหญ่", 4: "ประเภท 4 การฟ้องร้อง/สื่อ"}


def _kind_reason(reason):
    return "ตามที่ได้รับ" if reason == "as received" else reason


def _when(moment):
    return moment.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")


SLA_SUMMARIES = {
    "sla_warning": lambda e: f"ใกล้ถึง{TARGETS_TH[e['target']]} ({_when(e['due_at'])} น.)",
    "sla_breached": lambda e: f"เลย{TARGETS_TH[e['target']]} ({_when(e['due_at'])} น.)",
    "sla_escalated": lambda e: f"เร่งรัดขั้นที่ {e['step']}: แจ้ง{ROLES_TH.get(e['role'], e['role'])}",
    "sla_deadline_changed": lambda e: f"{TARGETS_TH[e['target']]}เปลี่ยนจาก {_when(e['previous_due_at'])} "
                                      f"เป็น {_when(e['due_at'])} น.",
    "sla_clock_paused": lambda e: "หยุดนับเวลาระหว่างรอข้อมูลจากผู้ร้อง",
    "sla_clock_resumed": lambda e: f"นับเวลาต่อ (เพิ่ม {e['paused_business_days']} วันทำการ)",
    "sla_clock_stopped": lambda e: f"{TARGETS_TH[e['target']]}: {OUTCOMES_SLA_TH[e['outcome']]}",
}


def summary(event_type, event):
    """One line, in Thai, of what happened; no personal data (events carry none)."""
    if event_type == "case_received":
        if event.get("referral"):
            origin = event["referral"]
            return (f"รับเรื่องที่ {origin['site_id']} ส่งต่อมา (เลขที่ {origin['tracking_number']}) "
                    f"ลงเลขที่ {event['tracking_number']}")
        return f"รับเรื่อง เลขที่ {event['tracking_number']} ทางช่องทาง {event['channel']}"
    if event_type == "case_units_assigned":
        names = ", ".join(u["unit_name"] for u in event["units"])
        return f"มอบหมายให้ร่วมดำเนินการ: {names} ({event['reason']})"
    if event_type == "case_unit_status_changed":
        return f"หน่วยงาน {event['unit_id']}: {UNIT_STATUSES_TH[event['status']]}"
    if event_type == "case_forwarded":
        return f"ส่งเรื่องต่อไปยังหน่วยงาน {event['to_site']} ({event['reason']})"
    if event_type == "case_answered":
        if event["answered_by_site"] != event["site_id"]:
            origin = event["referral"] or {}
            return (f"ได้รับผลการพิจารณาจาก {event['answered_by_site']}"
                    f" (เรื่องเลขที่ {origin.get('tracking_number', '-')}) และปิดเรื่อง")
        return "แจ้งผลการพิจารณาและปิดเรื่อง" + (f" (ส่งผลกลับ {event['to_site']})" if event["to_site"] else "")
    if event_type == "case_routed":
        return (f"ส่งเรื่องให้ {event['unit_name']} ({event['reason']}); "
                f"{KINDS_TH[event['kind']]} ({_kind_reason(event['kind_reason'])})")
    if event_type == "case_kind_changed":
        return (f"เปลี่ยนประเภทเรื่องจาก{KINDS_TH[event['previous_kind']]}เป็น{KINDS_TH[event['kind']]} "
                f"โดย {event['officer']}: {event['reason']}")
    if event_type == "sla_clock_started":
        if event["target"] == "first_notice":
            return f"ต้องแจ้งความคืบหน้าแก่ผู้ร้องภายใน {event['business_days']} วัน: {_when(event['due_at'])} น."
        if event["target"] == "forward_answer":
            return (f"ต้องได้รับผลจากหน่วยงานที่รับเรื่องต่อภายใน {event['business_days']} วันทำการ: "
                    f"{_when(event['due_at'])} น.")
        return f"กำหนดแล้วเสร็จภายใน {event['business_days']} วันทำการ: {_when(event['due_at'])} น."
    if event_type in SLA_SUMMARIES:
        return SLA_SUMMARIES[event_type](event)
    if event_type == "notification_recorded":
        channel = event["channel"] or "-"
        to = f" [{event['role']}]" if event.get("role") else ""
        return (f"{PURPOSES_TH.get(event['purpose'], event['purpose'])}{to} ({channel}): "
                f"{OUTCOMES_TH[event['outcome']]}")
    if event_type == "case_triage_needed":
        return "รอเจ้าหน้าที่คัดแยกเรื่อง"
    if event_type == "case_rerouted":
        return f"ส่งเรื่องต่อให้ {event['unit_name']} ({event['reason']})"
    if event_type == "case_routing_confirmed":
        return "เจ้าหน้าที่ยืนยันหน่วยงานที่รับผิดชอบ"
    if event_type == "case_info_requested":
        return "ขอข้อมูลเพิ่มเติมจากผู้ร้อง (หยุดนับเวลา)"
    if event_type == "case_reply_received":
        # a Latin word stands apart in Thai
        by = {"email": "อีเมล", "web": "หน้าติดตามเรื่องบนเว็บไซต์"}.get(event["channel"], " LINE")
        return (f"ผู้ร้องตอบกลับทาง{by}" + (" (ตอบคำถามที่ขอข้อมูลเพิ่มเติม)" if event["answers_request"] else ""))
    if event_type == "case_rated":
        return f"ผู้ร้องประเมินความพึงพอใจ {event['score']} จาก 5 คะแนน"
    if event_type == "case_info_received":
        return "ได้รับข้อมูลเพิ่มเติมจากผู้ร้องแล้ว"
    if event_type == "case_answered_from_kb":
        return "ตอบจากฐานความรู้และปิดเรื่อง"
    if event_type == "case_reopened":
        return "เปิดเรื่องอีกครั้ง: ผู้ร้องโต้แย้งผลการพิจารณา (ต้องตรวจสอบพื้นที่)"
    if event_type == "case_indexed":
        return "บันทึกเข้าระบบรายงานแล้ว"
    return event_type


# columns an event sets only on the summary it creates: a case_received that arrives after the
# case_routed (another queue) must not put back the kind that routing has since decided
FIRST_ONLY = {"case_received": ("kind",)}


def summary_fields(event_type, event):
    """The columns of the case summary this event sets."""
    fields = {}
    if event_type == "case_received":
        fields.update(tracking_number=event["tracking_number"], kind=event["kind"],
                      channel=event["channel"], received_at=event["received_at"])
    elif event_type == "case_rerouted":
        fields.update(unit_id=event["unit_id"])
    elif event_type == "case_kind_changed":
        fields.update(tracking_number=event["tracking_number"], kind=event["kind"])
    elif event_type in ("case_forwarded", "case_answered", "case_units_assigned", "case_unit_status_changed"):
        fields.update(tracking_number=event["tracking_number"])
    elif event_type == "case_routed":
        fields.update(tracking_number=event["tracking_number"], kind=event["kind"],
                      unit_id=event["unit_id"], received_at=event["received_at"])
    elif event_type in ("sla_clock_started", "sla_deadline_changed") and event["target"] == "resolution":
        fields.update(due_at=event["due_at"], unit_id=event["unit_id"])
    return fields
