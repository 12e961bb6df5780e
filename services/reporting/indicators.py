"""The indicators of the complaint-handling standard (seed 003 s.8 and s.13): what each counts.

Each indicator is a share: how many of a set of cases (the denominator) meet a condition (the
numerator). The definitions here are the contract of the figures (the API's ids, the documents'
Thai names, docs/ and the tests quote them); how they are counted from the read model is the
figures' SQL. A plain module: no framework, no database.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str
    thai: str           # as seed 003 names it
    numerator: str      # what the counted cases are, in English, as docs/ writes it
    denominator: str


INDICATORS = (
    Indicator("routed_correctly", "ร้อยละของเรื่องร้องเรียนที่แจ้งหน่วยงานที่เกี่ยวข้องดำเนินการได้ถูกต้อง",
              "routed cases never re-routed", "routed cases (answers from the knowledge base excluded)"),
    Indicator("complete_information",
              "ร้อยละของเรื่องร้องเรียนที่สามารถจัดส่งข้อมูลให้หน่วยงานที่เกี่ยวข้องดำเนินการได้อย่างครบถ้วนชัดเจน",
              "routed cases with no request for more information", "routed cases"),
    Indicator("progress_on_time", "ร้อยละของเรื่องร้องเรียนที่สามารถแจ้งความคืบหน้าให้แก่ผู้ร้องได้ภายในเวลาที่กำหนด",
              "cases with a contact whose first progress notice was delivered by the first-notice deadline",
              "cases with a contact whose first-notice deadline has passed or was met"),
    Indicator("followed_up", "ร้อยละของเรื่องร้องเรียนที่ตรวจสอบได้ครบถ้วนเพื่อนำไปติดตามผล",
              "cases that needed chasing (warned or breached) and were chased (a follow-up or escalation recorded)",
              "cases that needed chasing"),
    Indicator("result_documents",
              "ร้อยละของเรื่องร้องเรียนที่ดำเนินการเสร็จสิ้นแล้วที่สามารถติดตามเอกสารประกอบการรายงานผลได้ครบถ้วน",
              "cases answered by a unit with at least one result document", "cases answered by a unit"),
    Indicator("answered", "จำนวนข้อร้องเรียนที่ได้รับการตอบสนอง",
              "cases answered, by a unit or from the knowledge base", "cases received"),
    Indicator("on_time", "ร้อยละของเรื่องร้องเรียนที่แล้วเสร็จภายในระยะเวลาที่กำหนด",
              "cases resolved by their resolution deadline", "cases resolved"),
)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}


def percent(numerator: int, denominator: int):
    """numerator / denominator as a percentage rounded to two places; None when there is nothing to
    divide by (no case was in the set: not 0 %, and not 100 %)."""
    if denominator == 0:
        return None
    return round(100 * numerator / denominator, 2)


def change(current: int, previous: int):
    """The change in the number of complaints against the same period of the previous fiscal year,
    in percent (s.13: the number of complaints down); None when the previous period had none."""
    return percent(current - previous, previous)
