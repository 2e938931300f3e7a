"""Drafts open for comment: no trace of a draft in a normal build; a draft preview shows it with a banner."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, Project, guide_text
from handbook_build.content.model import Guide
from handbook_build.site import drafts, search

SLUG = "quorn-circles"
TITLE = "Zanzibarquill listening circles"  # a word no other guide uses
DRAFT = guide_text("## What it is\n\nSmall circles that listen first.\n", front=f"""title: {TITLE}
type: tactic
summary: Small groups that meet to listen to each other before deciding anything.
topics: [organising]
authors: [Fay Example]
difficulty: beginner
draft: true""")


def _guide(slug: str, title: str) -> Guide:
    from handbook_build.content.located_yaml import LocatedData

    return Guide(slug=slug, type="tactic", path=f"tactics/{slug}.md", shown_path=f"content/tactics/{slug}.md",
                 meta=LocatedData({"title": title}, "x"), body="", body_line=1, lang="en")


# -- the feedback link -----------------------------------------------------------------------


def test_the_default_link_is_the_correct_a_guide_form_prefilled_with_title_and_slug() -> None:
    template = drafts.default_template("https://github.com/example/handbook/")
    url = drafts.Feedback(template).url(_guide("door-knocking", "Door knocking & you?"))
    assert url == ("https://github.com/example/handbook/issues/new?template=correction.yml"
                   "&title=Draft%20feedback%3A%20Door%20knocking%20%26%20you%3F&guide=Door%20knocking%20%26%20you%3F%20%28door-knocking%29")
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / drafts.CORRECTION_FORM).read_text("utf-8"))
    assert form["name"] == "Correct a guide"
    assert "guide" in {el.get("id") for el in form["body"]}, "the form has the field the link pre-fills"


def test_any_template_with_slug_and_title_or_a_mailto_works() -> None:
    guide = _guide("door-knocking", "Door knocking")
    assert drafts.Feedback("https://forum.example.org/new?about={slug}").url(guide) == "https://forum.example.org/new?about=door-knocking"
    mail = drafts.Feedback(drafts.check_template("mailto:drafts@example.org?subject={title}")).banner(guide)
    assert mail.feedback_url == "mailto:drafts@example.org?subject=Door%20knocking" and mail.by_email
    assert drafts.Feedback(drafts.default_template(None)).url(guide) is None  # no repository: no link
    with pytest.raises(ValueError, match="not a web address or a mailto"):
        drafts.check_template("javascript:alert(1)")


def test_the_environment_turns_the_preview_on_and_off() -> None:
    assert drafts.wanted(False, {"HANDBOOK_DRAFTS": "true"}) is True
    assert drafts.wanted(True, {"HANDBOOK_DRAFTS": "false"}) is False
    assert drafts.wanted(True, {}) is True and drafts.wanted(False, {}) is False


def test_the_workflow_builds_the_draft_preview_for_pull_requests_only() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "handbook.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    build = next(s for s in steps if "--drafts" in str(s.get("run", "")))
    assert build["if"] == "github.event_name == 'pull_request'"
    assert "--site-dir site-drafts" in build["run"]
    [upload] = [s for s in steps if s.get("with", {}).get("name") == "draft-preview"]
    assert upload["if"] == build["if"] and upload["with"]["path"] == "site-drafts/"
    assert steps.index(upload) > steps.index(build)


# -- real builds -----------------------------------------------------------------------------


def _all_text(site: Path) -> dict[str, str]:
    """Every file of the built site as text, the zip's and the gzipped sitemap's members included."""
    found: dict[str, str] = {}
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        name = file.relative_to(site).as_posix()
        if name.endswith(".zip"):
            with zipfile.ZipFile(file) as archive:
                for member in archive.namelist():
                    found[f"{name}:{member}"] = archive.read(member).decode("utf-8", "replace")
        elif name.endswith(".gz"):
            found[name] = gzip.decompress(file.read_bytes()).decode("utf-8", "replace")
        elif name.endswith(".pdf"):
            found[name] = "\n".join(page.extract_text() or "" for page in PdfReader(file).pages)
        else:
            found[name] = file.read_bytes().decode("utf-8", "replace")
    return found


def _set_site_url(project: Project) -> None:
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "site_url: https://handbook.example.org/\n", "utf-8")


def _results_text(site: Path) -> str:
    """What search results show, from every chunk (search_shards.py: 32 documents a file)."""
    return "".join(p.read_text("utf-8") for p in sorted((site / search.DOCS_FILE).with_suffix("").rglob("*.js")))


@pytest.mark.slow
def test_a_normal_build_has_no_trace_of_a_draft(mini: Project) -> None:
    mini.write(f"tactics/{SLUG}.md", DRAFT)
    _set_site_url(mini)  # the sitemap lists pages only when the site has an address
    result = mini.build(pdf=True)  # one PDF build: the book must leave the draft out too
    assert result.returncode == 0, result.stderr
    texts = _all_text(mini.site)
    for expected in ("sitemap.xml", "sitemap.xml.gz", "handbook.json", "handbook.pdf", search.INDEX_FILE, search.DOCS_FILE):
        assert expected in texts, f"{expected} was not built"
    assert "Phone banking" in _results_text(mini.site) and "phone-banking" in texts["sitemap.xml"]
    traces = [name for name, text in texts.items() if SLUG in text or "Zanzibarquill" in text]
    assert traces == [], f"the draft shows in {traces}"
    assert "Phone banking" in texts["handbook.pdf"], "the PDF text is readable (so the check above means something)"


@pytest.mark.slow
def test_a_draft_preview_shows_drafts_with_the_banner_and_the_feedback_link(mini: Project) -> None:
    mini.write(f"tactics/{SLUG}.md", DRAFT)
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "repo_url: https://github.com/example/handbook\n", "utf-8")
    _set_site_url(mini)
    result = mini.run("handbook", "build", "--drafts", "--no-pdf")
    assert result.returncode == 0, result.stderr
    page = (mini.site / "tactics" / SLUG / "index.html").read_text("utf-8")
    assert "Draft: comments welcome" in page
    assert ('href="https://github.com/example/handbook/issues/new?template=correction.yml&amp;'
            'title=Draft%20feedback%3A%20Zanzibarquill%20listening%20circles&amp;'
            'guide=Zanzibarquill%20listening%20circles%20%28quorn-circles%29"') in page
    published = (mini.site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")
    assert "Draft: comments welcome" not in published, "only drafts carry the banner"
    data = json.loads((mini.site / "handbook.json").read_text("utf-8"))
    flagged = {g["slug"]: g.get("draft") for g in data["guides"]}
    assert flagged[SLUG] is True and flagged["phone-banking"] is None
    assert "Zanzibarquill" in _results_text(mini.site), "the preview's search finds the draft"
    assert SLUG in (mini.site / "sitemap.xml").read_text("utf-8")


@pytest.mark.slow
def test_a_mailto_feedback_url_from_the_config(mini: Project) -> None:
    mini.write(f"tactics/{SLUG}.md", DRAFT)
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "      pdf: !ENV [HANDBOOK_PDF, false]",
        "      pdf: !ENV [HANDBOOK_PDF, false]\n      drafts: true\n      feedback_url: mailto:drafts@example.org?subject=Draft%20{slug}"), "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    page = (mini.site / "tactics" / SLUG / "index.html").read_text("utf-8")
    assert 'href="mailto:drafts@example.org?subject=Draft%20quorn-circles"' in page
    assert "Send your comments by email" in page
