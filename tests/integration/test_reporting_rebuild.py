"""`rongtuk reporting rebuild`: the read model folded again from the events reporting stored gives the
same summaries and figures as folding them as they came, on a site that really ran (every service's
events); refused while an event without its body is stored."""
import sqlite3

from tests.helpers import run_cli, thai_case, wait_for

COLUMNS = "case_id, site_id, tracking_number, status, kind, channel, unit_id, received_at, due_at"


def summaries(data_dir):
    with sqlite3.connect(data_dir / "reporting.db") as db:
        return db.execute(f"SELECT {COLUMNS} FROM case_summaries ORDER BY case_id").fetchall()


def figures(data_dir):
    with sqlite3.connect(data_dir / "reporting.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM case_figures ORDER BY case_id")]


def test_the_summaries_rebuilt_from_the_stored_events_are_the_ones_folded_live(start_embedded):
    site = start_embedded()
    cases = [site.post_case(thai_case()).json(),
             site.post_case(thai_case(channel="hotline", kind=None, subject="ถนนชำรุดเป็นหลุมลึก",
                                      description="ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้มไปสองคันแล้ว")).json()]
    for created in cases:
        site.wait_until_routed(created)
    inquiry = site.post_case({"channel": "web", "kind": 1, "subject": "สอบถามเรื่องอบรม",
                              "description": "อยากทราบว่าจะเปิดรับสมัครอบรมเศรษฐกิจพอเพียงรุ่นต่อไปเมื่อไหร่ครับ"}).json()
    wait_for(lambda: site.get_case(inquiry["tracking_number"], inquiry["access_code"]).json()["status"]
             == "answered_from_kb", message="the inquiry answered from the knowledge base")
    start_embedded.__self__.stop_all()  # reporting stopped: nothing is folded meanwhile
    live, live_figures = summaries(site.data_dir), figures(site.data_dir)
    assert len(live) == 3 and {row[3] for row in live} == {"routed", "answered_from_kb"}
    by_number = {row["tracking_number"]: row for row in live_figures}
    routed = by_number[cases[1]["tracking_number"]]
    assert (routed["channel"], routed["has_contact"], routed["answered_from_kb"], routed["rerouted"]) == \
        ("hotline", 1, 0, 0)
    assert routed["unit_id"] and routed["first_unit_id"] == routed["unit_id"] and routed["routed_at"]
    assert routed["resolution_due_at"] and routed["first_notice_due_at"] and routed["kind"] in (2, 3)
    answered = by_number[inquiry["tracking_number"]]
    assert (answered["answered_from_kb"], answered["has_contact"], answered["kind"]) == (1, 0, 1)

    with sqlite3.connect(site.data_dir / "reporting.db") as db:  # folded wrongly, say: rebuild mends it
        db.execute("UPDATE case_summaries SET status = 'received', unit_id = NULL")
        db.execute("UPDATE case_figures SET rerouted = 1, warnings = 7")
    rebuilt = run_cli("reporting", "rebuild", env=site.env)

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "event(s) folded again" in rebuilt.stdout and int(rebuilt.stdout.split()[0]) >= 10
    assert summaries(site.data_dir) == live and figures(site.data_dir) == live_figures

    # an event heard before bodies were kept: a rebuild would lose it, so it is refused
    with sqlite3.connect(site.data_dir / "reporting.db") as db:
        db.execute("UPDATE case_events SET body = NULL WHERE event_type = 'case_routed'")
        db.execute("UPDATE case_summaries SET status = 'received'")
    before = summaries(site.data_dir)
    refused = run_cli("reporting", "rebuild", env=site.env)
    assert refused.returncode == 1 and "2 stored event(s) were heard before their bodies were kept" in refused.stderr
    assert summaries(site.data_dir) == before

