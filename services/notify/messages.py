"""The words of every notice: to complainants, and to the office's own people.

Every word of a notice is the office's own: the greeting names the complainant's role, never the
name they typed, and no text a complainant wrote (name, subject, description) is ever put into a
notice. Anyone can file a case with anyone's e-mail address; were their words in the office's mail,
the office would send a stranger's message ("refund at https://…") to whoever they chose. What a
notice may carry besides our own words: the tracking number (ours), an answer (written by an officer
or the knowledge base officers keep), a question an officer asks, the code of the site that answered,
and what the directory and the standard say (a unit's name, a role's title, a deadline). Notices to
the office follow the same rule: they name the case by its tracking number, never its complainant.

The words are Jinja2 templates (plain text) in deploy/notify-templates/, one file per purpose,
`<purpose>.j2`, with three blocks: `subject`, `body` (e-mail, LINE, and the body of a postal letter)
and `short` (SMS: the same words, without greeting or English). A channel may have its own file,
`<purpose>.<channel>.j2` (email, line, sms, letter), found before `<purpose>.j2`; it may
`{% extends "<purpose>.j2" %}` and override a block. An office that wants its own words puts files of
the same names in its own folder (NOTIFY.templates), which is looked in first: its `<purpose>.<channel>.j2`,
then its `<purpose>.j2`, then the shipped ones. `rongtuk notify preview PURPOSE` shows the result.

A template is given only the fields of its purpose (FIELDS; anything else a caller passes is dropped,
so no template can reach it), `english` (whether a notice's English lines are shown), `channel`, the
greetings, and the filters `thai_date`, `thai_datetime` (Bangkok time, Buddhist Era), `digits` (Thai
digits when the site writes them) and `kind_th` (a case kind's Thai name). A tracking number keeps
its Arabic digits everywhere: it is what people type.
A plain module apart from Jinja2: no nameko, no database.
"""
import functools
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound,
                    TemplateSyntaxError)

from shared.times import BANGKOK

TEMPLATES = Path(__file__).resolve().parents[2] / "deploy" / "notify-templates"  # shared.config.DEPLOY_DIR
GREETING_COMPLAINANT = "เรียน ผู้ร้องเรียน"
GREETING_INQUIRER = "เรียน ผู้สอบถาม"

PURPOSES_COMPLAINANT = ("acknowledgment", "kb_answer", "result", "routed", "progress", "info_request",
                        "reopened", "survey")
PURPOSES_OFFICER = ("assigned", "warning", "breach", "escalation", "digest")
CHANNELS = ("email", "line", "sms", "letter")
BLOCKS = ("subject", "body", "short")

# each purpose's fields: (required, optional); an optional one left out is None
FIELDS = {
    "acknowledgment": (("tracking_number",), ()),
    "kb_answer": (("tracking_number", "answer"), ()),
    "result": (("tracking_number", "answer"), ("answered_by",)),
    "routed": (("tracking_number", "unit_name"), ("business_days",)),
    "progress": (("tracking_number",), ()),
    "info_request": (("tracking_number", "question"), ()),
    "reopened": (("tracking_number",), ()),
    "survey": (("tracking_number", "survey_url"), ()),
    "assigned": (("tracking_number", "unit_name"), ("kind", "due_at", "business_days")),
    "warning": (("tracking_number", "unit_name", "target"), ("due_at",)),
    "breach": (("tracking_number", "unit_name", "target"), ("due_at",)),
    "escalation": (("tracking_number", "unit_name", "target", "role", "step"), ("due_at", "role_title")),
    "digest": (("unit_name", "cases"), ()),
}
CASE_FIELDS = ("tracking_number", "kind", "due_at", "business_days_left", "status")  # a digest's case

BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
KINDS_TH = {1: "ข้อเสนอแนะ/สอบถาม", 2: "ข้อร้องเรียนเรื่องเล็กน้อย", 3: "ข้อร้องเรียนเรื่องใหญ่",
            4: "การฟ้องร้อง/สื่อ"}

# what `rongtuk notify preview` fills a purpose's template with when not told otherwise
_DUE = datetime(2026, 12, 1, 16, 30, tzinfo=BANGKOK)
SAMPLES = {
    "acknowledgment": {"tracking_number": "HUB-2570-000123"},
    "kb_answer": {"tracking_number": "HUB-2570-000123",
                  "answer": "สำนักงานเปิดรับสมัครโครงการพัฒนาอาชีพรอบใหม่ในเดือนมกราคม "
                            "ยื่นใบสมัครได้ที่สำนักงานในวันและเวลาราชการ"},
    "result": {"tracking_number": "HUB-2570-000123",
               "answer": "กองช่างได้ซ่อมไฟฟ้าส่องสว่างบริเวณซอยเทศบาล 5 เรียบร้อยแล้วเมื่อวันที่ 28 พฤศจิกายน 2569",
               "answered_by": None},
    "routed": {"tracking_number": "HUB-2570-000123", "unit_name": "กลุ่มงานตรวจสอบและติดตามผล", "business_days": 15},
    "progress": {"tracking_number": "HUB-2570-000123"},
    "info_request": {"tracking_number": "HUB-2570-000123",
                     "question": "โปรดแจ้งชื่อหมู่บ้านและจุดสังเกตใกล้เคียงของถนนที่ชำรุด"},
    "reopened": {"tracking_number": "HUB-2570-000123"},
    "survey": {"tracking_number": "HUB-2570-000123", "survey_url": "https://office.example/survey/HUB-2570-000123"},
    "assigned": {"tracking_number": "HUB-2570-000123", "unit_name": "กลุ่มงานตรวจสอบและติดตามผล", "kind": 2,
                 "due_at": _DUE, "business_days": 15},
    "warning": {"tracking_number": "HUB-2570-000123", "unit_name": "กลุ่มงานตรวจสอบและติดตามผล",
                "target": "resolution", "due_at": _DUE},
    "breach": {"tracking_number": "HUB-2570-000123", "unit_name": "กลุ่มงานตรวจสอบและติดตามผล",
               "target": "resolution", "due_at": _DUE},
    "escalation": {"tracking_number": "HUB-2570-000123", "unit_name": "กลุ่มงานตรวจสอบและติดตามผล",
                   "target": "resolution", "due_at": _DUE, "role": "unit_head",
                   "role_title": "หัวหน้ากลุ่มงานตรวจสอบและติดตามผล", "step": 1},
    "digest": {"unit_name": "กลุ่มงานตรวจสอบและติดตามผล", "cases": [
        {"tracking_number": "HUB-2570-000098", "kind": 3, "due_at": datetime(2026, 11, 27, 16, 30, tzinfo=BANGKOK),
         "business_days_left": -2, "status": "in_progress"},
        {"tracking_number": "HUB-2570-000123", "kind": 2, "due_at": _DUE, "business_days_left": 0,
         "status": "assigned"},
        {"tracking_number": "HUB-2570-000131", "kind": 2, "due_at": datetime(2026, 12, 8, 16, 30, tzinfo=BANGKOK),
         "business_days_left": 5, "status": "waiting"},
    ]},
}


class NoticeError(ValueError):
    """A notice that cannot be composed: the message names the purpose, and the template if it is one."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    short: str = ""  # the text of an SMS: the same words, without greeting or English


def compose(purpose, notice, channel=None, *, folder=None, thai_digits=False, english=True) -> Message:
    """The message of `purpose` from the fields of `notice` (see FIELDS; others are ignored), for
    `channel` (None: any). `folder`: the office's own templates, looked in first; `thai_digits`: Thai
    digits in dates and the office's numbers; `english`: the English lines a notice has (the
    acknowledgment's). A ValueError names the purpose and template when it cannot be composed."""
    if purpose not in FIELDS:
        raise NoticeError(f"no notice {purpose!r}: the purposes are {', '.join(FIELDS)}")
    if channel is not None and channel not in CHANNELS:
        raise NoticeError(f"notice {purpose}: no channel {channel!r} (channels: {', '.join(CHANNELS)})")
    values = _fields(purpose, notice)
    env = _environment(str(folder) if folder else None, bool(thai_digits))
    template = _template(env, purpose, channel, folder)
    name = template.name
    try:
        parts = _blocks(env, purpose, template, {**values, "english": bool(english), "channel": channel})
    except NoticeError:
        raise
    except Exception as exc:  # undefined, a filter given the wrong thing, an error in an office's template
        raise NoticeError(f"notice {purpose}: template {name}{_where(exc)}: {_reason(exc)}") from None
    return Message(subject=" ".join(parts["subject"].split()),
                   body=parts["body"].strip("\n") + "\n",
                   short=parts["short"].strip())


def _fields(purpose, notice):
    required, optional = FIELDS[purpose]
    notice = dict(notice or {})
    missing = [k for k in required if k not in notice]
    if missing:
        raise NoticeError(f"notice {purpose}: missing {', '.join(missing)}")
    values = {k: notice.get(k) for k in required + optional}
    if "due_at" in values:
        values["due_at"] = _moment_of(purpose, "due_at", values["due_at"])
    if purpose == "digest":
        if not all(isinstance(case, dict) for case in values["cases"] or ()):
            raise NoticeError(f"notice {purpose}: cases is a list of {{{', '.join(CASE_FIELDS)}}}")
        values["cases"] = [{**{k: case.get(k) for k in CASE_FIELDS},
                            "due_at": _moment_of(purpose, "cases[].due_at", case.get("due_at"))}
                           for case in values["cases"] or ()]
    return values


def _moment_of(purpose, field, value):
    try:
        return moment(value)
    except (TypeError, ValueError):
        raise NoticeError(f"notice {purpose}: {field} {value!r} is not an ISO 8601 time") from None


def _template(env, purpose, channel, folder):
    """The office's own <purpose>.<channel>.j2, then its <purpose>.j2, then the shipped ones."""
    names = ([f"{purpose}.{channel}.j2"] if channel else []) + [f"{purpose}.j2"]
    own = [n for n in names if folder and (Path(folder) / n).is_file()]
    try:
        return env.get_template(own[0]) if own else env.select_template(names)
    except TemplateNotFound:
        raise NoticeError(f"notice {purpose}: no template {' or '.join(names)}") from None
    except TemplateSyntaxError as exc:
        raise NoticeError(f"notice {purpose}: template {exc.name or names[-1]} ({exc.filename} line "
                         f"{exc.lineno}): {exc.message}") from None
    except Exception as exc:
        raise NoticeError(f"notice {purpose}: template {' or '.join(names)}: {_reason(exc)}") from None


def _blocks(env, purpose, template, values):
    """Each of BLOCKS rendered on its own, with the template's parents (extends) and imports in place."""
    context = template.new_context(values)
    for _ in template.root_render_func(context):  # runs extends and imports: fills context.blocks
        pass
    missing = [b for b in BLOCKS if b not in context.blocks]
    if missing:
        raise NoticeError(f"notice {purpose}: template {template.name} ({template.filename}) has no block "
                          f"{', '.join(missing)} (a notice's template has the blocks {', '.join(BLOCKS)})")
    return {b: env.concat(context.blocks[b][0](context)) for b in BLOCKS}


def _reason(exc):
    return getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"


def _where(exc):
    """ ' (<file> line N)' of the template line that failed, found in the traceback Jinja2 compiles."""
    tb, where = exc.__traceback__, ""
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and tb.tb_frame.f_code.co_filename == template.filename:
            where = f" ({template.filename} line {template.get_corresponding_lineno(tb.tb_lineno)})"
        tb = tb.tb_next
    return where


@functools.lru_cache(maxsize=32)
def _environment(folder, thai_digits):
    """Jinja2 over the office's folder (if any) and then the shipped templates: plain text, nothing
    escaped, an undefined name an error. One per (folder, thai_digits)."""
    own = [FileSystemLoader(folder)] if folder else []
    env = Environment(loader=ChoiceLoader(own + [FileSystemLoader(str(TEMPLATES))]), autoescape=False,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["digits"] = lambda text: digits(text, thai_digits)
    env.filters["thai_date"] = lambda value: thai_date(value, thai_digits)
    env.filters["thai_datetime"] = lambda value: thai_datetime(value, thai_digits)
    env.filters["kind_th"] = kind_th
    env.globals.update(digits=env.filters["digits"], thai_date=env.filters["thai_date"],
                       thai_datetime=env.filters["thai_datetime"], kind_th=kind_th,
                       GREETING_COMPLAINANT=GREETING_COMPLAINANT, GREETING_INQUIRER=GREETING_INQUIRER)
    return env


# -- how a notice writes numbers and dates ---------------------------------------------------------

def moment(value):
    """A moment as an aware datetime: an ISO 8601 text parsed, a naive one taken as UTC; None stays."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def digits(text, thai=False) -> str:
    """The text with its digits as Thai digits when `thai`; as it is otherwise. None is ""."""
    return "" if text is None else str(text).translate(THAI_DIGITS) if thai else str(text)


def thai_date(value, thai=False) -> str:
    """A day as Thai writes it, Buddhist Era: "1 ธันวาคม 2569" (a moment is read in Bangkok)."""
    value = moment(value) if isinstance(value, str) else value
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BANGKOK).date()
    if not isinstance(value, date):
        raise TypeError(f"thai_date needs a date or datetime, not {type(value).__name__}")
    return digits(f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BE_OFFSET}", thai)


def thai_datetime(value, thai=False) -> str:
    """A moment in Bangkok as Thai writes it: "1 ธันวาคม 2569 เวลา 16.30 น."."""
    value = moment(value)
    if value is None:
        return ""
    if not isinstance(value, datetime):
        raise TypeError(f"thai_datetime needs a datetime, not {type(value).__name__}")
    local = value.astimezone(BANGKOK)
    return f"{thai_date(local, thai)} เวลา {digits(f'{local.hour:02d}.{local.minute:02d}', thai)} น."


def kind_th(kind) -> str:
    """A case kind's Thai name (1-4); "" for none."""
    if kind in (None, ""):
        return ""
    try:
        return KINDS_TH.get(int(kind), str(kind))
    except (TypeError, ValueError):
        return str(kind)
