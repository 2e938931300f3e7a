"""The contributing guide: its front-matter reference is generated from the schema (so it cannot
drift from the checker), its example guide passes the checker, and the built page shows it all."""

from __future__ import annotations

import copy
import html
import re
import shutil
import textwrap

import pytest

from conftest import ROOT, Project
from handbook_build.content.model import Topic
from handbook_build.content.schema import Schema
from handbook_build.problems import Location
from handbook_build.site import reference_doc

PAGE = ROOT / "content" / "contributing.md"
TOPICS = {"organising": Topic("organising", "Organising", "Bringing people together.", Location("topics.yml"))}


def _tables(markdown: str) -> dict[str, dict[str, list[str]]]:
    """{section heading: {field: [required, form, description]}} from the generated Markdown."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in markdown.splitlines():
        if line.startswith("### "):
            current = line[4:]
            sections[current] = {}
        elif line.startswith("| `") and current is not None:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            sections[current][cells[0].strip("`")] = cells[1:]
    return sections


def test_reference_lists_every_field_of_every_type_with_required_as_the_checker_has_it() -> None:
    schema = Schema.load()
    tables = _tables(reference_doc.render(schema, TOPICS))
    common = tables["Fields every guide has"]
    for gtype in schema.types.values():
        own = next(rows for title, rows in tables.items() if title.endswith(f"(`{gtype.name}`)"))
        for spec in gtype.fields:
            row = common.get(spec.name) or own.get(spec.name)
            assert row is not None, f"{gtype.name}.{spec.name} is missing from the reference"
            assert row[0] == ("yes" if spec.name in gtype.required else "no"), (gtype.name, spec.name, row)
            if spec.description:
                assert row[2], f"{spec.name} has no description in the reference"
        assert set(own) == {f.name for f in gtype.fields} - set(common)


def test_reference_shows_allowed_values_and_topics() -> None:
    tables = _tables(reference_doc.render(Schema.load(), TOPICS))
    assert tables["Tactic (`tactic`)"]["difficulty"][1] == "one of `beginner`, `intermediate` or `advanced`"
    assert "1-6 topic ids" in tables["Fields every guide has"]["topics"][1]
    assert "YYYY-MM-DD" in tables["Fields every guide has"]["updated"][1]
    assert "*tactic* guides" in tables["Case study (`case-study`)"]["tactics"][1]
    assert tables["Topics"]["organising"] == ["Organising", "Bringing people together."]


def test_reference_follows_a_changed_schema() -> None:
    """A maintainer edits the schema file only; the reference changes with it."""
    raw = copy.deepcopy(Schema.load().raw)
    raw["types"]["tactic"]["fields"]["cost"] = {"enum": ["free", "cheap", "dear"], "description": "What it costs | roughly <b>."}
    raw["types"]["tactic"]["required"].append("cost")
    raw["types"]["petition"] = {"folder": "petitions", "label": "Petition", "required": [], "fields": {}}
    text = reference_doc.render(Schema(raw, "test"), TOPICS)
    tables = _tables(text)
    assert tables["Tactic (`tactic`)"]["cost"] == ["yes", "one of `free`, `cheap` or `dear`", r"What it costs \| roughly &lt;b\>."]
    assert "### Petition (`petition`)" in text and "`content/petitions/`" in text
    assert "one of `case-study`, `funding-model`, `petition` or `tactic`" in tables["Fields every guide has"]["type"][1]


def test_expand_replaces_only_the_placeholder() -> None:
    schema = Schema.load()
    assert reference_doc.expand("# Page\n\nNo reference here.\n", schema, TOPICS) == "# Page\n\nNo reference here.\n"
    out = reference_doc.expand(f"Before.\n\n{reference_doc.PLACEHOLDER}\n\nAfter.\n", schema, TOPICS)
    assert reference_doc.PLACEHOLDER not in out
    assert out.startswith("Before.\n\n### Fields every guide has") and out.endswith("After.\n")


def test_contributing_page_has_the_placeholder_and_the_sections_people_need() -> None:
    text = PAGE.read_text("utf-8")
    assert text.count(reference_doc.PLACEHOLDER) == 1
    for heading in ("## Correct a guide", "## Propose a guide without git", "## How to write a guide",
                    "## An example guide", "## Writing a guide with git, step by step", "## Front-matter reference"):
        assert heading in text, heading
    for part in ("What it is", "When to use it", "How to do it", "What goes wrong", "Examples", "Sources"):
        assert f"**{part}**" in text, part


def _example_guide() -> str:
    text = PAGE.read_text("utf-8")
    section = text[text.index("## An example guide"):text.index("## Writing a guide with git")]
    # The example is the section's indented code block.
    lines = [line for line in section.splitlines() if line.startswith("    ") or line == ""]
    code = textwrap.dedent("\n".join(lines)).strip() + "\n"
    assert code.startswith("---\ntitle: Street stalls\n")
    return code


def test_example_guide_passes_the_checker(starter: Project) -> None:
    starter.write("tactics/street-stalls.md", _example_guide())
    result = starter.check("content/tactics/street-stalls.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stderr


def test_example_problem_line_is_what_the_checker_says(starter: Project) -> None:
    shown = re.search(r"(content/tactics/street-stalls\.md:\d+:\d+: error: unknown topic 'volunteer-developmnet' .*)",
                      PAGE.read_text("utf-8"))
    assert shown is not None
    starter.write("tactics/street-stalls.md", _example_guide().replace("[volunteer-development,", "[volunteer-developmnet,"))
    result = starter.check("content/tactics/street-stalls.md")
    assert shown.group(1) in result.stdout.splitlines()


@pytest.mark.slow
def test_built_page_shows_the_generated_reference(mini: Project) -> None:
    shutil.copy(PAGE, mini.content / "contributing.md")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    [built] = [p for p in mini.site.rglob("*.html") if p.stem == "contributing" or p.parent.name == "contributing"]
    page = built.read_text("utf-8")
    assert "handbook:field-reference" not in page
    tables = re.findall(r"<table>.*?</table>", page, flags=re.DOTALL)
    assert len(tables) == 5  # every guide, three types, topics
    text = html.unescape(re.sub(r"<[^>]+>", " ", "".join(tables)))
    text = re.sub(r"\s+", " ", text)
    assert "difficulty yes one of beginner , intermediate or advanced" in text
    assert "fundraising Fundraising Raising money from the people who believe in the work." in text
    assert 'id="front-matter-reference"' in page
