"""Guessing tracking numbers and access codes is throttled: failed look-ups per client, per window."""
import time
from collections import defaultdict, deque


class Throttle:
    def __init__(self, limit=10, window=600.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures = defaultdict(deque)

    def _recent(self, client):
        failures, now = self._failures[client], self.clock()
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked_for(self, client):
        """Seconds the client must wait, or 0."""
        failures = self._recent(client)
        if len(failures) < self.limit:
            return 0
        return max(1, int(self.window - (self.clock() - failures[0])) + 1)

    def failed(self, client):
        self._recent(client).append(self.clock())
        if len(self._failures) > 100_000:  # bounded memory: forget clients with nothing recent
            for key in [k for k, v in self._failures.items() if not v]:
                del self._failures[key]
