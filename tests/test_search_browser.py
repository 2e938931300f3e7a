"""Search in a real headless Chromium, from file:// with every other request blocked.

The handbook is the `mini` fixture plus three guides and a hyphenated topic,
built once with `mkdocs build`; each test opens the built files from disk
the way a reader opens an unpacked copy, and fails if a page asks for
anything but its own site's files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2
import material
import mkdocs
import pytest

from conftest import FIXTURES, ROOT, Project, _copy_project, foreign_requests
from handbook_build.site import i18n, search, search_index, search_passages, search_shards

TEMPLATES = ROOT / "handbook_build" / "templates"

pytestmark = pytest.mark.browser

MORE_TOPICS = """direct-action:
  title: Direct action
  description: Acting to change a situation directly rather than asking someone else to.
"""

MORE_GUIDES = {
    "tactics/door-knocking.md": """---
title: Door knocking
type: tactic
summary: Talking to people on their own doorstep about what the group is doing.
topics: [organising, direct-action]
authors: [Eve Example]
difficulty: beginner
---

## How to do it

Walk a street with a clipboard and a short script. Knock, smile, listen.
""",
    "case-studies/rent-strike-fund.md": """---
title: The rent strike fund
type: case-study
summary: Tenants pooled money so that no striking household would be evicted for want of rent.
topics: [fundraising, organising]
authors: [Fay Example]
where: Exampletown
when: "2021"
tactics: [door-knocking]
---

## What happened

Organisers knocked on every door in the block and collected pledges for the fund.
""",
    "funding-models/street-collections.md": """---
title: Street collections
type: funding-model
summary: Volunteers with buckets collect small gifts from passers-by on a busy day.
topics: [fundraising]
authors: [Gus Example]
recurring: false
cost_to_start: none
---

## What it is

A permit, a bucket and a banner. Count the coins together afterwards.
""",
}

FUNDRAISING = {"Phone banking", "House parties", "The rent strike fund", "Street collections"}
CASE_STUDIES = {"The big call", "The rent strike fund"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project: Project = _copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("search") / "mini")
    topics = project.content / "topics.yml"
    topics.write_text(topics.read_text("utf-8") + MORE_TOPICS, "utf-8")
    for path, text in MORE_GUIDES.items():
        project.write(path, text)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site


def open_page(page, site: Path, path: str = "index.html") -> None:
    page.goto(f"{site.as_uri()}/{path}")


def only_own_files(page, site: Path) -> None:
    """Nothing from another host, and nothing from disk outside the site."""
    assert foreign_requests(page) == []
    outside = [u for u in page.requests_seen if u.startswith("file:") and not u.startswith(site.as_uri() + "/")]
    assert outside == []


def search_for(page, text: str) -> None:
    page.click("[data-handbook-search-input]")
    page.keyboard.type(text)
    page.wait_for_selector("[data-handbook-search-result]")


def titles(page) -> list[str]:
    return page.eval_on_selector_all("[data-handbook-search-result] .hb-search-option__title", "els => els.map(e => e.textContent)")


def test_a_guides_own_word_finds_it_first_from_disk_with_the_network_off(page, site: Path) -> None:
    open_page(page, site)
    assert page.title()
    assert not [u for u in page.requests_seen if "search-index" in u or "lunr" in u or search.CODE_FILE in u], \
        "the search code and the index load only when used"
    search_for(page, "zephyrquill")  # only in the body of the phone banking guide
    assert titles(page)[0] == "Phone banking"
    page.wait_for_function("() => document.querySelector('[data-hb-search-status]').textContent === '1 result'")
    loaded = [u.rsplit("/", 1)[1].split("?")[0] for u in page.requests_seen]
    assert {"lunr.js", "search-index.js", "search-docs.js", "search.js"} <= set(loaded)
    # Still typing: the start of a word is enough.
    page.fill("[data-handbook-search-input]", "")
    page.keyboard.type("zephyrq")
    page.wait_for_function("() => document.querySelector('[data-handbook-search-result]') !== null")
    assert titles(page)[0] == "Phone banking"
    only_own_files(page, site)


def test_arrow_keys_and_enter_open_the_chosen_guide(page, site: Path) -> None:
    open_page(page, site)
    search_for(page, "door knocking")
    box = page.locator("[data-handbook-search-input]")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-activedescendant") is None
    assert titles(page)[0] == "Door knocking"
    page.keyboard.press("ArrowDown")
    first = page.locator("[data-handbook-search-result]").first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tactics/door-knocking/index.html")
    assert page.locator("h1").first.text_content().strip() == "Door knocking"
    only_own_files(page, site)


def test_escape_closes_the_results_then_clears_the_box(page, site: Path) -> None:
    open_page(page, site)
    search_for(page, "fund")
    box = page.locator("[data-handbook-search-input]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert page.locator("[data-hb-search-panel]").is_hidden()
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    only_own_files(page, site)


def test_topics_and_type_field_queries_narrow_the_results(page, site: Path) -> None:
    open_page(page, site)
    search_for(page, "topics:fundraising")
    assert set(titles(page)) == FUNDRAISING
    page.fill("[data-handbook-search-input]", "")
    search_for(page, "topics:direct-action")  # a hyphenated topic id is one value
    assert titles(page) == ["Door knocking"]
    page.fill("[data-handbook-search-input]", "")
    search_for(page, "type:case-study")
    assert set(titles(page)) == CASE_STUDIES
    page.fill("[data-handbook-search-input]", "")
    search_for(page, "money topics:fundraising")  # words rank, the field query filters
    assert set(titles(page)) <= FUNDRAISING
    only_own_files(page, site)


def hits(page) -> list[tuple[str, str]]:
    found = page.eval_on_selector_all(
        ".hb-search-hit", "els => els.map(e => [e.querySelector('.hb-search-badge').textContent, e.querySelector('h2').textContent])")
    return [tuple(hit) for hit in found]


def test_search_page_filters_narrow_and_keep_their_state_in_the_url(page, site: Path) -> None:
    open_page(page, site, "search/index.html?q=organising")
    page.wait_for_selector(".hb-search-hit")
    everything = hits(page)
    assert len({badge for badge, _ in everything}) > 1
    page.select_option("select[name=type]", "case-study")
    page.wait_for_function("() => [...document.querySelectorAll('.hb-search-hit .hb-search-badge')].every(b => b.textContent === 'Case study')")
    narrowed = hits(page)
    assert narrowed and {title for _, title in narrowed} <= CASE_STUDIES and len(narrowed) < len(everything)
    assert "type=case-study" in page.url and "q=organising" in page.url
    page.select_option("select[name=topic]", "fundraising")
    page.wait_for_function("() => document.querySelectorAll('.hb-search-hit').length === 1")
    assert hits(page) == [("Case study", "The rent strike fund")]
    assert "topic=fundraising" in page.url
    # The URL alone brings the same search back.
    url = page.url
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_selector(".hb-search-hit")
    assert page.locator("select[name=type]").input_value() == "case-study"
    assert page.locator("select[name=topic]").input_value() == "fundraising"
    assert page.locator("#hb-search-page-q").input_value() == "organising"
    assert hits(page) == [("Case study", "The rent strike fund")]
    assert page.locator("[data-hb-search-page-status]").text_content() == "1 result"
    # A type alone lists that type's guides.
    open_page(page, site, "search/index.html?type=funding-model")
    page.wait_for_selector(".hb-search-hit")
    assert {title for _, title in hits(page)} == {"House parties", "Street collections"}
    only_own_files(page, site)


def test_the_box_leads_to_the_search_page_with_the_query(page, site: Path) -> None:
    open_page(page, site, "tactics/phone-banking/index.html")
    page.click("[data-handbook-search-input]")
    page.keyboard.type("fund")
    page.keyboard.press("Enter")  # nothing chosen: all results
    page.wait_for_url("**/search/index.html?q=fund")
    page.wait_for_selector(".hb-search-hit")
    assert page.locator("#hb-search-page-q").input_value() == "fund"
    only_own_files(page, site)


def test_enter_before_the_search_code_arrives_still_opens_the_search_page(page, site: Path, tmp_path: Path) -> None:
    """On a slow phone the reader can type and press Enter before lazy/search.js has loaded: the
    form then submits itself, and from disk it must name search/index.html (a folder URL shows a
    directory listing, or nothing)."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "assets/handbook/lazy/search.js").unlink()  # the code never arrives
    open_page(page, copy, "tactics/phone-banking/index.html")
    page.click("[data-handbook-search-input]")
    page.keyboard.type("fund")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/index.html?q=fund")
    assert page.url.startswith((copy / "search/index.html").as_uri())


def chunk_rows(text: str) -> tuple[str, list]:
    """A chunk of what results show: the script up to its data, and the rows."""
    cut = text.index("]=") + 2
    return text[:cut], json.loads(text[cut:].rstrip().rstrip(";"))


def test_contributor_text_is_shown_as_text_with_matches_marked(page, site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    for chunk in (copy / "assets/handbook/search-docs").rglob("*.js"):
        head, rows = chunk_rows(chunk.read_text("utf-8"))
        for row in rows:
            if row[1] == "Phone banking":
                row[1] = 'Phone <img src=x onerror="window.pwned=1"> banking'
                row[2] = "<b>Calling</b> supporters & friends by phone"  # matches as well as any sentence: it stays shown
        chunk.write_text(head + json.dumps(rows) + ";\n", "utf-8")
    open_page(page, copy)
    search_for(page, "phone")
    option = page.locator("[data-handbook-search-result]").first
    assert option.locator(".hb-search-option__title").text_content() == 'Phone <img src=x onerror="window.pwned=1"> banking'
    assert option.locator(".hb-search-option__summary").text_content() == "<b>Calling</b> supporters & friends by phone"
    assert page.locator("[data-hb-search] img, [data-hb-search] b").count() == 0
    assert page.evaluate("window.pwned") is None
    assert option.locator("mark").all_text_contents() == ["Phone", "phone"]
    only_own_files(page, copy)


def test_combobox_wiring_for_screen_readers_and_visible_focus(page, site: Path) -> None:
    open_page(page, site)
    page.keyboard.press("/")  # jumps to the search box
    box = page.locator("[data-handbook-search-input]")
    assert page.evaluate("document.activeElement.matches('[data-handbook-search-input]')")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-autocomplete") == "list"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox" and listbox.get_attribute("aria-label")
    label = page.locator(f"label[for={box.get_attribute('id')}]")
    assert label.text_content().strip() == "Search the handbook"
    status = page.locator("[data-hb-search-status]")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("fundraising")
    page.wait_for_selector("[data-handbook-search-result]")
    options = page.locator("[role=option]")
    assert options.count() >= 4
    assert all(options.nth(i).get_attribute("id") for i in range(options.count()))
    page.wait_for_function("() => /^\\d+ results$/.test(document.querySelector('[data-hb-search-status]').textContent)")
    page.keyboard.type("zzzz")
    page.wait_for_function("() => document.querySelector('[data-hb-search-status]').textContent.startsWith('No results')")
    assert page.locator("[data-hb-search-empty]").text_content() == "No results for “fundraisingzzzz”"
    only_own_files(page, site)


# -- the browser's index answers like lunr.py's ---------------------------------------------------


def harness(folder: Path, docs: list[search.SearchDoc], shard_chars: int = search_shards.SHARD_CHARS) -> Path:
    """A bare page with the real search box partial, lunr.js, search.js and an index of ``docs``
    in shards of about ``shard_chars`` characters."""
    (folder / "assets").mkdir(parents=True)
    sharded = search_shards.sharded_index(docs, "en", shard_chars)
    (folder / "assets" / "index.js").write_bytes(search._script(search.INDEX_GLOBAL, "en", {**sharded.manifest, "build": "b"}))
    for n, shard in enumerate(sharded.shards):
        (folder / "assets" / "search-index" / "en").mkdir(parents=True, exist_ok=True)
        (folder / "assets" / "search-index" / "en" / f"{n}.js").write_bytes(search._script("handbookSearchShards", f"en/{n}@b", shard))
    rows = [[d.url, d.title, d.summary, d.type, list(d.topics), d.key] for d in docs]
    for n, chunk in enumerate(search_shards.store_chunks(rows)):
        (folder / "assets" / "search-docs" / "en").mkdir(parents=True, exist_ok=True)
        (folder / "assets" / "search-docs" / "en" / f"{n}.js").write_bytes(search._script("handbookSearchChunks", f"en/{n}@b", chunk))
    store = {"format": search.FORMAT, "types": {}, "topics": {}, "lang": "en", "build": "b", "chunk": search_shards.STORE_CHUNK,
             "translations": []}
    (folder / "assets" / "docs.js").write_bytes(search._script(search.DOCS_GLOBAL, "en", store))
    shutil.copy(Path(mkdocs.__file__).parent / search.LUNR_IN_MKDOCS, folder / "assets" / "lunr.js")
    shutil.copy(TEMPLATES / search.CODE_FILE, folder / "assets" / "search.js")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([TEMPLATES, Path(material.__file__).parent / "templates"]),
                             autoescape=True)
    env.filters["url"] = lambda value: value
    i18n.install(env)  # the partial's strings come from the message catalogues
    box = env.get_template("partials/handbook/search-box.html").render(
        base_url=".", page=None, handbook_search={"version": "test", "lunr": "assets/lunr.js", "page_url": "search.html",
                                                  "languages": {"en": ("assets/index.js", "assets/docs.js")},
                                                  "lang_of": lambda src: "en"})
    page = folder / "index.html"
    page.write_text(f"<!doctype html><html lang=en><meta charset=utf-8><title>harness</title>{box}"
                    "<script src='assets/search.js'></script></html>", "utf-8")
    return page


QUERIES = ["phone", "rent strike", "vote ballot decision", "topics:fundraising", "type:tactic", "title:union",
           "+union -rent", "neighbour*", "ta*", "fund~1"]


def test_the_browsers_index_answers_like_lunr_py(page, tmp_path: Path) -> None:
    import random

    rng = random.Random(11)
    words = ["organise", "meeting", "tenants", "union", "rent", "strike", "phone", "call", "list", "volunteer", "donate", "money", "grant", "fund", "party", "host", "story", "ask", "neighbour", "crowd", "share", "network", "map", "power", "target", "decision", "vote", "ballot"]
    types = ["tactic", "funding-model", "case-study"]

    def text(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k))

    docs = [search.SearchDoc(f"g{i}/", text(3), text(12), types[i % 3], tuple(rng.sample(["fundraising", "mutual-aid"], 1 + i % 2)),
                             text(rng.randint(10, 200))) for i in range(60)]
    index = search_index.lunr_index(docs)
    open_page(page, tmp_path, harness(tmp_path, docs).name)
    page.wait_for_function("() => window.handbookSearch !== undefined")
    page.evaluate("handbookSearch.ready().then(() => true)")
    for query in QUERIES:
        got = page.evaluate("async (q) => (await handbookSearch.engine(q)).index.search(q).map(r => [r.ref, r.score])", query)
        expected = [(r["ref"], r["score"]) for r in index.search(query)]
        assert {ref for ref, _ in got} == {ref for ref, _ in expected}, query
        scores = dict(expected)
        for ref, score in got:
            assert score == pytest.approx(scores[ref], rel=0.08, abs=0.02), (query, ref)
        if expected:
            best = max(s for _, s in expected)
            assert scores[got[0][0]] >= best * 0.9, query  # the top result is a top result
    only_own_files(page, tmp_path)


def test_search_files_an_earlier_build_left_in_a_cache_are_fetched_again(browser, site: Path) -> None:
    """Pages name the search files without a version, so a browser may hold an earlier build's
    results or sentences in its cache. Served here by a server that answers the plain address
    with an earlier build's files (as such a cache would), search still shows this build's."""
    import http.server
    import threading
    from functools import partial

    prefix = f'(window.{search.DOCS_GLOBAL}=window.{search.DOCS_GLOBAL}||{{}})["en"]='
    store = json.loads((site / search.DOCS_FILE).read_text("utf-8")[len(prefix):].rstrip().rstrip(";"))
    build, earlier = store["build"], "0" * 12
    stale = {"/" + search.DOCS_FILE: (prefix + json.dumps({**store, "build": earlier}) + ";\n").encode()}
    for chunk in (site / "assets/handbook/search-docs").rglob("*.js"):
        head, rows = chunk_rows(chunk.read_text("utf-8"))
        for row in rows:
            row[1] = row[1] + " (earlier build)"
        stale["/" + chunk.relative_to(site).as_posix()] = (head.replace(f"@{build}", f"@{earlier}") + json.dumps(rows) + ";\n").encode()
    for text in (site / search_passages.TEXT_FOLDER).rglob("*.js"):
        stale["/" + text.relative_to(site).as_posix()] = text.read_bytes().replace(f'@{build}"]='.encode(), f'@{earlier}"]='.encode())

    class EarlierCache(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name for it
            if self.path in stale:  # the plain address: what a cache kept
                body = stale[self.path]
                self.send_response(200)
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(EarlierCache, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        search_for(page, "zephyrquill")  # only in the body of the phone banking guide
        assert titles(page)[0] == "Phone banking"  # this build's results, not the earlier build's
        # The sentence that matched, from this build's sentence file (it replaces the summary once loaded).
        page.wait_for_function("() => /zephyrquill/i.test(document.querySelector('[data-handbook-search-result]').textContent)")
        assert any("search-docs.js?v=" in url for url in seen)  # fetched again, past the cache
        assert any("/search-docs/en/" in url and f"?v={build}" in url for url in seen)
        assert any("/search-text/" in url and f"?v={build}" in url for url in seen)
    finally:
        context.close()
        server.shutdown()
