"""What a running embedded site leaves on disk: a confidential complainant's name, e-mail and phone in no
file under the data folder in the clear, everything in it the site's user's alone, and the seal key
outside it — also for a site an older version set up with the key inside."""
import base64
import email
import email.policy
import signal
import sqlite3
import stat

from tests.helpers import reveal_with_approval, run_cli, wait_for
from tests.samples import png_1x1, small_pdf

COMPLAINANT = {"name": "นายวิชัย ทองประเสริฐ", "phone": "081-234-5678", "email": "wichai.thong@example.net"}
# the name, its parts, the e-mail and its local part, the phone as typed and as intake normalises it
SECRETS = ["วิชัย", "ทองประเสริฐ", "wichai.thong@example.net", "wichai.thong", "081-234-5678", "0812345678",
           "+66812345678", "812345678"]


def confidential_case():
    def attachment(filename, content_type, data):
        return {"filename": filename, "content_type": content_type,
                "content_base64": base64.b64encode(data).decode()}
    return {"channel": "web", "category": "misconduct",
            "subject": "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต",
            "description": "เจ้าหน้าที่ฝ่ายโยธาเรียกเงิน 3,000 บาทเพื่อเร่งออกใบอนุญาตก่อสร้าง ขอให้ตรวจสอบ",
            "complainant": COMPLAINANT,
            "attachments": [attachment("ใบเสร็จ.pdf", "application/pdf", small_pdf()),
                            attachment("ภาพหน้าสำนักงาน.png", "image/png", png_1x1())]}


def delivered(data_dir):
    with sqlite3.connect(data_dir / "notify.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM deliveries WHERE status = 'delivered'")]


def found_in_clear(data_dir):
    """(file, secret) for every secret any file under the data folder holds readably: in its bytes, and
    in the decoded text of the .eml files (whose Thai is base64 on disk)."""
    found = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        texts = [raw]
        if path.suffix == ".eml":
            message = email.message_from_bytes(raw, policy=email.policy.default)
            texts.append(("\n".join(f"{k}: {v}" for k, v in message.items()) + message.get_content()).encode())
        found += [(path.name, s) for s in SECRETS if any(s.encode() in text for text in texts)]
    return found


def officer_key(api):
    created = run_cli("apikey", "create", "--name", "นิติกร ศูนย์ดำรงธรรม", "--role", "officer", env=api.env)
    assert created.returncode == 0, created.stderr
    return created.stdout.split("key:")[1].strip()


def reveal(api, tracking_number, key):
    """A confidential complainant, for an officer's key once the site's director has approved."""
    response = reveal_with_approval(api, tracking_number, {"X-Api-Key": key})
    assert response.status_code == 200, response.text
    return response.json()["identity"]


def test_a_confidential_complaint_leaves_no_identity_readable_under_the_data_folder(embedded):
    response = embedded.post_case(confidential_case())
    assert response.status_code == 201, response.text
    created = response.json()
    embedded.wait_until_routed(created)
    data = embedded.data_dir
    row, = wait_for(lambda: [r for r in delivered(data) if r["purpose"] == "acknowledgment"],
                    message="the acknowledgment delivered")
    delivery_id = row["id"]
    assert reveal(embedded, created["tracking_number"], officer_key(embedded))["name"] == COMPLAINANT["name"]

    # nothing readable: the SQLite files (-wal and -shm too), the mail folder, the attachments
    names = {p.name for p in data.rglob("*") if p.is_file()}
    assert {"intake.db", "notify.db", "notify.db-wal"} <= names and any(n.endswith(".eml") for n in names)
    assert len(list((data / "attachments").rglob("*/*"))) == 2
    assert found_in_clear(data) == []

    # everything in the data folder, and the folder itself, is the site's user's alone
    modes = {p.relative_to(data.parent).as_posix(): oct(stat.S_IMODE(p.stat().st_mode))
             for p in [data, *data.rglob("*")]}
    assert {p: m for p, m in modes.items() if m != ("0o700" if (data.parent / p).is_dir() else "0o600")} == {}

    # the key is not in the data folder, nor is any copy of it
    key_file = data.parent / "keys" / "seal.key"
    key = key_file.read_bytes().strip()
    assert not any(key in p.read_bytes() for p in data.rglob("*") if p.is_file())
    assert oct(stat.S_IMODE(key_file.stat().st_mode)) == "0o600"
    assert oct(stat.S_IMODE(key_file.parent.stat().st_mode)) == "0o700"

    # what was sent, to whom: the words in the clear, the address for whoever holds the site's key
    from services.notify.recipients import Recipients
    mail = email.message_from_bytes((data / "mail" / f"{delivery_id}.eml").read_bytes(), policy=email.policy.default)
    assert mail["X-Rongtuk-Delivery"] == delivery_id and mail["To"] == "undisclosed-recipients:;"
    assert mail.get_content() == row["body"] and created["tracking_number"] in row["subject"]
    assert row["recipient"] is None
    assert Recipients(key.decode()).unseal(row["sealed"]) == {"recipient": COMPLAINANT["email"]}


def stop(start_embedded):
    process, _ = start_embedded.__self__.started[-1]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def test_a_site_whose_key_is_in_the_data_folder_keeps_working_and_the_key_moves_out(start_embedded, tmp_path):
    data, key_file = tmp_path / "data", tmp_path / "keys" / "seal.key"
    # as a site an older version set up: the key made in DATA_DIR/seal.key, a complaint sealed under it
    older = start_embedded(SEAL_KEY_FILE=str(data / "seal.key"))
    created = older.post_case(confidential_case()).json()
    older.wait_until_routed(created)
    legacy_key = (data / "seal.key").read_bytes()
    assert not key_file.exists()
    stop(start_embedded)

    site = start_embedded()  # today's default: the key beside the data folder

    assert not (data / "seal.key").exists() and key_file.read_bytes() == legacy_key
    assert oct(stat.S_IMODE(key_file.stat().st_mode)) == "0o600"
    assert "moved the seal key out of the data folder" in site.log_path.read_text(encoding="utf-8")
    key = officer_key(site)
    assert reveal(site, created["tracking_number"], key)["email"] == COMPLAINANT["email"]  # sealed before the move
    later = site.post_case(confidential_case()).json()
    site.wait_until_routed(later)
    assert reveal(site, later["tracking_number"], key)["name"] == COMPLAINANT["name"]
