"""The e-mail channel against a real IMAP server: a Dovecot of our own, started by these tests.

Each new message in the complaints mailbox becomes one case — with its sender as the contact and
its attachments kept — and never a second one: not when the poll runs again (a restart), and not
when a message was recorded but the crash came before it was marked seen.

The Dovecot is a private instance (its own config, sockets, logs and maildir in a temporary folder,
plaintext login on 127.0.0.1 and a free port, no SSL); the system's dovecot service is not used.
"""
import getpass
import grp
import hashlib
import imaplib
import json
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from prometheus_client import REGISTRY
from sqlalchemy import select

from services.intake import cases, mailbox_poll
from shared.files import FileStore
from services.intake.catalogue import Catalogue
from services.intake.imap import ImapSettings
from services.intake.models import attachments, cases as cases_table, inbound_messages
from services.intake.sealing import Sealer
from services.intake.service import IntakeService
from shared.config import PROJECT_ROOT
from tests.helpers import connected, count_rows, end, free_port, wait_for

pytestmark = pytest.mark.imap

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "complaints", "Rongtuk-test-only-1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# --- the server ------------------------------------------------------------------------------------

@dataclass
class Dovecot:
    port: int
    root: Path

    @property
    def settings(self):
        return ImapSettings(host="127.0.0.1", port=self.port, user=USER, password=PASSWORD)

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"

    @contextmanager
    def client(self, folder="INBOX"):
        """A logged-in connection of the test's own, the folder selected read-write."""
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            imap.login(USER, PASSWORD)
            assert imap.select(folder)[0] == "OK"
            yield imap
        finally:
            imap.logout()

    def append(self, raw, folder="INBOX"):
        with self.client(folder) as imap:
            status, data = imap.append(folder, None, None, raw)
            assert status == "OK", data

    def uids(self, criterion="ALL", folder="INBOX"):
        with self.client(folder) as imap:
            return [int(u) for u in imap.uid("SEARCH", None, criterion)[1][0].split()]

    def set_unseen(self, uid):
        with self.client() as imap:
            assert imap.uid("STORE", str(uid), "-FLAGS", r"(\Seen)")[0] == "OK"

    def empty(self):
        """Delete every message and every folder but INBOX: each test starts on an empty mailbox."""
        with self.client() as imap:
            for line in imap.list()[1]:
                name = line.decode().rsplit(' "." ', 1)[-1].strip('"')
                if name != "INBOX":
                    imap.delete(f'"{name}"')
            if imap.search(None, "ALL")[1][0]:
                imap.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                imap.expunge()


def _accounts():
    """Who Dovecot's processes and the mail run as. As root (CI): the package's own dovecot and
    dovenull users, and `nobody` for the mail, because Dovecot refuses to touch mail as root.
    As anyone else: that user for everything (Dovecot's rootless mode)."""
    if os.geteuid() != 0:
        me, group = getpass.getuser(), grp.getgrgid(os.getegid()).gr_name
        return {"internal": me, "group": group, "login": me, "mail_uid": os.geteuid(), "mail_gid": os.getegid()}
    try:
        nobody = pwd.getpwnam("nobody")
        pwd.getpwnam("dovecot"), pwd.getpwnam("dovenull")
    except KeyError as exc:
        pytest.fail(f"the dovecot package should have created its users: {exc}")
    return {"internal": "dovecot", "group": "dovecot", "login": "dovenull",
            "mail_uid": nobody.pw_uid, "mail_gid": nobody.pw_gid}


def _write_config(root, port):
    """dovecot.conf and its passwd-file, all paths inside `root`; returns the config's path."""
    accounts = _accounts()
    mail = root / "mail"
    mail.mkdir()
    os.chown(mail, accounts["mail_uid"], accounts["mail_gid"])
    (root / "users").write_text(
        f"{USER}:{{PLAIN}}{PASSWORD}:{accounts['mail_uid']}:{accounts['mail_gid']}::{mail / USER}::\n")
    rootless = os.geteuid() != 0
    no_chroot = "  chroot =\n" if rootless else ""  # chroot needs root
    config = root / "dovecot.conf"
    config.write_text(f"""\
instance_name = rongtuk-test-{port}
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
# no growing delay after the wrong-password test: anvil's per-IP penalty is switched off below
default_internal_user = {accounts['internal']}
default_internal_group = {accounts['group']}
default_login_user = {accounts['login']}
first_valid_uid = {min(accounts['mail_uid'], 500)}
first_valid_gid = {min(accounts['mail_gid'], 1)}
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
  args = {root}/users
}}
userdb {{
  driver = passwd-file
  args = {root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
{no_chroot}}}
service anvil {{
{no_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
""")
    return config


def _wait_for_greeting(port, process, timeout=15.0):
    """Until the server greets on its port: listening is not enough, the master must be up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                if conn.recv(100).startswith(b"* OK"):
                    return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def dovecot_server():
    """A private Dovecot for this module; skips it only when Dovecot is not installed."""
    if not DOVECOT.exists():
        if os.environ.get("CI"):  # CI installs it: missing there is a failure, not a skip
            pytest.fail(f"{DOVECOT} is missing although .ci/run installs dovecot-imapd")
        pytest.skip(f"{DOVECOT} is missing: install dovecot-imapd (.ci/run does) to test the e-mail channel")
    # not pytest's tmp_path: that lies under a 0700 folder the unprivileged mail user cannot enter
    root = Path(tempfile.mkdtemp(prefix="rongtuk-dovecot-"))
    root.chmod(0o755)
    port = free_port()
    config = _write_config(root, port)
    with open(root / "stderr.log", "wb") as stderr:  # the child keeps its own copy of the file
        process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=stderr)
    server = Dovecot(port, root)
    try:
        if not _wait_for_greeting(port, process):
            stderr = (root / "stderr.log").read_text(errors="replace")
            pytest.fail(f"Dovecot did not start (exit {process.poll()}):\n{stderr}\n{server.log()}")
        yield server
    finally:
        end(process)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server):
    dovecot_server.empty()
    return dovecot_server


# --- intake, without the service: its database, its context, the use case -----------------------

@pytest.fixture
def intake_store(store_of):
    return store_of("intake", "intake.poll_mailbox")


@pytest.fixture
def context(tmp_path):
    return cases.IntakeContext(catalogue=Catalogue.load(PROJECT_ROOT / "deploy" / "subjects.yml"),
                               sealer=Sealer(Fernet.generate_key().decode()),
                               files=FileStore(tmp_path / "attachments"))


def thai_mail(sender, subject, body, pdf=None, message_id=True):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "ศูนย์รับเรื่องร้องเรียน <complaints@city.go.th>"
    message["Subject"] = subject
    message["Date"] = "Thu, 20 Nov 2025 09:15:00 +0700"
    if message_id:
        message["Message-ID"] = make_msgid(domain="mail.example.co.th")
    message.set_content(body)
    if pdf:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="ใบเสร็จ.pdf")
    return message.as_bytes(policy=policy.SMTP)


THREE_MAILS = [
    thai_mail("สมชาย ใจดี <somchai.j@example.co.th>", "เจ้าหน้าที่เรียกรับเงินค่าใบอนุญาต",
              "เจ้าหน้าที่กองช่างแจ้งว่าต้องจ่ายเงิน 3,000 บาทจึงจะออกใบอนุญาตก่อสร้างให้", pdf=PDF),
    thai_mail("มานี มีนา <manee@example.org>", "ไฟฟ้าส่องสว่างในซอยดับ",
              "ไฟถนนในซอยเพชรเกษม 48 ดับมาสองสัปดาห์แล้ว กลางคืนมืดมาก"),
    thai_mail("somying@example.org", "ขยะไม่ได้รับการจัดเก็บ",
              "รถเก็บขยะไม่มาเก็บขยะที่หมู่บ้านมาสิบวันแล้ว", message_id=False),
]


def email_cases(config):
    return count_rows(config, "intake", "cases", "WHERE channel = 'email'")


# --- the acceptance test ---------------------------------------------------------------------------

def test_each_mail_becomes_one_case_however_often_it_is_polled(dovecot, intake_store, context, embedded_config):
    for raw in THREE_MAILS:
        dovecot.append(raw)
    assert len(dovecot.uids("UNSEEN")) == 3

    created = mailbox_poll.poll_mailbox(intake_store, context, dovecot.settings)

    assert len(created) == 3 and len(set(created)) == 3
    assert email_cases(embedded_config) == 3
    assert count_rows(embedded_config, "intake", "outbox", "WHERE event_type = 'case_received'") == 3
    assert dovecot.uids("UNSEEN") == []
    with intake_store.reading() as session:
        rows = session.execute(select(cases_table).order_by(cases_table.c.tracking_number)).all()
        files = session.execute(select(attachments)).all()
    assert [r.subject for r in rows] == ["เจ้าหน้าที่เรียกรับเงินค่าใบอนุญาต", "ไฟฟ้าส่องสว่างในซอยดับ",
                                         "ขยะไม่ได้รับการจัดเก็บ"]
    contacts = [intake_store.run(cases.contact_for_notice, row.id, context.sealer) for row in rows]
    assert contacts == [{"name": "สมชาย ใจดี", "email": "somchai.j@example.co.th", "came_by": "email"},
                        {"name": "มานี มีนา", "email": "manee@example.org", "came_by": "email"},
                        {"email": "somying@example.org", "came_by": "email"}]
    assert json.loads(rows[0].channel_ref)["date"] == "Thu, 20 Nov 2025 09:15:00 +0700"
    assert len(files) == 1 and files[0].case_id == rows[0].id
    assert (files[0].filename, files[0].content_type, files[0].size) == ("ใบเสร็จ.pdf", "application/pdf", len(PDF))
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()
    assert context.files.path(files[0].sha256).is_file() and context.files.get(files[0].sha256) == PDF

    # a restart: the poll runs again over the same mailbox
    assert mailbox_poll.poll_mailbox(intake_store, context, dovecot.settings) == []
    assert email_cases(embedded_config) == 3

    # a crash after the commit, before the message was marked seen: it is fetched again
    dovecot.set_unseen(dovecot.uids()[1])
    assert len(dovecot.uids("UNSEEN")) == 1
    assert mailbox_poll.poll_mailbox(intake_store, context, dovecot.settings) == []
    assert email_cases(embedded_config) == 3
    assert dovecot.uids("UNSEEN") == []  # recognised, and marked seen this time
    assert count_rows(embedded_config, "intake", "inbound_messages", "WHERE channel = 'email'") == 3


# --- what goes wrong -------------------------------------------------------------------------------

def test_a_message_that_is_no_email_is_marked_seen_without_a_case_or_personal_data_in_the_log(
        dovecot, intake_store, context, embedded_config, caplog):
    dovecot.append("ข้อความนี้ไม่มีส่วนหัว ผู้ส่ง: somchai.j@example.co.th\r\n".encode())
    dovecot.append(b"Subject: =?utf-8?b?4LmA4Lij4Li34LmI4Lit4LiH?=\r\n\r\nno sender somchai.j@example.co.th\r\n")
    dovecot.append(THREE_MAILS[1])

    with caplog.at_level(logging.INFO, logger="services.intake"):
        created = mailbox_poll.poll_mailbox(intake_store, context, dovecot.settings)

    assert len(created) == 1 and email_cases(embedded_config) == 1
    assert dovecot.uids("UNSEEN") == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("no case made" in w for w in warnings)
    logged = caplog.text
    for personal in ("somchai", "manee", "มานี", "เรื่อง", "ไฟฟ้า", PASSWORD):
        assert personal not in logged


def test_a_message_the_database_failed_on_stays_unseen_and_is_recorded_at_the_next_poll(
        dovecot, intake_store, context, embedded_config):
    dovecot.append(THREE_MAILS[1])
    dovecot.append(THREE_MAILS[2])
    failing = _FailingOnce(intake_store)

    created = mailbox_poll.poll_mailbox(failing, context, dovecot.settings)

    assert len(created) == 1 and email_cases(embedded_config) == 1  # the other one was not held up
    assert len(dovecot.uids("UNSEEN")) == 1
    assert len(mailbox_poll.poll_mailbox(intake_store, context, dovecot.settings)) == 1
    assert email_cases(embedded_config) == 2 and dovecot.uids("UNSEEN") == []


class _FailingOnce:
    """A store whose first transaction fails like a database that went away for a moment."""

    def __init__(self, store):
        self.store, self.failed = store, False

    def run(self, use_case, *args, **kwargs):
        if not self.failed:
            self.failed = True
            raise ConnectionResetError("database connection lost")
        return self.store.run(use_case, *args, **kwargs)


UNREADABLE = {
    "server down": lambda settings: replace(settings, port=free_port()),
    "wrong password": lambda settings: replace(settings, password="not-the-password"),
    "no such folder": lambda settings: replace(settings, folder="ไม่มีโฟลเดอร์นี้"),
}


@pytest.mark.parametrize("break_settings", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_mailbox_that_cannot_be_read_makes_no_case_and_raises_nothing(
        dovecot, intake_store, context, embedded_config, caplog, break_settings):
    dovecot.append(THREE_MAILS[1])
    settings = break_settings(dovecot.settings)

    with caplog.at_level(logging.WARNING, logger="services.intake"):
        assert mailbox_poll.poll_mailbox(intake_store, context, settings) == []

    assert email_cases(embedded_config) == 0 and len(dovecot.uids("UNSEEN")) == 1
    assert "not read" in caplog.text
    assert settings.password not in caplog.text


def test_handled_messages_can_be_moved_to_a_processed_folder_with_a_thai_name(
        dovecot, intake_store, context, embedded_config):
    thai_name_in_modified_utf7 = "&DhQOMw5ADhkONA4ZDgEOMg4jDkEOJQ5JDic-"  # ดำเนินการแล้ว, RFC 3501 5.1.3
    with dovecot.client() as imap:
        assert imap.create(f'"{thai_name_in_modified_utf7}"')[0] == "OK"
    dovecot.append(THREE_MAILS[0])
    settings = replace(dovecot.settings, processed_folder="ดำเนินการแล้ว")

    assert len(mailbox_poll.poll_mailbox(intake_store, context, settings)) == 1

    assert dovecot.uids() == []
    assert len(dovecot.uids("SEEN", folder=f'"{thai_name_in_modified_utf7}"')) == 1


# --- wired into the intake service -------------------------------------------------------------

def test_the_service_timer_polls_at_start_and_again_at_its_interval(dovecot, container_factory, embedded_config):
    dovecot.append(THREE_MAILS[0])
    config = {**embedded_config, "MAILBOX": {"host": "127.0.0.1", "port": dovecot.port, "user": USER,
                                             "password": PASSWORD, "poll_interval": 0.2}}
    container = container_factory(IntakeService, config)
    container.start()

    wait_for(lambda: email_cases(embedded_config) == 1, timeout=10, message="the first mail as a case")
    dovecot.append(THREE_MAILS[1])
    wait_for(lambda: email_cases(embedded_config) == 2, timeout=10, message="the second mail as a case")
    wait_for(lambda: count_rows(embedded_config, "intake", "outbox",
                                "WHERE event_type = 'case_received' AND published_at IS NOT NULL") == 2,
             timeout=10, message="case_received published by the relay")
    with connected(embedded_config, "intake") as conn:  # each inbound message points at its case
        assert conn.execute(select(inbound_messages.c.case_id).where(inbound_messages.c.case_id.is_(None))).all() == []


def test_the_service_timer_does_nothing_without_a_mailbox_host(dovecot, container_factory, embedded_config):
    dovecot.append(THREE_MAILS[0])
    config = {**embedded_config, "MAILBOX": {"host": "", "port": dovecot.port, "user": USER,
                                             "password": PASSWORD, "poll_interval": 0.05}}
    container = container_factory(IntakeService, config)
    before = timer_ticks()
    container.start()
    wait_for(lambda: timer_ticks() - before >= 3, timeout=10, message="the timer firing at start and twice more")
    assert email_cases(embedded_config) == 0 and len(dovecot.uids("UNSEEN")) == 1


def timer_ticks():
    """How often intake's mailbox timer has run to its end in this process."""
    return REGISTRY.get_sample_value("rongtuk_entrypoint_calls_total",
                                     {"service": "intake", "entrypoint": "poll_mailbox"}) or 0


def test_the_complainants_mailed_answer_to_an_officers_question_resumes_the_case_on_a_running_site(
        dovecot, start_embedded):
    """End to end on `rongtuk run`: a case filed on the web, an officer's question mailed to the
    complainant, their reply (Re: with the tracking number) in the real mailbox: kept with the case,
    no new case, the clocks running again and the timeline saying so."""
    import requests

    from tests.helpers import run_cli
    site = start_embedded(MAILBOX_HOST="127.0.0.1", MAILBOX_PORT=str(dovecot.port), MAILBOX_SSL="false",
                          MAILBOX_USER=USER, MAILBOX_PASSWORD=PASSWORD, MAILBOX_POLL_INTERVAL="0.5")
    key = run_cli("apikey", "create", "--name", "เจ้าหน้าที่", "--role", "officer", env=site.env)
    headers = {"X-Api-Key": key.stdout.split("key:")[1].strip()}
    created = site.post_case({"channel": "web", "kind": 2, "subject": "ไฟถนนดับ",
                              "description": "ไฟถนนหน้าวัดดับมาหนึ่งสัปดาห์ ซอยเพชรเกษม 48",
                              "complainant": {"email": "Somsri.R@example.co.th"}}).json()
    number = created["tracking_number"]

    def page():
        return requests.get(f"{site.base}/api/v1/cases/{number}", headers=headers, timeout=10).json()
    wait_for(lambda: page()["status"] in ("routed", "triage"), timeout=20, message="the case routed")
    asked = requests.post(f"{site.base}/api/v1/cases/{number}/routing/request-info", headers=headers, timeout=10,
                          json={"question": "เสาไฟต้นไหน"})
    assert asked.status_code == 200, asked.text

    def mailed_question():
        import email as email_
        for path in (site.data_dir / "mail").glob("*.eml"):
            mail = email_.message_from_bytes(path.read_bytes(), policy=policy.default)
            if "เสาไฟต้นไหน" in mail.get_content():
                return mail
        return None
    question = wait_for(mailed_question, timeout=20, message="the question mailed")
    assert number in str(question["Subject"])

    dovecot.append(thai_mail("สมศรี <somsri.r@example.co.th>", f"Re: {question['Subject']}",
                             "ต้นที่สามหน้าบ้านเลขที่ 99 ค่ะ\n\n> ขอข้อมูลเพิ่มเติม\n"))

    def resumed():
        seen = page()
        said = [e["summary"] for e in seen["timeline"] or []]
        done = "ได้รับข้อมูลเพิ่มเติมจากผู้ร้องแล้ว" in said and any(s.startswith("ผู้ร้องตอบกลับทางอีเมล") for s in said)
        return seen if done and seen["replies"] else None
    case = wait_for(resumed, timeout=30, message="the mailed answer taken as the information received")
    assert [r["text"] for r in case["replies"]] == ["ต้นที่สามหน้าบ้านเลขที่ 99 ค่ะ"]
    assert all(c["state"] != "paused" for c in case["clocks"])
    assert count_rows({"DATA_DIR": str(site.data_dir), "DATABASE_URL": None}, "intake", "cases") == 1
