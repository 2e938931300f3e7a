"""Raw HTML written in a Markdown body: its start tags and attributes, each at its offset.

Read the way Python-Markdown will read it (only what it keeps as HTML counts),
so the checks and the link targets agree with the rendered page.
"""

from __future__ import annotations

import re
import textwrap
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown import Markdown

from handbook_build.content.body import Body

# Inside these, HTML parsing follows other rules (SVG, MathML); their insides are not the page's tags.
FOREIGN = frozenset({"svg", "math"})

@dataclass(frozen=True)
class Attribute:
    name: str  # lower case
    value: str | None  # character references decoded, as the browser reads it
    offset: int  # where the name starts in the body text


@dataclass(frozen=True)
class RawTag:
    """A start tag of raw HTML written in a Markdown body."""

    name: str  # lower case
    offset: int  # where '<' is in the body text
    attributes: tuple[Attribute, ...]


def raw_tags(body: Body) -> list[RawTag]:
    """The raw HTML start tags Python-Markdown would pass through from this body (see ``_raw_tags``).

    Kept as long as the body lives: the html and paths checks both read them.
    """
    found = _FOUND.get(body)
    if found is None:
        found = _FOUND[body] = _raw_tags(body)
    return list(found)


_FOUND: weakref.WeakKeyDictionary[Body, tuple[RawTag, ...]] = weakref.WeakKeyDictionary()


def _raw_tags(body: Body) -> tuple[RawTag, ...]:
    """The raw HTML start tags in a body's prose (code and comments are not HTML).

    Only tags Python-Markdown itself would pass through as HTML count: text
    such as ``a <b`` in a sentence or ``<https://...>`` autolinks does not.
    """
    if "<" not in body.prose:
        return ()
    scanner = _TagScanner(body.prose)
    scanner.feed(body.prose)
    scanner.close()
    stashed = _stashed_html(body.prose)
    return tuple(tag for tag, raw in scanner.tags if raw in stashed)


def _stashed_html(text: str) -> str:
    """The raw HTML Python-Markdown keeps as HTML when it renders ``text``.

    Only the blocks holding a tag are rendered, each on its own and dedented (in
    ``prose`` indented code is already blank, so what is left indented goes on
    a list item); of a very long block only the lines, or the stretch of a line,
    around each tag: whether a tag is HTML to Markdown depends on what is near
    it, and Markdown's time grows faster than the length of what it renders.
    """
    md = Markdown()
    found: list[str] = []
    for piece in _pieces(text):
        md.reset()
        md.convert(textwrap.dedent(piece))
        found.extend(str(raw) for raw in md.htmlStash.rawHtmlBlocks)
    return "\n".join(found)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_PIECE = 4096
_AROUND = 300


def _pieces(text: str) -> Iterator[str]:
    for block in _BLANK_LINE.split(text):
        if not _TAG_LIKE.search(block):
            continue
        if len(block) <= _PIECE:
            yield block
            continue
        for line in block.split("\n"):
            if len(line) <= _PIECE:
                if _TAG_LIKE.search(line):
                    yield line
                continue
            start = stop = -1
            for match in _TAG_LIKE.finditer(line):
                close = line.find(">", match.end(), match.end() + _PIECE)
                end = (close if close != -1 else match.end()) + _AROUND
                if start != -1 and match.start() - _AROUND <= stop and end - start <= _PIECE:
                    stop = end  # one stretch for tags close together
                    continue
                if start != -1:
                    yield line[start:stop].lstrip()
                start, stop = max(0, match.start() - _AROUND), end
            if start != -1:
                yield line[start:stop].lstrip()


class _TagScanner(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[tuple[RawTag, str]] = []
        self.foreign = 0  # how deep inside <svg> or <math>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if not raw or any(c in tag for c in ":@."):
            return  # an autolink (<https://...>, <me@example.org>), not an element
        if tag in FOREIGN:
            self.foreign += 1
            if self.foreign > 1:
                return
        elif self.foreign:
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        # A browser keeps the first of two attributes with the same name, and so do we.
        located = {a.name: a for a in reversed(list(_locate(raw, start, attrs)))}
        self.tags.append((RawTag(tag, start, tuple(sorted(located.values(), key=lambda a: a.offset))), raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in FOREIGN:
            self.foreign -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in FOREIGN and self.foreign:
            self.foreign -= 1

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # '<![ x ]>' makes the standard parser raise; it is text to Markdown and to browsers.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return i + 3


def _locate(raw: str, start: int, attrs: list[tuple[str, str | None]]) -> Iterator[Attribute]:
    """Each attribute with the offset of its name, found left to right in the tag's text."""
    lowered = raw.lower()
    pos = lowered.find(" ") if " " in lowered else len(raw)
    for name, value in attrs:
        found = pos
        while True:
            found = lowered.find(name, found)
            if found == -1 or lowered[found - 1] in " \t\n\r\f\"'/":
                break
            found += 1
        if found == -1:
            found = pos
        pos = found + len(name)
        yield Attribute(name, value, start + found)


