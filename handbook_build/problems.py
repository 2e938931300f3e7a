"""Problems: what is wrong with the content, where, and how to fix it.

A problem is a value, never an exception: every check returns them so that a
contributor sees all of them in one run.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    severity: Severity
    message: str
    hint: str | None = None
    code: str = field(default="content", compare=False)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def error(location: Location, message: str, hint: str | None = None, code: str = "content") -> Problem:
    return Problem(location, Severity.ERROR, message, hint, code)


def warning(location: Location, message: str, hint: str | None = None, code: str = "content") -> Problem:
    return Problem(location, Severity.WARNING, message, hint, code)


def did_you_mean(value: object, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint naming the nearest choices, or None."""
    if not isinstance(value, str):
        return None
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    scored = sorted(((difflib.SequenceMatcher(None, value.lower(), c).ratio(), c) for c in lowered), reverse=True)
    if not scored or scored[0][0] < 0.6:
        return None
    # Name the runners-up only when they are nearly as close as the best match.
    matches = [c for score, c in scored[:3] if score >= max(0.6, scored[0][0] - 0.08)]
    quoted = [f"'{lowered[m]}'" for m in matches]
    if len(quoted) == 1:
        return f"did you mean {quoted[0]}?"
    return f"did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def one_of(choices: Iterable[str]) -> str:
    return "use one of: " + ", ".join(str(c) for c in choices)


class ProblemList:
    """An ordered collection of problems, sorted for stable output."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._items: list[Problem] = list(problems)

    def add(self, problem: Problem) -> None:
        self._items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self._items), key=_sort_key)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.WARNING]

    def for_path(self, path: str) -> list[Problem]:
        return [p for p in self.sorted() if p.location.path == path]


def _sort_key(p: Problem) -> tuple:
    loc = p.location
    return (loc.path, loc.line or 0, loc.column or 0, p.severity != Severity.ERROR, p.message)


# -- output formats ---------------------------------------------------------


def format_text(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def _github_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's lines."""
    lines = []
    for p in problems:
        props = [f"file={_github_escape(p.location.path, prop=True)}"]
        if p.location.line is not None:
            props.append(f"line={p.location.line}")
        if p.location.column is not None:
            props.append(f"col={p.location.column}")
        message = f"{p.message} ({p.hint})" if p.hint else p.message
        lines.append(f"::{p.severity.value} {','.join(props)}::{_github_escape(message)}")
    return "\n".join(lines)


def format_json(problems: Iterable[Problem]) -> str:
    rows = []
    for p in problems:
        row = asdict(p.location) | {"severity": p.severity.value, "message": p.message, "hint": p.hint, "code": p.code}
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


# -- as stored in the caches (kept.py) ---------------------------------------------


def to_rows(problems: Iterable[Problem]) -> list[list[Any]]:
    """Problems as plain JSON rows, file, line and column kept."""
    return [[p.location.path, p.location.line, p.location.column, p.severity.value, p.message, p.hint, p.code] for p in problems]


def from_rows(rows: object) -> list[Problem]:
    """``to_rows`` read back; TypeError or ValueError for anything else (a damaged cache entry)."""
    if not isinstance(rows, list):
        raise TypeError("not a list of problems")
    problems = []
    for path, line, column, severity, message, hint, code in rows:
        if not (isinstance(path, str) and isinstance(message, str) and isinstance(code, str) and _number(line)
                and _number(column) and (hint is None or isinstance(hint, str))):
            raise TypeError("not a problem")
        problems.append(Problem(Location(path, line, column), Severity(severity), message, hint, code))
    return problems


def _number(value: object) -> bool:
    return value is None or type(value) is int
