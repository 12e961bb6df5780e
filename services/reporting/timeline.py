"""How case events read on a timeline, and what each says about the case's status."""
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")

# status a case reaches through an event; a later status never falls back to an earlier one
STATUS_BY_EVENT = {"case_received": "received", "case_routed": "routed"}
STATUS_RANK = {"received": 1, "routed": 2}

OUTCOMES_TH = {"delivered": "ส่งแล้ว", "failed": "ส่งไม่สำเร็จ จะลองใหม่", "no_contact": "ไม่มีช่องทางติดต่อ"}


def later_status(current, candidate):
    if candidate is None:
        return current
    if current is None or STATUS_RANK.get(candidate, 0) > STATUS_RANK.get(current, 0):
        return candidate
    return current


def summary(event_type, event):
    """One line, in Thai, of what happened; no personal data (events carry none)."""
    if event_type == "case_received":
        return f"รับเรื่อง เลขที่ {event['tracking_number']} ทางช่องทาง {event['channel']}"
    if event_type == "case_routed":
        return f"ส่งเรื่องให้ {event['unit_name']} ({event['reason']})"
    if event_type == "sla_clock_started":
        due = event["due_at"].astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
        return f"กำหนดแล้วเสร็จภายใน {event['business_days']} วันทำการ: {due} น."
    if event_type == "notification_recorded":
        channel = event["channel"] or "-"
        return f"แจ้งผู้ร้องว่าได้รับเรื่อง ({channel}): {OUTCOMES_TH[event['outcome']]}"
    if event_type == "case_indexed":
        return "บันทึกเข้าระบบรายงานแล้ว"
    return event_type


def summary_fields(event_type, event):
    """The columns of the case summary this event sets."""
    fields = {}
    if event_type == "case_received":
        fields.update(tracking_number=event["tracking_number"], kind=event["kind"],
                      channel=event["channel"], received_at=event["received_at"])
    elif event_type == "case_routed":
        fields.update(tracking_number=event["tracking_number"], kind=event["kind"],
                      unit_id=event["unit_id"], received_at=event["received_at"])
    elif event_type == "sla_clock_started" and event["target"] == "resolution":
        fields.update(due_at=event["due_at"], unit_id=event["unit_id"])
    return fields
