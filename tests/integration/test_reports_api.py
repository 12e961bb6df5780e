"""GET /api/v1/reports/indicators on a running site: officers only, the period's figures from the
cases the site really handled, and a clear 400 for what it cannot read."""
import requests

from services.reporting.periods import period_of
from shared.times import utcnow
from tests.helpers import run_cli, thai_case, wait_for


def officer_key(site):
    made = run_cli("apikey", "create", "--name", "นิติกร ศูนย์ดำรงธรรม", "--role", "officer", env=site.env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip()


def test_officers_read_the_indicators_of_the_half_and_wrong_questions_get_400(embedded):
    created = [embedded.post_case(thai_case()).json(),
               embedded.post_case(thai_case(channel="hotline", subject="ถนนชำรุด", kind=2)).json()]
    for case in created:
        embedded.wait_until_routed(case)
    key, url = officer_key(embedded), f"{embedded.base}/api/v1/reports/indicators"
    now = period_of(utcnow())
    ask = {"fiscal_year": str(now.fiscal_year), "half": str(now.half)}

    assert requests.get(url, params=ask, timeout=10).status_code == 401

    def counted():
        answer = requests.get(url, params=ask, headers={"X-Api-Key": key}, timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return body if body["counts"]["total"] == 2 else None

    body = wait_for(counted, message="both cases in the figures")
    assert (body["fiscal_year"], body["half"], body["site"]) == (now.fiscal_year, now.half, "HUB")
    assert body["counts"]["by_channel"] == {"web": 1, "hotline": 1}
    shares = {i["id"]: i for i in body["indicators"]}
    assert shares["routed_correctly"] == {"id": "routed_correctly", "numerator": 2, "denominator": 2, "percent": 100.0}
    assert shares["answered"]["denominator"] == 2 and shares["on_time"]["percent"] is None

    for params, says in [({"fiscal_year": "2026"}, "Buddhist Era"), ({"fiscal_year": "2570", "half": "3"}, "half is 1"),
                         ({}, "fiscal_year is required"), ({"fiscal_year": "2570", "site": "NOWHERE"}, "no site")]:
        refused = requests.get(url, params=params, headers={"X-Api-Key": key}, timeout=10)
        assert refused.status_code == 400 and says in refused.json()["message"], (params, refused.text)
