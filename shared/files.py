"""Files people send: a complainant's attachments (intake) and a unit's result documents (routing),
checked against one set of type and size limits and kept outside the database by checksum.

A file is taken for what its first bytes say it is, not for the type the sender declared: the
declared type must be one we accept and the content must be that type (the signatures below, our
own small table for the short list we accept; libmagic would know thousands of types we refuse
anyway, and needs a system library). Its name is kept only as a label, made safe: no folders, no
control or bidi characters, a bounded length, and an extension that says what it really is.
"""
import base64
import binascii
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from shared.config import private_dir, write_private_file
from shared.fields import Text

ALLOWED_TYPES = {
    "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
    "image/webp": ".webp", "image/heic": ".heic", "text/plain": ".txt", "audio/mpeg": ".mp3",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
}
# the extensions a name may already end in for each type (else the type's own is added)
EXTENSIONS = {
    "application/pdf": {".pdf"}, "image/jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"}, "image/png": {".png"},
    "image/gif": {".gif"}, "image/webp": {".webp"}, "image/heic": {".heic", ".heif"},
    "text/plain": {".txt", ".text"}, "audio/mpeg": {".mp3"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/msword": {".doc"},
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
FILENAME_MAX = 120  # characters, extension included

HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
MARKUP = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body|head|meta|!doctype|\?xml)\b", re.IGNORECASE)
TEXT_CONTROLS = set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


class FileRefused(ValueError):
    """A file of a type, size or number we do not take; says why."""


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


class FileSchema(Schema):
    """A file in a JSON body: {filename, content_type, content_base64}, loaded as {filename,
    content_type, data} (the bytes); the content's rules are check()'s."""
    class Meta:
        unknown = RAISE

    filename = Text(required=True, validate=validate.Length(min=1, max=255))
    content_type = fields.String(required=True, validate=validate.Length(max=100))
    content_base64 = fields.String(required=True, metadata={"description": "the file, base64-encoded"})

    @post_load
    def decode(self, data, **kwargs):
        try:
            data["data"] = base64.b64decode(data.pop("content_base64"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError("Not valid base64.", "content_base64") from exc
        return data


def _docx(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _mp3(data):
    return data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def _markup(data):
    head = data[:4096]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\f")
    return bool(MARKUP.search(head)) or bool(re.match(rb"<[!?/a-zA-Z]", stripped))


def _text(data):
    """Plain text: no control bytes but whitespace, in UTF-8 or the Thai code page (TIS-620/cp874)."""
    if TEXT_CONTROLS & set(data):
        return False
    for encoding in ("utf-8", "cp874"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            pass
    return False


# (type, test of the content): the accepted types first, then what is worth naming in a refusal
SIGNATURES = (
    ("application/pdf", lambda d: d.startswith(b"%PDF-")),
    ("image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ("image/gif", lambda d: d[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP"),
    ("image/heic", lambda d: d[4:8] == b"ftyp" and d[8:12] in HEIC_BRANDS),
    ("application/msword", lambda d: d.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     lambda d: d.startswith(b"PK\x03\x04") and _docx(d)),
    ("audio/mpeg", _mp3),
    ("application/zip", lambda d: d.startswith(b"PK\x03\x04")),
    ("application/x-msdownload", lambda d: d.startswith(b"MZ")),
    ("application/x-executable", lambda d: d.startswith(b"\x7fELF")),
    ("text/html", _markup),
    ("text/plain", _text),
)


def content_type_of(data: bytes):
    """What the content is by its first bytes: one of ALLOWED_TYPES, another type worth naming
    (text/html covers HTML, SVG and XML), or None."""
    for content_type, test in SIGNATURES:
        if test(data):
            return content_type
    return None


def safe_filename(name, content_type):
    """The name as a label only: its last path component, NFC, without control, format (bidi, zero
    width), private-use or unassigned characters or characters file systems refuse, at most
    FILENAME_MAX characters, and ending in an extension of its type (added when it does not)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp"):
            continue
        kept.append(" " if category == "Zs" else "_" if char in '<>:"|?*' else char)
    name = " ".join("".join(kept).split()).strip(". ")
    stem, extension = os.path.splitext(name)
    if extension.lower() not in EXTENSIONS.get(content_type, ()):
        stem, extension = name, ALLOWED_TYPES.get(content_type, "")
    stem = stem.strip(". ") or "attachment"
    return stem[:FILENAME_MAX - len(extension)].rstrip(". ") + extension


def check(uploads, noun="attachments"):
    """Refuse what breaks the limits or is not what it says it is; returns the uploads with safe names."""
    if len(uploads) > MAX_FILES:
        raise FileRefused(f"At most {MAX_FILES} {noun}.")
    checked = []
    for upload in uploads:
        label = safe_filename(upload.filename, upload.content_type)
        if upload.content_type not in ALLOWED_TYPES:
            raise FileRefused(f"{label}: type {upload.content_type} is not accepted "
                                  f"(accepted: {', '.join(sorted(ALLOWED_TYPES))}).")
        if len(upload.data) > MAX_FILE_BYTES:
            raise FileRefused(f"{label}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        if not upload.data:
            raise FileRefused(f"{label}: the file is empty.")
        actual = content_type_of(upload.data)
        if actual != upload.content_type:
            raise FileRefused(
                f"{label}: declared {upload.content_type}, but the content is "
                + (f"{actual}." if actual else "not a type we accept (its first bytes match none).")
                + " Send the file itself, with its own type.")
        checked.append(replace(upload, filename=label))
    return checked


class FileStore:
    """Content-addressed files: <root>/<sha[:2]>/<sha>; the same file twice is kept once. Folders are
    0700 and files 0600: only the site's own user reads them."""

    def __init__(self, root):
        self.root = Path(root)

    def path(self, sha256):
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if not target.exists():
            private_dir(self.root)
            private_dir(target.parent)
            write_private_file(target, data)
        return digest

    def get(self, sha256) -> bytes:
        return self.path(sha256).read_bytes()
