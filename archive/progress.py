"""A plain progress bar for long management commands (no extra dependency)."""

import sys
import time
from io import TextIOBase
from typing import TextIO


class ProgressBar:
    def __init__(
        self, total: int, *, label: str, stream: TextIO | TextIOBase | None = None
    ) -> None:
        self.total = max(total, 1)
        self.label = label
        # Looked up now, not when this module was imported: sys.stderr may have
        # been replaced since (output captured by a test or a caller).
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.done = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def update(self, done: int) -> None:
        self.done = done
        self._draw()

    def _draw(self) -> None:
        width = 30
        filled = width * min(self.done, self.total) // self.total
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        self.stream.write(
            f"\r{self.label:<24} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:>7}/{self.total} {rate:7.0f}/s {elapsed:6.1f}s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()
