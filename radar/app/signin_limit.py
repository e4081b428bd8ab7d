"""Count failed sign-ins and refuse further tries for a while: pure, the clock is passed in.

Each try costs a full PBKDF2 run (about 0.14 s of CPU), so without a limit the sign-in
form is both a password-guessing oracle and a cheap way to load the server. Failures are
counted per user name (whichever session tries it) and per browser session (whichever
names it tries); MAX_FAILURES within WINDOW_SECONDS on either key refuses further tries,
without hashing, until the oldest of them is WINDOW_SECONDS old. A success clears both.
The price: someone who knows a user name can keep that user out for a window; the log of
refused tries is the place to notice it.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
MAX_KEYS = 10_000  # names probed at random must not grow memory without bound


def name_key(name: str) -> str:
    """The counter for a user name, as sign-in matches it (surrounding spaces ignored)."""
    return "name:" + name.strip()


def session_key(session: str) -> str:
    """The counter for one browser session."""
    return "session:" + session


class SignInLimit:
    """Failed tries per key in a sliding window; safe to share between Streamlit sessions."""

    def __init__(
        self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS,
        max_keys: int = MAX_KEYS,
    ) -> None:  # fmt: skip
        self.max_failures = max_failures
        self.window = window
        self.max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, keys: Iterable[str], now: float) -> float:
        """How long before any of ``keys`` may try again (0: a try is allowed now)."""
        with self._lock:
            waits = [self._wait(key, now) for key in keys]
        return max(waits, default=0.0)

    def wait_minutes(self, keys: Iterable[str], now: float) -> int:
        """The wait rounded up to whole minutes, as the message shows it (0: allowed)."""
        return math.ceil(self.wait_seconds(keys, now) / 60)

    def failed(self, keys: Iterable[str], now: float) -> None:
        """Record one failed try against each key."""
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=self.max_failures)).append(now)
            if len(self._failures) > self.max_keys:
                self._forget(now)

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password: earlier failures of these keys no longer count."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _wait(self, key: str, now: float) -> float:
        times = self._failures.get(key)
        if not times or len(times) < self.max_failures:
            return 0.0
        return max(0.0, times[0] + self.window - now)

    def _forget(self, now: float) -> None:
        """Drop keys with no failure inside the window, then the least recent ones."""
        for key in [k for k, times in self._failures.items() if times[-1] + self.window <= now]:
            del self._failures[key]
        if len(self._failures) > self.max_keys:
            oldest = sorted(self._failures, key=lambda k: self._failures[k][-1])
            for key in oldest[: len(self._failures) - self.max_keys]:
                del self._failures[key]
