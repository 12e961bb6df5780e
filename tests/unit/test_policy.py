"""The one authorization policy (shared/policy.py), every role × action × relation × confidentiality,
and the page that writes it out (docs/security.md#who-may-do-what)."""
import itertools
from pathlib import Path

import pytest

from shared import policy
from shared.policy import ALLOW, APPROVAL, DENY, decide

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ROUTING_ACTIONS = ("confirm", "reroute", "change_kind", "request_info", "info_received", "unit_status",
                   "assign_units", "forward", "answer")


def test_the_docs_print_exactly_what_the_module_decides():
    assert policy.markdown_table() in DOCS.read_text(encoding="utf-8")


def test_every_question_has_one_answer_and_nobody_acts_on_another_sites_case():
    for role, action, relation, secret in itertools.product(policy.ROLES, policy.CASE_ACTIONS, policy.RELATIONS,
                                                            (False, True)):
        answer = decide(role, action, relation, secret, kind=3)
        assert answer in (ALLOW, DENY, APPROVAL)
        if relation == "other_site":
            assert answer == DENY, (role, action)
    for role, action in itertools.product(policy.ROLES, policy.SITE_ACTIONS):
        assert decide(role, action) in (ALLOW, DENY)


@pytest.mark.parametrize("role", ["unit_officer", "unit_head"])
def test_a_unit_works_its_own_cases_and_not_another_units(role):
    for action in ("read_case", "reroute", "answer", "request_info", "unit_status", "reveal_identity"):
        assert decide(role, action, "own_unit") == ALLOW, action
        assert decide(role, action, "other_unit") == DENY, action
        assert decide(role, action, "other_unit", confidential=True) == DENY, action


def test_a_confidential_complainant_is_seen_only_with_a_second_persons_approval():
    for role in ("unit_officer", "unit_head", "director", "officer_key"):
        assert decide(role, "reveal_identity", "own_unit", confidential=True) == APPROVAL, role
        assert decide(role, "reveal_identity", "own_unit") == ALLOW, role
    assert decide("committee", "reveal_identity", "own_unit", True, kind=4) == APPROVAL
    approvers = {role for role in policy.ROLES if decide(role, "approve_reveal", "own_unit", True, kind=3) == ALLOW}
    assert approvers == {"unit_head", "director", "committee"}  # people, never a script or the asker's peers
    for role in ("intake_officer", "executive", "admin", "client_key"):
        for relation in policy.RELATIONS:
            assert decide(role, "reveal_identity", relation, True) == DENY


def test_executives_and_admins_read_no_case_and_act_on_none():
    for role, action, relation, secret in itertools.product(("executive", "admin"), policy.CASE_ACTIONS,
                                                            policy.RELATIONS, (False, True)):
        assert decide(role, action, relation, secret) == DENY
    assert decide("executive", "read_figures") == ALLOW and decide("executive", "manage_users") == DENY
    assert all(decide("admin", a) == ALLOW for a in ("manage_users", "manage_directory", "manage_calendar",
                                                     "manage_knowledge"))
    assert decide("admin", "read_figures") == DENY


def test_intake_officers_record_and_read_only_what_they_recorded():
    assert decide("intake_officer", "record_case") == ALLOW
    assert decide("intake_officer", "read_case", "own_record") == ALLOW
    assert decide("intake_officer", "read_case", "own_record", confidential=True) == DENY
    assert decide("intake_officer", "read_case", "other_unit") == DENY
    assert all(decide("intake_officer", a, "own_record") == DENY for a in ROUTING_ACTIONS)


def test_the_committee_acts_on_grave_cases_only():
    assert decide("committee", "read_case", "other_unit", kind=3) == ALLOW
    assert decide("committee", "change_kind", "own_unit", kind=4) == ALLOW
    for kind in (1, 2, None):
        assert decide("committee", "read_case", "other_unit", kind=kind) == DENY
    assert decide("committee", "answer", "own_unit", kind=4) == DENY  # it oversees; units answer


def test_machines_do_what_machines_may():
    assert decide("client_key", "record_case") == ALLOW
    assert all(decide("client_key", a, r) == DENY for a in policy.CASE_ACTIONS for r in policy.RELATIONS)
    assert decide("officer_key", "answer", "other_unit") == ALLOW  # site-wide, as officer keys were
    assert decide("officer_key", "approve_reveal", "own_unit", True) == DENY
    assert decide("officer_key", "manage_users") == DENY


def test_a_question_the_policy_has_no_answer_for_is_a_fault():
    with pytest.raises(policy.PolicyError, match="no role"):
        decide("superuser", "read_case", "own_unit")
    with pytest.raises(policy.PolicyError, match="no action"):
        decide("director", "delete_case", "own_unit")
    with pytest.raises(policy.PolicyError, match="relation"):
        decide("director", "answer")


@pytest.mark.parametrize("case_site,case_units,recorded_by,expected", [
    ("KALASIN", ["roads"], "somchai", "other_site"),
    ("HUB", ["roads", "water"], "somchai", "own_unit"),
    ("HUB", ["parks"], "somchai", "own_record"),
    ("HUB", ["parks"], "malee", "other_unit"),
    ("HUB", [], None, "other_unit"),
])
def test_how_a_case_stands_to_someone(case_site, case_units, recorded_by, expected):
    assert policy.relation_of(case_site, case_units, recorded_by, "HUB", ["water"], "somchai") == expected


ROUTING_ACTIONS = ("confirm", "reroute", "change_kind", "request_info", "info_received", "unit_status",
                   "assign_units", "forward", "answer")


@pytest.mark.parametrize("role", policy.ROLES)
def test_routing_needs_neither_who_recorded_a_case_nor_whether_it_is_confidential(role):
    """services/routing/access.py judges its actions without either, which only intake knows."""
    for action in ROUTING_ACTIONS:
        for secret in (False, True):
            recorded, other = (policy.TABLE[(role, action, relation, secret)] for relation in ("own_record", "other_unit"))
            assert recorded == other
        for relation in policy.RELATIONS:
            assert policy.TABLE[(role, action, relation, False)] == policy.TABLE[(role, action, relation, True)]


@pytest.mark.parametrize("reason, good", [
    ("x", False), ("ok", False), ("ดู", False), ("ขอดูข้อมูล", False), ("aaaaaaaaaaaaaaaaaaaa", False),
    ("see it", False), ("call the complainant back", True), ("ติดต่อกลับเพื่อสอบถามข้อเท็จจริง", True),
    ("โทรสอบถามข้อเท็จจริงเพิ่มเติม", True), ("", False), (None, False),
])
def test_a_reason_for_a_look_at_who_complained_takes_a_few_words(reason, good):
    assert (policy.reason_problem(reason) is None) == good
