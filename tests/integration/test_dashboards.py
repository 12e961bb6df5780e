"""Every panel of the shipped Grafana dashboards, and every variable, answered by a real Prometheus (the
shipped scrape config and rules) scraping a hub and two districts that feed it: each query returns data,
without error (deploy/monitoring/grafana/, docs/operations.md#dashboards)."""
import json
import re
import time

import pytest
import requests
from nameko.standalone.rpc import ServiceRpcProxy

from shared.config import PROJECT_ROOT
from tests.helpers import acting_as, api_for, prom_query, thai_case, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]
BOARDS = PROJECT_ROOT / "deploy" / "monitoring" / "grafana" / "dashboards"
ALL = ".*"   # each variable at "All" (its allValue)
WINDOW = "20s"


def as_grafana_sends(expr):
    """The query with its variables as Grafana fills them: every chosen variable at All, the intervals
    at a window that holds several of this test's one-second scrapes."""
    expr = expr.replace("$__rate_interval", WINDOW).replace("$__interval", WINDOW)
    return re.sub(r"\$\{?(\w+)\}?", ALL, expr)


def answer(base, expr, instant):
    if instant:
        response = requests.get(f"{base}/api/v1/query", params={"query": expr}, timeout=10)
    else:
        now = time.time()
        response = requests.get(f"{base}/api/v1/query_range", timeout=10,
                                params={"query": expr, "start": now - 30, "end": now, "step": "2s"})
    found = response.json()
    if found.get("status") != "success":
        return f"error: {found.get('error')}"
    series = found["data"]["result"]
    if not series or not any(s.get("values") or s.get("value") for s in series):
        return "no data"
    return None


def test_every_dashboard_panel_and_variable_returns_data_from_a_real_prometheus(hub_and_districts, prometheus):
    reporting, districts = hub_and_districts["reporting"], hub_and_districts["districts"]
    kalasin, ratchaburi = districts["KALASIN"], districts["RATCHABURI1"]
    created = [api_for(kalasin).post_case(thai_case()).json() for _ in range(2)]
    api_for(ratchaburi).post_case(thai_case())
    api_for(kalasin).wait_until_routed(created[0])
    with ServiceRpcProxy("routing", kalasin, timeout=10, context_data=acting_as(site="KALASIN")) as routing:
        routing.answer(created[0]["case_id"], "ซ่อมถนนเรียบร้อยแล้ว")   # its resolution clock stops: met

    # the districts' services and the hub's run in this process (one registry: any of their addresses
    # serves them all); the hub's reporting in its own
    base = prometheus([kalasin["WEB_SERVER_ADDRESS"], f"127.0.0.1:{reporting.port}"])
    # (the process's registry may hold other tests' observations too: at least this one; the links'
    # state is read every 15 s, the first time before the fixture linked the sites)
    wait_for(lambda: prom_query(base, 'sum(rongtuk_site_resolved{site="KALASIN",outcome="met"})') == {(): 1.0}
             and prom_query(base, "sum(rongtuk_sla_business_days_to_resolution_count) >= 1")
             and prom_query(base, "count(rongtuk_federation_link_up == 1) >= 4"),
             timeout=60, interval=1, message="the answered case at the hub, in sla's figures and the links up, "
                                             "in Prometheus")
    assert prom_query(base, 'count(up{job="rongtuk"} == 1)') == {(): 2.0}
    time.sleep(5)  # a few scrapes more, for the rates

    failures = []
    for path in sorted(BOARDS.glob("*.json")):
        board = json.loads(path.read_text(encoding="utf-8"))
        for variable in board["templating"]["list"]:
            if variable["type"] != "query":
                continue
            selector, label = re.fullmatch(r"label_values\((.+), *(\w+)\)", variable["definition"]).groups()
            values = requests.get(f"{base}/api/v1/label/{label}/values", timeout=10,
                                  params={"match[]": as_grafana_sends(selector)}).json()
            if values.get("status") != "success" or not values["data"]:
                failures.append((path.name, f"${variable['name']}", "no values"))
        for panel in board["panels"]:
            for target in panel.get("targets", []):
                expr, instant = as_grafana_sends(target["expr"]), target.get("instant", False)
                problem = answer(base, expr, instant)
                for _ in range(10):  # a scrape missed under load leaves an instant query empty for a moment
                    if problem != "no data":
                        break
                    time.sleep(1)
                    problem = answer(base, expr, instant)
                if problem:
                    failures.append((path.name, panel["title"], target["refId"], problem))
    assert failures == [], "\n".join(map(str, failures))
