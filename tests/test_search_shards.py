"""The sharded search index: the same answers as the whole index, for a fraction of the bytes.

search_shards.py cuts each language's index into runs of terms; search.js loads
the runs a query needs. A partial lunr index must rank exactly as the whole
one (lunr divides by the query's length only), so the browser's results are
compared between one shard and many; and at a few hundred generated guides
the files a reader loads before the first result must be a small part of
what the index weighs.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import material
import mkdocs
import pytest

from conftest import ROOT, foreign_requests
from handbook_build.site import i18n, search, search_index, search_shards, stemming
from test_search import decode_terms

TEMPLATES = ROOT / "handbook_build" / "templates"

ENGLISH = ["organise", "meeting", "tenants", "union", "rent", "strike", "phone", "call", "list", "volunteer", "donate",
           "money", "grant", "fund", "party", "host", "story", "ask", "neighbour", "crowd", "share", "network", "map",
           "power", "target", "decision", "vote", "ballot", "shares", "tenant", "calling", "organising", "lower"]
SWEDISH = ["organisera", "organiserade", "organiserar", "hyresgäster", "hyresgästerna", "strejk", "strejken", "möte",
           "mötet", "möten", "pengar", "insamling", "insamlingar", "grannar", "grannarna", "förening", "föreningen",
           "och", "att", "det", "som", "ringa", "ringde", "samtal", "samtalen", "fest", "fester", "vänner"]


def random_docs(words: list[str], n: int, lang: str, seed: int) -> list[search_index.SearchDoc]:
    rng = random.Random(seed)

    def text(k: int) -> str:
        return " ".join(rng.choice(words) for _ in range(k))

    types = ["tactic", "funding-model", "case-study"]
    return [search_index.SearchDoc(f"g{i}/", text(3), text(12), types[i % 3],
                                   tuple(rng.sample(["fundraising", "mutual-aid"], 1 + i % 2)), text(rng.randint(10, 120)),
                                   lang, key=f"g{i}.md") for i in range(n)]


# -- the shards hold the whole index --------------------------------------------------------------


def test_the_shards_together_are_the_whole_index_in_order() -> None:
    docs = random_docs(ENGLISH, 80, "en", 3)
    whole = search_index.levelled(docs)
    sharded = search_shards.sharded_index(docs, "en", limit=300)
    assert len(sharded.shards) > 5  # small shards: the test is about cutting
    terms = [term for shard in sharded.shards for term in decode_terms(shard[1])]
    assert terms == whole.terms
    assert decode_terms(sharded.manifest["shards"]) == [decode_terms(shard[1])[0] for shard in sharded.shards]
    # Each shard starts at the number of its first term, and has one posting string per term: a field each.
    for shard in sharded.shards:
        assert terms[shard[0]] == decode_terms(shard[1])[0]
        assert len(shard) - 2 == len(decode_terms(shard[1]))
        assert all(len(posting.split(" ")) == len(search_index.FIELDS) for posting in shard[2:])
    assert "vectors" not in sharded.manifest and sharded.manifest["docs"] == len(docs)


def test_a_snowball_languages_forms_are_cut_into_runs_that_hold_them_all() -> None:
    docs = random_docs(SWEDISH, 40, "sv", 5)
    whole = search_index.compact_index(docs, "sv")
    sharded = search_shards.sharded_index(docs, "sv", forms_chunk=4)
    assert len(sharded.forms) > 2 and "forms" in whole
    runs = [stemming.decode_forms(run[0]) for run in sharded.forms]
    assert {k: v for run in runs for k, v in run.items()} == stemming.decode_forms(whole["forms"])
    firsts = decode_terms(sharded.manifest["forms"])
    assert all(min(run, key=search_index.js_order) == first for run, first in zip(runs, firsts, strict=True))


# -- the browser: the same results from one shard and from many -----------------------------------------


def harness(folder: Path, docs: list[search_index.SearchDoc], lang: str, limit: int, forms_chunk: int) -> Path:
    """A bare page with the real search box, lunr.js and search.js, and ``docs`` cut into shards of
    ``limit`` characters, results in chunks, word forms in runs of ``forms_chunk``."""
    assets = folder / "assets"
    assets.mkdir(parents=True)
    sharded = search_shards.sharded_index(docs, lang, limit, forms_chunk)
    rows = [[d.url, d.title, d.summary, d.type, list(d.topics), d.key, 1] for d in docs]
    made = {"index.js": search._script(search.INDEX_GLOBAL, lang, {**sharded.manifest, "build": "b"}),
            "docs.js": search._script(search.DOCS_GLOBAL, lang, {"format": search.FORMAT, "types": {}, "topics": {}, "lang": lang,
                                                                 "build": "b", "chunk": search_shards.STORE_CHUNK, "translations": []})}
    for folder_name, parts in (("search-index", sharded.shards), ("search-forms", sharded.forms),
                               ("search-docs", search_shards.store_chunks(rows))):
        for n, data in enumerate(parts):
            made[f"{folder_name}/{lang}/{n}.js"] = search._script(search.PARTS[folder_name], f"{lang}/{n}@b", data)
    for name, data in made.items():
        (assets / name).parent.mkdir(parents=True, exist_ok=True)
        (assets / name).write_bytes(data)
    shutil.copy(Path(mkdocs.__file__).parent / search.LUNR_IN_MKDOCS, assets / "lunr.js")
    shutil.copy(TEMPLATES / search.CODE_FILE, assets / "search.js")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([TEMPLATES, Path(material.__file__).parent / "templates"]),
                             autoescape=True)
    env.filters["url"] = lambda value: value
    i18n.install(env)
    box = env.get_template("partials/handbook/search-box.html").render(
        base_url=".", page=None, handbook_search={"lunr": "assets/lunr.js", "page_url": "search.html",
                                                  "languages": {lang: ("assets/index.js", "assets/docs.js")},
                                                  "lang_of": lambda src: lang})
    page = folder / "index.html"
    page.write_text(f"<!doctype html><html lang={lang}><meta charset=utf-8><title>harness</title>{box}"
                    "<script src='assets/search.js'></script></html>", "utf-8")
    return page


def answers(page, folder: Path, queries: list[tuple[str, dict[str, str]]]) -> tuple[list, list[str]]:
    page.goto((folder / "index.html").as_uri())
    page.wait_for_function("() => window.handbookSearch !== undefined")
    got = [page.evaluate("([q, f]) => handbookSearch.search(q, f)", [query, filter_]) for query, filter_ in queries]
    assert foreign_requests(page) == []
    return got, [u for u in page.requests_seen if "/search-index/" in u]


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "words", "queries"), [
    ("en", ENGLISH, [("phone", {}), ("rent strike", {}), ("neighbour*", {}), ("organ", {}), ("vote ballot decision", {}),
                     ("type:tactic union", {}), ("+union -rent", {}), ("-rent", {}), ("tenants calling", {}),
                     ("money", {"type": "case-study"}), ("", {"topic": "mutual-aid"}), ("sharse", {})]),
    ("sv", SWEDISH, [("strejken", {}), ("organiserade möten", {}), ("hyresgäst", {}), ("insaml", {}),
                     ("föreningarna", {}), ("pengar", {"type": "tactic"}), ("ringer och", {})]),
])
def test_many_shards_answer_as_one_shard_does(page, tmp_path: Path, lang: str, words: list[str],
                                              queries: list[tuple[str, dict[str, str]]]) -> None:
    docs = random_docs(words, 120, lang, 7)
    harness(tmp_path / "one", docs, lang, 10**9, 10**6)
    harness(tmp_path / "many", docs, lang, 200, 3)
    whole, loaded_whole = answers(page, tmp_path / "one", queries)
    cut, loaded_cut = answers(page, tmp_path / "many", queries)
    assert len(list((tmp_path / "many" / "assets" / "search-index").rglob("*.js"))) > 10
    assert all(whole), "every query finds something"
    for (query, filter_), before, after in zip(queries, whole, cut, strict=True):
        assert after == before, (query, filter_)  # the same results, in the same order, with the same terms marked
    assert len(loaded_whole) == 1 and len(set(loaded_cut)) > 1


# -- a few hundred generated guides: what loads before the first result -----------------------------------


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shards")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300", str(root / "project")], check=True,
                   capture_output=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(root / "site")],
                            cwd=root / "project", env={**os.environ, "HANDBOOK_PDF": "false"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.mark.browser
@pytest.mark.slow
def test_a_search_loads_a_small_part_of_the_index(page, generated_site: Path) -> None:
    site = generated_site
    folders = [site / "assets/handbook" / folder for folder in search.PARTS]
    everything = {p: len(gzip.compress(p.read_bytes())) for folder in folders for p in folder.rglob("*.js")}
    everything.update({site / name: len(gzip.compress((site / name).read_bytes())) for name in (search.INDEX_FILE, search.DOCS_FILE)})
    page.goto((site / "index.html").as_uri())
    page.click("[data-handbook-search-input]")
    page.keyboard.type("brambleworth")  # the benchmarks' query: in a few of the generated guides
    page.wait_for_selector("[data-handbook-search-result]")
    shown = page.locator("[data-handbook-search-result]").count()
    loaded = {site / u.removeprefix(site.as_uri() + "/").split("?")[0] for u in page.requests_seen}
    index_files = [p for p in loaded if p in everything]
    shards = [p for p in index_files if "/search-index/" in p.as_posix()]
    total_shards = [p for p in everything if "/search-index/" in p.as_posix()]
    assert shown > 0 and len(total_shards) >= 5
    # The word's run of terms, and the runs of its first letters while it was typed.
    assert 0 < len(shards) <= 3 < len(total_shards), shards
    # The rows of results on screen (and of those shown on the way as the word was typed).
    chunks = [p for p in index_files if "/search-docs/" in p.as_posix()]
    assert len(chunks) <= 2 * shown
    share = sum(everything[p] for p in index_files) / sum(everything.values())
    assert share < 0.4, (share, sorted(p.name for p in index_files))
