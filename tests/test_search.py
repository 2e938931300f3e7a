"""The search index on plain data (handbook_build/search.py), and what a build writes.

The compact form is decoded here the way search.js decodes it, and compared
with lunr.py's own index of the same documents: same terms, same documents,
scores within one quantisation step.
"""

from __future__ import annotations

import gzip
import json
import math
import random
import re
from pathlib import Path

import mkdocs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, Project
from handbook_build import checks
from handbook_build.content.schema import Schema
from handbook_build.site import search, search_index, search_passages

# -- a decoder, as search.js does it ------------------------------------------------------------


def load_script(data: bytes, name: str, lang: str = "en") -> dict:
    text = data.decode("utf-8")
    prefix, suffix = f"(window.{name}=window.{name}||{{}})[{json.dumps(lang)}]=", ";\n"
    assert text.startswith(prefix) and text.endswith(suffix), text[:80]
    return json.loads(text[len(prefix):-len(suffix)])


def load_part(data: bytes) -> list:
    """A shard, a chunk of results or a run of word forms (its key names the build: "en/0@<build>")."""
    text = data.decode("utf-8")
    assert text.endswith(";\n") and "@" in text[:200], text[:80]
    return json.loads(text[text.index("]=") + 2:-2])


def parts(files: dict[str, bytes], folder: str, lang: str = "en") -> list[list]:
    """Every part of one kind of a language, in order."""
    out, n = [], 0
    while (name := search.part_file(folder, lang, n)) in files:
        out.append(load_part(files[name]))
        n += 1
    return out


def store_rows(files: dict[str, bytes], lang: str = "en") -> list[list]:
    """What results show, every document's row, from the chunks."""
    return [row for chunk in parts(files, "search-docs", lang) for row in chunk]


def shard_terms(files: dict[str, bytes], lang: str = "en") -> list[str]:
    return [term for shard in parts(files, "search-index", lang) for term in decode_terms(shard[1])]


def decode_terms(coded: str) -> list[str]:
    terms, previous = [], ""
    for item in coded.split(" "):
        previous = previous[: int(item[0], 36)] + item[1:]
        terms.append(previous)
    return terms


def decode_row(row: str, low: float, high: float) -> list[tuple[int, float]]:
    value = {c: i for i, c in enumerate(search_index._DIGITS)}
    step = math.log(high / low) / (search_index._LEVELS - 1) if high > low else 0.0
    out, term, i = [], -1, 0
    while i < len(row):
        gap, digit = 0, value[row[i]]
        i += 1
        while digit >= search_index._FINAL:
            gap = gap * search_index._MORE + digit - search_index._FINAL
            digit = value[row[i]]
            i += 1
        term += gap * search_index._FINAL + digit + 1
        out.append((term, low * math.exp(step * value[row[i]])))
        i += 1
    return out


def decode(compact: dict) -> dict[str, dict[int, dict[str, float]]]:
    """field -> ref -> term -> score"""
    terms = decode_terms(compact["terms"])
    out: dict[str, dict[int, dict[str, float]]] = {}
    for f, field in enumerate(compact["fields"]):
        low, high = compact["scales"][f]
        out[field] = {ref: {terms[t]: score for t, score in decode_row(row, low, high)}
                      for ref, row in enumerate(compact["vectors"][f])}
    return out


WORDS = ["organise", "meeting", "tenants", "union", "rent", "strike", "phone", "call", "list", "volunteer", "donate", "money", "grant", "fund", "party", "host", "story", "ask", "neighbour", "crowd", "share", "network", "map", "power", "target", "decision", "vote", "ballot"]


def some_docs(n: int = 30, seed: int = 4) -> list[search_index.SearchDoc]:
    rng = random.Random(seed)
    types = ["tactic", "funding-model", "case-study"]
    topics = ["fundraising", "distributed-organising", "mutual-aid"]

    def text(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    return [search_index.SearchDoc(url=f"g/{i:03d}/", title=text(3).capitalize(), summary=text(12), type=types[i % 3],
                             topics=tuple(rng.sample(topics, 1 + i % 2)), body=text(rng.randint(20, 300)))
            for i in range(n)]


# -- the compact index --------------------------------------------------------------------------


def test_compact_index_holds_lunr_py_index_within_one_score_step() -> None:
    docs = some_docs()
    index = search_index.lunr_index(docs)
    compact = search_index.compact_index(docs)
    decoded = decode(compact)
    terms = sorted(index.inverted_index)
    assert decode_terms(compact["terms"]) == terms
    by_number = {index.inverted_index[t]["_index"]: t for t in terms}
    for field, _boost in search_index.FIELDS:
        low, high = compact["scales"][compact["fields"].index(field)]
        step = math.log(high / low) / (search_index._LEVELS - 1)
        for ref in range(len(docs)):
            elements = index.field_vectors[f"{field}/{ref}"].elements
            expected = {by_number[elements[i]]: elements[i + 1] for i in range(0, len(elements), 2)}
            got = decoded[field][ref]
            assert got.keys() == expected.keys(), (field, ref)
            for term, score in expected.items():
                assert abs(math.log(got[term] / score)) <= step / 2 + 1e-3, (field, ref, term, score, got[term])


def test_our_builder_indexes_exactly_as_lunr_py_builder_add() -> None:
    from lunr.builder import Builder

    docs = some_docs(40)
    ours, theirs = search_index.lunr_index(docs), search_index.lunr_index(docs, Builder())
    assert {t: p["_index"] for t, p in ours.inverted_index.items()} == {t: p["_index"] for t, p in theirs.inverted_index.items()}
    assert {t: {f: set(p[f]) for f, _ in search_index.FIELDS} for t, p in ours.inverted_index.items()} == \
        {t: {f: set(p[f]) for f, _ in search_index.FIELDS} for t, p in theirs.inverted_index.items()}
    assert {ref: v.elements for ref, v in ours.field_vectors.items()} == {ref: v.elements for ref, v in theirs.field_vectors.items()}


def test_our_scores_are_lunr_py_scores_exactly() -> None:
    """search_index.scored works lunr.py's BM25 out without lunr.Vector: lunr.py's own Builder is the oracle,
    over guides, a page (document boost) and a topic without a body (empty fields)."""
    from lunr.builder import Builder

    from handbook_build.site import stemming

    docs = [*some_docs(60, seed=9), search_index.SearchDoc("about/", "About us", "Who we are", search_index.PAGE, body="we organise"),
            search_index.SearchDoc("topics/mutual-aid/", "Mutual aid", "Helping each other", search_index.TOPIC)]
    theirs = search_index.lunr_index(docs, Builder())
    ours = search_index.scored(docs, stemming.LunrEnglish())
    assert ours.terms == {term: posting["_index"] for term, posting in theirs.inverted_index.items()}
    flat = {f"{field}/{ref}": [x for pair in pairs for x in pair] for (field, ref), pairs in ours.vectors.items()}
    assert flat == {ref: vector.elements for ref, vector in theirs.field_vectors.items()}
    assert any(score != round(score) for pairs in ours.vectors.values() for _, score in pairs)  # real scores, compared exactly


def test_topics_and_type_are_whole_terms_so_field_queries_match_them() -> None:
    docs = some_docs(6)
    index = search_index.lunr_index(docs)
    assert "distributed-organis" in index.inverted_index  # one term, stemmed like any query term
    assert "case-studi" in index.inverted_index
    assert not {"distribut", "studi"} & set(index.inverted_index)
    fundraising = {str(i) for i, d in enumerate(docs) if "fundraising" in d.topics}
    assert {r["ref"] for r in index.search("topics:fundraising")} == fundraising
    # lunr.js reads "-" as a separator in a query; search.js passes field values whole.
    found = {r["ref"] for r in index.query(index.create_query().term("distributed-organising", fields=["topics"]))}
    assert found == {str(i) for i, d in enumerate(docs) if "distributed-organising" in d.topics}
    found = {r["ref"] for r in index.query(index.create_query().term("case-study", fields=["type"]))}
    assert found == {str(i) for i, d in enumerate(docs) if d.type == "case-study"}


def test_title_match_ranks_above_body_match() -> None:
    docs = [search_index.SearchDoc("a/", "Door knocking", "Talking to people at home.", "tactic", ("organising",),
                             "Walk a street with a list. " * 3),
            search_index.SearchDoc("b/", "Phone banking", "Calling supporters.", "tactic", ("organising",),
                             "When nobody answers, try door knocking later. " * 3)]
    results = search_index.lunr_index(docs).search("knocking")
    assert [r["ref"] for r in results] == ["0", "1"]


@given(st.integers(min_value=0, max_value=10**7))
def test_any_term_gap_survives_the_encoding(gap: int) -> None:
    row = search_index.encode_pairs([(gap, 0)])
    assert decode_row(row, 1.0, 1.0) == [(gap, 1.0)]


@given(st.lists(st.text(alphabet="abcdefghij'-é", min_size=1, max_size=50), min_size=1, unique=True))
def test_front_coding_round_trips(words: list[str]) -> None:
    words = sorted(words, key=search_index.js_order)
    assert decode_terms(search_index.front_code(words)) == words


def test_terms_are_in_javascript_order() -> None:
    # lunr.js refuses terms out of order, and JavaScript compares UTF-16 code units.
    terms = ["\U0001f600x", "\uffefy", "zeta", "alpha"]
    assert sorted(terms, key=search_index.js_order) == ["alpha", "zeta", "\U0001f600x", "\uffefy"]


def test_index_is_far_smaller_than_the_text_it_indexes() -> None:
    docs = some_docs(200)
    index_gz = len(gzip.compress(json.dumps(search_index.compact_index(docs)).encode()))
    text_gz = len(gzip.compress(" ".join(d.body for d in docs).encode()))
    assert index_gz < text_gz * 0.8, (index_gz, text_gz)


# -- documents, results, files -----------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_handbook():
    handbook, problems = checks.load_and_check(FIXTURES / "mini" / "content", Schema.load(None))
    assert not problems.errors
    return handbook


def pages_of(handbook) -> list[search.PageText]:
    pages = [search.PageText(g.path, g.path.replace(".md", "/"), g.title, f"{g.title} body words zephyrquill")
             for g in handbook.all_files()]
    pages.append(search.PageText("topics/fundraising.md", "topics/fundraising/", "Fundraising", ""))
    pages.append(search.PageText("about.md", "about/", "About", "Who writes this handbook.", "About us"))
    pages.append(search.PageText("tactics/index.md", "tactics/", "Tactics", ""))  # a generated list: no text
    return pages


def test_documents_are_guides_topics_and_pages_with_text(mini_handbook) -> None:
    docs = search.documents(mini_handbook, pages_of(mini_handbook))
    kinds = {d.url: d.type for d in docs}
    assert kinds == {"about/": "page", "case-studies/the-big-call/": "case-study", "funding-models/house-parties/": "funding-model",
                     "tactics/phone-banking/": "tactic", "topics/fundraising/": "topic"}
    phone = next(d for d in docs if d.type == "tactic")
    assert (phone.title, phone.topics) == ("Phone banking", ("organising", "fundraising"))
    assert phone.summary == "Calling supporters in an organised way to ask them to act."
    topic = next(d for d in docs if d.type == "topic")
    assert (topic.title, topic.summary) == ("Fundraising", "Raising money from the people who believe in the work.")


def test_a_draft_never_reaches_the_index(mini_handbook) -> None:
    guide = mini_handbook.guide("house-parties")
    guide.meta.data["draft"] = True
    try:
        docs = search.documents(mini_handbook, pages_of(mini_handbook))
    finally:
        del guide.meta.data["draft"]
    assert "funding-models/house-parties/" not in {d.url for d in docs}


def test_results_store_what_a_result_shows_and_no_body_text(mini_handbook) -> None:
    files = search.search_files(mini_handbook, pages_of(mini_handbook)).files
    store = load_script(files[search.DOCS_FILE], search.DOCS_GLOBAL)
    assert ["tactics/phone-banking/", "Phone banking", "Calling supporters in an organised way to ask them to act.",
            "tactic", ["organising", "fundraising"], "tactics/phone-banking.md", 1] in store_rows(files)
    assert store["types"]["case-study"] == "Case study" and store["types"]["topic"] == "Topic"
    assert store["topics"] == {"fundraising": "Fundraising", "organising": "Organising"}
    # Body words are searchable, never shipped as text.
    assert not [name for name, data in files.items() if b"zephyrquill" in data and "search-text/" not in name]
    assert "zephyrquil" in shard_terms(files)  # stemmed, as lunr keeps it


def test_two_builds_of_the_same_handbook_give_the_same_bytes(mini_handbook) -> None:
    first = search.search_files(mini_handbook, pages_of(mini_handbook))
    second = search.search_files(mini_handbook, list(reversed(pages_of(mini_handbook))))
    assert first.files == second.files and first.version == second.version
    assert re.fullmatch(r"[0-9a-f]{10}", first.version)


def test_text_that_looks_like_markup_cannot_end_the_script(mini_handbook) -> None:
    doc = search_index.SearchDoc("x/", "A </script><script>alert(1)</script> title", "s", "tactic")
    data = search._script(search.DOCS_GLOBAL, "en", {"docs": [[doc.url, doc.title]]})
    assert b"</script" not in data.lower()
    assert load_script(data, search.DOCS_GLOBAL)["docs"][0][1] == doc.title


def test_text_of_keeps_what_a_reader_sees() -> None:
    html = ("<h2>What it is</h2><p>A <em>phone</em>&nbsp;bank &amp; more</p><script>var hidden = 1</script>"
            "<style>p{}</style><ul><li>one</li><li>two</li></ul><pre><code>make list</code></pre>")
    # One line per block, so search_passages.py can cut the text into sentences.
    assert search.text_of(html) == "What it is\nA phone bank & more\none\ntwo\nmake list"


def test_filters_list_types_and_topics(mini_handbook) -> None:
    options = search.filter_options(mini_handbook)
    assert options["types"] == [("tactic", "Tactics"), ("funding-model", "Funding models"), ("case-study", "Case studies")]
    assert options["topics"] == [("fundraising", "Fundraising"), ("organising", "Organising")]


def test_missing_lunr_js_is_a_clear_error(tmp_path: Path, mini_handbook) -> None:
    files = search.search_files(mini_handbook, pages_of(mini_handbook))
    with pytest.raises(search.SearchError, match=r"lunr\.js from the installed mkdocs package.*search: false"):
        search.write(files, tmp_path, tmp_path / "nowhere" / "lunr.js")


# -- real builds ---------------------------------------------------------------------------------


def search_outputs(site: Path) -> dict[str, bytes]:
    names = [search.INDEX_FILE, search.DOCS_FILE, search.LUNR_FILE]
    names += [p.relative_to(site).as_posix() for folder in search.PARTS for p in sorted((site / "assets/handbook" / folder).rglob("*.js"))]
    return {name: (site / name).read_bytes() for name in names}


@pytest.mark.slow
def test_build_writes_index_lunr_and_search_page_reproducibly(mini: Project, tmp_path: Path) -> None:
    result = mini.build()
    assert result.returncode == 0, result.stderr
    first = search_outputs(mini.site)
    result = mini.build("-d", str(tmp_path / "again"))
    assert result.returncode == 0, result.stderr
    assert search_outputs(tmp_path / "again") == first
    # lunr.js is the one inside the installed mkdocs package, byte for byte.
    assert first[search.LUNR_FILE] == (Path(mkdocs.__file__).parent / search.LUNR_IN_MKDOCS).read_bytes()
    store = load_script(first[search.DOCS_FILE], search.DOCS_GLOBAL)
    assert {row[1] for row in store_rows(first)} >= {"Phone banking", "House parties", "The big call", "Fundraising"}
    page = (mini.site / "search" / "index.html").read_text("utf-8")
    assert 'data-hb-search-page' in page and '<option value="case-study">Case studies</option>' in page
    home = (mini.site / "index.html").read_text("utf-8")
    assert 'role="combobox"' in home and "search-index.js " in home and 'data-lang="en"' in home
    # The page names the files without a version (so one guide's edit does not change every page);
    # each file says which build made it, the same build for all of them.
    index = load_script(first[search.INDEX_FILE], search.INDEX_GLOBAL)
    assert "?v=" not in home and re.fullmatch(r"[0-9a-f]{12}", store["build"]) and index["build"] == store["build"]
    texts = [f.read_text("utf-8") for f in (mini.site / search_passages.TEXT_FOLDER).rglob("*.js")]
    texts += [data.decode() for name, data in first.items() if name.count("/") > 3]  # shards and chunks
    assert texts and all(f'@{store["build"]}"]=' in text for text in texts)
    assert "search-index.js" not in re.sub(r'data-languages="[^"]*"', "", home)  # loaded on demand, not by the page


@pytest.mark.slow
def test_search_can_be_turned_off(mini: Project) -> None:
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      search: false\n"), "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    assert not (mini.site / search.INDEX_FILE).exists() and not (mini.site / "search").exists()
    assert 'role="combobox"' not in (mini.site / "index.html").read_text("utf-8")
