"""Letters by post: a notice to a complainant as a Thai official letter (หนังสือภายนอก) in PDF, and the
folder of letters waiting to be printed and posted.

`render_letter` fills templates/letter.html (Jinja2, HTML and CSS, every value escaped) and renders
it through WeasyPrint, the way reporting renders its documents; an office that wants its own wording
or layout puts a `letter.html` in its own folder, which is looked in first. Two things make the Thai
come out right, as reporting found:
- a Thai font the machine has: TH Sarabun (the official letters' font) if installed, else Noto Sans
  Thai (Debian's fonts-noto-core), else the TLWG fonts (Laksaman is the TH Sarabun design);
- sara am written as nikhahit + sara aa before rendering. The page looks the same, but WeasyPrint
  (70.0) gives a glyph the text of the first cluster it drew it in: a composed sara am drawn first
  makes every later sara aa read back as sara am, so the PDF's text (copied, searched, read by
  pdftotext) would be wrong although the page looks right. Read back, it is nikhahit + sara aa,
  which shared.thai.normalise_text composes again.

The layout follows the ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ for an external letter: A4, margins
3 cm left and 2 cm right; a blank 3 cm high, centred at the top where the Garuda goes (no image of it
is shipped: the office prints on its own headed paper or stamps it); "ที่ <the office's prefix>/<the
tracking number>" on the left and the office's name and address on the right; the date (Buddhist Era,
Thai digits unless thai_digits=False) from the middle of the page; เรื่อง, เรียน, อ้างถึง (the
complaint's tracking number); the body, each paragraph (text between blank lines) with its first
line indented 2.5 cm and its other line breaks kept; ขอแสดงความนับถือ with room to sign above the
signatory's title; and at the bottom left the office and its telephone. Later pages carry their
number at the top ("- ๒ -"). The tracking number is an identifier people type in: it keeps its
Arabic digits everywhere; the other digits the office writes (its address, prefix, telephone, the
subject and body) follow thai_digits. The complainant's address is printed as given, digits too.

The greeting is always "เรียน ผู้ร้องเรียน": a letter never greets anyone by name, as no notice
does (see messages.py); the name and address are in the address block alone, which sits in the top
third of the sheet, on the left under ที่ (about 5.5 to 8 cm from the top): it shows through the
window of an envelope when the sheet is folded in three. Check it against the office's envelopes; an
office template moves it with the CSS of `.recipient`.

`LetterQueue` is a sender like Mailer (send(to, subject, body, reference)): it writes each letter to
<folder>/<reference>.pdf, replacing one of that name, for someone to print and post; `printed`
moves it to <folder>/printed/. The folder holds personal data, the complainants' postal addresses:
its files are 0600 and its folders 0700 (shared.config), like the mail folder. Printing several
letters at once (`combined`) needs one PDF of them all. Without a PDF library to join PDFs, each
letter's filled HTML is kept beside its PDF (<reference>.html, 0600, sara am already decomposed),
and `combined` renders those again and puts their pages in one WeasyPrint document, as WeasyPrint's
documentation joins documents: the same letters, page for page, each with its own page numbers.
A plain module apart from WeasyPrint and Jinja2: no nameko, no database.
"""
import os
import re
from datetime import datetime
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, UndefinedError,
                    select_autoescape)

from services.notify.exceptions import SendRefused
from services.notify.messages import GREETING_COMPLAINANT, GREETING_INQUIRER
from shared.config import private_dir, write_private_file
from shared.pdf import weasyprint_html
from shared.thai import SARA_AM, SARA_AM_DECOMPOSED
from shared.times import BANGKOK, local_date, utcnow

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "letter.html"
FONTS = "'TH Sarabun New', 'TH SarabunPSK', 'Noto Sans Thai', 'Laksaman', 'Garuda', 'Loma', sans-serif"
PRINTED = "printed"

BE_OFFSET = 543  # Buddhist Era year = Common Era year + 543
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
# intake's tracking numbers, <SITE>-<fiscal year>-<sequence> (services/intake/tracking.py): found in a
# notice's subject, which names the case it is about
TRACKING_NUMBER = re.compile(r"(?<![A-Z0-9-])[A-Z0-9]{2,16}-[0-9]{4}-[0-9]{6,10}(?![0-9])")
# a delivery's reference names its files: a delivery id (a UUID) or the like, never a path
REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class LetterError(ValueError):
    """A letter that cannot be made: a template that cannot be found or filled, an office without a
    name, a letter that is not queued (the message says which)."""


def digits(text, thai=True) -> str:
    """The text with its digits as Thai digits (thai=True) or as Arabic digits."""
    return str(text).translate(THAI_DIGITS if thai else ARABIC_DIGITS)


def thai_date(day, thai_digits=True) -> str:
    """A date as a letter writes it: "๑ ธันวาคม ๒๕๖๙" (a datetime is read in Bangkok)."""
    if isinstance(day, datetime):
        day = day.astimezone(BANGKOK).date()
    return digits(f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + BE_OFFSET}", thai_digits)


def render_letter(*, office, tracking_number, recipient_lines, subject, body, date, reference=None,
                  own_folder=None, thai_digits=True) -> bytes:
    """The letter as PDF bytes. `office`: {"name_th", "address_lines", "phone", "signatory",
    "reference_prefix"} (all but the name may be left out or None); `recipient_lines`: the
    complainant's postal address, line by line; `body`: plain text, paragraphs between blank lines;
    `date`: the letter's date; `reference`: the delivery it is, printed small at the bottom to match a
    printed sheet with its file."""
    html = letter_html(office=office, tracking_number=tracking_number, recipient_lines=recipient_lines,
                       subject=subject, body=body, date=date, reference=reference, own_folder=own_folder,
                       thai_digits=thai_digits)
    return _pdf(html, own_folder)


def letter_html(*, office, tracking_number, recipient_lines, subject, body, date, reference=None,
                own_folder=None, thai_digits=True) -> str:
    """The filled template render_letter renders (sara am written as nikhahit + sara aa)."""
    office = _office(office)
    tracking_number = str(tracking_number).strip()
    if not tracking_number:
        raise LetterError("a letter needs the complaint's tracking number")
    if isinstance(recipient_lines, str):
        recipient_lines = recipient_lines.splitlines()
    lines = [str(line).strip() for line in recipient_lines if str(line).strip()]
    if not lines:
        raise LetterError("a letter needs the complainant's postal address")

    def text(value):  # the office's own words: digits as the letter writes them, the tracking number kept
        return _digits_except(str(value).strip(), tracking_number, thai_digits)

    prefix = office["reference_prefix"]
    context = dict(
        FONTS=FONTS, page_numbers="thai" if thai_digits else "decimal",
        office={"name_th": text(office["name_th"]), "address_lines": [text(line) for line in office["address_lines"]],
                "phone": text(office["phone"]) if office["phone"] else None,
                "signatory": text(office["signatory"]) if office["signatory"] else None},
        number=f"{text(prefix)}/{tracking_number}" if prefix else tracking_number,
        recipient_lines=lines, date=thai_date(date, thai_digits), subject=text(subject),
        greeting=GREETING_COMPLAINANT, tracking_number=tracking_number,
        paragraphs=[[text(line) for line in paragraph] for paragraph in paragraphs(body)],
        reference=str(reference) if reference else None)
    try:
        html = _environment(own_folder).get_template(TEMPLATE).render(**context)
    except TemplateNotFound as exc:
        raise LetterError(f"no template {exc.name}") from None
    except UndefinedError as exc:
        raise LetterError(f"{TEMPLATE}: {exc.message}") from None
    return html.replace(SARA_AM, SARA_AM_DECOMPOSED)


def paragraphs(body):
    """Plain text as a letter's paragraphs: text between blank lines, each a list of its lines."""
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n")
    found = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            found.append(lines)
    return found


class LetterQueue:
    """Letters waiting to be printed and posted: a sender with Mailer's `send`, writing PDFs to a folder.

    `office` is render_letter's; `today` a callable giving the letter's date (default: today in
    Bangkok)."""

    def __init__(self, folder, office, own_folder=None, thai_digits=True, today=None):
        self.folder = Path(folder)
        self.office = _office(office)
        self.own_folder = own_folder
        self.thai_digits = thai_digits
        self.today = today or (lambda: local_date(utcnow()))

    def send(self, to, subject, body, reference=None):
        """Write the letter as <folder>/<reference>.pdf (0600), replacing one of that name. `to` is the
        complainant's postal address, its lines separated by newlines; `reference` the delivery's id.
        The letter's greeting is its own: a body's opening "เรียน …" line is left out. A notice whose
        subject and body name no tracking number, or no address, is refused (SendRefused: it would be
        refused again)."""
        name = self._name(reference)
        tracking_number = _tracking_number(subject, body)
        if tracking_number is None:
            raise SendRefused("a letter names the complaint's tracking number: none in the notice")
        lines = [line.strip() for line in str(to or "").splitlines() if line.strip()]
        if not lines:
            raise SendRefused("a letter needs a postal address")
        html = letter_html(office=self.office, tracking_number=tracking_number, recipient_lines=lines,
                           subject=subject, body=_without_greeting(body), date=self.today(), reference=name,
                           own_folder=self.own_folder, thai_digits=self.thai_digits)
        pdf = _pdf(html, self.own_folder)
        private_dir(self.folder)
        write_private_file(self.folder / f"{name}.html", html.encode("utf-8"))  # before the PDF: queued has both
        write_private_file(self.path(name), pdf)

    def queued(self) -> list:
        """The references of the letters waiting to be printed, oldest first."""
        found = []
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob("*.pdf"):
            try:
                found.append((path.stat().st_mtime_ns, path.stem))
            except FileNotFoundError:  # printed a moment ago
                continue
        return [name for _, name in sorted(found)]

    def path(self, reference) -> Path:
        """Where the letter waits to be printed (whether it is there or not)."""
        return self.folder / f"{self._name(reference)}.pdf"

    def printed(self, reference) -> bool:
        """Mark a letter printed: moved to <folder>/printed/. False if it was not waiting."""
        name = self._name(reference)
        source = self.path(name)
        if not source.exists():
            return False
        done = private_dir(self.folder / PRINTED)
        try:
            os.replace(source, done / source.name)
        except FileNotFoundError:  # marked printed by someone else meanwhile
            return False
        try:
            os.replace(self.folder / f"{name}.html", done / f"{name}.html")
        except FileNotFoundError:
            pass
        return True

    def combined(self, references) -> bytes:
        """One PDF of the given waiting letters, in that order, to print at once."""
        HTML = weasyprint_html()
        documents = []
        for reference in references:
            name = self._name(reference)
            try:
                if not self.path(name).exists():
                    raise FileNotFoundError(name)
                html = (self.folder / f"{name}.html").read_text(encoding="utf-8")
            except FileNotFoundError:
                raise LetterError(f"letter {name} is not waiting to be printed") from None
            documents.append(HTML(string=html, base_url=_base_url(self.own_folder)).render())
        if not documents:
            raise LetterError("no letters to combine")
        return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()

    @staticmethod
    def _name(reference):
        if not reference:
            raise ValueError("a letter needs its delivery's reference: it names the letter's file")
        name = str(reference)
        if not REFERENCE.fullmatch(name):
            raise ValueError(f"a letter's reference is letters, digits, '.', '_' and '-', not {name[:40]!r}")
        return name


def _environment(own_folder):
    folders = [FileSystemLoader(str(own_folder))] if own_folder else []
    return Environment(loader=ChoiceLoader(folders + [FileSystemLoader(str(TEMPLATES))]),
                       autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def _base_url(own_folder):
    """Where the template's relative links (an office's own Garuda image, say) are read from."""
    if own_folder and (Path(own_folder) / TEMPLATE).is_file():
        return str(own_folder)
    return str(TEMPLATES)


def _pdf(html, own_folder):
    HTML = weasyprint_html()  # imported here: it loads Pango, which only letters need
    return HTML(string=html, base_url=_base_url(own_folder)).write_pdf()


def _office(office):
    office = dict(office or {})
    if not str(office.get("name_th") or "").strip():
        raise LetterError("a letter needs the office's name (name_th)")
    lines = office.get("address_lines") or []
    if isinstance(lines, str):
        lines = lines.splitlines()
    return {"name_th": office["name_th"], "address_lines": [line for line in lines if str(line).strip()],
            "phone": office.get("phone") or None, "signatory": office.get("signatory") or None,
            "reference_prefix": office.get("reference_prefix") or None}


def _digits_except(text, keep, thai):
    """digits(text, thai), but `keep` (the tracking number) left as it is wherever it appears."""
    return keep.join(digits(part, thai) for part in text.split(keep)) if keep else digits(text, thai)


def _tracking_number(subject, body):
    found = TRACKING_NUMBER.search(str(subject or "")) or TRACKING_NUMBER.search(str(body or ""))
    return found.group(0) if found else None


def _without_greeting(body):
    """The body without the greeting line a notice opens with ("เรียน ผู้ร้องเรียน"): the letter has its own."""
    text = str(body or "").replace("\r\n", "\n").lstrip()
    first, _, rest = text.partition("\n")
    return rest if first.strip() in (GREETING_COMPLAINANT, GREETING_INQUIRER) else text



def letter_queue(config):
    """The print queue the site's configuration describes (LETTERS), or None when letters are off: no
    office name. Letters go to DATA_DIR/letters (shared.config.data_dir)."""
    from shared.config import data_dir
    section = dict(config.get("LETTERS") or {})
    office = dict(section.get("office") or {})
    if not str(office.get("name_th") or "").strip():
        return None
    return LetterQueue(data_dir(config) / "letters", office, own_folder=section.get("templates") or None,
                       thai_digits=bool(section.get("thai_digits", True)))
