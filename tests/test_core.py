"""The core on plain data: no site build, no MkDocs."""

from __future__ import annotations

import json

from handbook_build.content import located_yaml, source
from handbook_build.content.schema import Schema
from handbook_build.problems import Location, Problem, ProblemList, Severity, did_you_mean, error, format_github, format_json

SCHEMA = Schema.load()
TOPICS = ["fundraising", "organising"]


def _meta(text: str):
    src, problems = source.split(text, "content/tactics/x.md")
    assert src is not None and src.meta is not None, problems
    return src.meta, problems


def test_marks_point_at_keys_and_values_in_the_file() -> None:
    meta, problems = _meta("---\ntitle: T\nrelated:\n  - slug: abc\n    why: because\n---\nbody\n")
    assert problems == []
    assert meta.location(("title",)) == Location("content/tactics/x.md", 2, 8)
    assert meta.location(("related", 0, "why")) == Location("content/tactics/x.md", 5, 10)
    assert meta.location(("related",), key=True) == Location("content/tactics/x.md", 3, 1)


def test_bom_and_crlf_are_read_as_normal() -> None:
    raw = "\ufeff---\r\ntitle: T\r\n---\r\nbody\r\n".encode("utf-8")
    src, problems = source.parse(raw, "x.md")
    assert problems == [] and src is not None
    assert src.meta.data == {"title": "T"}
    assert src.body == "body\n" and src.body_line == 4


def test_duplicate_key_names_the_first_line() -> None:
    _, problems = _meta("---\ntitle: A\nsummary: s\ntitle: B\n---\n")
    assert [str(p) for p in problems] == [
        "content/tactics/x.md:4:1: error: field 'title' appears twice (it is first set on line 2; keep one)"
    ]


def test_python_tags_are_refused_not_constructed() -> None:
    _, problems = _meta("---\ntitle: !!python/object/apply:os.system ['true']\n---\n")
    assert len(problems) == 1 and problems[0].location.line == 2
    assert "unsupported YAML tag" in problems[0].message


def test_deep_nesting_is_a_problem_not_a_recursion_error() -> None:
    deep = "a: " + "[" * 200 + "]" * 200
    meta, problems = located_yaml.load(deep, "x.md")
    assert any("nested more than" in p.message for p in problems)


def test_schema_reports_every_problem_with_its_line() -> None:
    meta, _ = _meta(
        "---\ntitle: Phone banking\ntype: tactic\nsummary: Calling supporters to ask them to act.\n"
        "topics: [fundrasing]\nauthors: [A]\ndifficulty: hard\nrisky: low\n---\n"
    )
    problems = sorted(str(p) for p in SCHEMA.validate(meta, "tactic", TOPICS))
    assert problems == [
        "content/tactics/x.md:5:10: error: unknown topic 'fundrasing' (did you mean 'fundraising'?)",
        "content/tactics/x.md:7:13: error: unknown difficulty 'hard' (use one of: beginner, intermediate, advanced)",
        "content/tactics/x.md:8:1: error: unknown field 'risky' (did you mean 'risk'?)",
    ]


def test_each_type_has_its_own_required_fields() -> None:
    meta, _ = _meta("---\ntitle: Dues\ntype: funding-model\nsummary: Members pay a little every month.\ntopics: [fundraising]\nauthors: [A]\n---\n")
    messages = sorted(p.message for p in SCHEMA.validate(meta, "funding-model", TOPICS))
    assert messages == ["missing required field 'cost_to_start'", "missing required field 'recurring'"]


def test_a_field_of_another_type_says_so() -> None:
    meta, _ = _meta("---\ntitle: Dues\ntype: funding-model\nsummary: Members pay a little every month.\ntopics: [fundraising]\n"
                    "authors: [A]\nrecurring: true\ncost_to_start: low\ndifficulty: beginner\n---\n")
    (problem,) = SCHEMA.validate(meta, "funding-model", TOPICS)
    assert problem.location.line == 9
    assert problem.hint == "'difficulty' is a field of tactic guides, not of funding-model guides; remove it or fix 'type'"


def test_the_schema_is_data_a_new_type_needs_no_python(tmp_path) -> None:
    text = (SCHEMA_PATH := tmp_path / "schema.yml")
    raw = SCHEMA.raw | {"types": {**SCHEMA.raw["types"], "toolkit": {"folder": "toolkits", "label": "Toolkit", "plural": "Toolkits",
                                                                    "required": ["format"], "fields": {"format": {"enum": ["zine", "slides"], "x-key-fact": True}}}}}
    import yaml

    text.write_text(yaml.safe_dump(raw), "utf-8")
    schema = Schema.load(SCHEMA_PATH)
    assert schema.type_for_folder("toolkits").key_facts[0].name == "format"
    meta, _ = _meta("---\ntitle: Zine kit\ntype: toolkit\nsummary: How to make a zine in an afternoon.\ntopics: [organising]\n"
                    "authors: [A]\nformat: poster\n---\n")
    (problem,) = schema.validate(meta, "toolkit", TOPICS)
    assert str(problem) == "content/tactics/x.md:7:9: error: unknown format 'poster' (use one of: zine, slides)"


def test_json_schema_document_is_valid_and_covers_every_type() -> None:
    import jsonschema

    document = SCHEMA.document(TOPICS)
    jsonschema.Draft202012Validator.check_schema(document)
    validator = jsonschema.Draft202012Validator(document)
    good = {"title": "Dues", "type": "funding-model", "summary": "Members pay a little every month.", "topics": ["organising"],
            "authors": ["A"], "recurring": True, "cost_to_start": "low"}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors(good | {"difficulty": "beginner"}))  # a tactic's field


def test_did_you_mean_names_only_close_choices() -> None:
    assert did_you_mean("fundrasing", ["fundraising", "organising"]) == "did you mean 'fundraising'?"
    assert did_you_mean("zzz", ["fundraising"]) is None


def test_problem_formats() -> None:
    problems = ProblemList([error(Location("content/a, b.md", 4, 9), "unknown topic 'x'", "did you mean 'y'?"),
                            Problem(Location("content/c.md"), Severity.WARNING, "w")])
    assert format_github(problems).splitlines() == [
        "::error file=content/a%2C b.md,line=4,col=9::unknown topic 'x' (did you mean 'y'?)",
        "::warning file=content/c.md::w",
    ]
    rows = json.loads(format_json(problems))
    assert rows[0] == {"path": "content/a, b.md", "line": 4, "column": 9, "severity": "error",
                       "message": "unknown topic 'x'", "hint": "did you mean 'y'?", "code": "content"}


def test_explicit_scalar_tags_are_problems_never_crashes() -> None:
    for text in ("!!timestamp soon", "!!bool maybe", "!!timestamp", "!!int x", "!custom x"):
        src, problems = source.split(f"---\ntitle: {text}\n---\nbody\n", "x.md")
        assert [p.location.line for p in problems] == [2], text
        assert "unsupported YAML tag" in problems[0].message
    src, problems = source.split("---\ntitle: !!str 12\n---\n", "x.md")
    assert problems == [] and src.meta.data == {"title": "12"}
