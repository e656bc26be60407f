"""The circuit breaker: stop sending to a model after consecutive failures, probe again after a cooldown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

# ── small parts ─────────────────────────────────────────────────────────────────────────────


class CircuitBreaker:
    """Stop sending to a model after ``threshold`` consecutive failures; probe again after a cooldown.

    Half-open admits one probe per cooldown: its success closes the breaker, its failure re-opens it,
    and a probe that never reports (cancelled) simply allows another after the next cooldown.
    """

    def __init__(self, threshold: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self.failures = 0
        self.state: Literal["closed", "open", "half_open"] = "closed"
        self._since = 0.0

    def allow(self) -> bool:
        """Whether a request may go to the model now."""
        if self.state == "closed":
            return True
        now = self._clock()
        if now - self._since >= self.cooldown_s:
            self.state = "half_open"
            self._since = now
            return True
        return False

    def success(self) -> None:
        self.state = "closed"
        self.failures = 0

    def failure(self) -> None:
        self.failures += 1
        if self.state == "half_open" or self.failures >= self.threshold:
            self.state = "open"
            self._since = self._clock()
