"""The knowledge base kept while the site runs: `rongtuk kb` changes routing's database from another
process, and the running routing service answers (or no longer answers) the next inquiry with it."""
import email
import email.policy

import sqlalchemy as sa

from shared.store import make_engine
from tests.helpers import run_cli, wait_for

ANSWER = "ผู้มาติดต่อจอดรถได้ที่ลานจอดด้านหลังอาคาร 2 ไม่เสียค่าใช้จ่าย ตั้งแต่ 08.00 ถึง 17.00 น."
INQUIRY = {"channel": "web", "kind": 1, "subject": "สอบถามเรื่องที่จอดรถ",
           "description": "อยากทราบว่าสำนักงานมีที่จอดรถให้ผู้มาติดต่อไหมครับ",
           "complainant": {"name": "ประเสริฐ", "email": "prasert@example.org"}}


def settle(site, created):
    """The case once routing decided it: answered from the knowledge base, or with a unit."""
    def decided():
        case = site.get_case(created["tracking_number"], created["access_code"]).json()
        events = [e["event"] for e in case["timeline"] or []]
        if case["status"] == "answered_from_kb" and "notification_recorded" in events:
            return case
        if case["status"] == "routed" and "case_routed" in events:
            return case
        return None
    return wait_for(decided, timeout=20, message="routing's decision on the inquiry")


def reason(site, case_id):
    engine = make_engine(f"sqlite:///{site.data_dir / 'routing.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT reason FROM assignments WHERE case_id = :c"), {"c": case_id}).scalar()
    finally:
        engine.dispose()


def mails_with_the_answer(site):
    found = []
    for path in (site.data_dir / "mail").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if ANSWER in message.get_content():
            found.append(path)
    return found


def test_an_entry_the_cli_adds_answers_the_next_inquiry_and_once_removed_no_longer_does(embedded):
    def kb(*args):
        result = run_cli("kb", *args, env=embedded.env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    assert "office-hours" in kb("list")  # seeded from deploy/knowledge.yml when the site started

    first = embedded.post_case(INQUIRY).json()
    assert settle(embedded, first)["status"] == "routed"
    assert not reason(embedded, first["case_id"]).startswith("knowledge base")

    assert kb("put", "--id", "office-parking", "--unit", "admin-rules", "--officer", "นางสาวเพ็ญ",
              "--question", "สำนักงานมีที่จอดรถสำหรับผู้มาติดต่อไหม", "--question", "มาติดต่อราชการจอดรถได้ที่ไหน",
              "--answer", ANSWER) == "office-parking: added\n"
    second = embedded.post_case(INQUIRY).json()
    case = settle(embedded, second)
    assert case["status"] == "answered_from_kb" and case["clocks"] == []
    assert "case_answered_from_kb" in [e["event"] for e in case["timeline"]]
    assert reason(embedded, second["case_id"]) == "knowledge base: office-parking"
    assert len(wait_for(lambda: mails_with_the_answer(embedded), message="the answer e-mailed")) == 1

    assert kb("remove", "office-parking", "--officer", "นายสมพงษ์") == "office-parking: removed\n"
    third = embedded.post_case(INQUIRY).json()
    assert settle(embedded, third)["status"] == "routed"
    assert not reason(embedded, third["case_id"]).startswith("knowledge base")
    assert len(mails_with_the_answer(embedded)) == 1  # nobody else was sent the withdrawn answer
