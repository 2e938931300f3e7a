"""The handbook's own look (issue 19): its logo and favicon, one heading style, the brand colour
and a handbook's own `colours`, a dark scheme that follows the system and a toggle kept on the
device, both schemes free of contrast problems (axe-core), and search results that show the
sentence that matched. Real builds, opened from disk in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import foreign_requests
from handbook_build.site import palette, search_passages

BRICK = "rgb(168, 50, 31)"  # #a8321f, theme.css
PAGES = {
    "landing": "index.html",
    "guide": "tactics/power-mapping.html",
    "topic": "topics/mutual-aid.html",
    "type index": "funding-models/index.html",
    "about": "about.html",
    "licence": "licence.html",
    "search": "search.html?q=debt",
    "404": "404.html",
}


def url(site: Path, relative: str) -> str:
    path, _, query = relative.partition("?")
    return (site / path).as_uri() + (f"?{query}" if query else "")


@pytest.fixture
def scheme_page(browser, request):
    """A page in a context that prefers the scheme the test is parametrised with (default light)."""
    scheme = getattr(request, "param", "light")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.requests_seen = []  # type: ignore[attr-defined]

    def route(route):
        page.requests_seen.append(route.request.url)  # type: ignore[attr-defined]
        if route.request.url.startswith(("file://", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    yield page
    context.close()


def background(page) -> tuple[int, ...]:
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return tuple(int(part) for part in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])


def brightness(rgb: tuple[int, ...]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


# -- identity ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_header_shows_our_logo_and_colour_and_the_tab_our_favicon(built_starter, scheme_page) -> None:
    site = built_starter.site
    scheme_page.goto(url(site, "tactics/power-mapping.html"))
    logo = scheme_page.locator(".md-header .md-logo img")
    assert logo.get_attribute("src").endswith("assets/handbook/logo.svg")
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")  # the file is there and draws
    icon = scheme_page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith("assets/handbook/favicon.svg") and (site / "assets/handbook/favicon.svg").is_file()
    assert scheme_page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == BRICK
    assert foreign_requests(scheme_page) == []


@pytest.mark.browser
def test_every_kind_of_page_has_the_same_heading_style(built_starter, scheme_page) -> None:
    """Issue 19, defect 9: About, Licence and Search had Material's thin grey H1, guides a bold black one."""
    styles = {}
    for kind in ("landing", "guide", "topic", "type index", "about", "licence", "search"):
        scheme_page.goto(url(built_starter.site, PAGES[kind]))
        styles[kind] = scheme_page.evaluate("""() => {
            const h = getComputedStyle(document.querySelector('h1'));
            return [h.fontWeight, h.fontFamily, (parseFloat(h.letterSpacing) / parseFloat(h.fontSize)).toFixed(3)];
        }""")
    assert len({tuple(s) for s in styles.values()}) == 1, styles
    assert int(styles["about"][0]) >= 700
    # Ink, not Material's 54% grey, wherever the H1 sits on the page colour.
    scheme_page.goto(url(built_starter.site, PAGES["about"]))
    assert scheme_page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(29, 26, 23)"


# -- dark mode ---------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("scheme_page", ["dark"], indirect=True)
def test_a_system_set_to_dark_gets_a_dark_page(built_starter, scheme_page) -> None:
    scheme_page.goto(url(built_starter.site, PAGES["guide"]))
    assert scheme_page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert brightness(background(scheme_page)) < 60
    text = scheme_page.evaluate("getComputedStyle(document.querySelector('.md-content p')).color")
    assert brightness(tuple(int(x) for x in text[4:-1].split(","))) > 180  # light text on it


@pytest.mark.browser
def test_the_toggle_switches_the_scheme_and_the_choice_survives_a_reload_and_other_pages(built_starter, scheme_page) -> None:
    site = built_starter.site
    scheme_page.goto(url(site, PAGES["guide"]))
    assert brightness(background(scheme_page)) > 240  # the system prefers light
    toggle = scheme_page.locator("form[data-md-component=palette] label:visible")
    assert toggle.count() == 1 and toggle.get_attribute("title") == "Switch to dark mode"
    toggle.click()
    scheme_page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert brightness(background(scheme_page)) < 60
    scheme_page.reload()
    assert scheme_page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    scheme_page.goto(url(site, PAGES["landing"]))  # another page of the copy on disk
    assert scheme_page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert brightness(background(scheme_page)) < 60
    scheme_page.locator("form[data-md-component=palette] label:visible").click()  # and back
    scheme_page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    scheme_page.reload()
    assert brightness(background(scheme_page)) > 240


@pytest.mark.browser
@pytest.mark.parametrize("scheme_page", ["light", "dark"], indirect=True)
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_contrast_problems_in_either_scheme(kind: str, built_starter, scheme_page, axe_source) -> None:
    scheme_page.goto(url(built_starter.site, PAGES[kind]))
    if kind == "search":
        scheme_page.wait_for_selector(".hb-search-passage mark")  # the results and their sentences are checked too
    scheme_page.add_script_tag(content=axe_source)
    result = scheme_page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'rule', values: ['color-contrast', 'link-in-text-block']},
        resultTypes: ['violations']})""")
    found = [f"{v['id']} at {' '.join(n['target'])}: {n['failureSummary']}" for v in result["violations"] for n in v["nodes"][:6]]
    assert not found, "\n".join(found)


# -- search shows the sentence that matched ----------------------------------------------------


@pytest.mark.browser
def test_a_result_found_by_its_body_shows_the_sentence_with_the_word_marked(built_starter, scheme_page) -> None:
    """Issue 19, defect 14: "Reward crowdfunding" came up for "debt" with only its summary, which never says debt."""
    scheme_page.goto(url(built_starter.site, "search.html?q=debt"))
    hit = scheme_page.locator(".hb-search-hit", has_text="Reward crowdfunding")
    summary = hit.locator(".hb-search-hit__summary")
    summary.locator("mark").first.wait_for()
    assert "hb-search-passage" in summary.get_attribute("class")
    assert [m.lower() for m in summary.locator("mark").all_inner_texts()] == ["debt"]
    assert "buy debt and cancel it" in summary.inner_text()
    # A result whose summary already says it keeps its summary.
    own = scheme_page.locator(".hb-search-hit", has_text="Debt buying and abolition").locator(".hb-search-hit__summary")
    assert "hb-search-passage" not in own.get_attribute("class") and own.locator("mark").count() >= 1
    assert foreign_requests(scheme_page) == []


@pytest.mark.browser
def test_the_header_box_shows_the_sentence_too_and_loads_text_only_for_its_results(built_starter, scheme_page) -> None:
    scheme_page.goto(url(built_starter.site, PAGES["about"]))
    scheme_page.click("[data-handbook-search-input]")
    scheme_page.keyboard.type("debt ")
    option = scheme_page.locator("[data-handbook-search-result]", has_text="Reward crowdfunding")
    option.locator(".hb-search-passage mark").first.wait_for()
    texts = [u for u in scheme_page.requests_seen if "/search-text/" in u]
    shown = scheme_page.locator("[data-handbook-search-result]").count()
    assert 0 < len(texts) <= shown  # only the text of results on screen, never the whole handbook's


def test_sentences_are_cut_per_block_and_short_lines_are_left_out() -> None:
    text = "What it is\nMoney moves. Debt is sold on! Is it? Yes, at a fraction of its face value.\nA list item of five words"
    # Headings and sentences under four words are no passage; sentences end at . ! ? before a space.
    assert search_passages.sentences(text) == ["Debt is sold on!", "Yes, at a fraction of its face value.",
                                               "A list item of five words"]
    long = " ".join(["word"] * 200) + "."
    cut = search_passages.sentences(long)[0]
    assert cut.endswith("…") and len(cut) <= search_passages.LONGEST + 1


# -- a handbook's own colours ------------------------------------------------------------------


def test_colours_are_checked_and_become_css() -> None:
    chosen = palette.read({"primary": "#1B5E20", "tactic": "#63c", "tactic-dark": "#ce93d8"}, ["tactic"])
    css = palette.css(chosen)
    assert ':root,[data-md-color-scheme="default"]{--md-primary-fg-color:#1b5e20' in css
    assert "--hb-tactic:#6633cc" in css
    assert '[data-md-color-scheme="slate"]{' in css and "--hb-tactic:#ce93d8" in css
    assert "--md-primary-fg-color:#1b5e20" in css.split("slate")[1]  # the header keeps the brand in the dark too
    with pytest.raises(palette.PaletteError, match="'teal' is not a colour the handbook uses"):
        palette.read({"teal": "#000"}, ["tactic"])
    with pytest.raises(palette.PaletteError, match=r"tactic: 'red' is not a hex colour.*in quotes"):
        palette.read({"tactic": "red"}, ["tactic"])
    assert palette.contrast("#ffffff", palette.PRIMARY) >= 4.5


def with_colours(project, colours: str) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "  - handbook:\n" in text
    config.write_text(text.replace("  - handbook:\n", f"  - handbook:\n      colours: {colours}\n", 1), "utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_a_handbook_brands_its_site_with_its_own_colours(mini, page) -> None:
    with_colours(mini, '{primary: "#1b5e20", tactic: "#6a1b9a"}')
    result = mini.build()
    assert result.returncode == 0, result.stderr
    page.goto(next(mini.site.glob("tactics/phone-banking*.html"), mini.site / "tactics/phone-banking/index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(27, 94, 32)"
    assert page.evaluate("getComputedStyle(document.querySelector('.hb-badge')).backgroundColor") == "rgb(106, 27, 154)"


@pytest.mark.slow
def test_a_colour_that_is_not_one_stops_the_build_with_a_clear_problem(mini) -> None:
    with_colours(mini, "{tactic: red}")
    result = mini.build()
    assert result.returncode != 0
    assert "colours: tactic: 'red' is not a hex colour" in result.stderr
    assert "Traceback" not in result.stderr


# -- languages for search engines --------------------------------------------------------------


@pytest.mark.slow
def test_with_a_site_url_each_page_names_its_other_languages_by_full_address(tmp_path: Path) -> None:
    """hreflang needs full addresses (Lighthouse's SEO audit): a site with a site_url has them, one without has none."""
    import re
    import shutil

    from conftest import FIXTURES, Project

    shutil.copytree(FIXTURES / "multilingual", tmp_path / "ml", ignore=shutil.ignore_patterns("site"))
    project = Project(tmp_path / "ml")
    config = project.root / "mkdocs.yml"
    config.write_text('site_url: "https://example.org/handbook/"\n' + config.read_text("utf-8"), "utf-8")
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    alternates = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
    page = (project.site / "sv/tactics/door-knocking.html").read_text("utf-8")
    assert dict(alternates.findall(page)) == {"en": "https://example.org/handbook/tactics/door-knocking.html",
                                              "zh": "https://example.org/handbook/zh/tactics/door-knocking.html"}
    fallback = (project.site / "sv/tactics/phone-trees.html").read_text("utf-8")
    assert [lang for lang, _ in alternates.findall(fallback)] == ["en"]  # written only in English
