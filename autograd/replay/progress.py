"""A one-line progress report on standard error for a long chunked replay, shown only on a terminal.
"""

from __future__ import annotations

import sys
import time


class Progress:
    """A one-line progress report on standard error, shown only where someone can see it."""

    def __init__(self, what: str, total: int, enabled: bool | None) -> None:
        stream = sys.stderr
        if enabled is None:
            enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.stream, self.what, self.total, self.enabled = stream, what, total, enabled
        self.start = time.perf_counter()
        self.shown = False

    def __enter__(self) -> "Progress":
        return self

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        seconds = time.perf_counter() - self.start
        line = f"\r{self.what}: {done:,}/{self.total:,} samples ({100 * done / self.total:.0f}%), {seconds:.1f} s"
        self.stream.write(line)
        self.stream.flush()
        self.shown = True

    def __exit__(self, *exc) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
