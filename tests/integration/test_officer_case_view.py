"""An officer reads a confidential case over HTTP with their key, on a running site (`rongtuk run`):
the complainant's page, timeline and clocks included, and nothing of who complained."""
import requests

from services.intake.identity import national_id_checksum
from services import SERVICE_NAMES
from tests.helpers import run_cli

ID12 = "110370207183"
NATIONAL_ID = ID12 + str(national_id_checksum(ID12))
COMPLAINANT = {"name": "นายประเสริฐ วงศ์สวัสดิ์", "national_id": NATIONAL_ID, "phone": "081-555-0199",
               "email": "prasert.w@example.org", "address": "7/1 หมู่ 3 ตำบลหนองบัว อำเภอเมือง จังหวัดกาฬสินธุ์"}
TRACES = ["ประเสริฐ", "วงศ์สวัสดิ์", NATIONAL_ID, "0815550199", "+66815550199", "815550199", "081-555-0199",
          "prasert.w", "example.org", "หนองบัว"]


def officer_key(site, role="officer"):
    made = run_cli("apikey", "create", "--name", f"นิติกร ศูนย์ดำรงธรรม ({role})", "--role", role, env=site.env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip()


def test_an_officer_reads_a_confidential_case_with_timeline_and_clocks_but_not_the_complainant(embedded):
    response = embedded.post_case({
        "channel": "hotline", "category": "misconduct", "subject": "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต",
        "description": "เจ้าหน้าที่ฝ่ายโยธาเรียกเงิน 5,000 บาทเพื่อเร่งออกใบอนุญาตก่อสร้าง ขอให้ตรวจสอบ",
        "complainant": COMPLAINANT})
    assert response.status_code == 201
    created = response.json()
    embedded.wait_until_routed(created)
    url = f"{embedded.base}/api/v1/cases/{created['tracking_number']}"

    shown = requests.get(url, headers={"X-Api-Key": officer_key(embedded)}, timeout=10)
    assert shown.status_code == 200, shown.text
    case = shown.json()
    complainants_view = embedded.get_case(created["tracking_number"], created["access_code"]).json()
    assert set(case) == set(complainants_view)
    assert (case["tracking_number"], case["status"], case["category"], case["kind"]) == (
        created["tracking_number"], "routed", "misconduct", 3)
    assert case["unit"] and case["deadline"]
    assert set(SERVICE_NAMES) <= {entry["service"] for entry in case["timeline"]}
    assert "resolution" in {clock["target"] for clock in case["clocks"]}
    assert [trace for trace in TRACES if trace in shown.text] == []

    assert requests.get(url, headers={"X-Api-Key": "rtk_not-a-key"}, timeout=10).status_code == 403
    assert requests.get(url, headers={"X-Api-Key": officer_key(embedded, "client")}, timeout=10).status_code == 403
    assert requests.get(url, timeout=10).status_code == 404
