"""Search in three languages, in a real headless Chromium, from file:// with every other request blocked.

tests/fixtures/search-languages is the mini handbook plus a door-knocking
tactic, Swedish translations of it and of phone banking, and a Chinese one
of door knocking. It is built once with `mkdocs build`; search.js itself
stems the queries (with the word forms the Swedish index ships) and cuts the
Chinese one into character pairs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, Project, _copy_project, foreign_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project: Project = _copy_project(FIXTURES / "search-languages", tmp_path_factory.mktemp("languages") / "handbook")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site


def page_file(site: Path, path: str) -> Path:
    """A page of the build: in a language's tree (sv/...) when the build has trees, else the translation's own page."""
    for candidate in (site / path / "index.html", site / path.replace("sv/", "", 1).replace("/door-knocking", "/door-knocking.sv")
                      / "index.html"):
        if candidate.exists():
            return candidate
    raise AssertionError(f"no page for {path} in {site}")


def open_page(page, file: Path) -> None:
    page.goto(file.as_uri())
    assert page.evaluate("window.handbookSearch") is None  # the search code loads only when used
    page.evaluate("handbookSearchLoad()")
    page.wait_for_function("() => window.handbookSearch !== undefined")


def search(page, text: str) -> list[dict]:
    return page.evaluate("(q) => handbookSearch.search(q)", text)


def only_own_files(page, site: Path) -> None:
    assert foreign_requests(page) == []
    assert [u for u in page.requests_seen if u.startswith("file:") and not u.startswith(site.as_uri() + "/")] == []


def test_an_inflected_swedish_word_finds_the_swedish_guides_first(page, site: Path) -> None:
    open_page(page, page_file(site, "sv/tactics/door-knocking"))
    assert page.evaluate("handbookSearch.language") == "sv"
    assert not [u for u in page.requests_seen if "search-index" in u], "the indexes load only when used"
    # "organiserar" is written only in Dörrknackning; Telefonkampanj says "organiserade".
    page.click("[data-handbook-search-input]")
    page.keyboard.type("organiserar")
    page.wait_for_function("() => document.querySelectorAll('[data-handbook-search-result]').length >= 2")
    shown = page.eval_on_selector_all("[data-handbook-search-result] .hb-search-option__title",
                                      "els => els.map(e => e.textContent)")
    assert set(shown[:2]) == {"Dörrknackning", "Telefonkampanj"}
    # The words matched in the bodies: each result's sentence that has them is fetched once the results show
    # (search-text/sv/...), replaces the summary, and marks the inflected form the guide itself uses.
    page.wait_for_function("() => document.querySelectorAll('[data-handbook-search-result] mark').length >= 2")
    marked = page.eval_on_selector_all("[data-handbook-search-result] mark", "els => els.map(e => e.textContent.toLowerCase())")
    assert {"organiserar", "organiserade"} <= set(marked), marked
    loaded = {u.rsplit("/", 1)[1].split("?")[0] for u in page.requests_seen}
    assert "search-index.sv.js" in loaded
    only_own_files(page, site)


def test_the_browser_stems_with_the_forms_the_build_saw(page, site: Path) -> None:
    open_page(page, page_file(site, "sv/tactics/door-knocking"))
    # Telefonkampanj says only "minuter"; "minuterna" (only in Dörrknackning) has the same stem, "minut".
    assert {r["title"] for r in search(page, "minuterna") if r["lang"] == "sv"} == {"Dörrknackning", "Telefonkampanj"}
    # A form no guide uses: cut to the longest stem it starts with.
    results = search(page, "organiserades")
    assert {r["title"] for r in results[:2]} == {"Dörrknackning", "Telefonkampanj"}
    # "organisering": the Swedish guides before the English pages lunr's English stemmer finds.
    results = search(page, "organisering")
    langs = [r["lang"] for r in results]
    assert langs[:2] == ["sv", "sv"] and "en" in langs and langs == sorted(langs, key=lambda lang: lang != "sv")
    only_own_files(page, site)


def test_an_english_guide_is_found_from_swedish_and_opens_in_the_swedish_tree(page, site: Path) -> None:
    open_page(page, page_file(site, "sv/tactics/door-knocking"))
    results = search(page, "parties")
    assert [r["title"] for r in results][:1] == ["House parties"] and results[0]["lang"] == "en"
    if (site / "sv" / "funding-models").exists():  # a tree per language: its fallback page keeps the Swedish interface
        assert results[0]["url"] == "sv/funding-models/house-parties/"
    page.click("[data-handbook-search-input]")
    page.keyboard.type("parties")
    option = page.locator("[data-handbook-search-result]").first
    option.wait_for()
    assert option.get_attribute("lang") == "en"
    assert page.locator("[data-handbook-search-result] .hb-search-badge--lang").first.text_content() == "engelska"
    only_own_files(page, site)


def test_a_two_character_chinese_query_finds_its_guide(page, site: Path) -> None:
    open_page(page, site / "index.html")  # an English page: the Chinese index loads when the search is made
    page.click("[data-handbook-search-input]")
    page.keyboard.type("敲门")
    page.wait_for_selector("[data-handbook-search-result]")
    option = page.locator("[data-handbook-search-result]").first
    assert option.locator(".hb-search-option__title").text_content() == "上门拜访"
    assert option.get_attribute("lang") == "zh"
    assert [r["title"] for r in search(page, "邻居")] == ["上门拜访"]  # in the summary, marked there
    page.fill("[data-handbook-search-input]", "")
    page.keyboard.type("邻居")
    page.wait_for_function("() => document.querySelector('[data-handbook-search-result] mark') !== null")
    assert page.locator("[data-handbook-search-result] mark").first.text_content() == "邻居"
    only_own_files(page, site)
