"""Attachment files: checked against type and size limits, kept outside the database by checksum."""
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

ALLOWED_TYPES = {
    "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
    "image/webp": ".webp", "image/heic": ".heic", "text/plain": ".txt", "audio/mpeg": ".mp3",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10


class AttachmentError(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def check(uploads):
    """Refuse what breaks the limits; returns the uploads unchanged."""
    if len(uploads) > MAX_FILES:
        raise AttachmentError(f"At most {MAX_FILES} attachments.")
    for upload in uploads:
        if upload.content_type not in ALLOWED_TYPES:
            raise AttachmentError(f"{upload.filename}: type {upload.content_type} is not accepted "
                                  f"(accepted: {', '.join(sorted(ALLOWED_TYPES))}).")
        if len(upload.data) > MAX_FILE_BYTES:
            raise AttachmentError(f"{upload.filename}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        if not upload.data:
            raise AttachmentError(f"{upload.filename}: the file is empty.")
    return uploads


class AttachmentStore:
    """Content-addressed files: <root>/<sha[:2]>/<sha>; the same file twice is kept once."""

    def __init__(self, root):
        self.root = Path(root)

    def path(self, sha256):
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        return digest

    def get(self, sha256) -> bytes:
        return self.path(sha256).read_bytes()
