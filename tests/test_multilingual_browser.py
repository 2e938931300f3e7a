"""The three-language handbook (tests/fixtures/multilingual) in headless Chromium, opened from disk.

A Swedish reader starts on the Swedish home page, goes through the Swedish navigation
to a guide that has no Swedish translation yet, reads the notice in Swedish, switches
language, and looks at the translation status; nothing is loaded from another host.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, Project, _copy_project, foreign_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project: Project = _copy_project(FIXTURES / "multilingual", tmp_path_factory.mktemp("ml-browser") / "multilingual")
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    return project.site


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_a_swedish_reader_stays_in_swedish_and_sees_the_fallback_notice(page, site: Path) -> None:
    page.goto((site / "sv/index.html").as_uri())
    assert html_lang(page) == "sv"
    assert page.locator("h1").first.inner_text() == "Handbok för hyresgäster som organiserar sig"
    page.locator(".md-nav__link", has_text="Taktiker").first.click()
    page.wait_for_url("**/sv/tactics/index.html")
    assert html_lang(page) == "sv"
    cards = page.locator(".hb-card__link")
    assert cards.all_inner_texts() == ["Dörrknackning", "Phone trees"]  # translated first, the fallback after
    assert page.locator(".hb-card--fallback .hb-badge--lang").text_content() == "Engelska"  # shown in capitals by CSS
    cards.nth(1).click()
    page.wait_for_url("**/sv/tactics/phone-trees.html")
    assert html_lang(page) == "sv"
    notice = page.locator(".hb-notice--fallback")
    assert notice.is_visible()
    assert "Inte översatt än: du läser originalet på engelska." in notice.inner_text()
    assert page.locator(".hb-guide-body").get_attribute("lang") == "en"
    assert page.locator(".hb-fact dt").all_text_contents()[:2] == ["Svårighetsgrad", "Förberedelsetid"]
    assert page.locator("a.md-skip[href=\"#hb-content\"]").text_content() == "Gå till innehållet"  # Material's own string, in Swedish
    notice.locator("a", has_text="Hjälp till att översätta den").click()
    page.wait_for_url("**/sv/contributing.html")
    assert html_lang(page) == "sv"
    assert foreign_requests(page) == []


def test_the_switcher_goes_to_the_same_page_in_the_other_language(page, site: Path) -> None:
    page.goto((site / "sv/tactics/door-knocking.html").as_uri())
    switcher = page.locator(".hb-languages")
    assert switcher.locator("li").all_inner_texts() == ["English", "Svenska", "中文"]
    switcher.locator("a", has_text="English").click()
    page.wait_for_url("**/multilingual/site/tactics/door-knocking.html")
    assert html_lang(page) == "en"
    assert page.locator("h1").first.inner_text() == "Door knocking"
    page.locator(".hb-languages a", has_text="中文").click()
    page.wait_for_url("**/zh/tactics/door-knocking.html")
    assert html_lang(page) == "zh"
    assert page.locator("h1").first.inner_text() == "敲门拜访"
    assert page.locator(".hb-notice--outdated").is_visible()  # the Chinese translation is older than the original
    assert foreign_requests(page) == []


def test_the_status_page_counts_what_is_translated(page, site: Path) -> None:
    page.goto((site / "sv/translations.html").as_uri())
    assert html_lang(page) == "sv"
    counts = dict(zip(page.locator(".hb-translation-count").evaluate_all("els => els.map(e => e.dataset.status)"),
                      page.locator(".hb-translation-count__n").all_inner_texts()))
    assert counts == {"translated": "1", "outdated": "1", "missing": "2"}
    assert page.locator("h2", has_text="Inaktuella").is_visible()
    assert page.locator(".hb-translation--outdated a").inner_text() == "Hyresfester"
    assert foreign_requests(page) == []
