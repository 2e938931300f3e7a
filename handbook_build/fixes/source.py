"""A file's text as the fixers see it, and the edits they make, back to the file's own bytes.

The checks read text with '\\n' line endings and no byte-order mark; the file
may have '\\r\\n' and a BOM. ``Text`` keeps the raw text and maps every offset in
the '\\n' text back to it, so an edit touches exactly its span and nothing else.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    start: int  # offsets in Text.text ('\n' line endings)
    end: int
    replacement: str  # with '\n' line endings
    what: str  # one line for the contributor: what was changed
    line: int  # 1-based, in the file


@dataclass(frozen=True)
class Change:
    shown: str  # the file, as shown
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.shown}:{self.line}: fixed: {self.what}"


@dataclass(frozen=True)
class Text:
    raw: str  # the file's text as it is on disk (decoded)
    text: str  # '\n' line endings, no BOM: what the checks read
    newline: str  # the line ending an inserted line gets
    _shifts: tuple[int, ...]  # offsets in ``text`` after which the raw text has one more character

    @classmethod
    def read(cls, data: bytes) -> Text | None:
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        shifts: list[int] = []
        out: list[str] = []
        index = 0
        if raw.startswith("\ufeff"):
            shifts.append(0)
            index = 1
        while index < len(raw):
            char = raw[index]
            if char == "\r":
                if raw.startswith("\r\n", index):
                    shifts.append(len(out) + 1)  # the '\r' before this '\n' is not in text
                    index += 1
                out.append("\n")
            else:
                out.append(char)
            index += 1
        newline = "\r\n" if "\r\n" in raw else "\n"
        return cls(raw, "".join(out), newline, tuple(shifts))

    def raw_offset(self, offset: int) -> int:
        return offset + bisect.bisect_right(self._shifts, offset)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


def apply_edits(text: Text, edits: list[Edit], shown: str) -> tuple[bytes, tuple[Change, ...]]:
    """The file's new bytes with every edit made (overlapping edits: the first wins)."""
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and edit.start < chosen[-1].end:
            continue
        chosen.append(edit)
    out: list[str] = []
    last = 0
    for edit in chosen:
        start, end = text.raw_offset(edit.start), text.raw_offset(edit.end)
        if edit.start == edit.end:
            end = start
        out.append(text.raw[last:start])
        out.append(edit.replacement.replace("\n", text.newline))
        last = end
    out.append(text.raw[last:])
    return "".join(out).encode("utf-8"), tuple(Change(shown, e.line, e.what) for e in chosen)




def body_start(text: str) -> int:
    """Where the body starts in the '\\n' text: after the closing front-matter fence, or 0."""
    from handbook_build.content.source import CLOSERS, FENCE

    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return 0
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        offset += len(line) + 1
        if line.rstrip() in CLOSERS:
            return min(offset, len(text))
    return len(text)
