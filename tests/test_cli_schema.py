"""`handbook schema` prints a JSON Schema that editors can use on the real guides."""

from __future__ import annotations

import json

import jsonschema
import yaml


def _front_matter(path) -> dict:
    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def test_schema_command_prints_a_schema_that_accepts_real_guides_and_rejects_mistakes(starter) -> None:
    result = starter.run("handbook", "schema")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["properties"]["topics"]["items"]["enum"] == sorted(yaml.safe_load((starter.content / "topics.yml").read_text("utf-8")))
    validator = jsonschema.Draft202012Validator(document)
    for folder in ("tactics", "funding-models", "case-studies"):
        guide = next(p for p in sorted((starter.content / folder).glob("*.md")) if p.name.count(".") == 1)
        meta = _front_matter(guide)
        meta = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in meta.items()}
        assert list(validator.iter_errors(meta)) == [], guide
        assert list(validator.iter_errors(meta | {"topics": ["not-a-topic"]}))
        assert list(validator.iter_errors({k: v for k, v in meta.items() if k != "title"}))
