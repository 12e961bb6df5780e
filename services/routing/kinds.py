"""Signals for a case's kind in its words (seed 003 s.7): the media, a lawsuit or superiors make it
kind 4; corruption or real harm kind 3. Signals only raise a kind, never lower it: an officer may
correct it either way."""
import re
from dataclasses import dataclass

from services.routing.text import normalise

# Each: (kind, signal name, pattern over the normalised text). Substrings, not words: Thai
# compounds such as "หนังสือพิมพ์ท้องถิ่น" or "ฟ้องศาลปกครอง" must still match.
SIGNALS = (
    (4, "media", r"หนังสือพิมพ์|นักข่าว|สื่อมวลชน|สำนักข่าว|ออกข่าว|เป็นข่าว|ลงข่าว|ข่าวช่อง|โทรทัศน์|ทีวี|รายการ"
                 r"ข่าว|ไลฟ์สด|ไวรัล|\btv\b|\bnews\b|press"),
    (4, "lawsuit", r"ฟ้อง|ศาล|ทนายความ|ดำเนินคดี|แจ้งความ|ร้องทุกข์กล่าวโทษ|lawsuit|\bsue\b|court"),
    (4, "superiors", r"ผู้ว่าราชการจังหวัด|ผู้ว่าฯ|ผู้ว่า(?!จ้าง)|รัฐมนตรี|นายกรัฐมนตรี|ปลัดกระทรวง|อธิบดี|"
                     r"ป\.ป\.ช|ปปช|สตง|ผู้ตรวจการแผ่นดิน|ศูนย์ดำรงธรรม|governor|minister"),
    (3, "corruption", r"ทุจริต|คอร์รัปชัน|คอรัปชั่น|ยักยอก|ฉ้อโกง|โกงเงิน|สินบน|ใต้โต๊ะ|เรียกรับเงิน|เรียกเงิน|"
                      r"รับเงินค่า|เงินทอน|ฮั้ว|embezzl|brib|corrupt"),
    (3, "harm", r"บาดเจ็บ|เสียชีวิต|ได้รับความเสียหาย|เสียหายอย่างมาก|ข่มขู่|ทำร้าย|คุกคาม|ล่วงละเมิด|injur|threat"),
)
_COMPILED = tuple((kind, name, re.compile(pattern)) for kind, name, pattern in SIGNALS)


@dataclass(frozen=True)
class KindDecision:
    kind: int
    reason: str  # e.g. "signal media: 'หนังสือพิมพ์'", or "as received"


def decide_kind(text: str, given: int) -> KindDecision:
    normal = normalise(text)
    best = None
    for kind, name, pattern in _COMPILED:
        match = pattern.search(normal)
        if match and kind > given and (best is None or kind > best.kind):
            best = KindDecision(kind, f"signal {name}: '{match.group(0)}'")
    return best or KindDecision(given, "as received")
