"""What notify keeps of the addresses it writes to (sealed), how often it writes to one (a daily limit on
the notices nobody at the office decided to send), and the rows an older version logged in the clear."""
import email
import email.policy
import json
import smtplib
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from services.notify import deliveries
from services.notify.mailer import Mailer
from services.notify.models import address_counts
from services.notify.models import deliveries as deliveries_table
from services.notify.recipients import Recipients, RecipientSealError
from services.notify.service import NotifyService
from shared.config import seal_key
from shared.store import open_store, outbox
from shared.times import utcnow

ADDRESS = "wichai.thong@example.net"
NAME = "วิชัย ทองประเสริฐ"


class FakeMailer:
    def __init__(self, error=None):
        self.error = error
        self.sent = []

    def send(self, to, subject, body, reference=None):
        if self.error:
            raise self.error
        self.sent.append((to, subject, body, reference))


@pytest.fixture
def recipients():
    return Recipients(Fernet.generate_key().decode(), daily_limit=3)


@pytest.fixture
def store(store_of):
    return store_of("notify", "notify.acknowledge_case")


def event(n, case_id=None, **extra):
    return {"event_id": f"6f1c1b7e-0c3e-4d7e-8a4e-{n:012d}", "case_id": case_id or f"0d1f6f50-4a5c-4c4f-9d8e-{n:012d}",
            "tracking_number": f"HUB-2569-{n:06d}", "site_id": "HUB", **extra}


def notice(store, recipients, n, contact, purpose="acknowledgment", **extra):
    """Log a notice of case n and give it its address, as the handler does; True if it is to be sent."""
    delivery_id = store.run(deliveries.log_notice, event(n, **extra), purpose, store.handler_name)
    return store.run(deliveries.address, delivery_id, contact, recipients)


def row_of(store, n, purpose="acknowledgment"):
    with store.reading() as session:
        return session.execute(select(deliveries_table).where(
            deliveries_table.c.id == deliveries.delivery_id_of(event(n), purpose))).one()


def recorded(store):
    with store.reading() as session:
        return [json.loads(b) for b in session.execute(select(outbox.c.body).where(
            outbox.c.event_type == "notification_recorded")).scalars()]


def readable(config, *secrets):
    """The secrets any of notify's SQLite files holds in the clear."""
    folder = Path(config["DATA_DIR"])
    return sorted({s for p in folder.glob("notify.db*") for s in secrets if s.encode() in p.read_bytes()})


# --- sealed ----------------------------------------------------------------------------------------

def test_the_log_keeps_what_was_said_in_the_clear_and_the_address_only_sealed(store, recipients, embedded_config):
    assert notice(store, recipients, 1, {"email": ADDRESS, "name": NAME, "phone": "0812345678"})
    mailer = FakeMailer()
    assert deliveries.attempt(store, {"email": mailer}, recipients, row_of(store, 1).id) == "delivered"

    row = row_of(store, 1)
    assert row.recipient is None and recipients.unseal(row.sealed) == {"recipient": ADDRESS}
    assert row.body.startswith("เรียน ผู้ร้องเรียน") and "HUB-2569-000001" in row.subject
    assert mailer.sent == [(ADDRESS, row.subject, row.body, row.id)]
    assert readable(embedded_config, ADDRESS, "wichai.thong", "วิชัย", "0812345678") == []
    with pytest.raises(RecipientSealError, match="another key"):  # another site's key opens nothing
        Recipients(Fernet.generate_key().decode()).unseal(row.sealed)


def test_a_name_a_stranger_chose_is_never_in_the_notice(store, recipients):
    phishing = "รับเงินคืนภาษีที่ https://evil.example/refund"
    assert notice(store, recipients, 1, {"email": ADDRESS, "name": phishing})
    mailer = FakeMailer()
    deliveries.attempt(store, {"email": mailer}, recipients, row_of(store, 1).id)
    (_, subject, body, _), = mailer.sent
    assert "evil.example" not in subject + body and "รับเงินคืนภาษี" not in subject + body


def test_a_mail_servers_refusal_is_logged_without_the_address(store, recipients, embedded_config):
    assert notice(store, recipients, 1, {"email": ADDRESS})
    refusal = smtplib.SMTPRecipientsRefused({ADDRESS.upper(): (550, b"5.1.1 <" + ADDRESS.encode() + b"> unknown")})
    assert deliveries.attempt(store, {"email": FakeMailer(refusal)}, recipients, row_of(store, 1).id) == "failed"

    error = row_of(store, 1).last_error
    assert "SMTPRecipientsRefused" in error and "<address>" in error and "wichai" not in error.lower()
    assert readable(embedded_config, ADDRESS, "wichai.thong") == []


def test_the_file_mailer_writes_the_message_not_its_address(tmp_path):
    folder = tmp_path / "data" / "mail"
    Mailer("Rongtuk <no-reply@rongtuk.local>", folder=folder).send(ADDRESS, "เรื่อง", "เรียน ผู้ร้องเรียน\n",
                                                                   reference="d-1")
    path, = folder.iterdir()
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert path.name == "d-1.eml" and mail["X-Rongtuk-Delivery"] == "d-1"
    assert mail["To"] == "undisclosed-recipients:;" and ADDRESS.encode() not in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == stat.S_IMODE(folder.parent.stat().st_mode) == 0o700


# --- the daily limit -------------------------------------------------------------------------------

def test_the_fourth_automatic_notice_to_an_address_in_a_day_is_not_sent_and_is_logged_so(
        store, recipients, embedded_config):
    # another process counting in the same database
    with open_store(embedded_config, "notify", "notify.send_kb_answer") as other:
        assert notice(store, recipients, 1, {"email": ADDRESS})
        assert notice(other, recipients, 2, {"email": ADDRESS}, purpose="kb_answer", answer="เปิดรับสมัครเดือนหน้า")
        assert notice(store, recipients, 3, {"email": " Wichai.Thong@Example.NET "})  # the same address
        assert not notice(store, recipients, 4, {"email": ADDRESS, "name": NAME})
        assert not notice(other, recipients, 5, {"email": ADDRESS}, purpose="kb_answer", answer="x")

    held = row_of(store, 4)
    assert (held.status, held.attempts, held.next_attempt_at, held.last_error) == ("not_sent", 0, None, None)
    assert held.reason == ("not sent: its address has had 3 automatic notices today "
                           "(NOTIFY.daily_notices_per_address)")
    assert recipients.unseal(held.sealed) == {"recipient": ADDRESS}  # where it would have gone, for the record
    assert row_of(store, 5, "kb_answer").status == "not_sent"
    mailer = FakeMailer()
    assert deliveries.attempt(store, {"email": mailer}, recipients, held.id) is None  # never sent
    with store.reading() as session:
        assert held.id not in deliveries.due_for_retry(session, now=utcnow() + timedelta(days=30))
    assert recorded(store) == [] and mailer.sent == []  # nothing failed, nothing to retry

    # another address, a LINE user, and a result (which an officer decided to send) still go out
    assert notice(store, recipients, 6, {"email": "someone.else@example.net"})
    assert notice(store, recipients, 7, {"line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"})
    assert notice(store, recipients, 8, {"email": ADDRESS}, purpose="result", answer="ซ่อมแล้ว", answered_by_site="HUB")


def test_the_count_starts_again_the_next_day_and_old_counts_are_forgotten(
        store, recipients, embedded_config, monkeypatch):
    for n in (1, 2, 3):
        assert notice(store, recipients, n, {"email": ADDRESS})
    assert not notice(store, recipients, 4, {"email": ADDRESS})

    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(deliveries, "utcnow", lambda: tomorrow)
    assert notice(store, recipients, 5, {"email": ADDRESS})
    store.run(deliveries.forget_old_counts, tomorrow + timedelta(days=3))
    with store.reading() as session:
        assert session.execute(select(address_counts)).all() == []


def test_a_limit_of_0_turns_the_limit_off(store):
    unlimited = Recipients(Fernet.generate_key().decode(), daily_limit=0)
    assert all(notice(store, unlimited, n, {"email": ADDRESS}) for n in range(1, 21))


# --- rows an older version logged ------------------------------------------------------------------

def test_rows_an_older_version_logged_in_the_clear_are_sealed_at_start_and_still_sent(
        container_factory, embedded_config):
    now = utcnow()
    legacy = {"id": "5b0f3e0e-1111-4d7e-8a4e-000000000001", "case_id": "0d1f6f50-4a5c-4c4f-9d8e-000000000001",
              "purpose": "acknowledgment", "channel": "email", "recipient": ADDRESS,
              "subject": "ได้รับเรื่องร้องเรียนของท่านแล้ว เลขที่ HUB-2569-000001", "body": f"เรียน คุณ{NAME}\n\n…",
              "status": "failed", "attempts": 1, "last_error": f"SMTPRecipientsRefused: {{'{ADDRESS}': (450, …)}}",
              "created_at": now, "updated_at": now, "next_attempt_at": now + timedelta(hours=1)}
    with open_store(embedded_config, "notify", "test") as older, older.transaction() as tx:
        tx.session.execute(deliveries_table.insert().values(**legacy))
    assert readable(embedded_config, ADDRESS, "วิชัย") == [ADDRESS, "วิชัย"]  # the scan finds what is there

    container_factory(NotifyService, embedded_config).start()

    assert readable(embedded_config, ADDRESS, "วิชัย", "wichai.thong") == []
    with open_store(embedded_config, "notify", "notify.acknowledge_case") as store:
        recipients = Recipients(seal_key(embedded_config))
        with store.reading() as session:
            row = session.execute(select(deliveries_table)).one()
        assert (row.recipient, row.subject, row.body) == (None, None, None) and "<address>" in row.last_error
        mailer = FakeMailer()
        assert deliveries.attempt(store, {"email": mailer}, recipients, row.id) == "delivered"
        assert mailer.sent == [(ADDRESS, legacy["subject"], legacy["body"], row.id)]  # as it was logged


@pytest.mark.postgres
def test_notify_processes_sharing_postgresql_count_together_also_at_the_same_moment(pg_stores, recipients):
    import eventlet

    stores = pg_stores("notify")
    pool = eventlet.GreenPool(8)
    taken = list(pool.imap(lambda n: notice(stores[n % 2], recipients, n, {"email": ADDRESS}), range(1, 9)))
    assert taken.count(True) == 3
    with stores[0].reading() as session:
        statuses = session.execute(select(deliveries_table.c.status)).scalars().all()
        assert sorted(statuses) == ["not_sent"] * 5 + ["pending"] * 3
        assert session.execute(select(address_counts.c.count)).scalar_one() == 3
