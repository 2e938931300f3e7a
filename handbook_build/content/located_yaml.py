"""Safe YAML that remembers where every key and value came from.

PyYAML's marks give the line and column of each node. We compose the node
tree ourselves (never constructing arbitrary objects) and keep a map from the
path of each value - ``("related", 0, "slug")`` - to its place in the file, so
a problem found much later still names the right line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from handbook_build.problems import Location, Problem, error

Path = tuple[str | int, ...]

MAX_DEPTH = 16
MAX_NODES = 5_000


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based, in the file
    column: int  # 1-based


@dataclass
class LocatedData:
    """Plain data (dicts, lists, str, int, float, bool, None) plus source marks."""

    data: Any
    path: str
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    value_marks: dict[Path, Mark] = field(default_factory=dict)
    start: Mark = Mark(1, 1)
    unreadable: set[Path] = field(default_factory=set)  # values already reported as unreadable

    def location(self, at: Path = (), *, key: bool = False) -> Location:
        """The most precise place known for ``at``, falling back to its parents."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(at)
        while probe:
            mark = marks.get(probe) or self.value_marks.get(probe) or self.key_marks.get(probe)
            if mark:
                return Location(self.path, mark.line, mark.column)
            probe = probe[:-1]
        return Location(self.path, self.start.line, self.start.column)


_UNREADABLE = object()
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: they are what makes 'billion laughs' work."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(None, None, "YAML aliases (*name) are not allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


# libyaml (C) and PyYAML (Python) word some errors differently; both are covered.
_FastLoader = getattr(yaml, "CSafeLoader", None)

_HINTS = {
    "mapping values are not allowed here": "a value that contains ': ' must be put in quotes",
    "mapping values are not allowed in this context": "a value that contains ': ' must be put in quotes",
    "found character that cannot start any token": "use spaces, not tabs, to indent; quote values that start with @ or `",
    "did not find expected key": "check the indentation of this line and the one before it",
    "did not find expected ',' or ']'": "close the list with ']' and separate items with ','",
    "found character '\\t' that cannot start any token": "use spaces, not tabs, to indent",
    "could not find expected ':'": "each line needs 'key: value'; check for a missing colon or an unclosed quote",
    "found undefined tag handle": "remove the '!' tag or put the value in quotes",
}


def load(text: str, path: str, *, line_offset: int = 0) -> tuple[LocatedData | None, list[Problem]]:
    """Parse one YAML document. ``line_offset`` is how many file lines precede ``text``."""
    loader = _loader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_problem(exc, path, line_offset)]
    except yaml.YAMLError as exc:  # errors without a mark, e.g. a reader error
        return None, [error(Location(path, line_offset + 1), f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    located = LocatedData(None, path, start=Mark(line_offset + 1, 1))
    if node is None:
        return located, []
    builder = _Builder(loader, located, line_offset)
    located.data = builder.build(node, (), 0)
    return located, builder.problems


def _loader(text: str) -> yaml.SafeLoader:
    # libyaml composes ten times faster; the pure-Python loader is the fallback.
    return _FastLoader(text) if _FastLoader is not None else _Loader(text)


def _refuse_aliases(text: str) -> None:
    """Aliases are what make 'billion laughs' work. Look for them in the event
    stream (cheap) before composing, so none is ever expanded."""
    if "*" not in text or _FastLoader is None:
        return  # no alias possible, or _Loader refuses them while composing
    for event in yaml.parse(text, Loader=_FastLoader):
        if isinstance(event, yaml.AliasEvent):
            # libyaml's Mark has the same line and column as PyYAML's
            raise _AliasRefused(None, None, "YAML aliases (*name) are not allowed in front matter", event.start_mark)  # type: ignore[arg-type]


def _yaml_problem(exc: yaml.MarkedYAMLError, path: str, line_offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = line_offset + mark.line + 1 if mark else line_offset + 1
    column = mark.column + 1 if mark else None
    what = exc.problem or exc.context or "invalid YAML"
    hint = _HINTS.get(what)
    if isinstance(exc, _AliasRefused):
        hint = "write the value out in full instead of referring to an anchor"
    elif hint is None and exc.context:
        hint = f"while {exc.context}" if not exc.context.startswith("while") else exc.context
    return error(Location(path, line, column), f"YAML syntax error: {what}", hint, code="yaml")


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, located: LocatedData, line_offset: int) -> None:
        self.loader = loader
        self.located = located
        self.offset = line_offset
        self.problems: list[Problem] = []
        self.nodes = 0

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(self.offset + node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        m = self.mark(node)
        self.problems.append(error(Location(self.located.path, m.line, m.column), message, hint, code="yaml"))

    def build(self, node: yaml.Node, at: Path, depth: int) -> Any:
        self.nodes += 1
        self.located.value_marks[at] = self.mark(node)
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            if depth > MAX_DEPTH:
                self.fail(node, f"YAML nested more than {MAX_DEPTH} levels deep", "front matter is a flat list of fields")
            elif self.nodes == MAX_NODES + 1:
                self.fail(node, f"YAML has more than {MAX_NODES} values", "keep front matter short; move long text into the body")
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self.fail(node, f"unsupported YAML tag '{node.tag}'", "remove the '!' tag")
            self.located.unreadable.add(at)
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, at + (i,), depth + 1) for i, item in enumerate(node.value)]
        value = self.scalar(node)
        if value is _UNREADABLE:
            self.located.unreadable.add(at)
            return None
        return value

    def mapping(self, node: yaml.MappingNode, at: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a key must be a plain word, not a list or mapping")
                continue
            key = self.scalar(key_node)
            if key is _UNREADABLE:
                continue
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key == "<<":
                self.fail(key_node, "YAML merge keys ('<<') are not allowed in front matter", "write the fields out in full")
                continue
            if key in result:
                first = self.located.key_marks[at + (key,)]
                self.fail(key_node, f"field '{key}' appears twice", f"it is first set on line {first.line}; keep one")
                continue
            self.located.key_marks[at + (key,)] = self.mark(key_node)
            result[key] = self.build(value_node, at + (key,), depth + 1)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        # Only the types YAML infers by itself: an explicit tag (!!timestamp, !!bool ...)
        # asks PyYAML's constructors for things they crash on, and no guide needs one.
        plain = not getattr(node, "style", None)  # None from PyYAML, '' from libyaml
        implicit = self.loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
        if node.tag not in (implicit, _STR_TAG):  # "!!str" only makes a value text: harmless
            self.fail(node, f"unsupported YAML tag '{node.tag}'", "remove the '!!' tag; write the value plainly or in quotes")
            return _UNREADABLE
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.fail(node, f"cannot read this value: {exc.problem}", "put the value in quotes")
            return _UNREADABLE
        except ValueError as exc:  # e.g. a timestamp with month 13
            self.fail(node, f"not a valid date or time: {exc}", "write dates as YYYY-MM-DD")
            return _UNREADABLE
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, bytes):
            self.fail(node, "binary values are not allowed", "write plain text")
            return _UNREADABLE
        return value
