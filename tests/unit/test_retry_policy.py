"""shared/delivery.py RetryPolicy: how often and how long a failed handler is retried."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.delivery import RetryPolicy


def test_defaults():
    policy = RetryPolicy()

    assert (policy.attempts, policy.backoff, policy.max_backoff) == (5, 0.5, 30.0)


def test_delay_doubles_from_backoff():
    policy = RetryPolicy(attempts=5, backoff=0.5, max_backoff=30)

    assert [policy.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0]


def test_delay_caps_at_max_backoff():
    policy = RetryPolicy(attempts=10, backoff=0.5, max_backoff=30)

    assert policy.delay(7) == 30.0  # 32 capped
    assert policy.delay(20) == 30.0


def test_zero_backoff_retries_at_once():
    assert RetryPolicy(backoff=0).delay(4) == 0.0


@pytest.mark.parametrize("attempts, expected", [(0, 1), (-3, 1), (1, 1), (3, 3), ("4", 4), (2.9, 2)])
def test_attempts_is_at_least_one(attempts, expected):
    assert RetryPolicy(attempts=attempts).attempts == expected


def test_from_config_reads_the_handler_retry_section():
    config = {"HANDLER_RETRY": {"attempts": 3, "backoff": 0.25, "max_backoff": 2}}

    policy = RetryPolicy.from_config(config)

    assert (policy.attempts, policy.backoff, policy.max_backoff) == (3, 0.25, 2.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.25, 0.5, 1.0, 2.0]


@pytest.mark.parametrize("config", [{}, {"HANDLER_RETRY": None}, {"HANDLER_RETRY": {}},
                                    {"HANDLER_RETRY": {"attempts": None, "backoff": None}}])
def test_from_config_falls_back_to_defaults(config):
    policy = RetryPolicy.from_config(config)

    assert (policy.attempts, policy.backoff, policy.max_backoff) == (5, 0.5, 30.0)


def test_from_config_fills_in_missing_keys():
    policy = RetryPolicy.from_config({"HANDLER_RETRY": {"backoff": 2}})

    assert (policy.attempts, policy.backoff, policy.max_backoff) == (5, 2.0, 30.0)


def test_from_config_with_zero_attempts_still_tries_once():
    assert RetryPolicy.from_config({"HANDLER_RETRY": {"attempts": 0}}).attempts == 1


def test_from_config_accepts_strings_from_the_environment():
    policy = RetryPolicy.from_config({"HANDLER_RETRY": {"attempts": "7", "backoff": "1.5", "max_backoff": "10"}})

    assert (policy.attempts, policy.backoff, policy.max_backoff) == (7, 1.5, 10.0)


@given(st.floats(min_value=0, max_value=60), st.floats(min_value=0, max_value=3600),
       st.integers(min_value=1, max_value=64))
def test_delay_grows_and_never_exceeds_the_cap(backoff, max_backoff, attempt):
    policy = RetryPolicy(attempts=100, backoff=backoff, max_backoff=max_backoff)

    assert 0 <= policy.delay(attempt) <= max_backoff
    assert policy.delay(attempt) <= policy.delay(attempt + 1)
    assert policy.delay(attempt) == min(backoff * 2 ** (attempt - 1), max_backoff)
