"""Repeat complaints: the same complainant, similar words, within 30 days; and disputes of a result.

Text similarity is the Dice coefficient of character trigrams of the NFC, space-free text, which
suits Thai (written without spaces between words) as well as English.
"""
from dataclasses import dataclass
from datetime import timedelta

from services.intake.status import CLOSED_STATUSES
from shared import thai

REPEAT_WINDOW = timedelta(days=30)
SIMILAR = 0.55
DISPUTE_REOPEN_WINDOW = timedelta(days=90)


def _trigrams(text):
    squashed = thai.squashed(text)
    return {squashed[i:i + 3] for i in range(max(len(squashed) - 2, 1))} if squashed else set()


def similarity(a: str, b: str) -> float:
    """0 (nothing shared) to 1 (the same text)."""
    ta, tb = _trigrams(a), _trigrams(b)
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


@dataclass(frozen=True)
class Earlier:
    case_id: str
    tracking_number: str
    received_at: object
    text: str


def find_repeat(text, received_at, earlier_cases):
    """The most similar earlier case of the same complainant within the window, or None."""
    best, best_score = None, SIMILAR
    for case in earlier_cases:
        if received_at - case.received_at > REPEAT_WINDOW or case.received_at > received_at:
            continue
        score = similarity(text, case.text)
        if score >= best_score:
            best, best_score = case, score
    return best


def dispute_action(disputed_status, closed_at, now):
    """What a dispute of a case's result does: reopen a recently closed case, else link a new one."""
    if disputed_status in CLOSED_STATUSES and closed_at is not None and now - closed_at <= DISPUTE_REOPEN_WINDOW:
        return "reopen"
    return "link"
