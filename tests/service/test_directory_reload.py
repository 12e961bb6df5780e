"""The directory file is read again when it changes; a broken edit keeps the directory in use."""
import os
import shutil

from services.routing.dependencies import DirectoryFile
from shared.config import PROJECT_ROOT


def touch_later(path):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_an_edited_directory_is_used_and_a_broken_one_refused(tmp_path, caplog):
    path = tmp_path / "directory.yml"
    shutil.copy(PROJECT_ROOT / "deploy/directory.yml", path)
    directory = DirectoryFile(path)
    first = directory.current()
    assert first.match("ขอทราบกำหนดการตรวจสุขภาพ", 2) is None

    path.write_text(path.read_text(encoding="utf-8") + "  - id: health\n    unit: inspection\n"
                    "    keywords: [ตรวจสุขภาพ]\n", encoding="utf-8")
    touch_later(path)
    edited = directory.current()
    assert edited is not first
    assert edited.match("ขอทราบกำหนดการตรวจสุขภาพ", 2).rule_id == "health"

    path.write_text(path.read_text(encoding="utf-8").replace("triage_unit: inspection", "triage_unit: nobody"),
                    encoding="utf-8")
    touch_later(path)
    assert directory.current() is edited  # refused: the last good directory stays
    assert "not valid, keeping the one in use" in caplog.text
    assert directory.current() is edited  # and it is not read again until the file changes again
