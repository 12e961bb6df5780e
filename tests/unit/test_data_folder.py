"""shared/config.py: where the seal key is kept (never in the data folder, and an older site's moved out
of it), and files and folders under the data folder only the site's user may read."""
import logging
import os
import stat

import pytest
from cryptography.fernet import Fernet

from shared import config
from shared.config import (
    SealKeyError,
    database_url,
    private_dir,
    seal_key,
    seal_key_file,
    write_private_file,
)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def site(tmp_path):
    return {"DATA_DIR": str(tmp_path / "data")}


# --- the seal key ------------------------------------------------------------------------------------

def test_a_new_site_makes_its_key_beside_the_data_folder_not_in_it(site, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        key = seal_key(site)
    path = tmp_path / "keys" / "seal.key"
    assert seal_key_file(site) == path and path.read_text().strip() == key
    Fernet(key)  # a usable key
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").rglob("*key*"))
    assert "made a new seal key" in caplog.text and "apart from the data folder" in caplog.text
    assert seal_key(site) == key  # made once
    assert [p.name for p in path.parent.iterdir()] == ["seal.key"]  # no temporary file left


def test_the_configured_key_wins_and_no_file_is_made(site, tmp_path):
    key = Fernet.generate_key().decode()
    assert seal_key({**site, "INTAKE": {"seal_key": key}}) == key
    assert not (tmp_path / "keys").exists()


def test_the_key_file_setting_is_absolute_or_under_the_project_root(site, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "checkout")
    assert seal_key_file({**site, "INTAKE": {"seal_key_file": "/etc/rongtuk/seal.key"}}) == \
        config.Path("/etc/rongtuk/seal.key")
    assert seal_key_file({**site, "INTAKE": {"seal_key_file": "secrets/seal.key"}}) == \
        tmp_path / "checkout" / "secrets" / "seal.key"
    assert seal_key_file({**site, "INTAKE": {"seal_key_file": ""}}) == tmp_path / "keys" / "seal.key"


def test_an_older_sites_key_in_the_data_folder_is_moved_out_once(site, tmp_path, caplog):
    legacy = tmp_path / "data" / "seal.key"
    legacy.parent.mkdir()
    old = Fernet.generate_key()
    legacy.write_bytes(old + b"\n")
    with caplog.at_level(logging.WARNING):
        assert seal_key(site) == old.decode()
    moved = tmp_path / "keys" / "seal.key"
    assert not legacy.exists() and moved.read_bytes().strip() == old and mode(moved) == 0o600
    assert "moved the seal key out of the data folder" in caplog.text
    assert seal_key(site) == old.decode()


def test_a_key_that_cannot_be_moved_is_used_where_it_is_with_a_warning(site, tmp_path, caplog, monkeypatch):
    legacy = tmp_path / "data" / "seal.key"
    legacy.parent.mkdir()
    old = Fernet.generate_key()
    legacy.write_bytes(old)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", refused)
    with caplog.at_level(logging.WARNING):
        assert seal_key(site) == old.decode()
    assert legacy.exists() and not (tmp_path / "keys" / "seal.key").exists()
    assert "the seal key is still in the data folder" in caplog.text and "SEAL_KEY_FILE" in caplog.text


def test_a_copy_left_in_the_data_folder_is_removed_and_a_different_key_refused(site, tmp_path):
    key = seal_key(site)
    legacy = tmp_path / "data" / "seal.key"
    legacy.parent.mkdir(exist_ok=True)
    legacy.write_text(key + "\n")  # a backup of the data folder from before the move, restored
    assert seal_key(site) == key and not legacy.exists()

    legacy.write_bytes(Fernet.generate_key())
    with pytest.raises(SealKeyError, match="two different seal keys"):
        seal_key(site)
    assert legacy.exists()  # nothing is thrown away: the operator chooses


def test_a_key_file_set_inside_the_data_folder_is_used_with_a_warning(site, tmp_path, caplog):
    inside = {**site, "INTAKE": {"seal_key_file": str(tmp_path / "data" / "seal.key")}}
    with caplog.at_level(logging.WARNING):
        key = seal_key(inside)
    assert (tmp_path / "data" / "seal.key").read_text().strip() == key
    assert "is inside DATA_DIR" in caplog.text


# --- private files and folders ---------------------------------------------------------------------

def test_sqlite_files_are_made_0600_in_a_0700_folder_before_sqlite_opens_them(site, tmp_path):
    url = database_url(site, "notify")
    path = tmp_path / "data" / "notify.db"
    assert url == f"sqlite:///{path}" and path.exists() and path.stat().st_size == 0
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)

    import sqlite3
    with sqlite3.connect(path) as conn:  # SQLite gives -wal and -shm the database file's mode
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        assert {p.name: mode(p) for p in path.parent.iterdir()} == {
            "notify.db": 0o600, "notify.db-wal": 0o600, "notify.db-shm": 0o600}


def test_an_older_sites_open_folder_is_closed_with_everything_in_it_once(tmp_path):
    data = tmp_path / "data"
    (data / "attachments" / "ab").mkdir(parents=True)
    (data / "mail").mkdir()
    for path in (data / "intake.db", data / "intake.db-wal", data / "attachments" / "ab" / "abcd",
                 data / "mail" / "x.eml"):
        path.write_bytes(b"x")
        path.chmod(0o644)
    for folder in (data, data / "attachments", data / "attachments" / "ab", data / "mail"):
        folder.chmod(0o755)

    database_url({"DATA_DIR": str(data)}, "intake")  # as every start does

    assert {p.relative_to(data).as_posix(): oct(mode(p)) for p in data.rglob("*")} == {
        "intake.db": "0o600", "intake.db-wal": "0o600", "attachments": "0o700", "attachments/ab": "0o700",
        "attachments/ab/abcd": "0o600", "mail": "0o700", "mail/x.eml": "0o600"}
    assert mode(data) == 0o700


def test_private_dir_makes_every_missing_folder_private(tmp_path):
    private_dir(tmp_path / "a" / "b" / "c")
    assert [mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3


def test_write_private_file_replaces_whole_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "f.eml"
    write_private_file(target, b"one")
    target.chmod(0o644)
    write_private_file(target, b"two")
    assert target.read_bytes() == b"two" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.eml"]


def test_a_database_outside_the_data_folder_leaves_a_shared_folder_as_it_is(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    shared.chmod(0o1777)  # like /tmp
    url = database_url({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{shared}/<service>.db"},
                       "sla")
    assert url == f"sqlite:///{shared}/sla.db"
    assert mode(shared) == 0o1777 and mode(shared / "sla.db") == 0o600
    database_url({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{tmp_path}/new/<service>.db"},
                 "sla")
    assert mode(tmp_path / "new") == 0o700  # a folder made for it is private


def test_a_sticky_shared_folder_is_never_closed(tmp_path, caplog):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    with caplog.at_level(logging.WARNING):
        private_dir(shared, tighten_contents=True)
    assert mode(shared) == 0o1777 and "not a private folder" in caplog.text
