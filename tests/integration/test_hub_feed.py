"""The hub sees every district: two districts feed their case events to the hub, which folds them
into its figures and nothing else, learns nothing personal, finds a gap and has it filled, and
loses or doubles nothing through a cut link and a killed reporting process (docs/hub.md)."""
import os
import signal
import time

from io import BytesIO

import pytest
import requests
import sqlalchemy as sa
from nameko.standalone.rpc import ServiceRpcProxy
from openpyxl import load_workbook

from services.intake.identity import national_id_checksum
from services.reporting.periods import period_of
from shared.times import utcnow
from tests.helpers import acting_as, api_for, connected, metric_value, run_cli, wait_for, write_config

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]
FEED_QUEUE = "rongtuk.feed--reporting.on_feed"
CUT_SECONDS = float(os.environ.get("RONGTUK_TEST_CUT_SECONDS", "60"))

ID12 = "110170012345"
CANARIES = {  # what a complainant gave or wrote at a district; none of it may reach the hub
    "name": "นางสาวนกแก้ว ขมิ้นทอง", "phone": "0897771234", "email": "nokkaew.canary@example.org",
    "address": "55/5 ซอยนกแก้วขมิ้น หมู่ 9", "national_id": ID12 + str(national_id_checksum(ID12)),
    "description": "ข้อความนกแก้วขมิ้นทองสำหรับทดสอบ", "answer": "คำตอบนกแก้วขมิ้นทองของหน่วยงาน",
}
SEARCHED = [*CANARIES.values(), "7771234", "นกแก้วขมิ้น"]


def _rows(config, service, sql, **params):
    with connected(config, service) as conn:
        return conn.execute(sa.text(sql), params).all()


def officer_key(hub, tmp_path):
    env = {**os.environ, "RONGTUK_CONFIG": str(write_config(hub, tmp_path / "hub.yml"))}
    made = run_cli("apikey", "create", "--name", "ศูนย์ 1111", "--role", "officer", env=env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip(), env


def indicators(reporting, key, site):
    now = period_of(utcnow())
    answer = requests.get(f"http://127.0.0.1:{reporting.port}/api/v1/reports/indicators", timeout=10,
                          headers={"X-Api-Key": key}, params={"fiscal_year": now.fiscal_year, "site": site})
    assert answer.status_code == 200, answer.text
    return answer.json()


def post_cases(config, count, **canaries):
    api = api_for(config)
    created = []
    for n in range(count):
        body = {"channel": ("web", "hotline", "letter")[n % 3], "kind": 2, "subject": f"ถนนชำรุดหมู่ {n}",
                "description": f"ถนนในหมู่บ้านเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย ({n})"}
        if canaries:
            body.update(description=canaries["description"], complainant={
                k: canaries[k] for k in ("name", "phone", "email", "national_id", "address")},
                location={"province": "กาฬสินธุ์", "address": canaries["address"]})
        answer = api.post_case(body)
        assert answer.status_code == 201, answer.text
        created.append(answer.json())
    return created


def feed_numbers(config):
    """The district's own feed, as numbered: [(seq, event_id)]."""
    return [tuple(r) for r in _rows(config, "reporting", "SELECT seq, event_id FROM feed_events ORDER BY seq")]


def check_counts(hub, site, district):
    """lost, duplicated and gaps of a site's feed at the hub against the district's own numbers; the
    figures of every case of the site equal at both."""
    sent = dict(feed_numbers(district))
    got = _rows(hub, "reporting", "SELECT seq, event_id FROM feed_received WHERE site_id = :s", s=site)
    folded = _rows(hub, "reporting", "SELECT event_id, count(*) FROM case_events WHERE event_id = ANY(:ids) "
                                     "GROUP BY event_id", ids=list(sent.values()))
    lost = len(set(sent) - {seq for seq, _ in got})
    duplicated = sum(n - 1 for _, n in folded) + sum(1 for seq, event_id in got if sent.get(seq) != event_id)
    gaps = _rows(hub, "reporting", "SELECT greatest(highest, announced) - contiguous_to FROM feed_sites WHERE site_id = :s", s=site)
    return lost, duplicated, (gaps[0][0] if gaps else None)


FIGURES = ("case_id", "site_id", "channel", "kind", "unit_id", "rerouted", "info_requested", "answered_by_unit",
           "resolution_due_at", "first_notice_due_at", "warnings", "breaches", "result_documents", "reopened")


def same_figures(hub, site, district):
    columns = ", ".join(FIGURES)
    there = sorted(_rows(district, "reporting", f"SELECT {columns} FROM case_figures"))
    here = sorted(_rows(hub, "reporting", f"SELECT {columns} FROM case_figures WHERE site_id = :s", s=site))
    return there == here


def settled(hub, site, district):
    """Every event of the district's feed folded at the hub, without a gap."""
    if _rows(district, "reporting", "SELECT count(*) FROM feed_events WHERE published_at IS NULL")[0][0]:
        return False
    return check_counts(hub, site, district) == (0, 0, 0) and same_figures(hub, site, district)


def test_the_hub_folds_every_districts_feed_and_nothing_personal_reaches_it(hub_and_districts, tmp_path, caplog):
    hub, reporting, districts = hub_and_districts["hub"], hub_and_districts["reporting"], hub_and_districts["districts"]
    kalasin, ratchaburi = districts["KALASIN"], districts["RATCHABURI1"]
    key, hub_env = officer_key(hub, tmp_path)

    at_kalasin = post_cases(kalasin, 2) + post_cases(kalasin, 1, **CANARIES)
    post_cases(ratchaburi, 2)
    wait_for(lambda: all(_rows(kalasin, "routing", "SELECT count(*) FROM assignments WHERE case_id = :c",
                               c=c["case_id"])[0][0] for c in at_kalasin), timeout=30, message="KALASIN routing")
    with ServiceRpcProxy("routing", kalasin, timeout=10, context_data=acting_as(
            name="นายสมชาย (กลุ่มบริหารงานบุคคล)", site="KALASIN")) as routing:
        routing.answer(at_kalasin[-1]["case_id"], CANARIES["answer"])

    wait_for(lambda: settled(hub, "KALASIN", kalasin) and settled(hub, "RATCHABURI1", ratchaburi), timeout=60,
             interval=0.3, message="both districts' feeds folded at the hub")
    by_site = {site: indicators(reporting, key, site) for site in ("KALASIN", "RATCHABURI1", "*")}
    assert by_site["KALASIN"]["counts"]["total"] == 3 and by_site["RATCHABURI1"]["counts"]["total"] == 2
    assert by_site["KALASIN"]["counts"]["by_channel"] == {"web": 2, "hotline": 1}
    assert by_site["*"]["counts"]["total"] == 5
    answered = {i["id"]: (i["numerator"], i["denominator"]) for i in by_site["KALASIN"]["indicators"]}["answered"]
    assert answered == (1, 3)
    assert [(s["site_id"], s["total"]) for s in by_site["*"]["sites"]] == [("KALASIN", 3), ("RATCHABURI1", 2)]
    for site in by_site["*"]["sites"]:  # each row of the table per site is that site's own figures
        assert site["indicators"] == by_site[site["site_id"]]["indicators"]
    book = requests.get(f"http://127.0.0.1:{reporting.port}/api/v1/reports/fiscal-year.xlsx", headers={"X-Api-Key": key},
                        params={"fiscal_year": period_of(utcnow()).fiscal_year, "site": "*"}, timeout=30)
    assert book.status_code == 200, book.text
    rows = list(load_workbook(BytesIO(book.content))["รายสำนักงาน"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [("KALASIN", 3), ("RATCHABURI1", 2)]

    # the hub's metrics carry each district as a `site` label
    def scraped():  # the metrics are read at most every few seconds: the last read may be older
        text = requests.get(f"http://127.0.0.1:{reporting.port}/metrics", timeout=10).text
        return text if metric_value(text, "rongtuk_site_cases", site="KALASIN") == 3 else None
    metrics = wait_for(scraped, timeout=20, interval=0.5, message="the hub's metrics of KALASIN")
    assert metric_value(metrics, "rongtuk_site_cases", site="RATCHABURI1") == 2
    assert metric_value(metrics, "rongtuk_feed_missing_events", site="KALASIN") == 0
    assert metric_value(metrics, "rongtuk_feed_lag_seconds", site="RATCHABURI1") >= 0
    assert metric_value(metrics, "rongtuk_site_open_clocks", site="KALASIN", target="resolution") == 2
    met = _rows(hub, "reporting", "SELECT count(*) FROM case_figures WHERE site_id = 'KALASIN' AND "
                                  "resolution_outcome = 'met' AND received_at >= now() - interval '30 days'")[0][0]
    assert metric_value(metrics, "rongtuk_site_resolved", site="KALASIN", outcome="met") == met
    assert not [c for c in SEARCHED if c in metrics]
    # and the federation links that bring each district's events, as the broker tells them (read every 15 s)
    links = [(upstream, exchange) for upstream in ("kalasin", "ratchaburi") for exchange in ("rongtuk.feed",
                                                                                               "rongtuk.sites")]

    def links_shown():
        text = requests.get(f"http://127.0.0.1:{reporting.port}/metrics", timeout=10).text
        return text if all(metric_value(text, "rongtuk_federation_link_up", upstream=upstream, exchange=exchange)
                           == 1 for upstream, exchange in links) else None
    metrics = wait_for(links_shown, timeout=40, interval=1, message="the hub's four links running on its /metrics")
    assert metric_value(metrics, "rongtuk_federation_links_known") == 1

    # the hub routed, timed and told no one about any of them
    for service, table in (("routing", "assignments"), ("sla", "clocks"), ("notify", "deliveries"),
                           ("intake", "cases")):
        assert _rows(hub, service, f"SELECT count(*) FROM {table}")[0][0] == 0, table

    # nothing the complainant gave or wrote, and no answer, in any table of any hub database or its logs
    found = []
    for service in ("intake", "routing", "sla", "notify", "reporting"):
        with connected(hub, service) as conn:
            tables = conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
            for table in tables:
                for (row,) in conn.execute(sa.text(f'SELECT CAST(t AS text) FROM "{table}" t')):
                    found += [(service, table, canary) for canary in SEARCHED if canary in row]
    assert found == []
    hub_log = reporting.logs[-1].read_text()
    assert not [c for c in SEARCHED if c in hub_log]

    # a gap made at the hub (the hub's queue emptied while its reporting is stopped) is seen and filled
    reporting.process.send_signal(signal.SIGSTOP)
    try:
        before = len(feed_numbers(kalasin))
        post_cases(kalasin, 3)
        wait_for(lambda: len(feed_numbers(kalasin)) >= before + 3 * 4 and not _rows(
            kalasin, "reporting", "SELECT count(*) FROM feed_events WHERE published_at IS NULL")[0][0],
            timeout=30, message="the new cases' events published at KALASIN")
        time.sleep(0.5)
        purged = requests.delete(f"http://127.0.0.1:15672/api/queues/{requests.utils.quote(hub_and_districts['hub_vhost'], safe='')}"
                                 f"/{FEED_QUEUE}/contents", auth=("guest", "guest"), timeout=5)
        assert purged.status_code == 204, purged.text
    finally:
        reporting.process.send_signal(signal.SIGCONT)

    def gap_shown():
        shown = run_cli("sites", "feed", "--site", "KALASIN", env=hub_env)
        assert shown.returncode == 0, shown.stderr
        return shown.stdout if "gaps: none" not in shown.stdout else None
    shown = wait_for(gap_shown, timeout=20, interval=0.5, message="`rongtuk sites feed` to show the gap")
    print(shown)
    assert "KALASIN" in shown and "gaps: " in shown
    asked = run_cli("sites", "feed", "--ask", env=hub_env)
    assert asked.returncode == 0 and "asked KALASIN for " in asked.stdout, asked.stdout + asked.stderr
    wait_for(lambda: settled(hub, "KALASIN", kalasin), timeout=30, interval=0.3, message="the gap filled by a replay")
    assert "gaps: none" in run_cli("sites", "feed", env=hub_env).stdout


def test_nothing_is_lost_or_doubled_through_a_cut_link_and_a_killed_hub(hub_and_districts, tmp_path):
    hub, reporting, districts = hub_and_districts["hub"], hub_and_districts["reporting"], hub_and_districts["districts"]
    kalasin, proxy = districts["KALASIN"], hub_and_districts["proxy"]

    post_cases(kalasin, 5)
    wait_for(lambda: settled(hub, "KALASIN", kalasin), timeout=60, interval=0.3, message="the first cases at the hub")

    # the link to KALASIN is cut while it takes 200 cases; KALASIN keeps working and keeps its feed
    proxy.cut()
    cut_at = time.monotonic()
    post_cases(kalasin, 200)
    held = len(feed_numbers(kalasin))

    def link_up(upstream):
        text = requests.get(f"http://127.0.0.1:{reporting.port}/metrics", timeout=10).text
        return metric_value(text, "rongtuk_federation_link_up", upstream=upstream, exchange="rongtuk.feed")
    # the cut shows on the hub's /metrics (read every 15 s at most) while the other district's link runs
    wait_for(lambda: link_up("kalasin") == 0, timeout=max(40.0, CUT_SECONDS - (time.monotonic() - cut_at)),
             interval=1, message="the cut link shown down")
    assert link_up("ratchaburi") == 1
    time.sleep(max(0.0, CUT_SECONDS - (time.monotonic() - cut_at)))
    assert not settled(hub, "KALASIN", kalasin)  # the hub really was cut off
    proxy.restore()
    wait_for(lambda: settled(hub, "KALASIN", kalasin), timeout=120, interval=0.5,
             message="KALASIN's feed at the hub after the link came back")
    wait_for(lambda: link_up("kalasin") == 1, timeout=30, interval=1, message="the link shown up again")
    lost, duplicated, gaps = check_counts(hub, "KALASIN", kalasin)
    print(f"link cut {CUT_SECONDS:.0f}s, {held} events: lost={lost} duplicated={duplicated} gaps={gaps}")
    assert (lost, duplicated, gaps) == (0, 0, 0)

    # the hub's reporting killed with SIGKILL while it folds a batch, then started again
    post_cases(kalasin, 60)
    wait_for(lambda: _rows(hub, "reporting", "SELECT count(*) FROM feed_received WHERE site_id = 'KALASIN'")[0][0]
             > held + 20, timeout=60, interval=0.05, message="the hub folding the batch")
    reporting.process.send_signal(signal.SIGKILL)
    reporting.process.wait()
    reporting.start()
    wait_for(lambda: settled(hub, "KALASIN", kalasin), timeout=120, interval=0.5,
             message="KALASIN's feed at the hub after its reporting was killed")
    lost, duplicated, gaps = check_counts(hub, "KALASIN", kalasin)
    print(f"hub reporting killed mid-batch, {len(feed_numbers(kalasin))} events: "
          f"lost={lost} duplicated={duplicated} gaps={gaps}")
    assert (lost, duplicated, gaps) == (0, 0, 0)
