"""Front-matter keys in the wrong case or misspelt, when exactly one field is meant: ``Title:`` -> ``title:``."""

from __future__ import annotations

from collections.abc import Iterator

from handbook_build.content import located_yaml, source
from handbook_build.content.schema import Schema
from handbook_build.fixes.source import Edit, Text
from handbook_build.problems import did_you_mean


def fix(text: Text, relative: str, schema: Schema) -> Iterator[Edit]:
    gtype = schema.type_for_folder(relative.split("/", 1)[0]) if "/" in relative else None
    if gtype is None:
        return  # pages other than guides have a few fields of their own; a person decides there
    fields = [f.name for f in gtype.fields]
    lines = text.text.split("\n")
    if not lines or lines[0].rstrip() != source.FENCE:
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in source.CLOSERS), None)
    if end is None:
        return
    meta, problems = located_yaml.load("\n".join(lines[1:end]), relative, line_offset=1)
    if meta is None or not isinstance(meta.data, dict):
        return
    present = set(meta.data)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for key in meta.data:
        if key in fields or not isinstance(key, str):
            continue
        right = _the_one_meant(key, fields)
        if right is None or right in present:
            continue  # no single answer, or the right key is already set: a person merges them
        mark = meta.key_marks.get((key,))
        if mark is None:
            continue
        line = lines[mark.line - 1]
        column = mark.column - 1
        if line[column:column + len(key)] != key or not line[column + len(key):].lstrip(" \t").startswith(":"):
            continue  # a quoted or unusual key: leave it
        start = starts[mark.line - 1] + column
        present.add(right)
        yield Edit(start, start + len(key), right, f"front-matter key '{key}' renamed to '{right}'", mark.line)


def _the_one_meant(key: str, fields: list[str]) -> str | None:
    lowered = [f for f in fields if f.lower() == key.lower()]
    if len(lowered) == 1:
        return lowered[0]
    hint = did_you_mean(key, fields)
    if hint is None or hint.count("'") != 2:
        return None  # several near matches
    return hint.split("'")[1]
