"""Telling the person at the terminal how the PDF is coming along.

A bar (rich) when stderr is a terminal; otherwise a few plain lines through
the caller's logger, so CI logs stay readable and nothing redraws.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID


class Progress(Protocol):
    def start(self, total: int, what: str) -> None: ...

    def advance(self, note: str = "") -> None: ...

    def finish(self) -> None: ...


class Quiet:
    def start(self, total: int, what: str) -> None:
        pass

    def advance(self, note: str = "") -> None:
        pass

    def finish(self) -> None:
        pass


class LogLines:
    """One line when it starts and at every quarter."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.total = 0
        self.done = 0
        self.said = 0

    def start(self, total: int, what: str) -> None:
        self.total, self.done, self.said = max(total, 1), 0, 0
        self.log(f"{what}: {total} steps")

    def advance(self, note: str = "") -> None:
        self.done += 1
        quarter = self.done * 4 // self.total
        if quarter > self.said and self.done < self.total:
            self.said = quarter
            self.log(f"PDF {self.done * 100 // self.total}% ({self.done}/{self.total}){': ' + note if note else ''}")

    def finish(self) -> None:
        pass


class Bar:
    """A live bar on stderr; it disappears when done (the caller logs the result)."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self.progress = RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[note]}", style="dim"), TimeElapsedColumn(),
                                     console=Console(file=stream), transient=True)
        self.task: TaskID | None = None

    def start(self, total: int, what: str) -> None:
        self.progress.start()
        self.task = self.progress.add_task(what, total=total, note="")

    def advance(self, note: str = "") -> None:
        if self.task is not None:
            self.progress.update(self.task, advance=1, note=note)

    def finish(self) -> None:
        self.progress.stop()


def for_terminal(log: Callable[[str], None], stream: TextIO | None = None) -> Progress:
    stream = stream if stream is not None else sys.stderr
    return Bar(stream) if stream.isatty() else LogLines(log)
