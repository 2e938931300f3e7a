"""The front-matter reference, written from the schema file at build time.

The contributing guide holds a placeholder; the build replaces it with
tables made here, so what contributors read is what the checker enforces.
Plain Python on plain data: the plugin only calls ``expand``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handbook_build.content.model import GuideType, Topic
from handbook_build.content.schema import Schema

PLACEHOLDER = "<!-- handbook:field-reference -->"

_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "`true` or `false`",
               "object": "a set of fields", "array": "a list"}
# Characters that would start Markdown syntax inside a table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]>#|])")


@dataclass(frozen=True)
class FieldRow:
    """One line of a reference table."""

    name: str
    required: bool
    form: str  # Markdown
    description: str  # Markdown (escaped plain text from the schema)


def expand(markdown: str, schema: Schema, topics: Mapping[str, Topic]) -> str:
    """The page's Markdown with the placeholder replaced by the reference (if it has one)."""
    if PLACEHOLDER not in markdown:
        return markdown
    return markdown.replace(PLACEHOLDER, render(schema, topics))


def render(schema: Schema, topics: Mapping[str, Topic], *, level: int = 3) -> str:
    """The whole reference: common fields, each type's own fields, then the topic list."""
    hashes = "#" * level
    common = schema.raw.get("fields", {})
    common_required = set(schema.raw.get("required", []))
    types = list(schema.types.values())
    # The checker's own schema: `type` and `topics` get their allowed values filled in.
    effective = schema.guide_schema(types[0].name, topics)["properties"]
    parts = [
        f"{hashes} Fields every guide has",
        "",
        "Every guide, whatever its type, starts with these fields.",
        "",
        table([field_row(name, effective.get(name, spec), schema, name in common_required) for name, spec in common.items()]),
    ]
    for gtype in types:
        parts += ["", *type_section(gtype, schema, hashes)]
    parts += ["", *topics_section(topics, hashes)]
    return "\n".join(parts) + "\n"


def type_section(gtype: GuideType, schema: Schema, hashes: str) -> list[str]:
    common = schema.raw.get("fields", {})
    own = [f for f in gtype.fields if f.name not in common]
    intro = f"Files in `content/{gtype.folder}/`, with `type: {gtype.name}`."
    if gtype.description:
        intro = f"{_escape(gtype.description)} {intro}"
    lines = [f"{hashes} {_escape(gtype.label)} (`{gtype.name}`)", "", intro, ""]
    if not own:
        return lines + ["This type has no fields of its own."]
    rows = [field_row(f.name, f.schema, schema, f.name in gtype.required) for f in own]
    return lines + ["In addition to the fields every guide has:", "", table(rows)]


def topics_section(topics: Mapping[str, Topic], hashes: str) -> list[str]:
    lines = [f"{hashes} Topics", "", "The ids allowed in `topics`, as declared in `content/topics.yml`:", ""]
    if not topics:
        return lines[:-2] + ["", "No topics are declared yet: add them to `content/topics.yml`."]
    body = [f"| `{t.id}` | {_escape(t.title)} | {_escape(t.description)} |" for t in sorted(topics.values(), key=lambda t: t.id)]
    return lines + ["| id | title | what it covers |", "|---|---|---|", *body]


def table(rows: list[FieldRow]) -> str:
    lines = ["| field | required | form | what it is for |", "|---|---|---|---|"]
    for row in rows:
        lines.append(f"| `{row.name}` | {'yes' if row.required else 'no'} | {row.form} | {row.description} |")
    return "\n".join(lines)


def field_row(name: str, spec: dict[str, Any], schema: Schema, required: bool) -> FieldRow:
    defs = schema.raw.get("$defs", {})
    resolved = _resolve(spec, defs)
    form = describe(resolved, defs, schema)
    hint = resolved.get("x-hint")
    if hint and ("pattern" in resolved or isinstance(resolved.get("type"), list)):
        form = _escape(str(hint))  # the hint says it better than "text matching a pattern"
    elif hint and "x-references" not in resolved:
        form = f"{form}; {_escape(str(hint))}"
    return FieldRow(name, required, form, _escape(str(spec.get("description", ""))))


def describe(node: dict[str, Any], defs: dict[str, Any], schema: Schema) -> str:
    """A short Markdown phrase for the values a (resolved) JSON Schema node allows."""
    if "x-references" in node:
        target = node["x-references"]
        kind = "any" if target == "any" else f"*{_escape(schema.types[target].label.lower())}*" if target in schema.types else target
        items = _resolve(node.get("items", {}), defs)
        why = any("why" in _resolve(alt, defs).get("properties", {}) for alt in items.get("anyOf", []))
        extra = ", or of `{slug, why}` with a one-line reason" if why else ""
        return f"a list of slugs of {kind} guides{extra}"
    if "enum" in node:
        return "one of " + _or([f"`{v}`" for v in node["enum"]])
    if node.get("x-vocabulary") == "topics":
        return "a topic id (see *Topics* below)"
    kinds = node.get("type")
    if isinstance(kinds, list):
        return _or([_TYPE_WORDS.get(k) or str(k) for k in kinds])
    if kinds == "array":
        return _describe_list(node, defs, schema)
    if kinds == "object":
        props = node.get("properties", {})
        needed = set(node.get("required", []))
        names = [f"`{p}`" + ("" if p in needed else " (optional)") for p in props]
        return "a set of fields: " + ", ".join(names) if names else "a set of fields"
    if kinds == "string":
        return _describe_text(node)
    return _TYPE_WORDS.get(str(kinds), "any value")


def _describe_list(node: dict[str, Any], defs: dict[str, Any], schema: Schema) -> str:
    low, high = node.get("minItems"), node.get("maxItems")
    if low and high:
        count = f"{low}-{high} "
    elif low:
        count = f"{low} or more "
    elif high:
        count = f"up to {high} "
    else:
        count = ""
    items = _resolve(node.get("items", {}), defs)
    if items.get("x-vocabulary") == "topics":
        return f"a list of {count}topic ids (see *Topics* below)"
    if items.get("type") == "object":
        fields = ", ".join(items.get("properties", {}))
        if not fields:
            return f"a list of {count}entries"
        hints = [f"`{k}`: {_escape(str(v['x-hint']))}" for k, v in items.get("properties", {}).items()
                 if isinstance(v, dict) and v.get("x-hint")]
        return f"a list of {count}`{{{fields}}}` entries" + "".join(f"; {h}" for h in hints)
    return f"a list of {count}items, each {describe(items, defs, schema)}"


def _describe_text(node: dict[str, Any]) -> str:
    words = "plain text (no HTML)" if node.get("x-plain-text") else "text"
    low, high = node.get("minLength"), node.get("maxLength")
    if low and high:
        words += f", {low}-{high} characters"
    elif high:
        words += f", up to {high} characters"
    elif low and low > 1:
        words += f", at least {low} characters"
    if "pattern" in node and "x-hint" not in node:
        words += f", matching `{node['pattern']}`"
    return words


def _resolve(node: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The node with a local ``$ref`` merged in (the node's own keys win)."""
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        base = _resolve(defs.get(ref.removeprefix("#/$defs/"), {}), defs)
        return {**base, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _or(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _escape(text: str) -> str:
    """Plain text from the schema, safe inside a Markdown table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " ")).replace("<", "&lt;")
