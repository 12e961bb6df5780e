"""A case's kind from its words (seed 003 s.7), read over the segmented text, never over letters.

4  the complainant sued or will sue, or took the matter to the media or to superiors;
3  corruption, real harm, or public money wasted on work that falls apart;
2  a complaint about the conduct of staff or the quality of a service;
1  an inquiry, a suggestion, a request or a compliment: no harm done.

The words are matched as whole words of PyThaiNLP's segmentation (services/routing/text.py), so
"ศาลา" (a pavilion) and "ศาลเจ้า" (a shrine) are not "ศาล" (a court), "แจ้งความคืบหน้า" (tell the
progress) is not "แจ้งความ" (a police report) and "เงินค่าตอบแทน" (a fee) is not a bribe. A signal
word does not count when it is negated ("ไม่มีการทุจริต") or when the text asks about the topic
rather than reporting a case of it ("ช่องทางร้องเรียนการทุจริต", "อบรมการป้องกันการทุจริต"). The media
and superiors count only when the matter is taken to them ("ร้องเรียนต่อผู้ว่าฯ", "จะไปออกข่าว") or
the text is a complaint: a newspaper asked to publicise a project is a suggestion, not kind 4.

Given a kind (the complainant's, an officer's, or the subject's default), signals only raise it,
and only to 3 or 4: the words may show the matter is graver than it was filed, never lighter.
Given none, the words decide it from 1 to 4. An officer may correct it either way afterwards.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from services.routing.text import normalise, word_boundaries

# a text about the topic, not a case of it: "how to report corruption", "training against it"
ABOUT_THE_TOPIC = ("ช่องทาง", "วิธี", "วิธีการ", "ขั้นตอน", "หลักสูตร", "อบรม", "ฝึกอบรม", "ป้องกัน",
                   "ต่อต้าน", "ความรู้", "คู่มือ", "สถิติ", "แบบฟอร์ม", "หลักเกณฑ์", "บรรยาย", "เรียนรู้",
                   "เบอร์โทร", "เบอร์โทรศัพท์", "เบอร์ติดต่อ", "ที่อยู่ของ", "แผนที่",
                   # a case supposed, not reported: "ถ้าพบเห็นการทุจริต ต้องแจ้งที่ไหน"
                   "ถ้าพบ", "หากพบ", "ถ้าเห็น", "หากเห็น", "ถ้าเจอ", "หากเจอ", "ถ้ามีการ", "หากมีการ",
                   "เชิญ", "ขอเชิญ")  # reporters invited to an event

# verbs of taking a matter to someone: "ร้องเรียนต่อ", "ยื่นเรื่องถึง", "จะไปออก(ข่าว)"
TAKEN_TO = ("ร้องเรียน", "ร้อง", "ร้องทุกข์", "แจ้ง", "ยื่น", "ยื่นเรื่อง", "ส่งเรื่อง", "ทำหนังสือ",
            "มีหนังสือ", "ฟ้อง", "โพสต์", "ไปออก", "ออก", "แฉ", "ประจาน", "ร้องขอ", "complain", "report")
MEDIA = ("สื่อมวลชน", "สื่อ", "สื่อโทรทัศน์", "สื่อออนไลน์", "สื่อโซเชียล", "โซเชียล", "โซเชียลมีเดีย",
         "นักข่าว", "ผู้สื่อข่าว", "หนังสือพิมพ์", "สำนักข่าว", "ทีวี", "โทรทัศน์", "สถานีโทรทัศน์",
         "ช่องข่าว", "รายการข่าว", "วิทยุ", "ข่าว", "ลงข่าว", "ออกข่าว", "ทำข่าว", "เป็นข่าว", "ตกเป็นข่าว",
         "ถ่ายทำ", "ไลฟ์สด", "ไวรัล", "เพจดัง", "media", "press", "news", "tv", "newspaper", "journalist")
# social networks count as the media only where the matter is posted or shared there: a message to the
# office's own page is a channel, not publicity
# (a post on the office's own page is a message to it: "โพสต์ถามในเพจเฟซบุ๊กของเทศบาล")
SOCIAL_POSTS = (r"(โพสต์|โพส|แชร์|ไลฟ์|ประจาน|แฉ)\S{0,12}(เฟซบุ๊ก|เฟซบุ๊ค|เฟสบุ๊ก|เฟสบุ๊ค|facebook|ติ๊กต็อก|tiktok"
                r"|ยูทูบ|youtube|ทวิตเตอร์|twitter|อินสตาแกรม|instagram)"
                r"(?!\S{0,12}ของ(เทศบาล|อบต|อำเภอ|จังหวัด|สำนักงาน|หน่วยงาน|ศูนย์|กรม|กระทรวง))",)
NEWS_OUTLETS = ("นักข่าว", "ผู้สื่อข่าว", "สื่อมวลชน", "ทีวี", "โทรทัศน์", "หนังสือพิมพ์", "สำนักข่าว", "ไทยรัฐ",
                "เดลินิวส์", "ข่าวสด", "มติชน", "ช่อง")
SUPERIORS = ("ผู้ว่าราชการจังหวัด", "ผู้ว่าฯ", "ผู้ว่า", "รองผู้ว่าราชการจังหวัด", "รัฐมนตรี",
             "นายกรัฐมนตรี", "นายกฯ", "ปลัดกระทรวง", "อธิบดี", "ผู้บังคับบัญชา", "ต้นสังกัด",
             "ป.ป.ช.", "ปปช", "ป.ป.ท.", "ปปท", "สตง", "สตง.", "ผู้ตรวจการแผ่นดิน", "ศูนย์ดำรงธรรม",
             "ดีเอสไอ", "dsi", "governor", "minister", "ombudsman")
PUBLIC_MONEY = ("งบ", "งบประมาณ", "โครงการ", "เงินโครงการ", "ผู้รับเหมา", "เงินหลวง", "กองทุน")  # not ภาษี: "I pay my taxes"


@dataclass(frozen=True)
class Signal:
    """Words that make a case of `kind`. With `taken_to`, a word counts when it follows a verb of
    taking the matter somewhere, or else when the text is a complaint; with `needs`, only when the
    text also has one of those words."""
    kind: int
    name: str
    words: tuple
    taken_to: bool = False
    needs: tuple = ()
    patterns: tuple = ()  # regular expressions over the normalised text, beside the words


SIGNALS = (
    Signal(4, "lawsuit", ("ฟ้อง", "ฟ้องร้อง", "ยื่นฟ้อง", "ฟ้องศาล", "ศาลปกครอง", "ศาลปกครองกลาง",
                          "ศาลยุติธรรม", "ศาลแพ่ง", "ศาลอาญา", "ศาลจังหวัด", "ศาลแรงงาน", "ศาลฎีกา",
                          "ขึ้นศาล", "ถึงศาล", "ต่อศาล", "ยื่นศาล", "ดำเนินคดี", "แจ้งความ", "แจ้งความดำเนินคดี",
                          "ร้องทุกข์กล่าวโทษ", "ทนายความ", "ทนาย", "sue", "sued", "lawsuit",
                          "court", "lawyer")),
    Signal(4, "media", MEDIA + ("แฉ", "ประจาน"), taken_to=True),
    Signal(4, "social media", (), patterns=SOCIAL_POSTS),
    # reporters came, whoever called them: "นักข่าวช่อง 7 มาทำข่าวแล้ว" (not the office's own news)
    Signal(4, "in the news", ("มาทำข่าว", "ตกเป็นข่าว"), needs=NEWS_OUTLETS),
    Signal(4, "superiors", SUPERIORS, taken_to=True),
    Signal(3, "corruption", ("ทุจริต", "คอร์รัปชัน", "คอร์รัปชั่น", "คอรัปชั่น", "คอรัปชัน", "ยักยอก",
                             "ฉ้อโกง", "ฉ้อฉล", "โกง", "โกงเงิน", "สินบน", "รับสินบน", "ใต้โต๊ะ", "เงินใต้โต๊ะ",
                             "เรียกรับเงิน", "เรียกรับ", "เรียกเงิน", "เรียกเงินทอน", "หักเงินทอน", "หัวคิว",
                             "เก็บหัวคิว", "ค่าหัวคิว", "ฮั้ว", "ฮั้วประมูล", "ล็อกสเปก", "ล็อคสเปค", "ล็อกสเปค",
                             "เอื้อประโยชน์", "ผลประโยชน์ทับซ้อน", "ประพฤติมิชอบ", "โดยมิชอบ", "เบียดบัง",
                             "ใช้ส่วนตัว", "ไปใช้ส่วนตัว", "ส่วย", "รีดไถ", "ค่าน้ำร้อนน้ำชา", "เงินทอนโครงการ",
                             "หลอกลวง", "หลอกเอาเงิน", "ต้มตุ๋น", "ฉ้อ", "ยักยอกทรัพย์", "แต่งบัญชี",
                             "ใบเสร็จปลอม", "ราคาเกินจริง", "แพงกว่าท้องตลาด", "สูงกว่าท้องตลาด",
                             "สูงกว่าราคาตลาด",
                             "embezzle", "embezzlement", "embezzled", "bribe", "bribes", "bribery",
                             "corruption", "corrupt", "kickback", "kickbacks"),
           patterns=(r"เรียก(เก็บ)?เงิน\S{0,6}(จาก|คนละ|หัวละ|รายละ)", r"ตรวจสอบการใช้(จ่าย)?เงิน",
                     r"เงิน\S{0,12}หาย(ไป)?", r"บังคับ\S{0,12}จ่าย", r"(เอา|ใช้|แอบอ้าง)ชื่อ\S{0,15}(ไป)?เบิก",
                     r"เบิก\S{0,25}ทั้ง(ที่|ๆ ?ที่)", r"เบิก(จ่าย)?เท็จ", r"ปลอม(ลายมือชื่อ|ลายเซ็น|เอกสาร)",
                     r"(รายชื่อ|ชื่อ)ผี",
                     # money kept back from what people are due, or paid for what should be free
                     r"หัก(เงิน)?(ช่วยเหลือ|ชดเชย|เยียวยา|เบี้ย|สงเคราะห์)",
                     r"(เซ็น|ลงชื่อ)รับ\S{0,25} ?\S{0,12} ?\S{0,12} ?แต่(ได้|ได้รับ)(จริง|เงินจริง)?(แค่|เพียง)",
                     r"ค่าเร่ง(?!ด่วน|รัด)", r"ค่าลัดคิว", r"ลัดคิว\S{0,20}(จ่าย|บาท)",
                     r"เงินทอน ?\d+ ?(%|เปอร์เซ็นต์)", r"ตรวจรับ(งาน)?\S{0,20}เต็มจำนวน",
                     r"เบิก\S{0,25}เกิน(ความ)?(เป็น)?จริง", r"(เงิน|งบ)\S{0,15}ผิดวัตถุประสงค์",
                     r"เอาเงิน\S{0,12}ไปใช้(อย่างอื่น|ส่วนตัว|ผิด)")),
    Signal(3, "harm", ("บาดเจ็บ", "ได้รับบาดเจ็บ", "เสียชีวิต", "ข่มขู่", "ขู่", "ขู่ฆ่า", "ทำร้าย", "กลั่นแกล้ง",
                       "ทำร้ายร่างกาย", "คุกคาม", "ล่วงละเมิด", "ล่วงละเมิดทางเพศ", "ได้รับความเสียหาย",
                       "เสียหายอย่างมาก", "เสียหายหนัก", "เสื่อมเสียชื่อเสียง", "เสื่อมเสีย", "เสียชื่อเสียง",
                       "ทะเลาะวิวาท", "ข้อพิพาท", "พิพาท", "ขาหัก", "แขนหัก", "กระดูกหัก", "รอยช้ำ", "ฟกช้ำ",
                       "หมดสติ", "แพ้ยารุนแรง", "แพ้รุนแรง", "ถูกตี", "โดนตี", "ถูกทำร้าย", "โดนทำร้าย",
                       "เข้าไอซียู", "injured", "injury",
                       "threatened", "assaulted", "harassed")),
    Signal(3, "favouritism", ("พวกพ้อง", "เครือญาติ"),
           needs=("ผู้รับเหมา", "รับเหมา", "ประมูล", "จัดซื้อ", "จัดจ้าง", "สัญญาจ้าง", "สัมปทาน"),
           patterns=(r"(บริษัท|ร้าน|หจก)\S{0,8}(ของ)?(น้อง(ชาย|สาว)?|พี่(ชาย|สาว)?|ญาติ|ภรรยา|เมีย(?!นมา)|สามี"
                     r"|ลูก(ชาย|สาว|เขย|สะใภ้)?(?!รัง|ชิ้น|ค้า|จ้าง|หนี้|บ้าน|ทีม|เสือ))",)),
    Signal(3, "public works failing", ("แตกร้าว", "ผิดแบบ", "ไม่ได้มาตรฐาน", "พังทลาย", "ไม่ตรงตามสเปก",
                                       "ไม่ตรงสเปค", "ไม่ตรงตามสเปค", "ไม่ตรงตามแบบ", "ไม่ตรงแบบ",
                                       "ไม่ตรงสเปก", "ทิ้งงาน", "วัสดุไม่ได้คุณภาพ", "คุณภาพต่ำ", "substandard"),
           needs=PUBLIC_MONEY),
)

# A complaint about staff or a service (kind 2), against an inquiry, request or compliment (kind 1).
# A strong cue weighs two, a weak one one; each inquiry cue one; the complaint must weigh more.
COMPLAINT_STRONG = (
    # conduct of staff
    "ไม่สุภาพ", "พูดจาไม่ดี", "พูดไม่ดี", "พูดจาไม่สุภาพ", "ตะคอก", "ด่า", "ดุด่า", "หยาบคาย", "ไม่ให้เกียรติ",
    "ไม่ใส่ใจ", "ไม่สนใจ", "เมินเฉย", "เพิกเฉย", "ละเลย", "ปัดความรับผิดชอบ", "ไม่รับผิดชอบ", "เลือกปฏิบัติ",
    "ไม่เป็นธรรม", "ไม่โปร่งใส", "ไม่เปิดเผย", "มาสาย", "ไม่มาทำงาน", "ขาดงาน", "หน้าบึ้ง", "ไล่", "ตอบห้วน",
    "ไม่พอใจ", "ผิดหวัง", "แย่มาก", "บริการแย่", "ไม่ประทับใจ", "ต่อว่า", "ไม่มีมารยาท", "ไม่เหมาะสม",
    "ไม่เต็มใจ", "ไม่ช่วยเหลือ", "เล่นมือถือ", "เล่นโทรศัพท์", "ผิดระเบียบ", "ไม่เป็นไปตามระเบียบ",
    "ไม่ทำตามมติ", "ไม่ได้รับความเป็นธรรม", "ไม่ได้รับความสะดวก",
    # delay and no answer
    "ล่าช้า", "ช้ามาก", "รอนาน", "ไม่ได้รับคำตอบ", "ไม่มีคำตอบ", "ไม่ตอบ", "ไม่ตอบกลับ", "ไม่รับสาย",
    "โทรไม่ติด", "ติดต่อไม่ได้", "ไม่มีความคืบหน้า", "ไม่คืบหน้า", "เงียบหาย", "ไม่ดำเนินการ", "ไม่แก้ไข",
    "ไม่ติดตาม", "ไม่มาซ่อม", "ไม่ซ่อม", "ปล่อยปละละเลย", "ผิดนัด", "ไม่มาตามนัด", "เลื่อนแล้วเลื่อนอีก",
    "ยังไม่ได้รับการแก้ไข", "ไม่ได้รับการแก้ไข", "ไม่ได้รับการช่วยเหลือ", "ไม่ได้รับการตอบกลับ", "ไม่ลงพื้นที่",
    "ไม่มาตรวจสอบ", "ค้างนาน", "ทวงถาม", "เสียเวลา", "ไม่สามารถติดต่อได้", "ไม่มีคำชี้แจง", "ช้ากว่ากำหนด",
    # a service that failed
    "ตีกลับ", "ไม่ครบ", "ขาดไป", "ไม่ได้บอก", "ไม่ชี้แจง", "ไม่ได้แจ้ง", "ไม่ให้บริการ", "ไม่ได้รับบริการ",
    "ปฏิเสธ", "ไม่ยอม", "เก็บเงินเกิน", "เรียกเก็บเกิน", "น้ำไม่ไหล", "ไฟไม่ติด", "ใช้การไม่ได้",
    "rude", "ignored", "complaint", "complain",
)
COMPLAINT_PATTERNS = (  # strong too
    r"ไม่(มี)?(คน|ใคร|เจ้าหน้าที่|พนักงาน)\S{0,6}(มา|รับ|ตอบ|ให้คำตอบ|สนใจ|ดู|ช่วย|แก้|ซ่อม|ติดตาม|ติดต่อ|โทร|อยู่|แจ้ง"
    r"|ประจำ|ให้บริการ)",
    r"ต้องรอ(ตั้ง|นาน|ถึง|อีก)",
    r"นัด\S{0,12}ไม่มา",
    r"(หลาย|สอง|สาม|สี่|ห้า|\d+) ?(รอบ|ครั้ง)แล้ว",  # asked again and again
    r"(แจ้ง|โทร|ติดต่อ|ร้องเรียน|ถาม)(ไป)?แล้ว ?(หลาย|สอง|สาม|สี่|ห้า|\d+) ?(รอบ|ครั้ง)",
    r"ไม่เห็น(มี)?(ใคร|คน|เจ้าหน้าที่)",
    r"ไม่ได้รับ\S{0,12}มา ?(\d+|หลาย|สอง|สาม) ?(วัน|สัปดาห์|อาทิตย์|เดือน|ปี)",
)
# something not yet received or not working is often a request for help (kind 1): weak cues
COMPLAINT_WEAK_PATTERNS = (
    r"(เป็น|มา|นาน)(มา)? ?(\d+|หลาย|สอง|สาม) ?(วัน|สัปดาห์|อาทิตย์|เดือน|ปี)แล้ว",  # going on for days
    r"ไม่เคย\S{0,20}เลย",
    r"(เข้า|ใช้|ใช้งาน|โทร|ติดต่อ|เปิด)(เว็บ\S*)?ไม่ได้",
    r"ยังไม่ได้(รับ)?(เงิน|คำตอบ|การติดต่อ|ความช่วยเหลือ|การแก้ไข)",
)
COMPLAINT_WEAK = (
    "ช่วยเร่ง", "เร่งรัด", "ร้องเรียน", "สายตัด", "ล่ม", "บอกให้รอ", "ปรับปรุงการให้บริการ", "ไม่เสร็จ", "ผิดพลาด", "ติดตามเรื่อง", "ค้างอยู่", "ช้า", "รอมา", "รอทั้งวัน", "นานแล้ว", "เงียบ", "ทิ้งไว้", "แย่", "ชำรุด", "พัง", "ดับ", "รั่ว",
    "เหม็น", "หลุม", "น้ำท่วมขัง", "เดือดร้อน", "รำคาญ", "เสียงดัง", "ไม่สะดวก", "late", "delay", "delayed",
    "broken",
)
INQUIRY = (
    "ไหม", "มั้ย", "หรือไม่", "หรือเปล่า", "หรือยัง", "อย่างไร", "ยังไง", "เมื่อไหร่", "เมื่อไร", "ที่ไหน",
    "ตรงไหน", "อะไร", "ใคร", "กี่", "เท่าไร", "เท่าไหร่", "บ้าง", "ได้ไหม", "ขอข้อมูล", "ขอทราบ", "อยากทราบ",
    "สอบถาม", "ขอคำแนะนำ", "ขอคำปรึกษา", "ขอแบบฟอร์ม", "ขอสำเนา", "ขอเอกสาร", "อยากได้", "ต้องการ", "ขอเชิญ",
    "เสนอ", "ข้อเสนอแนะ", "เสนอแนะ", "ชมเชย", "ขอชม", "ขอบคุณ", "ประทับใจ", "how", "when", "where", "what",
    "thank", "thanks", "suggest", "suggestion",
)
KIND_NAMES = {1: "inquiry or suggestion", 2: "complaint"}


LOOK_ALIKES = (
    # words that hold a signal's letters but mean something else
    "ศาลา", "ศาลเจ้า", "ศาลพระภูมิ", "ศาลปู่ตา", "ศาลากลาง", "แจ้งความคืบหน้า", "แจ้งความประสงค์",
    "แจ้งความจำนง", "แจ้งความต้องการ", "แจ้งความเห็น", "แจ้งความเคลื่อนไหว", "เงินค่าตอบแทน", "ค่าตอบแทน",
    "ไม่มีเงินทอน", "ทอนเงิน", "เงินทอนไม่ครบ", "ได้เงินทอน", "ผู้ว่าจ้าง", "สื่อสาร", "สื่อการเรียนรู้",
    "สื่อการสอน", "สื่อประชาสัมพันธ์", "ข่าวสาร", "จดหมายข่าว", "ข่าวประชาสัมพันธ์", "เรียกเงินคืน",
    "ขู่เข็ญ", "ประชาสัมพันธ์ทางสื่อ", "มาฟ้อง", "กลับมาฟ้อง", "ฟ้องครู", "ฟ้องแม่", "ฟ้องพ่อ",
    "ตีกลับ", "ถูกตีกลับ", "โดนตีกลับ", "ถูกตีความ", "โดนตีความ", "ถูกตีราคา", "โดนตีราคา", "ถูกตีค่า",
    "ถูกตีตรา", "โดนตีตรา",
)
SHORT = 4  # phrases this short match only as whole words of the segmentation ("ช้า" is not in "ช้าง")
NEGATED = re.compile(r"(ไม่|ไม่มี|ไม่ได้|ไร้|ปราศจาก|มิได้|ไม่เคย|ไม่ใช่)(มี|การ|ความ|ได้|เคย|เกิด|ใด|ๆ|\s)*$")
GAP = re.compile(r"\\S(\{\d*,\d*\}|\*)")  # a free stretch of a pattern: \S{0,12}, \S*
ABOUT_REACH, TAKEN_REACH = 20, 30  # characters before a signal where its frame is looked for


@dataclass(frozen=True)
class KindDecision:
    kind: int
    reason: str  # e.g. "signal media: 'ร้องเรียน … หนังสือพิมพ์'", "as received", "complaint: 'ไม่สุภาพ'"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str


@lru_cache(maxsize=2048)  # a case's text is read for its kind by the decision and by the model
def decide_kind(text: str, given: int | None = None) -> KindDecision:
    """The kind the words say; with a given kind, only a raise to 3 or 4 over it."""
    normal = normalise(text)
    strong = _hits(normal, COMPLAINT_STRONG, COMPLAINT_PATTERNS)
    weak = [h for h in _hits(normal, COMPLAINT_WEAK, COMPLAINT_WEAK_PATTERNS) if not any(_overlap(h, c) for c in strong)]
    complaint = strong + weak
    strongest = None
    for signal, shown in _signals(normal, bool(complaint)):
        if strongest is None or signal.kind > strongest[0].kind:
            strongest = (signal, shown)
    if strongest and (given is None or strongest[0].kind > given):
        signal, shown = strongest
        return KindDecision(signal.kind, f"signal {signal.name}: '{shown}'")
    if given is not None:
        return KindDecision(given, "as received")
    inquiry = [h for h in _hits(normal, INQUIRY) if not any(_overlap(h, c) for c in complaint)]
    kind = 2 if 2 * len(strong) + len(weak) > len(inquiry) else 1
    cues = complaint if kind == 2 else inquiry
    said = ", ".join(f"'{h.text}'" for h in cues[:3]) if cues else "no complaint words"
    return KindDecision(kind, f"{KIND_NAMES[kind]}: {said}")


def _signals(normal, is_complaint):
    """(signal, how it reads) for every signal the text carries, once each. Signals that stand
    alone come first: corruption or harm also make the text a complaint for the media and superiors."""
    verbs = _hits(normal, TAKEN_TO)
    for signal in sorted(SIGNALS, key=lambda s: s.taken_to):
        if signal.needs and not _hits(normal, signal.needs):
            continue
        for hit in _hits(normal, signal.words, signal.patterns):
            if NEGATED.search(normal[:hit.start]) or _hits(normal[max(0, hit.start - ABOUT_REACH):hit.start],
                                                           ABOUT_THE_TOPIC):
                continue
            if not signal.taken_to:
                is_complaint = True
                yield signal, hit.text
                break
            verb = next((v for v in verbs if v.end <= hit.start and hit.start - v.end <= TAKEN_REACH), None)
            if verb:
                yield signal, f"{verb.text} … {hit.text}"
                break
            if is_complaint:
                yield signal, hit.text
                break


def _hits(normal, phrases, patterns=()):
    """Each phrase found in the text, once, in the order of the text.

    A place counts unless the phrase is negated there (for phrases that are not themselves a
    negation), sits inside a look-alike word, is short and not a whole word, or lies in a longer
    phrase found first ("ขอชม" in "ขอชมเชย", "ไม่สุภาพ" in "พูดจาไม่สุภาพ": one cue, not two)."""
    look_alikes = [(m.start(), m.end()) for m in _look_alikes().finditer(normal)]
    places = {}  # phrase -> [Hit], every place it counts
    for phrase in _longest_first(phrases):
        if phrase in normal:  # most are not: skip them at C speed
            places[phrase] = [Hit(at, at + len(phrase), phrase) for at in _occurrences(normal, phrase)
                              if _counts_at(normal, phrase, at, look_alikes)]
    for pattern in _compiled_patterns(patterns):
        places[pattern.pattern] = [Hit(m.start(), m.end(), _shown(m)) for m in pattern.finditer(normal)
                                   if m.group(0).startswith("ไม่") or not NEGATED.search(normal[:m.start()])]
    found, covered = [], []
    for hits in places.values():
        free = [h for h in hits if not any(_overlap(h, c) for c in covered)]
        if free:
            found.append(free[0])
            covered.extend(hits)
    return sorted(found, key=lambda h: h.start)


def _occurrences(normal, phrase):
    at = normal.find(phrase)
    while at >= 0:
        yield at
        at = normal.find(phrase, at + 1)


def _counts_at(normal, phrase, at, look_alikes):
    end = at + len(phrase)
    if any(s <= at and end <= e and (s, e) != (at, end) for s, e in look_alikes):
        return False
    if phrase.isascii():
        if not _latin_word(normal, at, end):
            return False
    elif len(phrase) < SHORT:
        boundaries = word_boundaries(normal)
        if at not in boundaries or end not in boundaries:
            return False
    return phrase.startswith("ไม่") or not NEGATED.search(normal[:at])


def _latin_word(normal, at, end):
    """Whether an English phrase stands as a word of its own ("sue" is not in "issue")."""
    before = normal[at - 1] if at else " "
    after = normal[end] if end < len(normal) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _overlap(a, b):
    return a.start < b.end and b.start < a.end


@lru_cache(maxsize=None)
def _longest_first(phrases):
    return tuple(sorted(_normalised(phrases), key=len, reverse=True))


@lru_cache(maxsize=None)
def _normalised(phrases):
    return tuple(dict.fromkeys(p for p in (normalise(x) for x in phrases) if p))


@lru_cache(maxsize=None)
def _compiled_patterns(patterns):
    """Each pattern with its free stretches (\\S{m,n}, \\S*) as groups, so a reason can leave out the
    words they matched: those are the complainant's own words, perhaps a name."""
    return tuple(re.compile(GAP.sub(lambda m, n=iter(range(99)): f"(?P<gap{next(n)}>{m.group(0)})", p))
                 for p in patterns)


def _shown(match):
    """The matched text with its free stretches as '…'."""
    text, at = [], match.start()
    for name, value in match.groupdict().items():
        if name.startswith("gap") and value:
            start, end = match.span(name)
            text.append(match.string[at:start] + "…")
            at = end
    return "".join(text) + match.string[at:match.end()]


@lru_cache(maxsize=1)
def _look_alikes():
    return re.compile("|".join(re.escape(w) for w in sorted(_normalised(LOOK_ALIKES), key=len, reverse=True)))
