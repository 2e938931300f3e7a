"""Search in several languages: one index per language, each with its own words (site/stemming.py).

The browser cannot run Snowball, so a Swedish index ships the word forms it
saw with their stems; ``browser_terms`` below turns a query word into terms
the way search.js does (the browser test in test_search_languages_browser.py
runs search.js itself on a built site).
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES
from handbook_build import checks
from handbook_build.content.schema import Schema
from handbook_build.site import search, search_index, stemming
from test_search import decode, decode_terms, load_script, store_rows

SV = "sv"

# Guide A says "organiserade" and "minuter"; guide B says "organiserar", "minuterna" and "minuters".
GUIDE_A = search_index.SearchDoc("sv/a/", "Telefonkampanj", "Att ringa sympatisörer och be dem göra något.", "tactic",
                                 ("organising",), "Förra våren organiserade vi samtalen i pass om tjugo minuter.", SV)
GUIDE_B = search_index.SearchDoc("sv/b/", "Dörrknackning", "Att prata med grannarna på deras egen trappa.", "tactic",
                                 ("organising",), "Gruppen organiserar en runda. Räkna med fem minuters samtal per "
                                 "dörr; de första minuterna avgör om folk lyssnar.", SV)
GUIDE_C = search_index.SearchDoc("sv/c/", "Husfester", "Vänner bjuder vänner och samlar in pengar.", "funding-model",
                                 ("fundraising",), "En kväll hemma hos någon, med mat och ett kort tal.", SV)
SWEDISH = [GUIDE_A, GUIDE_B, GUIDE_C]


def browser_terms(compact: dict, word: str) -> list[str]:
    """A reader's word as search.js turns it into terms for this index (see its ``analyzer``)."""
    word = stemming.trim(word.lower())
    if compact["analyzer"] == stemming.SNOWBALL:
        forms = stemming.decode_forms(compact["forms"])
        if word in forms:
            return [forms[word]] if forms[word] else []
        known = set(decode_terms(compact["terms"]))
        for k in range(len(word), max(2, math.ceil(len(word) / 2)) - 1, -1):
            if word[:k] in known:
                return [word[:k]]
        return [word]
    if compact["analyzer"] == stemming.BIGRAM:
        return stemming.Bigrams(compact["lang"]).of_text(word)
    return [word]


def found(docs: list[search_index.SearchDoc], lang: str, word: str) -> list[str]:
    """The urls of ``docs`` a reader's word finds, best first, as the browser asks lunr."""
    compact = search_index.compact_index(docs, lang)
    index = search_index.lunr_index(docs, analyzer=stemming.analyzer(lang))
    query = index.create_query()
    for term in browser_terms(compact, word):
        query.term(term, use_pipeline=False)
    return [docs[int(r["ref"])].url for r in index.query(query)]


# -- Swedish: Snowball stems, stop words, and the forms the browser needs ----------------------------


def test_a_swedish_index_holds_snowball_stems_and_no_stop_words() -> None:
    compact = search_index.compact_index(SWEDISH, SV)
    assert (compact["lang"], compact["analyzer"]) == (SV, stemming.SNOWBALL)
    terms = set(decode_terms(compact["terms"]))
    assert {"organiser", "minut", "grann", "samtal"} <= terms
    assert not {"organiserade", "organiserar", "grannarna"} & terms  # forms are stemmed...
    assert not {"och", "att", "om", "de", "med", "en"} & terms  # ...and stop words left out
    assert decode(compact)["body"][0]["organiser"] > 0


def test_an_inflected_form_found_only_in_another_guide_finds_the_guide() -> None:
    # "organiserar" is written only in guide B; guide A has "organiserade". Same stem, so A is found.
    assert "organiserar" not in GUIDE_A.body and "organiserade" in GUIDE_A.body
    assert set(found(SWEDISH, SV, "organiserar")) == {"sv/a/", "sv/b/"}
    assert set(found(SWEDISH, SV, "Organiserade")) == {"sv/a/", "sv/b/"}


def test_the_shipped_forms_stem_a_query_where_the_prefix_rule_would_not() -> None:
    # Snowball: "minuterna" -> "minut" but "minuters" -> "minuter", so the index has both terms and
    # the longest term "minuterna" starts with is the wrong one. The shipped form decides.
    compact = search_index.compact_index(SWEDISH, SV)
    assert {"minut", "minuter"} <= set(decode_terms(compact["terms"]))
    assert stemming.decode_forms(compact["forms"])["minuterna"] == "minut"
    assert browser_terms(compact, "minuterna") == ["minut"]
    assert set(found(SWEDISH, SV, "minuterna")) == {"sv/a/", "sv/b/"}  # A only says "minuter"


def test_a_form_the_handbook_never_uses_is_cut_to_the_longest_stem_it_starts_with() -> None:
    compact = search_index.compact_index(SWEDISH, SV)
    assert "organiserades" not in stemming.decode_forms(compact["forms"])
    assert browser_terms(compact, "organiserades") == ["organiser"]
    assert set(found(SWEDISH, SV, "organiserades")) == {"sv/a/", "sv/b/"}
    assert found(SWEDISH, SV, "organ") == []  # too short a start of "organiser" to count as it


def test_stop_words_are_shipped_as_forms_without_a_stem() -> None:
    forms = stemming.decode_forms(search_index.compact_index(SWEDISH, SV)["forms"])
    assert forms["och"] == "" and forms["att"] == ""
    assert found(SWEDISH, SV, "och") == []


def test_only_forms_that_change_are_shipped() -> None:
    forms = stemming.decode_forms(search_index.compact_index(SWEDISH, SV)["forms"])
    stems = {form: stem for form, stem in forms.items() if stem}
    assert stems and all(form != stem for form, stem in stems.items())
    assert "samtal" not in forms  # its own stem
    assert forms["grannarna"] == "grann"


@given(st.dictionaries(st.text(alphabet="abcdeåäö'", min_size=1, max_size=40),
                       st.text(alphabet="abcdeåäö", min_size=1, max_size=40)))
def test_forms_survive_their_encoding(forms: dict[str, str]) -> None:
    decoded = stemming.decode_forms(stemming.forms_code(forms))
    assert all(decoded[form] == forms[form] for form in decoded)
    # Left out only when more than 35 characters would have to be cut from the form.
    assert {f for f in forms if f not in decoded} == {f for f, s in forms.items()
                                                    if len(f) - stemming._shared(f, s, len(f)) > 35}


def test_the_forms_cost_less_than_a_plain_map() -> None:
    analyzer = stemming.analyzer(SV)
    analyzer.of_text(" ".join(d.body + " " + d.summary for d in SWEDISH) * 3)
    assert len(stemming.forms_code(analyzer.forms)) < 0.6 * len(json.dumps(analyzer.forms, ensure_ascii=False))


# -- Chinese and Japanese: character pairs -------------------------------------------------------------

CHINESE = [
    search_index.SearchDoc("zh/a/", "上门拜访", "志愿者在邻居家门口和他们面对面交谈。", "tactic", (), "志愿者两人一组，挨家挨户敲门。", "zh"),
    search_index.SearchDoc("zh/b/", "电话动员", "有组织地给支持者打电话，请他们行动。", "tactic", (), "准备一份名单和一段说明。", "zh"),
]


def test_chinese_text_is_indexed_as_overlapping_character_pairs() -> None:
    assert stemming.analyzer("zh").of_text("敲门，志愿者 A Test 人") == ["敲门", "志愿", "愿者", "a", "test", "人"]
    compact = search_index.compact_index(CHINESE, "zh")
    assert compact["analyzer"] == stemming.BIGRAM and compact["cjk"] == stemming.CJK_CLASS
    assert {"邻居", "组织", "敲门"} <= set(decode_terms(compact["terms"]))


@pytest.mark.parametrize(("query", "urls"), [("邻居", ["zh/a/"]), ("组织", ["zh/b/"]), ("挨家挨户", ["zh/a/"]),
                                             ("志愿者", ["zh/a/"]), ("名单", ["zh/b/"])])
def test_a_two_character_chinese_query_finds_its_guide(query: str, urls: list[str]) -> None:
    assert found(CHINESE, "zh", query) == urls


def test_japanese_kana_and_kanji_are_paired_too() -> None:
    docs = [search_index.SearchDoc("ja/a/", "戸別訪問", "近所の人と玄関先で話します。", "tactic", (), "ボランティアが二人一組で回ります。", "ja")]
    assert stemming.analyzer("ja-JP").kind == stemming.BIGRAM
    assert found(docs, "ja", "玄関") == ["ja/a/"]
    assert found(docs, "ja", "ボラ") == ["ja/a/"]


# -- which analyzer for which language -----------------------------------------------------------------


@pytest.mark.parametrize(("tag", "kind"), [("en", stemming.LUNR), ("en-GB", stemming.LUNR), ("sv", stemming.SNOWBALL),
                                           ("pt-BR", stemming.SNOWBALL), ("nb", stemming.SNOWBALL), ("zh-Hant", stemming.BIGRAM),
                                           ("ja", stemming.BIGRAM), ("ko", stemming.PLAIN), ("xx", stemming.PLAIN)])
def test_each_language_tag_gets_its_analyzer(tag: str, kind: str) -> None:
    assert stemming.analyzer(tag).kind == kind


def test_english_keeps_lunrs_pipeline_and_ships_no_forms() -> None:
    compact = search_index.compact_index([search_index.SearchDoc("a/", "Organising the tenants", "", "tactic")], "en")
    assert compact["analyzer"] == stemming.LUNR and "forms" not in compact
    assert set(decode_terms(compact["terms"])) == {"organis", "tenant", "tactic"}  # "the" is lunr's stop word


# -- a handbook in three languages ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def handbook():
    handbook, problems = checks.load_and_check(FIXTURES / "search-languages" / "content", Schema.load(None))
    assert not problems.errors, problems
    return handbook


def pages(handbook) -> list[search.PageText]:
    out = [search.PageText(g.path, g.path.replace(".md", "/"), g.title, g.body) for g in handbook.all_files()]
    out.append(search.PageText("about.sv.md", "about.sv/", "Om handboken", "Vem som skriver handboken."))
    out.append(search.PageText("about.md", "about/", "About", "Who writes the handbook."))
    return out


def test_every_language_gets_an_index_and_results_of_its_own(handbook) -> None:
    files = search.search_files(handbook, pages(handbook))
    assert files.default == "en"
    assert files.languages == {
        "en": ("assets/handbook/search-index.js", "assets/handbook/search-docs.js"),
        "sv": ("assets/handbook/search-index.sv.js", "assets/handbook/search-docs.sv.js"),
        "zh": ("assets/handbook/search-index.zh.js", "assets/handbook/search-docs.zh.js"),
    }
    titles = {}
    for lang, (index_name, docs_name) in files.languages.items():
        index = load_script(files.files[index_name], search.INDEX_GLOBAL, lang)
        store = load_script(files.files[docs_name], search.DOCS_GLOBAL, lang)
        assert index["lang"] == store["lang"] == lang
        titles[lang] = {row[1] for row in store_rows(files.files, lang)}
    assert titles["sv"] == {"Dörrknackning", "Telefonkampanj", "Om handboken"}
    assert titles["zh"] == {"上门拜访"}
    assert {"Door knocking", "Phone banking", "About"} <= titles["en"] and not titles["en"] & titles["sv"]
    # A translation shares its original's key: search.js lists a guide once, in the reader's language first.
    assert {row[5] for row in store_rows(files.files, "sv")} == {"tactics/door-knocking.md", "tactics/phone-banking.md", "about.md"}


def test_a_page_searches_its_own_language_first(handbook) -> None:
    files = search.search_files(handbook, pages(handbook))
    lang_of = search.template_globals(files, handbook, page_url="search/")["lang_of"]
    assert lang_of("tactics/door-knocking.sv.md") == "sv"
    assert lang_of("tactics/door-knocking.zh.md") == "zh"
    assert lang_of("about.sv.md") == "sv"
    assert lang_of("tactics/door-knocking.md") == "en" and lang_of("index.md") == "en" and lang_of("") == "en"


def test_a_page_in_a_language_the_plugin_names_is_indexed_in_it(handbook) -> None:
    page = search.PageText("sv/om.md", "sv/om/", "Om oss", "Vi organiserar.", lang="sv")
    docs = search.documents(handbook, [page])
    assert [(d.url, d.lang) for d in docs] == [("sv/om/", "sv")]
