"""The authorization matrix: every role x every officer action (and the reads) x each way a case can
stand to the officer (their unit's, recorded by them, another unit's, another site's) x ordinary or
confidential, through the JSON API with real logins and through the RPCs directly with the acting
officer in the call's context. Each is allowed or denied exactly as shared/policy.py (printed in
docs/security.md#who-may-do-what) says, and a denied call changes nothing.

The five services run embedded, in this process. An allowed action that changes a case gets a case
of its own, prepared in the state the action needs; the denied ones all try the same few cases,
whose state is compared before and after each call.
"""
import itertools

import pytest
import requests
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.intake import accounts, apikeys
from services.intake.models import cases as intake_cases
from services.intake.models import identity_access_log, identity_requests
from services.intake.service import IntakeService
from services.notify.service import NotifyService
from services.reporting.service import ReportingService
from services.routing import service as routing_service
from services.routing.models import actions as routing_actions
from services.routing.models import assignments, case_units
from services.routing.service import RoutingService
from services.sla.service import SlaService
from shared import policy
from shared.actors import Actor
from shared.store import outbox
from tests.helpers import acting_as, wait_for

UNIT_A, UNIT_B, UNIT_C = "projects-funds", "admin-rules", "inspection"
KNOWN_UNITS = {UNIT_A, UNIT_B, UNIT_C}
PASSWORD = "lantern-orchid-viaduct-42"
REASON = "ติดต่อกลับเพื่อสอบถามข้อเท็จจริงเพิ่มเติม"
UNIT_ROLES = ("unit_officer", "unit_head")
RECORDERS = tuple(r for r in policy.PEOPLE if policy.decide(r, "record_case") == policy.ALLOW)
CHANGING = ("confirm", "reroute", "change_kind", "request_info", "info_received", "unit_status", "assign_units",
            "forward", "answer")

# the JSON API of each case action: (method, path after the case, body); unit_status's unit is the case's
API = {
    "read_case": ("GET", "", None),
    "confirm": ("POST", "/routing/confirm", {}),
    "reroute": ("POST", "/routing/reroute", {"unit_id": UNIT_C, "reason": "งานของกลุ่มตรวจสอบภายใน"}),
    "change_kind": ("POST", "/routing/change-kind", {"kind": 4, "reason": "เป็นเรื่องร้องเรียนร้ายแรง"}),
    "request_info": ("POST", "/routing/request-info", {"question": "ขอภาพถ่ายและวันเวลาที่เกิดเหตุ"}),
    "info_received": ("POST", "/routing/info-received", {}),
    "unit_status": ("POST", "/routing/unit-status", {"status": "in_progress", "note": "กำลังตรวจสอบ"}),
    "assign_units": ("POST", "/routing/assign-units", {"unit_ids": [UNIT_C], "reason": "ร่วมตรวจสอบ"}),
    "forward": ("POST", "/routing/forward", {"to_site": "KALASIN", "reason": "อยู่ในอำนาจของจังหวัด"}),
    "answer": ("POST", "/routing/answer", {"answer": "ได้ตรวจสอบและดำเนินการแก้ไขแล้ว"}),
    "reveal_identity": ("POST", "/complainant", {"reason": REASON}),
}


class Site:
    """Five services in this process on the embedded default; cases made and looked at."""

    def __init__(self, config, store_of):
        self.config = config
        self.base = f"http://{config['WEB_SERVER_ADDRESS']}"
        self.intake, self.routing = store_of("intake"), store_of("routing")
        self.desk = self.intake.run(apikeys.create, "intake desk", "officer")["key"]
        self.serial = itertools.count(1)
        self.director = ServiceRpcProxy("routing", config, timeout=15, context_data=acting_as(name="setup director"))
        self.rpc = self.director.start()

    def close(self):
        self.director.stop()

    # -- cases ----------------------------------------------------------------------------------

    def new_case(self, confidential, unit, headers=None, kind=3):
        """A case of `kind` with a complainant, led by `unit`, recorded with `headers` (the desk's key by
        default): (case id, tracking number), once routing has it and intake knows its unit."""
        n = next(self.serial)
        made = requests.post(f"{self.base}/api/v1/cases", timeout=15, headers=headers or {"X-Api-Key": self.desk},
                             json={"channel": "counter", "kind": kind, "confidential": confidential,
                                   "subject": f"เรื่องร้องเรียนที่ {n}",
                                   "description": f"ขอให้ตรวจสอบการดำเนินงานโครงการ เรื่องที่ {n} ในหมู่ 4",
                                   "complainant": {"name": f"นายผู้ร้อง ทดสอบ{n}", "phone": "0812345678"}})
        assert made.status_code == 201, made.text
        created = made.json()
        return created["case_id"], created["tracking_number"], unit

    def settle(self, made):
        """Wait for routing to have each case and move it to its unit; then for intake to know the unit."""
        for case_id, _, unit in made:
            lead = wait_for(lambda: self.lead(case_id), message="the case routed")
            if lead != unit:
                self.rpc.reroute(case_id, unit, "ให้หน่วยงานที่รับผิดชอบ")
        for case_id, _, unit in made:
            wait_for(lambda: self.intake_unit(case_id) == unit, message="intake told the case's unit")
        return made

    def lead(self, case_id):
        with self.routing.reading() as session:
            return session.execute(select(assignments.c.unit_id).where(assignments.c.case_id == case_id)).scalar()

    def intake_unit(self, case_id):
        with self.intake.reading() as session:
            return session.execute(select(intake_cases.c.unit_id).where(intake_cases.c.id == case_id)).scalar()

    def state(self, case_id):
        """Everything an officer's action could change about the case (the audit log aside)."""
        with self.routing.reading() as routing, self.intake.reading() as intake:
            return (
                tuple(routing.execute(select(assignments.c.unit_id, assignments.c.status, assignments.c.kind)
                                      .where(assignments.c.case_id == case_id)).one()),
                sorted(tuple(r) for r in routing.execute(select(case_units.c.unit_id, case_units.c.role,
                                                                case_units.c.status)
                                                         .where(case_units.c.case_id == case_id)).all()),
                routing.execute(select(func.count()).select_from(routing_actions)
                                .where(routing_actions.c.case_id == case_id)).scalar(),
                routing.execute(select(func.count()).select_from(outbox).where(outbox.c.case_id == case_id)).scalar(),
                tuple(intake.execute(select(intake_cases.c.status, intake_cases.c.unit_id, intake_cases.c.kind,
                                            intake_cases.c.result).where(intake_cases.c.id == case_id)).one()),
                intake.execute(select(func.count()).select_from(identity_requests)
                               .where(identity_requests.c.case_id == case_id)).scalar(),
                intake.execute(select(func.count()).select_from(identity_access_log)
                               .where(identity_access_log.c.case_id == case_id)).scalar(),
            )

    def prepare(self, action, case_id):
        """Put a case in the state `action` needs: info_received needs a question first."""
        if action == "info_received":
            self.rpc.request_info(case_id, "ขอเอกสารเพิ่มเติม")

    def request_to_see(self, case_id, unit):
        """A waiting request to see a confidential case's complainant, by an officer of its unit."""
        who = acting_as("unit_officer", name=f"requester {next(self.serial)}", units=[unit])
        with ServiceRpcProxy("intake", self.config, timeout=15, context_data=who) as intake:
            asked = intake.reveal_identity(case_id, REASON)
        assert asked["state"] == "requested"
        return asked["request"]["id"]


@pytest.fixture
def site(runner_factory, embedded_config, store_of, monkeypatch):
    # the embedded broker links to no other site; here forwarding is judged as if it did (what a forward
    # is and sends is tests/integration/test_sites.py's)
    monkeypatch.setattr(routing_service, "sites_linked", lambda config: True)
    runner = runner_factory(embedded_config, IntakeService, RoutingService, SlaService, NotifyService,
                            ReportingService)
    runner.start()
    made = Site(embedded_config, store_of)
    yield made
    made.close()


def people(site):
    """An account per role of this site (unit roles: of UNIT_A) and per role of another site; each logged
    in: {(role, site): headers}. And the machines: an officer's script key and a client app's key."""
    logins = {}
    for role, where in itertools.product(policy.PEOPLE, ("HUB", "OTHER")):
        username = f"{role.replace('_', '-')}-{where.lower()}"
        site.intake.run(accounts.create, username, role, [UNIT_A] if role in UNIT_ROLES else [], where, PASSWORD,
                        KNOWN_UNITS)
        answer = requests.post(f"{site.base}/api/v1/session", json={"username": username, "password": PASSWORD},
                               timeout=15)
        assert answer.status_code == 201, answer.text
        logins[(role, where)] = {"Authorization": f"Bearer {answer.json()['token']}"}
    logins[("officer_key", "HUB")] = {"X-Api-Key": site.intake.run(apikeys.create, "script", "officer")["key"]}
    logins[("client_key", "HUB")] = {"X-Api-Key": site.intake.run(apikeys.create, "traffy", "client")["key"]}
    return logins


def cells():
    """(role, action, relation, confidential) for every case action the API offers."""
    return itertools.product(policy.ROLES, list(API) + ["approve_reveal"], policy.RELATIONS, (False, True))


def reachable(role, relation, api=True):
    """Whether a case can stand so to an officer of `role`: only unit officers and heads have units of their
    own, only those who record cases have cases of their own record, and keys are of this site."""
    if relation == "own_unit":
        return role in UNIT_ROLES or not api
    if relation == "own_record":
        return role in RECORDERS or role == "officer_key" or not api
    if relation == "other_site":
        return role in policy.PEOPLE or not api
    return True


def test_every_role_action_and_case_through_the_json_api(site):
    logins = people(site)
    # the cases the denied calls all try: of UNIT_A (own unit of HUB's unit roles) and of UNIT_B
    shared = site.settle([site.new_case(secret, unit) for secret in (False, True) for unit in (UNIT_A, UNIT_B)])
    by = {(secret, unit): (case_id, number) for (case_id, number, unit), secret in
          zip(shared, (False, False, True, True))}
    own_records = {}  # (role, confidential): a case the role's HUB account recorded, of UNIT_B
    for role in (*RECORDERS, "officer_key"):
        for secret in (False, True):
            own_records[(role, secret)] = site.new_case(secret, UNIT_B, logins[(role, "HUB")])
    site.settle(list(own_records.values()))

    def target(role, relation, secret):
        """(headers, case id, number) for the cell: whose call, on which case."""
        where = "OTHER" if relation == "other_site" else "HUB"
        if relation == "own_record":
            case_id, number, _ = own_records[(role, secret)]
        else:
            case_id, number = by[(secret, UNIT_A if relation in ("own_unit", "other_site") or role not in UNIT_ROLES
                                  else UNIT_B)]
        return logins[(role, where)], case_id, number

    plan = []  # (cell, expected, whose headers, the shared case or None for a case of its own)
    for role, action, relation, secret in cells():
        if not reachable(role, relation) or (action == "approve_reveal" and not secret):
            continue  # a request to approve waits only on a confidential case
        headers, case_id, number = target(role, relation, secret)
        expected = policy.decide(role, action, relation, secret, kind=3)
        if role == "client_key":
            expected = policy.DENY  # a client app's key is for Open311: the JSON API takes officers' keys only
        if expected == policy.ALLOW and action in CHANGING + ("approve_reveal",):
            # a case of its own, as the cell's relation has it, in the state the action needs
            unit = UNIT_A if relation in ("own_unit", "other_site") or role not in UNIT_ROLES else UNIT_B
            recorder = logins[(role, "HUB")] if relation == "own_record" else None
            plan.append(((role, action, relation, secret), expected, headers, site.new_case(secret, unit, recorder)))
        else:
            plan.append(((role, action, relation, secret), expected, headers, (case_id, number, None)))
    site.settle([case for *_, case in plan if case[2] is not None])  # routed together, not one by one
    for (_, action, _, _), _, _, (case_id, _, unit) in plan:
        if unit is not None:
            site.prepare(action, case_id)

    checked = {policy.ALLOW: 0, policy.DENY: 0, policy.APPROVAL: 0}
    for (role, action, relation, secret), expected, headers, (case_id, number, _) in plan:
        before = site.state(case_id)
        cell = f"{role} {action} {relation} {'confidential' if secret else 'ordinary'}"
        if action == "approve_reveal":
            request_id = site.request_to_see(case_id, site.lead(case_id))
            before = site.state(case_id)
            answer = requests.post(f"{site.base}/api/v1/identity-requests/{request_id}/approve",
                                   json={"note": "อนุมัติเพื่อสอบข้อเท็จจริง"}, headers=headers, timeout=15)
        else:
            method, path, body = API[action]
            if action == "unit_status":
                body = {**body, "unit_id": site.lead(case_id)}
            answer = requests.request(method, f"{site.base}/api/v1/cases/{number}{path}", json=body,
                                      headers=headers, timeout=15)
        checked[expected] += 1
        if expected == policy.DENY:
            assert answer.status_code == 403, f"{cell}: {answer.status_code} {answer.text}"
            assert site.state(case_id) == before, f"{cell}: a denied call changed the case"
        elif expected == policy.APPROVAL:
            assert answer.status_code == 202 and answer.json()["status"] == "waiting_for_approval", cell
            assert "identity" not in answer.json(), cell
        else:
            assert answer.status_code == 200, f"{cell}: {answer.status_code} {answer.text}"
            if action == "reveal_identity":
                assert answer.json()["identity"]["phone"], cell
            elif action == "approve_reveal":
                assert answer.json()["status"] == "approved", cell
            elif action != "read_case":
                assert site.state(case_id) != before, f"{cell}: allowed, but nothing changed"
    assert checked[policy.DENY] > 300 and checked[policy.ALLOW] > 60 and checked[policy.APPROVAL] > 5

    # site-wide actions: recording a case, reading the figures
    for (role, where), headers in logins.items():
        recorded = requests.post(f"{site.base}/api/v1/cases", headers=headers, timeout=15, json={
            "channel": "letter", "subject": "ขอซ่อมถนน", "description": "ถนนชำรุดหน้าโรงเรียนบ้านหนองบัว"})
        may_record = policy.decide(role, "record_case") == policy.ALLOW and role != "client_key"
        assert recorded.status_code == (201 if may_record else 403), (role, where, recorded.text)
        figures = requests.get(f"{site.base}/api/v1/reports/indicators?fiscal_year=2570", headers=headers, timeout=15)
        assert figures.status_code == (200 if policy.decide(role, "read_figures") == policy.ALLOW else 403), (
            role, where, figures.text)


def test_every_role_and_routing_action_through_the_rpcs_directly(site):
    """routing refuses what its policy denies whoever calls it: the acting officer comes in the call's
    context, and with no one acting nothing is done."""
    shared = {unit: site.settle([site.new_case(False, unit)])[0] for unit in (UNIT_A, UNIT_B)}
    args = {"confirm": (), "reroute": (UNIT_C, "งานของกลุ่มตรวจสอบภายใน"), "change_kind": (4, "เรื่องร้ายแรง"),
            "request_info": ("ขอภาพถ่ายเพิ่มเติม",), "info_received": (), "assign_units": ([UNIT_C], "ร่วมตรวจสอบ"),
            "forward": ("KALASIN", "อยู่ในอำนาจของจังหวัด"), "answer": ("ดำเนินการแก้ไขแล้ว",)}
    method = {"unit_status": "set_unit_status"}
    plan = []
    for role, action, relation in itertools.product(policy.ROLES, CHANGING, policy.RELATIONS):
        # routing judges without who recorded the case or whether it is confidential (tests/unit/test_policy.py)
        expected = policy.decide(role, action, relation, False, kind=3)
        unit = UNIT_B if relation in ("own_record", "other_unit") else UNIT_A
        own = site.new_case(False, unit) if expected == policy.ALLOW else None  # a case of its own
        plan.append((role, action, relation, expected, own or shared[unit]))
    site.settle([case for *_, case in plan if case not in shared.values()])
    for role, action, relation, expected, case in plan:
        if expected == policy.ALLOW:
            site.prepare(action, case[0])

    checked = {policy.ALLOW: 0, policy.DENY: 0}
    for role, action, relation, expected, (case_id, _, _) in plan:
        actor = Actor(name=f"{role} officer", role=role, site_id="OTHER" if relation == "other_site" else "HUB",
                      units=[UNIT_A], kind="key" if role.endswith("_key") else "person")
        call_args = args[action] if action in args else (site.lead(case_id), "in_progress")
        before = site.state(case_id)
        with ServiceRpcProxy("routing", site.config, timeout=15, context_data=actor.context()) as routing:
            call = getattr(routing, method.get(action, action))
            cell = f"{role} {action} {relation}"
            checked[expected] += 1
            if expected == policy.DENY:
                with pytest.raises(RemoteError) as refused:
                    call(case_id, *call_args)
                assert refused.value.exc_type == "Forbidden", cell
                assert site.state(case_id) == before, f"{cell}: a denied call changed the case"
            else:
                call(case_id, *call_args)
                assert site.state(case_id) != before, cell
    assert checked[policy.DENY] > 200 and checked[policy.ALLOW] > 40

    with ServiceRpcProxy("routing", site.config, timeout=15) as nobody:  # no one acting: nothing done
        case_id = shared[UNIT_A][0]
        before = site.state(case_id)
        with pytest.raises(RemoteError) as refused:
            nobody.reroute(case_id, UNIT_C, "ไม่มีผู้ดำเนินการ")
        assert refused.value.exc_type == "Forbidden" and site.state(case_id) == before

    # who complained, through intake's RPC: allowed, only after approval, or denied, as the policy says
    secret_case = site.settle([site.new_case(True, UNIT_A)])[0][0]
    plain_case = shared[UNIT_A][0]
    for role, relation, secret in itertools.product(policy.ROLES, policy.RELATIONS, (False, True)):
        case_id = secret_case if secret else plain_case
        name = "intake desk" if relation == "own_record" else f"{role} {relation}"
        units = [UNIT_A] if relation == "own_unit" else [UNIT_B] if role in UNIT_ROLES else []
        actor = Actor(name=name, role=role, site_id="OTHER" if relation == "other_site" else "HUB", units=units,
                      kind="key" if role.endswith("_key") else "person")
        expected = policy.decide(role, "reveal_identity", relation, secret, kind=3)
        with ServiceRpcProxy("intake", site.config, timeout=15, context_data=actor.context()) as intake:
            cell = f"{role} reveal {relation} {secret}"
            if expected == policy.DENY:
                before = site.state(case_id)
                with pytest.raises(RemoteError) as refused:
                    intake.reveal_identity(case_id, REASON)
                assert refused.value.exc_type == "Forbidden" and site.state(case_id) == before, cell
            else:
                asked = intake.reveal_identity(case_id, REASON)
                assert asked["state"] == ("shown" if expected == policy.ALLOW else "requested"), cell
                assert bool(asked["identity"]) == (expected == policy.ALLOW), cell
