"""services/intake/status.py without a database: a case's statuses as intake records them, which
close a case, and when a dispute reopens one."""
from datetime import datetime, timezone

import pytest

from services.intake import duplicates, open311
from services.intake import status as case_status
from services.intake.exceptions import CaseStatusError

OPEN = [s for s in case_status.STATUSES if s not in case_status.CLOSED_STATUSES]


def test_every_status_is_named_once_and_the_closed_ones_are_among_them():
    assert len(set(case_status.STATUSES)) == len(case_status.STATUSES) == 8
    assert set(case_status.CLOSED_STATUSES) < set(case_status.STATUSES)
    assert set(case_status.CLOSED_STATUSES) == {"closed", "answered_from_kb", "answered"}


def test_case_routed_moves_on_only_a_case_not_yet_routed():
    assert set(case_status.ROUTABLE) == {case_status.RECEIVED, case_status.REOPENED}
    assert case_status.ROUTED not in case_status.ROUTABLE
    assert not set(case_status.ROUTABLE) & set(case_status.CLOSED_STATUSES)


@pytest.mark.parametrize("status", case_status.CLOSED_STATUSES)
def test_a_closed_case_is_closed_everywhere_it_is_shown_and_a_dispute_reopens_it(status):
    assert case_status.closes(status)
    assert open311.open_or_closed(status) == "closed"
    assert case_status.reopen(status) == case_status.REOPENED


@pytest.mark.parametrize("status", OPEN)
def test_an_open_case_is_not_reopened(status):
    assert not case_status.closes(status)
    assert open311.open_or_closed(status) == "open"
    with pytest.raises(CaseStatusError, match=f"that is {status} is not closed"):
        case_status.reopen(status)


@pytest.mark.parametrize("status", case_status.STATUSES)
def test_a_dispute_within_its_window_reopens_exactly_the_cases_the_status_says_may_reopen(status):
    closed_at = datetime(2026, 11, 2, tzinfo=timezone.utc)
    action = duplicates.dispute_action(status, closed_at, closed_at + duplicates.DISPUTE_REOPEN_WINDOW)
    assert action == ("reopen" if case_status.closes(status) else "link")
