"""The content schema: loading the declarative YAML file and validating front matter.

Validation is JSON Schema (via ``jsonschema``); this module turns its errors
into problems that name the line of the offending key or value and say how to
fix it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema import Draft202012Validator, ValidationError

from handbook_build.content.located_yaml import LocatedData
from handbook_build.content.model import FieldSpec, GuideType, ReferenceSpec
from handbook_build.problems import Problem, did_you_mean, error, one_of

DEFAULT_SCHEMA = "handbook.schema.yml"
_MARKUP = re.compile(r"<\s*[A-Za-z!/?]|&#?[A-Za-z0-9]+;")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines() splits on


class SchemaError(Exception):
    """The schema file itself is broken: a maintainer's mistake that stops everything."""


def _plain_text(validator, enabled, instance, schema):  # jsonschema keyword signature
    if enabled and isinstance(instance, str):
        found = _MARKUP.search(instance)
        if found:
            yield ValidationError(f"contains markup ({instance[found.start():found.start() + 12]!r})")


def _real_date(validator, enabled, instance, schema):  # jsonschema keyword signature
    # The pattern accepts '2024-13-45' written in quotes; the calendar does not.
    if enabled and isinstance(instance, str) and _DATE.fullmatch(instance):
        try:
            dt.date.fromisoformat(instance)
        except ValueError as exc:
            yield ValidationError(f"is not a real date ({exc})")


def _one_line(validator, enabled, instance, schema):  # jsonschema keyword signature
    if enabled and isinstance(instance, str) and LINE_BREAK.search(instance.strip()):
        yield ValidationError("has a line break")


_Validator = jsonschema.validators.extend(Draft202012Validator, {"x-plain-text": _plain_text, "x-date": _real_date,
                                                                  "x-one-line": _one_line})


class Schema:
    def __init__(self, raw: dict[str, Any], origin: str) -> None:
        self.raw = raw
        self.origin = origin
        self._validators: dict[tuple, tuple[dict[str, Any], Any]] = {}
        self.types = self._types()
        for name in self.types:
            Draft202012Validator.check_schema(self.guide_schema(name, ()))  # fail early on a bad edit

    @classmethod
    def load(cls, path: Path | None = None) -> Schema:
        if path is None:
            text = resources.files("handbook_build.data").joinpath(DEFAULT_SCHEMA).read_text("utf-8")
            origin = f"(built-in) {DEFAULT_SCHEMA}"
        else:
            try:
                text = Path(path).read_text("utf-8")
            except OSError as exc:
                raise SchemaError(f"{path}: cannot read the schema file: {exc.strerror}") from exc
            origin = str(path)
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SchemaError(f"{origin}: invalid YAML: {exc}") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("types"), dict) or not raw["types"]:
            raise SchemaError(f"{origin}: the schema needs a 'types' mapping with at least one guide type")
        try:
            return cls(raw, origin)
        except (KeyError, TypeError, jsonschema.SchemaError) as exc:
            raise SchemaError(f"{origin}: invalid schema: {exc}") from exc

    # -- the model of types and fields ---------------------------------------

    def _types(self) -> dict[str, GuideType]:
        result = {}
        common = self.raw.get("fields", {})
        for name, spec in self.raw["types"].items():
            fields = {**common, **spec.get("fields", {})}
            field_specs = tuple(FieldSpec(k, v.get("x-label", k.replace("_", " ").capitalize()), v) for k, v in fields.items())
            references = tuple(
                ReferenceSpec(
                    f.name,
                    None if f.schema["x-references"] == "any" else f.schema["x-references"],
                    f.label,
                    f.schema.get("x-backlinks"),
                )
                for f in field_specs
                if "x-references" in f.schema
            )
            result[name] = GuideType(
                name=name,
                folder=spec["folder"],
                label=spec.get("label", name),
                plural=spec.get("plural", name),
                description=spec.get("description", ""),
                required=tuple(self.raw.get("required", [])) + tuple(spec.get("required", [])),
                fields=field_specs,
                key_facts=tuple(f for f in field_specs if f.schema.get("x-key-fact")),
                references=references,
                translations=dict(spec.get("translations") or {}),
            )
        return result

    def type_for_folder(self, folder: str) -> GuideType | None:
        return next((t for t in self.types.values() if t.folder == folder), None)

    @cached_property
    def topic_schema(self) -> dict[str, Any]:
        return {"$defs": self.raw.get("$defs", {}), **self.raw.get("topic", {"type": "object"})}

    # -- JSON Schema documents -----------------------------------------------

    def guide_schema(self, type_name: str, topic_ids: Iterable[str]) -> dict[str, Any]:
        """The JSON Schema for one guide type, with topics filled in from topics.yml."""
        gtype = self.types[type_name]
        properties = {f.name: _with_vocabulary(f.schema, sorted(topic_ids)) for f in gtype.fields}
        properties["type"] = {**properties.get("type", {}), "enum": sorted(self.types)}
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": self.raw.get("$defs", {}),
            "type": "object",
            "required": list(gtype.required),
            "properties": properties,
            "additionalProperties": False,
        }

    def document(self, topic_ids: Iterable[str]) -> dict[str, Any]:
        """One JSON Schema for all guide types (for editors and other tools)."""
        topic_ids = sorted(topic_ids)
        common = self.raw.get("fields", {})
        all_fields: dict[str, Any] = {}
        branches = []
        for name, gtype in self.types.items():
            schema = self.guide_schema(name, topic_ids)
            all_fields.update(schema["properties"])
            own = {k: v for k, v in schema["properties"].items() if k not in common}
            branches.append(
                {
                    "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                    "then": {"required": list(gtype.required), "properties": own},
                }
            )
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Movement handbook guide front matter",
            "$defs": self.raw.get("$defs", {}),
            "type": "object",
            "required": list(self.raw.get("required", [])),
            "properties": {k: v for k, v in all_fields.items() if k in common},
            "allOf": branches,
            "unevaluatedProperties": False,
        }

    # -- validation ----------------------------------------------------------

    def validate(self, meta: LocatedData, type_name: str, topic_ids: Iterable[str],
                 required: Iterable[str] | None = None) -> list[Problem]:
        schema, validator = self._validator(type_name, tuple(sorted(topic_ids)), None if required is None else tuple(required))
        return list(dict.fromkeys(_problems(validator, meta, schema, self.types, type_name)))  # one per field

    def _validator(self, type_name: str, topic_ids: tuple[str, ...], required: tuple[str, ...] | None):
        # Building a validator costs more than using it: one per type, not per guide.
        key = (type_name, topic_ids, required)
        if key not in self._validators:
            schema = self.guide_schema(type_name, topic_ids)
            if required is not None:
                schema["required"] = list(required)
            # Following "$ref"s costs more than checking; validate against a copy with them inlined.
            inlined = _inline_refs(schema, schema.get("$defs", {}))
            self._validators[key] = (inlined, _Validator(inlined))
        return self._validators[key]

    def validate_topic(self, data: Any, meta: LocatedData, at: tuple) -> list[Problem]:
        schema = self.topic_schema
        problems: list[Problem] = []
        for err in _Validator(schema).iter_errors(data):
            problems.extend(_explain(err, meta, schema, at, "topic", self.types, None))
        return problems


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in defs:
            merged = {**_inline_refs(defs[ref[len("#/$defs/"):]], defs), **{k: v for k, v in node.items() if k != "$ref"}}
            return {k: _inline_refs(v, defs) for k, v in merged.items()}
        return {k: (v if k == "$defs" else _inline_refs(v, defs)) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _with_vocabulary(schema: dict[str, Any], topic_ids: list[str]) -> dict[str, Any]:
    items = schema.get("items")
    if isinstance(items, dict) and items.get("x-vocabulary") == "topics":
        schema = copy.deepcopy(schema)
        schema["items"]["enum"] = topic_ids
    return schema


def _problems(validator, meta: LocatedData, schema, types, type_name) -> Iterator[Problem]:
    data = meta.data
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "empty" if data is None else "a single value"
        yield error(
            meta.location(()),
            f"the front matter is {kind}, not a set of fields",
            "write one 'field: value' per line between the '---' lines",
            code="schema",
        )
        return
    for err in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        if tuple(err.absolute_path) in meta.unreadable:
            continue  # already reported by the YAML reader
        yield from _explain(err, meta, schema, (), "field", types, type_name)


def _field_name(path: tuple) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _explain(err: ValidationError, meta: LocatedData, root, at: tuple, noun: str, types, type_name) -> Iterator[Problem]:
    path = at + tuple(err.absolute_path)
    rel = tuple(err.absolute_path)
    name = _field_name(rel) or noun
    schema = err.schema if isinstance(err.schema, dict) else {}
    hint = schema.get("x-hint")
    value = err.instance
    loc = meta.location(path)
    kind = err.validator
    tip: str | None

    if kind in ("anyOf", "oneOf") and err.context:
        best = jsonschema.exceptions.best_match(_matching_branch(err.context))
        best.path = err.path + best.path  # keep the full path to the value
        yield from _explain(best, meta, root, at, noun, types, type_name)
        return
    if kind == "required":
        for missing in err.validator_value:
            if isinstance(value, dict) and missing not in value:
                where = f"'{_field_name(rel)}' needs" if rel else "missing required"
                field_schema = root.get("properties", {}).get(missing, {}) if not rel else {}
                about = str(field_schema.get("description", "")).rstrip(".")
                fix = f"add '{missing}:'" + (f" with {about[:1].lower()}{about[1:]}" if about else "")
                msg = f"{where} field '{missing}'" if rel else f"missing required field '{missing}'"
                yield error(meta.location(path), msg, fix, code="schema")
        return
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = list(schema.get("properties", {}))
        for extra in (k for k in value if k not in allowed):
            other = [t for t, gt in types.items() if any(f.name == extra for f in gt.fields)] if not rel and types else []
            if other and type_name:
                tip = f"'{extra}' is a field of {', '.join(other)} guides, not of {type_name} guides; remove it or fix 'type'"
            else:
                tip = did_you_mean(extra, allowed) or f"the allowed fields are: {', '.join(allowed)}"
            yield error(meta.location(path + (extra,), key=True), f"unknown field '{extra}'", tip, code="schema")
        return
    if kind == "enum":
        label = schema.get("x-noun", name)
        options = [str(o) for o in err.validator_value]
        if not options:
            tip = "declare it in content/topics.yml first" if label == "topic" else None
        else:
            tip = did_you_mean(str(value), options) or (
                one_of(options) if len(options) <= 8 else "declare it in content/topics.yml" if label == "topic" else None
            )
        yield error(loc, f"unknown {label} '{value}'", tip, code="schema")
        return
    if kind == "type":
        expected = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        words = {"array": "a list", "string": "text", "boolean": "true or false", "integer": "a whole number",
                 "object": "a set of 'key: value' fields", "number": "a number", "null": "empty"}
        want = " or ".join(str(words.get(e, e)) for e in expected)
        got = _describe(value)
        tip = hint
        if "array" in expected:
            tip = f"write it as a list: {name}: [{_short(value)}]" if value is not None else "write it as a list: [a, b]"
        elif "string" in expected and isinstance(value, (bool, int, float)):
            tip = "put the value in quotes"
        yield error(loc, f"'{name}' must be {want}, not {got}", tip, code="schema")
        return
    if kind in ("minLength", "maxLength"):
        n = len(value)
        bound = "at least" if kind == "minLength" else "at most"
        yield error(loc, f"'{name}' is {n} characters long; it must be {bound} {err.validator_value}", hint, code="schema")
        return
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        yield error(loc, f"'{name}' has {len(value)} items; it needs {bound} {err.validator_value}", hint, code="schema")
        return
    if kind == "uniqueItems":
        seen: list[Any] = []
        dupes: list[Any] = []
        for item in value:
            (dupes if item in seen else seen).append(item)
        shown = ", ".join(repr(_short(d)) for d in dupes) or "an item"
        yield error(loc, f"'{name}' lists {shown} more than once", "keep one of each", code="schema")
        return
    if kind == "pattern":
        label = schema.get("x-noun")
        msg = f"'{value}' is not a valid {label}" if label else f"'{name}' has an invalid value '{value}'"
        yield error(loc, msg, hint, code="schema")
        return
    if kind in ("minimum", "maximum"):
        yield error(loc, f"'{name}' has an invalid value {value!r}", hint, code="schema")
        return
    if kind == "x-one-line":
        yield error(loc, f"'{name}' must be one line but it has a line break", "write it on one line, without '|' or '>'", code="schema")
        return
    if kind == "x-date":
        yield error(loc, f"'{name}' {err.message}", hint, code="schema")
        return
    if kind == "x-plain-text":
        yield error(loc, f"'{name}' must be plain text but {err.message}", "remove the HTML; write plain words", code="schema")
        return
    yield error(loc, f"'{name}': {err.message}", hint, code="schema")


def _matching_branch(errors: list[ValidationError]) -> list[ValidationError]:
    """The errors of the alternatives whose type fits the value: a mapping that
    fails as a mapping should not be explained as 'must be text'."""
    branches: dict[Any, list[ValidationError]] = {}
    for e in errors:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    fitting = [errs for errs in branches.values() if not any(e.validator == "type" and not e.relative_path for e in errs)]
    return fitting[0] if fitting else errors


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return f"text '{_short(value)}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return f"the number {value}"


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
