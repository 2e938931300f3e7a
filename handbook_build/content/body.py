"""A guide's Markdown body, with a view in which code cannot be mistaken for prose.

Checks that scan the source (``[[slug]]`` links, images, raw HTML) look at
``prose``: the same text, same length and same line breaks, with fenced code
blocks, inline code spans and HTML comments blanked out. An offset in
``prose`` is an offset in the file, so a problem names the exact line and column.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from handbook_build.problems import Location

_FENCE = re.compile(r"^(?P<indent> {0,3}|[ \t]*)(?P<fence>`{3,}|~{3,})", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")
# As browsers read them: "<!-->" and "<!--->" end at once; "--!>" closes too.
_COMMENT = re.compile(r"<!--(?:-?>|.*?--!?>)", re.DOTALL)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")


@dataclass(frozen=True)
class Body:
    text: str
    path: str  # as shown to the contributor
    first_line: int  # the file line the body starts on

    def location(self, offset: int) -> Location:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return Location(self.path, self.first_line + self.text.count("\n", 0, offset), offset - line_start + 1)

    @cached_property
    def prose(self) -> str:
        chars = list(self.text)
        for start, end in self._code_ranges():
            for i in range(start, end):
                if chars[i] != "\n":
                    chars[i] = " "
        return "".join(chars)

    def _code_ranges(self) -> list[tuple[int, int]]:
        ranges = [(m.start(), m.end()) for m in _COMMENT.finditer(self.text)]
        text = self.text
        pos = 0
        fenced: list[tuple[int, int]] = []
        while True:
            opening = _FENCE.search(text, pos)
            if not opening:
                break
            fence = opening.group("fence")
            closer = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
            line_end = text.find("\n", opening.end())
            if line_end == -1:
                fenced.append((opening.start(), len(text)))
                break
            closing = closer.search(text, line_end + 1)
            end = closing.end() if closing else len(text)  # an unclosed fence runs to the end
            fenced.append((opening.start(), end))
            pos = end
        ranges.extend(fenced)
        ranges.extend(self._indented_code(fenced))
        ranges.extend(self._code_spans(fenced))
        return ranges

    def _indented_code(self, fenced: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Indented code blocks: lines indented by 4 spaces or a tab after a blank line,
        unless they go on with a list item (Markdown reads those as the item's text)."""
        blocks = []
        offset = 0
        previous = ""  # the last non-blank line
        after_blank = True
        in_code = False
        for line in self.text.splitlines(keepends=True):
            start, offset = offset, offset + len(line)
            if not line.strip():
                after_blank = True
                continue
            if _inside(fenced, start):
                in_code = False
            elif line.startswith(("    ", "\t")) and (in_code or (after_blank and not _goes_on_with_list(previous))):
                in_code = True
                blocks.append((start, offset))
            else:
                in_code = False
            previous, after_blank = line, False
        return blocks

    def _code_spans(self, fenced: list[tuple[int, int]]) -> list[tuple[int, int]]:
        spans = []
        text = self.text
        runs = [m for m in _BACKTICKS.finditer(text) if not _inside(fenced, m.start())]
        # A span closes at the next run of the same length: find each one in a single pass from the end.
        next_same: list[int | None] = [None] * len(runs)
        seen: dict[int, int] = {}
        for j in range(len(runs) - 1, -1, -1):
            width = len(runs[j].group())
            next_same[j] = seen.get(width)
            seen[width] = j
        i = 0
        while i < len(runs):
            match = next_same[i]
            if match is None:
                i += 1
                continue
            spans.append((runs[i].start(), runs[match].end()))
            i = match + 1
        return spans


def _inside(ranges: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls in one of ``ranges`` (sorted, not overlapping)."""
    index = bisect.bisect_right(ranges, (position, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= position < ranges[index][1]


def _goes_on_with_list(line: str) -> bool:
    return bool(_LIST_ITEM.match(line)) or line.startswith((" ", "\t"))
