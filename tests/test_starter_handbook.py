"""The bundled handbook is one a reader would use and a contributor can copy:
it passes the checker without a warning, and its guides are sourced and connected."""

from __future__ import annotations

from collections import defaultdict

import pytest

from conftest import ROOT
from handbook_build import checks
from handbook_build.content.schema import Schema
from handbook_build.site.related import connect


@pytest.fixture(scope="module")
def handbook():
    hb, problems = checks.load_and_check(ROOT / "content", Schema.load())
    assert [str(p) for p in problems] == []
    return hb


def test_handbook_check_passes_with_no_warnings(starter) -> None:
    result = starter.check("--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stderr


def test_enough_guides_of_every_type(handbook) -> None:
    counts = {name: len(handbook.of_type(name)) for name in handbook.types}
    assert counts["tactic"] >= 12 and counts["funding-model"] >= 8 and counts["case-study"] >= 10, counts


def test_every_guide_has_sources_with_web_addresses(handbook) -> None:
    for guide in handbook.published():
        assert guide.sources, guide.shown_path
        assert all(s.url.startswith(("https://", "http://")) for s in guide.sources), guide.shown_path


def test_every_topic_has_guides_of_at_least_two_types(handbook) -> None:
    types = defaultdict(set)
    for guide in handbook.published():
        for topic in guide.topics:
            types[topic].add(guide.type)
    assert 10 <= len(handbook.topics) <= 14
    for topic in handbook.topics:
        assert len(types[topic]) >= 2, topic


def test_no_guide_is_an_orphan(handbook) -> None:
    connections = connect(handbook)
    for slug, links in connections.items():
        assert len(links.linked_slugs()) >= 2, slug


def test_case_studies_reference_what_they_used(handbook) -> None:
    for guide in handbook.of_type("case-study"):
        assert guide.get("when") and guide.get("where"), guide.shown_path
        assert any(r.field in ("tactics", "funding_models") for r in guide.references), guide.shown_path


def test_guides_are_substantial_original_prose(handbook) -> None:
    for guide in handbook.all_files():
        words = len(guide.body.split())
        assert 400 <= words <= 1300, (guide.shown_path, words)


def test_at_least_three_swedish_translations(handbook) -> None:
    swedish = [g for g in handbook.all_files() if g.is_translation and g.lang == "sv"]
    assert len(swedish) >= 3
    for translation in swedish:
        assert translation.summary != translation.original.summary and translation.body != translation.original.body


def test_the_starter_site_builds_strictly(starter) -> None:
    result = starter.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (starter.site / "index.html").is_file()
