"""Reading one Markdown file: bytes to text to front matter and body.

MkDocs' own front-matter reader swallows YAML errors, and python-frontmatter
raises on them; we split the file ourselves so every mistake becomes a
problem with a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from handbook_build.content import located_yaml
from handbook_build.content.located_yaml import LocatedData
from handbook_build.problems import Location, Problem, error

MAX_FILE_BYTES = 256 * 1024  # a long guide is ~10 KB; Markdown's time grows fast with size
MAX_FRONT_MATTER_BYTES = 32 * 1024
# Python-Markdown (and the HTML parser under it) slows down with the square of the
# text on many tags, or on tags and comments that never close: a body past these
# limits is refused instead of rendered, so a hostile file cannot stall a build.
MAX_TAGS = 1000
MAX_UNCLOSED = 20
MAX_TAG_CHARS = 2000  # a '<' with no '>' this far on does not close
_TAG_START = re.compile(r"<(?:[A-Za-z/?]|!(--)?)")
FENCE = "---"
CLOSERS = ("---", "...")


@dataclass
class SourceFile:
    """A Markdown file split into its front matter and body."""

    path: str  # as shown to the contributor, e.g. content/tactics/x.md
    meta: LocatedData | None
    body: str
    body_line: int  # the file line on which the body starts (1-based)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with a BOM removed and line endings made '\\n'."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                Location(path, line, column),
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                "save the file as UTF-8 in your editor",
                code="encoding",
            )
        ]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [error(Location(path, line), "the file contains a NUL character", "save it as plain UTF-8 text", code="encoding")]
    return text, []


def read(file: Path, shown_as: str) -> tuple[SourceFile | None, list[Problem]]:
    raw, problems = read_bytes(file, shown_as)
    return (None, problems) if raw is None else parse(raw, shown_as)


def read_bytes(file: Path, shown_as: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, unless it is too large or cannot be read (content/cache.py hashes them)."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                error(
                    Location(shown_as, 1),
                    f"the file is {size // 1024} KB; a guide may be at most {MAX_FILE_BYTES // 1024} KB",
                    "split it into several guides, or move large data out of the text",
                    code="size",
                )
            ]
        return file.read_bytes(), []
    except OSError as exc:
        return None, [error(Location(shown_as), f"cannot read the file: {exc.strerror}", code="io")]


def parse(raw: bytes, path: str) -> tuple[SourceFile | None, list[Problem]]:
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    return split(text, path)


def split(text: str, path: str) -> tuple[SourceFile | None, list[Problem]]:
    if not text.strip():
        return None, [
            error(Location(path, 1), "the file is empty", "start it with front matter between two '---' lines", code="front-matter")
        ]
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        hazards = body_hazards(text, path, 1)
        return (None if hazards else SourceFile(path, None, text, 1)), hazards + [
            error(
                Location(path, 1, 1),
                "the file does not start with front matter",
                "put '---' on the first line, the fields below it, and '---' again to close",
                code="front-matter",
            )
        ]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSERS:
            break
    else:
        return None, [
            error(
                Location(path, 1, 1),
                "the front matter is never closed",
                "add a line with only '---' after the last field",
                code="front-matter",
            )
        ]
    yaml_text = "\n".join(lines[1:index])
    body = "\n".join(lines[index + 1 :])
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        return None, [
            error(
                Location(path, 1),
                f"the front matter is longer than {MAX_FRONT_MATTER_BYTES // 1024} KB",
                "keep the fields short and move long text into the body",
                code="size",
            )
        ]
    meta, problems = located_yaml.load(yaml_text, path, line_offset=1)
    if meta is not None:
        meta.start = located_yaml.Mark(1, 1)
    hazards = body_hazards(body, path, index + 2)
    if hazards:
        return None, problems + hazards
    return SourceFile(path, meta, body, index + 2), problems


def body_hazards(body: str, path: str, first_line: int) -> list[Problem]:
    """Too many HTML tags, or too many that never close: one problem, found in linear time."""
    last_comment_end = body.rfind("-->")
    tags = unclosed = 0
    for match in _TAG_START.finditer(body):
        tags += 1
        if match.group(1):  # <!--: closed by any later -->
            never = match.start() > last_comment_end - 4
        else:
            never = body.find(">", match.end(), match.end() + MAX_TAG_CHARS) == -1
        unclosed += never
        if tags > MAX_TAGS or unclosed > MAX_UNCLOSED:
            line = first_line + body.count("\n", 0, match.start())
            column = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
            if tags > MAX_TAGS:
                message = f"the text has more than {MAX_TAGS} HTML tags"
                hint = "write it in Markdown: a guide needs little or no HTML"
            else:
                message = f"more than {MAX_UNCLOSED} HTML tags or comments in the text are never closed"
                hint = "close each tag with '>' and each comment with '-->', or write '&lt;' for a '<' that starts no tag"
            return [error(Location(path, line, column), message, hint, code="size")]
    return []
