"""HTML checkbox lists -> Markdown task lists: ``<input type="checkbox"> Item`` -> ``- [ ] Item``.

Recognised, each alone or as a run of several separated only by white space:

- ``<div ...><input type="checkbox" ...><label ...>Item</label></div>`` (Open Source Guides' shape);
- ``<label><input type="checkbox"> Item</label>`` and ``<input type="checkbox"><label>Item</label>``;
- a ``<ul>`` whose every ``<li>`` holds one of these or ``<input type="checkbox"> Item``;
- a line ``<input type="checkbox"> Item`` (optionally ending in ``<br>``).

A run is rewritten only when it fills its lines, every tag carries only
attributes that say nothing a reader sees (id, class, for, name, value,
type, checked, disabled, style), and each item's words fit on one line
(white space inside HTML text is one space). ``checked`` becomes ``[x]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from handbook_build.content.body import Body
from handbook_build.fixes.source import Edit, Text, body_start
from handbook_build.hrefs import ATTRIBUTE

_HARMLESS = frozenset({"id", "class", "for", "name", "value", "type", "checked", "disabled", "style"})
_TAG_ATTRS = r"[^<>]*"
_INPUT = rf"<input\b(?P<{{n}}>{_TAG_ATTRS})/?>"
# The item's words: text and inline tags, but no block, list, label or field tags, and no blank line.
_WORDS = r"(?:[^<>\n]|\n(?![ \t]*\n)|<(?!/?(?:input|label|div|li|ul|ol|p|br|h[1-6]|table|blockquote|pre)\b)[^<>]*>)*?"
_LINE_WORDS = r"(?:[^<>\n]|<(?!/?(?:input|label|div|li|ul|ol|p|br)\b)[^<>]*>)+?"


def _item(prefix: str) -> str:
    """One checkbox item, with its groups named after ``prefix``."""
    p = prefix
    return (
        rf"(?:<label\b(?P<{p}l1>{_TAG_ATTRS})>\s*{_INPUT.format(n=p + 'i1')}(?P<{p}t1>{_WORDS})</label>"
        rf"|{_INPUT.format(n=p + 'i2')}\s*<label\b(?P<{p}l2>{_TAG_ATTRS})>(?P<{p}t2>{_WORDS})</label>)"
    )


_UNIT = re.compile(
    r"(?P<div><div\b(?P<dattrs>" + _TAG_ATTRS + r")>\s*" + _item("d") + r"\s*</div>)"
    r"|(?P<list><ul\b(?P<uattrs>" + _TAG_ATTRS + r")>(?P<items>(?:\s*<li\b[^<>]*>(?:(?!</?(?:ul|ol|li)\b)[\s\S])*?</li>)+)\s*</ul>)"
    r"|(?P<pair>" + _item("p") + r")"
    r"|(?P<line>" + _INPUT.format(n="li") + r"[ \t]*(?P<lt>" + _LINE_WORDS + r")[ \t]*(?:<br\s*/?>)?[ \t]*(?=\n|$))",
    re.IGNORECASE,
)
_LI = re.compile(r"<li\b(?P<attrs>[^<>]*)>\s*(?P<inner>.*?)\s*</li>", re.IGNORECASE | re.DOTALL)
_ITEM = re.compile(r"^(?:" + _item("q") + r"|" + _INPUT.format(n="qi3") + r"(?P<qt3>" + _WORDS + r"))$", re.IGNORECASE)
_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9]*)\b(?P<attrs>[^<>]*)>")


def fix(text: Text) -> Iterator[Edit]:
    start = body_start(text.text)
    body = Body(text.text[start:], "", 1)
    prose = body.prose
    if "<input" not in prose.lower():
        return
    run: list[tuple[int, int, list[tuple[bool, str]]]] = []
    for match in _UNIT.finditer(prose):
        items = _items(match)
        if items is None:
            if run:
                yield from _edit(text, start, prose, run)
            run = []
            continue
        if run and prose[run[-1][1]:match.start()].strip():
            yield from _edit(text, start, prose, run)
            run = []
        run.append((match.start(), match.end(), items))
    if run:
        yield from _edit(text, start, prose, run)


def _items(match: re.Match[str]) -> list[tuple[bool, str]] | None:
    """(checked, words) for each item of a unit, or None when anything in it is not sure."""
    if match.group("list") is not None:
        if not _harmless(match.group("uattrs")):
            return None
        found = []
        for li in _LI.finditer(match.group("items")):
            inner = _ITEM.match(li.group("inner"))
            if inner is None or not _harmless(li.group("attrs")):
                return None
            item = _one(inner, "q", extra=("qi3", "qt3"))
            if item is None:
                return None
            found.append(item)
        return found or None
    if match.group("div") is not None:
        if not _harmless(match.group("dattrs")):
            return None
        item = _one(match, "d")
    elif match.group("pair") is not None:
        item = _one(match, "p")
    else:
        item = _checkbox(match.group("li"), match.group("lt"), None)
    return None if item is None else [item]


def _one(match: re.Match[str], p: str, extra: tuple[str, str] | None = None) -> tuple[bool, str] | None:
    for number in ("1", "2"):
        if match.group(p + "i" + number) is not None:
            return _checkbox(match.group(p + "i" + number), match.group(p + "t" + number), match.group(p + "l" + number))
    if extra is not None and match.group(extra[0]) is not None:
        return _checkbox(match.group(extra[0]), match.group(extra[1]), None)
    return None


def _checkbox(input_attrs: str, words: str, label_attrs: str | None) -> tuple[bool, str] | None:
    attrs = _attributes(input_attrs)
    if attrs is None or attrs.get("type", "").lower() != "checkbox" or set(attrs) - _HARMLESS:
        return None
    if label_attrs is not None and not _harmless(label_attrs):
        return None
    if any(not _harmless(tag.group("attrs")) and tag.group("name").lower() in ("span",) for tag in _TAG.finditer(words)):
        return None
    words = " ".join(words.split())
    if not words:
        return None
    return "checked" in attrs, words


def _harmless(attrs: str) -> bool:
    parsed = _attributes(attrs)
    return parsed is not None and not set(parsed) - _HARMLESS


def _attributes(attrs: str) -> dict[str, str] | None:
    found: dict[str, str] = {}
    rest = attrs.strip().rstrip("/").strip()
    for match in ATTRIBUTE.finditer(rest):
        value = next((v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None), "")
        found[match.group("name").lower()] = value
    leftover = ATTRIBUTE.sub("", rest).strip()
    return None if leftover else found


def _edit(text: Text, offset: int, prose: str, run: list[tuple[int, int, list[tuple[bool, str]]]]) -> Iterator[Edit]:
    first, last = run[0][0], run[-1][1]
    line_start = prose.rfind("\n", 0, first) + 1
    line_end = prose.find("\n", last)
    line_end = len(prose) if line_end == -1 else line_end
    indent = prose[line_start:first]
    if indent.strip() or prose[last:line_end].strip():
        return  # shares its line with other text: a person decides
    items = [item for _, _, found in run for item in found]
    lines = [f"{indent}- [{'x' if checked else ' '}] {words}" for checked, words in items]
    before = prose[:line_start]
    after = prose[line_end:]
    lead = "" if not before.strip() or before.endswith("\n\n") or before.rstrip(" \t").endswith("\n\n") else "\n"
    tail = "" if not after.strip() or after.startswith("\n\n") or re.match(r"\n[ \t]*\n", after) else "\n"
    first_line = text.line_of(offset + first)
    noun = "item" if len(items) == 1 else "items"
    yield Edit(offset + line_start, offset + line_end, lead + "\n".join(lines) + tail,
               f"HTML checkbox list written as a Markdown checklist ({len(items)} {noun})", first_line)
