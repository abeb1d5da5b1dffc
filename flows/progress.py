"""What a run is doing, as it happens, on stderr so piped output stays clean: a bar on a terminal,
plain lines at most every few seconds otherwise (cron, `| tee`), and the same lines in the run's
own log (`log`, which the Prefect UI shows)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

Log = Callable[[str], None]


@cache
def _console():
    from rich.console import Console

    return Console(stderr=True)


def say(message: str, log: Log | None = None) -> None:
    """One line about what the run is doing now, on the terminal or not."""
    print(f"wirehouse: {message}", file=sys.stderr, flush=True)
    if log:
        log(message)


class Progress:
    """Files counted through a stage. `update` may come from another thread (`follow`)."""

    def __init__(self, what: str, total: int, log: Log | None, every: float, terminal: bool, clock: Callable[[], float]):
        self.what, self.total, self.done = what, total, 0
        self._log, self._every, self._terminal, self._clock = log, every, terminal, clock
        self._started = self._last_line = clock()
        self._lock = threading.Lock()
        self._bar = self._task = None
        self._stop = threading.Event()
        self._follower: threading.Thread | None = None

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def update(self, done: int) -> None:
        with self._lock:
            done = min(self.total, done)
            if done <= self.done:
                return
            self.done = done
            if self._bar is not None:
                self._bar.update(self._task, completed=done)
            now = self._clock()
            if done < self.total and now - self._last_line >= self._every:
                self._last_line = now
                self._line(f"{self.what}: {done}/{self.total} ({100 * done // self.total}%), {now - self._started:.0f}s elapsed")

    def follow(self, count: Callable[[], int], seconds: float = 0.5) -> None:
        """Polls `count()` (files finished, as other processes report them) until the stage ends."""

        def poll() -> None:
            while not self._stop.wait(seconds):
                self.update(count())

        self._follower = threading.Thread(target=poll, name="wirehouse-progress", daemon=True)
        self._follower.start()

    def _line(self, text: str) -> None:
        if not self._terminal:
            print(f"wirehouse: {text}", file=sys.stderr, flush=True)
        if self._log:
            self._log(text)

    def _start(self) -> None:
        if self._terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
            self._bar = Bar(*columns, console=_console(), transient=False)
            self._task = self._bar.add_task(self.what, total=self.total)
            self._bar.start()

    def _end(self, finished: bool) -> None:
        self._stop.set()
        if self._follower is not None:
            self._follower.join()
        if self._bar is not None:
            self._bar.stop()
        if finished:
            self._line(f"{self.what}: {self.done}/{self.total} ({100 * self.done // self.total}%) in {self._clock() - self._started:.0f}s")


@contextmanager
def progress(
    what: str, total: int, log: Log | None = None, every: float = 5.0, terminal: bool | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Progress]:  # fmt: skip
    """Yields the stage's `Progress`; a line every `every` seconds at most while files finish
    (none when nothing did), and a last one when the stage ends. Quiet when there is nothing to do."""
    if total == 0:  # nothing to count: no bar, no lines
        yield Progress(what, total, None, every, True, clock)
        return
    counter = Progress(what, total, log, every, _console().is_terminal if terminal is None else terminal, clock)
    counter._start()
    finished = False
    try:
        yield counter
        finished = True
    finally:
        counter._end(finished)
