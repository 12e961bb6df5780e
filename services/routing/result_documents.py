"""Result documents: the files a unit's answer comes with (the letter of the result, a photo of the
repaired road...). Indicator 5 counts the answers that have at least one.

They are sent as a complainant's attachments are, `[{filename, content_type, content_base64}]`, and
follow the same rules (shared/files.py): at most ten, each at most 10 MB, of an accepted type that
its content really is, the name kept only as a label. A plain module: the answer that stores them
is forwarding.answer.
"""
from marshmallow import ValidationError, validate
from marshmallow.fields import List, Nested

from services.routing.exceptions import DocumentRefused
from shared import files

_DOCUMENTS = List(Nested(files.FileSchema), validate=validate.Length(max=files.MAX_FILES))


def _first_error(messages, where="documents"):
    """One readable line from marshmallow's nested messages: "document 2, content_base64: Not valid base64."."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        if isinstance(key, int):
            where = f"document {key + 1}"
        elif key != "_schema":
            where = f"{where}, {key}"
        return _first_error(value, where)
    if isinstance(messages, list):
        return f"{where}: " + " ".join(str(m) for m in messages if not isinstance(m, (dict, list)))
    return f"{where}: {messages}"


def decode(documents):
    """The documents as sent (None or [] for none) as checked files.Upload's with safe names, or
    DocumentRefused saying which document is wrong and why. Nothing is stored here."""
    if documents is None:
        return []
    if isinstance(documents, list) and len(documents) > files.MAX_FILES:
        raise DocumentRefused(f"At most {files.MAX_FILES} result documents.")
    try:
        loaded = _DOCUMENTS.deserialize(documents)
    except ValidationError as exc:
        raise DocumentRefused(_first_error(exc.messages)) from None
    uploads = [files.Upload(d["filename"], d["content_type"], d["data"]) for d in loaded]
    try:
        return files.check(uploads, noun="result documents")
    except files.FileRefused as exc:
        raise DocumentRefused(str(exc)) from None


def described(document_id, upload, sha256, site_id):
    """A stored document as events and pages name it: never its content."""
    return {"id": document_id, "filename": upload.filename, "content_type": upload.content_type,
            "size": len(upload.data), "sha256": sha256, "site_id": site_id}
