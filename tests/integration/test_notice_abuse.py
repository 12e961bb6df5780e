"""The office's mail is not a relay: anyone may file a case with anyone's address, so what the office
mails is its own words only, and one address gets a bounded number of automatic notices a day."""
import email
import email.policy
import sqlite3

from tests.helpers import wait_for

VICTIM = "somsri.victim@example.com"
PHISHING = "รับเงินคืนภาษีที่ https://evil.example/refund"


def stranger_case(n):
    return {"channel": "web", "kind": 2, "subject": f"คืนภาษีด่วน ({n}) {PHISHING}",
            "description": f"แจ้งผู้รับ: {PHISHING} ภายในวันนี้ มิฉะนั้นสิทธิ์จะถูกระงับ ครั้งที่ {n}",
            "complainant": {"name": PHISHING, "email": VICTIM.upper() if n == 3 else VICTIM}}


def deliveries(data_dir):
    """The complainant's deliveries (the units the case is routed to hear of it too, from the office)."""
    with sqlite3.connect(data_dir / "notify.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(
            "SELECT * FROM deliveries WHERE audience = 'complainant' ORDER BY created_at")]


def mails(data_dir):
    ids = {row["id"] for row in deliveries(data_dir)}
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted((data_dir / "mail").glob("*.eml")) if p.stem in ids]


def settled(site, count):
    rows = deliveries(site.data_dir)
    done = len(rows) == count and all(r["status"] in ("delivered", "not_sent") for r in rows)
    return rows if done else None


def test_a_strangers_name_subject_and_description_never_reach_the_mail(embedded):
    created = embedded.post_case(stranger_case(1)).json()
    embedded.wait_until_routed(created)
    wait_for(lambda: settled(embedded, 1), message="the acknowledgment delivered")

    mail, = mails(embedded.data_dir)
    text = str(mail["Subject"]) + "\n" + mail.get_content()
    assert created["tracking_number"] in str(mail["Subject"])
    assert "evil.example" not in text and "รับเงินคืนภาษี" not in text and "คืนภาษีด่วน" not in text
    assert mail.get_content().startswith("เรียน ผู้ร้องเรียน\n")


def test_the_third_automatic_notice_of_the_day_to_one_address_is_not_sent_and_is_logged_so(start_embedded):
    site = start_embedded(NOTIFY_DAILY_PER_ADDRESS="2")
    created = [site.post_case(stranger_case(n)).json() for n in (1, 2, 3)]
    for case in created:  # notify is on the timeline only of a notice it sent (or tried to)
        site.wait_until_routed(case, services=("intake", "routing", "sla", "reporting"))

    rows = wait_for(lambda: settled(site, 3), message="three acknowledgments settled")
    assert sorted(r["status"] for r in rows) == ["delivered", "delivered", "not_sent"]
    refused, = [r for r in rows if r["status"] == "not_sent"]
    assert "not sent" in refused["reason"] and "2 automatic notices today" in refused["reason"]
    assert refused["attempts"] == 0 and refused["next_attempt_at"] is None and refused["last_error"] is None
    wait_for(lambda: len(mails(site.data_dir)) == 2, message="two e-mails")
    assert len(mails(site.data_dir)) == 2  # and no third, however long the retry timer runs
    # the log names the delivery held back, not the address
    log = site.log_path.read_text(encoding="utf-8")
    assert f"delivery {refused['id']} (acknowledgment) not sent" in log and VICTIM not in log
