"""WCAG 2.2 AA in our pages: axe-core finds nothing serious, the keyboard gets around, JavaScript is optional.

axe-core is installed from the npm registry at test time into tests/.cache/
(gitignored) and injected into each page opened from file://; the network
stays blocked (the ``page`` fixture) while it runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import foreign_requests, need

# The page kinds readers meet; search with a query so its results are checked too.
PAGES = {
    "landing": "index.html",
    "type index": "tactics/index.html",
    "topic": "topics/mutual-aid.html",
    "topic list": "topics/index.html",
    "guide": "tactics/power-mapping.html",
    "translated guide": "sv/tactics/relational-organising.html",
    "search": "search.html?q=phone",
    "licence": "licence.html",
}




def open_page(page, site: Path, relative: str) -> None:
    path, _, query = relative.partition("?")
    target = site / path
    if path.startswith("search"):
        need(target.is_file(), "the search page (search.html) is not built yet")
    assert target.is_file(), f"{relative} was not built"
    page.goto(target.as_uri() + (f"?{query}" if query else ""))
    page.wait_for_load_state("load")


def serious_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            for node in violation["nodes"][:8]:
                why = "; ".join(check["message"] for check in node["any"] + node["all"] + node["none"])
                found.append(f"{violation['id']} ({violation['impact']}) at {' '.join(node['target'])}: {why}")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_or_critical_violations(kind: str, built_starter, page, axe_source) -> None:
    open_page(page, built_starter.site, PAGES[kind])
    found = serious_violations(page, axe_source)
    assert not found, "\n".join(found)
    assert foreign_requests(page) == []


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["landing", "type index", "topic", "guide", "search", "licence"])
def test_landmarks_one_h1_and_a_language(kind: str, built_starter, page) -> None:
    open_page(page, built_starter.site, PAGES[kind])
    assert page.locator("main").count() == 1
    assert page.locator("body > header, body > div > header").count() >= 1  # Material's banner
    assert page.locator("footer.hb-footer").count() == 1
    assert page.locator("h1").count() == 1, page.locator("h1").all_inner_texts()
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.browser
def test_the_skip_link_is_first_and_lands_on_the_page_title(built_starter, page) -> None:
    open_page(page, built_starter.site, PAGES["guide"])
    page.keyboard.press("Tab")
    first = page.evaluate("({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert first == {"text": "Skip to content", "href": "#hb-content"}
    box = page.locator("a.md-skip:focus").bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 0  # shown when focused, not left off-screen
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#hb-content"
    page.keyboard.press("Tab")
    # The next stop is in the page's own content (the guide header), past the site header and navigation.
    inside = page.evaluate("""() => {
        const el = document.activeElement;
        return {content: !!el.closest('.md-content'), header: !!el.closest('header.md-header'), nav: !!el.closest('.md-sidebar')};
    }""")
    assert inside == {"content": True, "header": False, "nav": False}


@pytest.mark.browser
def test_a_focused_link_is_clearly_outlined(built_starter, page) -> None:
    open_page(page, built_starter.site, PAGES["guide"])
    link = page.locator(".md-content a[href]").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["landing", "guide", "topic", "licence"])
def test_pages_are_readable_and_navigable_with_javascript_off(kind: str, built_starter, browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((built_starter.site / PAGES[kind]).as_uri())
        heading = page.locator("h1").first
        assert heading.is_visible() and heading.inner_text().strip()
        assert page.locator(".md-content p:visible").count() >= 1
        assert page.locator("footer.hb-footer").is_visible()
        # The licence page states the licence itself; its footer names no page credit (it is not a work).
        where = ".md-content" if kind == "licence" else "footer.hb-footer"
        assert "Creative Commons" in page.locator(where).inner_text()
        assert page.locator(".md-sidebar--primary a[href]:visible").count() >= 3  # the navigation
        page.locator(".md-sidebar--primary a[href]:visible", has_text="Topics").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/topics/index.html")
        assert page.locator("h1").first.inner_text().strip() == "Topics"
    finally:
        context.close()
