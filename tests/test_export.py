"""Open data: site/handbook.json validates against its published schema, and every guide's Markdown is downloadable."""

from __future__ import annotations

import json
import re
import zipfile

import jsonschema
import pytest

from conftest import ROOT, Project
from handbook_build.site import export

# -- the source copy: one line added, nothing else touched ----------------------------------


def test_a_guide_without_a_licence_gets_the_handbooks_and_nothing_else_changes() -> None:
    text = "---\ntitle: X\ntopics: [a]\n---\n\nBody with trailing spaces  \n\n[[y]]\n"
    copied = export.with_licence(text, "CC-BY-SA-4.0")
    assert copied == "---\ntitle: X\ntopics: [a]\nlicense: CC-BY-SA-4.0\n---\n\nBody with trailing spaces  \n\n[[y]]\n"


def test_windows_line_endings_and_a_dots_closer_are_kept() -> None:
    text = "---\r\ntitle: X\r\n...\r\nBody\r\n---\r\nnot front matter\r\n"
    copied = export.with_licence(text, "CC0-1.0")
    assert copied == "---\r\ntitle: X\r\nlicense: CC0-1.0\r\n...\r\nBody\r\n---\r\nnot front matter\r\n"


def test_a_file_without_front_matter_is_left_alone() -> None:
    assert export.with_licence("Just text\n---\n", "CC-BY-4.0") == "Just text\n---\n"


# -- a real build ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(built_mini: Project) -> dict:
    return json.loads((built_mini.site / "handbook.json").read_text("utf-8"))


@pytest.mark.slow
def test_handbook_json_validates_against_the_schema_published_beside_it(built_mini: Project, data: dict) -> None:
    published = built_mini.site / "schema" / "handbook.schema.json"
    schema = json.loads(published.read_text("utf-8"))
    assert published.read_text("utf-8") == (ROOT / "handbook_build" / "data" / "handbook-export.schema.json").read_text("utf-8")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(data)) == []
    assert data["schema"] == "schema/handbook.schema.json"
    # The schema is strict enough to catch a broken export.
    broken = json.loads(json.dumps(data))
    del broken["guides"][0]["license"]
    assert list(validator.iter_errors(broken)), "a guide without its licence must not validate"


@pytest.mark.slow
def test_handbook_json_holds_the_handbook_topics_and_every_guides_metadata(built_mini: Project, data: dict) -> None:
    assert data["format_version"] == 1
    assert data["handbook"]["name"] == "Mini Handbook"
    assert data["handbook"]["license"]["spdx"] == "CC-BY-SA-4.0"
    assert "CC BY-SA 4.0" in data["handbook"]["credit"]
    assert set(data["topics"]) == {"fundraising", "organising"}
    guides = {g["slug"]: g for g in data["guides"]}
    assert set(guides) == {"phone-banking", "house-parties", "the-big-call"}
    phone = guides["phone-banking"]
    assert phone["type"] == "tactic" and phone["title"] == "Phone banking"
    assert phone["topics"] == ["organising", "fundraising"]
    assert phone["fields"] == {"difficulty": "beginner", "time_to_prepare": "days", "risk": "low"}
    assert phone["authors"] == ["Ana Example"] and phone["license"] == "CC-BY-SA-4.0"
    assert phone["sources"] == [{"title": "Phone banking (Wikipedia)", "url": "https://en.wikipedia.org/wiki/Phone_bank"}]
    assert {"slug": "house-parties", "why": "Callers invite people to the next party."} in phone["related"]
    # The link is two-way: the other page lists it too, with the same reason.
    assert {"slug": "phone-banking", "why": "Callers invite people to the next party."} in guides["house-parties"]["related"]
    assert guides["the-big-call"]["references"] == {"funding_models": ["house-parties"], "tactics": ["phone-banking"]}
    assert guides["the-big-call"]["fields"]["where"] == "Exampletown"
    assert phone["origin"] is None and phone["translations"] == {}
    for guide in guides.values():  # every URL in it leads to a file of the site
        page = guide["url"] + ("index.html" if guide["url"].endswith("/") else "")
        assert (built_mini.site / page).is_file(), guide["url"]
        assert (built_mini.site / guide["source"]).is_file(), guide["source"]


@pytest.mark.slow
def test_each_guide_page_offers_its_markdown_source_with_its_licence(built_mini: Project, data: dict) -> None:
    page = (built_mini.site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")
    link = re.search(r'<a href="([^"]+)" download type="text/markdown">Download source</a>', page)
    assert link, "the guide page has no Download source link"
    target = (built_mini.site / "tactics" / "phone-banking" / link.group(1)).resolve()
    assert target == (built_mini.site / "sources" / "tactics" / "phone-banking.md").resolve()
    original = (built_mini.content / "tactics" / "phone-banking.md").read_bytes()
    copy = target.read_bytes()
    head, _, body = original.partition(b"\n---\n")
    assert copy == head + b"\nlicense: CC-BY-SA-4.0\n---\n" + body, "only the licence line is added"


@pytest.mark.slow
def test_a_guides_own_licence_is_kept_as_written(mini: Project) -> None:
    guide = mini.content / "funding-models" / "house-parties.md"
    guide.write_text(guide.read_text("utf-8").replace("recurring: false", "recurring: false\nlicense: CC-BY-4.0"), "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    assert (mini.site / "sources" / "funding-models" / "house-parties.md").read_bytes() == guide.read_bytes()
    data = json.loads((mini.site / "handbook.json").read_text("utf-8"))
    assert {g["slug"]: g["license"] for g in data["guides"]}["house-parties"] == "CC-BY-4.0"


@pytest.mark.slow
def test_the_offline_zip_holds_the_data_the_schema_and_the_sources(built_mini: Project) -> None:
    with zipfile.ZipFile(built_mini.site / "handbook-offline.zip") as archive:
        names = set(archive.namelist())
        assert archive.read("handbook-offline/handbook.json") == (built_mini.site / "handbook.json").read_bytes()
    for name in ("schema/handbook.schema.json", "sources/tactics/phone-banking.md", "sources/case-studies/the-big-call.md"):
        assert f"handbook-offline/{name}" in names, name


def test_the_readme_documents_the_open_data() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Open data", 1)
    assert len(section) == 2, "the README has no 'Open data' section"
    text = section[1].split("\n## ", 1)[0]
    for mention in ("handbook.json", "schema/handbook.schema.json", "sources/", "Download source", "handbook import"):
        assert mention in text, mention
