"""Intake's small helpers: sealing identities, attachments and the subject catalogue."""
import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from shared.files import (
    ALLOWED_TYPES,
    MAX_FILE_BYTES,
    MAX_FILES,
    FileRefused,
    FileStore,
    Upload,
    check,
    content_type_of,
    safe_filename,
)
from services.intake.catalogue import Catalogue, Subject
from services.intake.exceptions import CatalogueError, SealError
from services.intake.sealing import Sealer
from tests.samples import docx, png_1x1, small_pdf

IDENTITY = {"name": "นางสาวสมหญิง ใจดี", "national_id": "1103702071838", "phone": "+66812345678",
            "email": "somying.j@example.co.th", "address": "99/9 หมู่ 4 ตำบลสุเทพ อำเภอเมือง จังหวัดเชียงใหม่ 50200",
            "line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"}


# --- sealing -------------------------------------------------------------------------------------


@pytest.fixture
def key():
    return Fernet.generate_key().decode()


def test_seal_and_unseal_a_thai_identity(key):
    sealer = Sealer(key)
    token = sealer.seal(IDENTITY)
    assert sealer.unseal(token) == IDENTITY
    assert Sealer(key).unseal(token) == IDENTITY  # another process with the same key


def test_a_bytes_key_works_too(key):
    assert Sealer(key.encode()).unseal(Sealer(key).seal(IDENTITY)) == IDENTITY


def test_the_token_does_not_contain_the_plaintext(key):
    token = Sealer(key).seal(IDENTITY)
    for value in IDENTITY.values():
        assert value not in token
    for fragment in ("สมหญิง", "1103702071838", "0812345678", "somying", "เชียงใหม่"):
        assert fragment not in token
    assert Sealer(key).seal(IDENTITY) != token  # a fresh IV each time


def test_another_key_cannot_unseal(key):
    token = Sealer(key).seal(IDENTITY)
    with pytest.raises(SealError, match="cannot be opened with this key"):
        Sealer(Fernet.generate_key().decode()).unseal(token)


@pytest.mark.parametrize("token", ["", "not-a-token", "gAAAAABn" + "A" * 80])
def test_a_damaged_token_cannot_be_unsealed(key, token):
    with pytest.raises(SealError, match="cannot be opened with this key"):
        Sealer(key).unseal(token)


@pytest.mark.parametrize("bad", ["", "correct horse battery staple", "c2VhbC1rZXk=", "ก" * 44,
                                 Fernet.generate_key().decode()[:-2]])
def test_a_malformed_key_is_refused(bad):
    with pytest.raises(SealError, match="32 url-safe base64-encoded bytes"):
        Sealer(bad)


def test_fingerprints_are_deterministic_per_key(key):
    assert Sealer(key).fingerprint("phone", "+66812345678") == Sealer(key).fingerprint("phone", "+66812345678")
    fingerprint = Sealer(key).fingerprint("national_id", "1103702071838")
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
    assert "1103702071838" not in fingerprint
    assert fingerprint != hashlib.sha256(b"national_id:1103702071838").hexdigest()  # keyed, not a plain hash


def test_fingerprints_differ_across_keys_kinds_and_values(key):
    sealer, other = Sealer(key), Sealer(Fernet.generate_key().decode())
    assert sealer.fingerprint("phone", "+66812345678") != other.fingerprint("phone", "+66812345678")
    assert sealer.fingerprint("phone", "+66812345678") != sealer.fingerprint("line_user_id", "+66812345678")
    assert sealer.fingerprint("email", "somying.j@example.co.th") != sealer.fingerprint(
        "email", "somchai.j@example.co.th")


# --- attachments ---------------------------------------------------------------------------------

PHOTO = Upload("ถนนชำรุด.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"JFIF-photo-of-a-pothole" * 10)
LETTER = Upload("หนังสือร้องเรียน.pdf", "application/pdf", b"%PDF-1.7\n" + "หนังสือร้องเรียน".encode() * 5)


def test_check_returns_the_uploads_with_their_names_made_safe():
    assert check([PHOTO, LETTER]) == [PHOTO, LETTER]  # safe names already
    assert check([Upload("../ถนน\u202egpj.exe", "image/jpeg", PHOTO.data)]) == [
        Upload("ถนนgpj.exe.jpg", "image/jpeg", PHOTO.data)]
    assert check([]) == []


SAMPLES = {
    "application/pdf": small_pdf(),
    "image/jpeg": PHOTO.data,
    "image/png": png_1x1(),
    "image/gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
                 b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24,
    "image/heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16,
    "text/plain": "ถนนหน้าบ้านชำรุด\nขอให้ซ่อมด้วย\r\n".encode(),
    "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 8,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": docx(),
    "application/msword": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
}


def test_every_allowed_type_passes_with_content_of_that_type():
    assert set(SAMPLES) == set(ALLOWED_TYPES)
    uploads = [Upload(f"file{ALLOWED_TYPES[t]}", t, data) for t, data in SAMPLES.items()]
    assert check(uploads) == uploads
    assert {t: content_type_of(data) for t, data in SAMPLES.items()} == {t: t for t in SAMPLES}


@pytest.mark.parametrize("data,seen", [
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"),
    (b"\xef\xbb\xbf  <html><body onload=x()>", "text/html"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "text/html"),
    (b"%PDF-1.4 but really <script>", "application/pdf"),  # a PDF is what starts as one
    ("ข้อความ <script>alert(1)</script> ในไฟล์".encode(), "text/html"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "application/x-msdownload"),
    (b"\x7fELF\x02\x01\x01", "application/x-executable"),
    (b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 30, "application/zip"),
    (b"\x00\x01\x02\x03binary", None),
])
def test_content_is_known_by_its_first_bytes(data, seen):
    assert content_type_of(data) == seen


@pytest.mark.parametrize("declared,data", [
    ("application/pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ("image/png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("image/jpeg", png_1x1()),
    ("text/plain", b"<html><script>alert(1)</script>"),
    ("application/msword", docx()),
])
def test_content_that_is_not_its_declared_type_is_refused(declared, data):
    with pytest.raises(FileRefused, match=f"declared {declared}, but the content is"):
        check([Upload("ไฟล์แนบ", declared, data)])


@pytest.mark.parametrize("name,content_type,safe", [
    ("../../etc/passwd", "text/plain", "passwd.txt"),
    ("C:\\Users\\สมชาย\\ใบเสร็จ.PDF", "application/pdf", "ใบเสร็จ.PDF"),
    ("invoice\u202efdp.exe", "application/pdf", "invoicefdp.exe.pdf"),
    ("รูป\u200bถนน\u2066.jpeg", "image/jpeg", "รูปถนน.jpeg"),
    ("  .htaccess ", "text/plain", "htaccess.txt"),
    ("scan.pdf.exe", "application/pdf", "scan.pdf.exe.pdf"),
    ("a<b>c:d|e?f*g.png", "image/png", "a_b_c_d_e_f_g.png"),
    ("แบบ\tฟอร์ม\n.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "แบบฟอร์ม.docx"),
    ("", "image/png", "attachment.png"),
    ("...", "application/pdf", "attachment.pdf"),
    ("ก" * 300 + ".pdf", "application/pdf", "ก" * 116 + ".pdf"),
])
def test_a_file_name_is_made_a_safe_label(name, content_type, safe):
    assert safe_filename(name, content_type) == safe


def test_at_most_ten_files():
    assert MAX_FILES == 10
    assert check([PHOTO] * 10)
    with pytest.raises(FileRefused, match="10"):
        check([PHOTO] * 11)


@pytest.mark.parametrize("content_type", ["application/x-msdownload", "text/html", "application/zip",
                                          "image/svg+xml", "IMAGE/JPEG", ""])
def test_a_disallowed_type_is_refused(content_type):
    with pytest.raises(FileRefused, match="not accepted"):
        check([PHOTO, Upload("ไฟล์แนบ.exe", content_type, b"MZ\x90\x00")])


def test_a_file_over_10_mb_is_refused():
    assert check([Upload("สแกน.pdf", "application/pdf", b"%PDF-" + b"%" * (MAX_FILE_BYTES - 5))])
    with pytest.raises(FileRefused, match="สแกน.pdf"):
        check([Upload("สแกน.pdf", "application/pdf", b"%PDF-" + b"%" * (MAX_FILE_BYTES - 4))])


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="empty"):
        check([Upload("ว่าง.txt", "text/plain", b"")])


def test_the_store_round_trips_and_lays_files_out_by_checksum(tmp_path):
    store = FileStore(tmp_path / "files")
    digest = store.put(PHOTO.data)
    assert digest == hashlib.sha256(PHOTO.data).hexdigest()
    assert store.path(digest) == tmp_path / "files" / digest[:2] / digest
    assert store.path(digest).read_bytes() == PHOTO.data
    assert store.get(digest) == PHOTO.data
    assert stat.S_IMODE(store.path(digest).stat().st_mode) == 0o600  # the site's user's alone
    assert {stat.S_IMODE(d.stat().st_mode) for d in (tmp_path / "files", store.path(digest).parent)} == {0o700}


def test_the_same_content_is_kept_once(tmp_path):
    store = FileStore(tmp_path / "files")
    first = store.put(LETTER.data)
    assert store.put(LETTER.data) == first
    other = store.put(PHOTO.data)
    files = sorted(p for p in (tmp_path / "files").rglob("*") if p.is_file())
    assert files == sorted([store.path(first), store.path(other)])  # no temporary files left behind


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        FileStore(tmp_path / "files").get("0" * 64)


# --- catalogue -----------------------------------------------------------------------------------

SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "subjects.yml"  # this checkout's


def test_the_shipped_catalogue_loads():
    catalogue = Catalogue.load(SHIPPED)
    codes = [s.code for s in catalogue]
    assert codes[0] == "misconduct"
    assert {"misconduct", "service-quality", "public-works", "information", "suggestion",
            "media-lawsuit"} <= set(codes)
    assert all(s.kind in (1, 2, 3, 4) and s.name_th and s.name_en for s in catalogue)


def test_misconduct_is_confidential_and_major():
    catalogue = Catalogue.load(SHIPPED)
    misconduct = catalogue.get("misconduct")
    assert misconduct == Subject(code="misconduct", name_th="การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่",
                                 name_en="Corruption or misconduct of officials", kind=3, confidential=True,
                                 group="ข้อร้องเรียน")
    assert [s.code for s in catalogue if s.confidential] == ["misconduct"]
    assert catalogue.get("information").kind == 1
    assert catalogue.get("media-lawsuit").kind == 4
    assert catalogue.get("potholes") is None


def test_only_public_works_is_public_in_the_shipped_catalogue():
    catalogue = Catalogue.load(SHIPPED)
    assert [s.code for s in catalogue if s.public] == ["public-works"]
    assert not catalogue.get("service-quality").public and not catalogue.get("misconduct").public


def test_from_mapping_defaults():
    catalogue = Catalogue.from_mapping({"subjects": [
        {"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": "2"},
        {"code": 101, "name_th": "น้ำประปา", "name_en": "Tap water", "kind": 2, "group": "สาธารณูปโภค"}]})
    dogs = catalogue.get("stray-dogs")
    assert (dogs.name_en, dogs.kind, dogs.confidential, dogs.group, dogs.public) == ("สุนัขจรจัด", 2, False, "", False)
    assert catalogue.get("101").name_en == "Tap water"


def test_a_subject_marked_public_is_public():
    catalogue = Catalogue.from_mapping({"subjects": [
        {"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": 2, "public": True},
        {"code": "staff", "name_th": "พฤติกรรมเจ้าหน้าที่", "kind": 2, "public": False}]})
    assert catalogue.get("stray-dogs").public is True
    assert catalogue.get("staff").public is False


@pytest.mark.parametrize("public", ["yes", "no", "false", 1, 0, None, []])
def test_public_must_be_a_yaml_boolean(public):
    with pytest.raises(CatalogueError, match="stray-dogs: public must be true or false"):
        Catalogue.from_mapping({"subjects": [{"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": 2,
                                              "public": public}]})


def test_a_confidential_subject_cannot_be_public():
    with pytest.raises(CatalogueError, match="bribes: a confidential subject cannot be public"):
        Catalogue.from_mapping({"subjects": [{"code": "bribes", "name_th": "เรียกรับเงิน", "kind": 3,
                                              "confidential": True, "public": True}]})


@pytest.mark.parametrize("entry", [
    {"code": "stray-dogs", "name_th": "สุนัขจรจัด"},                # no kind
    {"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": 5},
    {"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": 0},
    {"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": "สอง"},
    {"code": "stray-dogs", "kind": 2},                              # no Thai name
    {"name_th": "สุนัขจรจัด", "kind": 2},                            # no code
    "stray-dogs",
])
def test_from_mapping_refuses_a_bad_subject(entry):
    with pytest.raises(CatalogueError, match="needs code, name_th and kind 1-4"):
        Catalogue.from_mapping({"subjects": [entry]})


def test_from_mapping_refuses_duplicate_codes():
    with pytest.raises(CatalogueError, match="unique"):
        Catalogue.from_mapping({"subjects": [{"code": "roads", "name_th": "ถนน", "kind": 2},
                                             {"code": "roads", "name_th": "ถนนชำรุด", "kind": 2}]})


@pytest.mark.parametrize("data", [None, [], "subjects", {"subjects": None}, {"subjects": {"roads": 2}}, {}])
def test_from_mapping_refuses_what_is_not_a_mapping_with_a_list(data):
    with pytest.raises(CatalogueError, match="a mapping with a list of subjects"):
        Catalogue.from_mapping(data)
