"""An e-mail turned into a complaint: what services.intake.cases.receive_case expects, from raw bytes.

Pure: no nameko, no database, no network. The e-mail channel (services/intake/mailbox_poll.py)
fetches the bytes; this module only reads them. Mail arrives in every shape, so everything but
"this is not an e-mail at all" is made the best of: a missing subject or body gets a placeholder,
an attachment of a type or size intake refuses, or whose content is not a type it accepts, is left
out (and named in the case's channel_ref), so that one odd message can never make a whole complaint
fail — or fail again at every poll. A file whose content is an accepted type other than the one
declared (mail programs mislabel) is kept as what its content is.
"""
import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from email import policy
from email.header import decode_header
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser

from shared.files import ALLOWED_TYPES, MAX_FILE_BYTES, MAX_FILES, content_type_of
from services.intake.exceptions import MailboxError
from services.intake.tracking import TRACKING_NUMBER
from services.intake.schemas import DESCRIPTION_MAX, SUBJECT_MAX
from shared import thai

NO_SUBJECT = "(ไม่มีหัวเรื่อง)"
NO_TEXT = "(ไม่มีข้อความ)"
NAME_MAX = 200      # as the API's complainant name
EMAIL_MAX = 254     # as the API's complainant e-mail
FILENAME_MAX = 255  # the attachments table's filename column
# charset labels mail programs use that Python's codecs do not know (Thai Outlook sends windows-874)
CHARSET_ALIASES = {"windows-874": "cp874", "x-windows-874": "cp874", "x-tis-620": "tis-620"}


@dataclass(frozen=True)
class InboundMail:
    """One e-mail, ready for cases.receive_inbound: its id for processing it once, and the complaint."""
    external_id: str
    data: dict


def message_to_case(raw: bytes) -> InboundMail:
    """Read a raw RFC 5322 message into a complaint; MailboxError when it is no e-mail or has no sender.

    Each step below already makes the best of what it cannot read; the last net turns what still
    escapes (the stdlib's header parsing has bugs that raise, e.g. IndexError) into a MailboxError,
    so one strange message is skipped and logged instead of stopping the mailbox at every poll.
    """
    message = _parse(raw)
    try:
        return _read(raw, message)
    except MailboxError:
        raise
    except Exception as exc:
        raise MailboxError(f"unreadable e-mail ({type(exc).__name__})") from exc


def _read(raw, message):
    name, address = _sender(message)
    message_id = _header(message, "Message-ID")
    body_part = _body_part(message)
    attachments, skipped = _attachments(message, body_part)
    channel_ref = {"message_id": message_id, "date": _header(message, "Date")}
    if skipped:
        channel_ref["skipped_attachments"] = ", ".join(skipped)
    return InboundMail(
        external_id=message_id or hashlib.sha256(raw).hexdigest(),
        data={
            "channel": "email",
            "channel_ref": channel_ref,
            # an e-mail does not say how serious it is: routing reads its kind from the words
            "kind": None,
            "category": None,
            "subject": _one_line(_header(message, "Subject") or "", SUBJECT_MAX) or NO_SUBJECT,
            "description": _clean(_body_text(body_part), DESCRIPTION_MAX) or NO_TEXT,
            "complainant": {"name": _one_line(name, NAME_MAX) or None, "email": address},
            "attachments": attachments,
            "confidential": False,
            "location": None,
            "disputes": None,
        },
    )


# the line a mail program puts above the message it quotes ("On ... wrote:", Thai Gmail's "... เขียนว่า:")
_QUOTE_INTRO = re.compile(r"(wrote|เขียนว่า|เขียน):\s*$", re.IGNORECASE)
_FORWARD_MARK = re.compile(r"^-{2,}\s*(original message|ข้อความต้นฉบับ)", re.IGNORECASE)


def named_cases(subject):
    """The tracking numbers a subject names ("Re: ... เลขที่ HUB-2569-000123"), in order: a reply to a
    notice keeps the number the notice's subject carries."""
    return [m.group(0) for m in TRACKING_NUMBER.finditer(subject or "")]


def reply_text(text):
    """What a reply says itself: the quoted notice below it (lines starting ">", the "On ... wrote:"
    line above them, an "Original Message" block) left out. All of it, when nothing is left."""
    lines = (text or "").splitlines()
    kept = []
    for number, line in enumerate(lines):
        if _FORWARD_MARK.match(line.strip()):
            break
        if _QUOTE_INTRO.search(line) and any(later.startswith(">") for later in lines[number + 1:number + 3]):
            break
        if not line.startswith(">"):
            kept.append(line)
    own = "\n".join(kept).strip()
    return own or (text or "").strip()


def _parse(raw):
    """The message, or MailboxError when the bytes carry no header at all (not an e-mail)."""
    if not isinstance(raw, (bytes, bytearray)) or not raw.strip():
        raise MailboxError("empty or non-bytes input is not an e-mail")
    try:
        message = BytesParser(policy=policy.default).parsebytes(bytes(raw))
    except Exception as exc:  # the parser is lenient; anything it still raises means unreadable
        raise MailboxError(f"unreadable e-mail ({type(exc).__name__})") from exc
    if not message.keys():
        raise MailboxError("no headers: not an e-mail")
    return message


def _header(message, name):
    """A header's decoded text (RFC 2047 words decoded), or None.

    The stdlib's structured parsing is used when it reads the header cleanly; when it reports a
    defect (an unknown charset such as windows-874, a malformed address) or raises, the raw value
    is decoded word by word instead, so a broken header never makes the mail unreadable.
    """
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return None
    try:
        parsed = message.get(name)
        text = _decode_words(raw) if parsed.defects else str(parsed)
    except Exception:
        text = _decode_words(raw)
    return " ".join(text.split()) or None


def _decode_words(raw):
    """RFC 2047 decoding that knows the Thai charset aliases and never raises."""
    try:
        pieces = decode_header(raw)
    except Exception:
        pieces = [(raw, None)]
    text = []
    for chunk, charset in pieces:
        if isinstance(chunk, str):
            text.append(chunk)
            continue
        codec = CHARSET_ALIASES.get((charset or "").lower(), charset) or "raw-unicode-escape"
        try:
            text.append(chunk.decode(codec, errors="replace"))
        except (LookupError, ValueError):  # an unknown, or garbled, charset name
            text.append(chunk.decode("utf-8", errors="replace"))
    text = "".join(text)
    try:  # 8-bit header bytes arrive as surrogate escapes: most often they are UTF-8
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeError:  # other lone surrogates: _clean drops them
        return text


def _sender(message):
    """(display name, address) of the first usable From address; MailboxError when there is none."""
    for name, address in _from_addresses(message):
        address = address.strip()
        if "@" in address and len(address) <= EMAIL_MAX and not any(c.isspace() for c in address):
            return name, address
    raise MailboxError("no usable sender address in From: the complainant cannot be answered")


def _from_addresses(message):
    """The From header's (name, address) pairs, structured if the stdlib can parse it, else by
    the older, more forgiving email.utils parser on the decoded text."""
    try:
        header = message.get("From")
        if header is not None and not header.defects and header.addresses:
            return [(a.display_name, a.addr_spec) for a in header.addresses]
    except Exception:
        pass
    value = _header(message, "From")
    return getaddresses([value]) if value else []


def _body_part(message):
    """The part that is the complaint's text: text/plain preferred, else text/html; None if neither.
    A "multipart" message whose parts cannot be found (no boundary) is read as text as a whole."""
    try:
        if message.get_content_maintype() == "multipart" and not message.is_multipart():
            return message
        return message.get_body(preferencelist=("plain", "html"))
    except Exception:  # a malformed MIME tree: read it as having no body rather than fail
        return None


def _body_text(part):
    if part is None:
        return ""
    try:
        text = _decoded_text(part)
        return _html_to_text(text) if part.get_content_subtype() == "html" else text
    except Exception:  # the stdlib's header parsing has bugs that raise (e.g. IndexError)
        return ""


def _decoded_text(part):
    """A text part's payload decoded by its declared charset, falling back to UTF-8 with
    replacement characters, so a wrong or unknown charset label still yields the readable part."""
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    try:
        return payload.decode(CHARSET_ALIASES.get(charset, charset), errors="replace")
    except (LookupError, ValueError):  # an unknown, or garbled, charset name
        return payload.decode("utf-8", errors="replace")


class _TextExtractor(HTMLParser):
    """The visible text of an HTML body, with line breaks where blocks end (no rendering)."""

    BLOCKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
    INVISIBLE = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.INVISIBLE:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in self.INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.chunks.append(data)


def _html_to_text(html):
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # HTMLParser is lenient; keep what was read before anything odd
        pass
    lines = (" ".join(line.split()) for line in "".join(extractor.chunks).splitlines())
    return "\n".join(line for line in lines if line)


def _clean(text, limit):
    """Human text as the API's Text field keeps it: NFC, one form of sara am, no control characters
    but newline and tab, trimmed, and cut to `limit` characters."""
    return thai.clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))[:limit].strip()


def _one_line(text, limit):
    return _clean(" ".join((text or "").split()), limit)


def _attachments(message, body_part):
    """The files intake accepts, and the names of those it would refuse (so they are left out)."""
    kept, skipped = [], []
    for index, part in enumerate(_attachment_parts(message, body_part), start=1):
        try:
            content_type = _content_type(part)
            filename = _filename(part, content_type, index)
            data = part.get_payload(decode=True) or b""
        except Exception:  # a part whose headers the stdlib cannot parse: named, not kept
            skipped.append(f"attachment-{index}")
            continue
        if content_type in ALLOWED_TYPES and 0 < len(data) <= MAX_FILE_BYTES:
            # mail programs mislabel files: the content says what it is, and if that is not a type we
            # accept (HTML sent as a PDF, say) it is left out like any other refused file
            content_type = content_type_of(data)
        if content_type in ALLOWED_TYPES and 0 < len(data) <= MAX_FILE_BYTES and len(kept) < MAX_FILES:
            kept.append({"filename": filename, "content_type": content_type, "data": data})
        else:
            skipped.append(filename)
    return kept, skipped


def _attachment_parts(message, body_part):
    """Every leaf part that is a file rather than the text: attached, named, or not text at all
    (inline images too). A message that is itself a single file counts as one attachment."""
    if not message.is_multipart():
        return [] if message is body_part or not _is_file(message) else [message]
    return [part for part in message.walk()
            if not part.is_multipart() and part is not body_part and _is_file(part)]


def _is_file(part):
    try:
        return part.is_attachment() or bool(_raw_filename(part)) or part.get_content_maintype() != "text"
    except Exception:  # unreadable headers: offer it as a file, so it is at least named as skipped
        return True


def _content_type(part):
    """The declared type, except that application/octet-stream (what many mail programs send for
    any file) takes the type its file name's extension stands for."""
    declared = part.get_content_type().lower()
    if declared == "application/octet-stream":
        guessed, _ = mimetypes.guess_type(_raw_filename(part), strict=False)
        if guessed in ALLOWED_TYPES:
            return guessed
    return declared


def _filename(part, content_type, index):
    """A safe display name: no folders, no control characters; made up from the type when absent."""
    name = _raw_filename(part)
    name = _one_line(posixpath.basename(name.replace("\\", "/")), FILENAME_MAX)
    return name or f"attachment-{index}{ALLOWED_TYPES.get(content_type, '')}"


def _raw_filename(part):
    """The part's file name as sent (RFC 2231 / 2047 decoded), "" when none or unreadable."""
    try:
        return part.get_filename() or ""
    except Exception:
        return ""
