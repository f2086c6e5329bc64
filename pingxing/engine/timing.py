"""Wall time per pipeline stage, kept as data (``Assessment.timings``) for ``bench/``."""

from __future__ import annotations

import time


class Clock:
    """Adds the seconds since the last lap to ``timings[stage]``; does nothing without a dict."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now
