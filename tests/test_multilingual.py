"""A handbook in three languages (tests/fixtures/multilingual: English, Swedish, Chinese).

The fast tests ask the core and the command line; the slow ones build the site with
MkDocs and read the HTML: one tree per language, <html lang> on every page, fallback
guides marked and in the reader's interface, the switcher, the status pages.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import FIXTURES, Project, _copy_project
from handbook_build.content import loader
from handbook_build.content.schema import Schema
from handbook_build.site import i18n, localized
from handbook_build.site.languages import Languages

LANGS = ("en", "sv", "zh")


@pytest.fixture
def ml(tmp_path: Path) -> Project:
    return _copy_project(FIXTURES / "multilingual", tmp_path / "multilingual")


@pytest.fixture(scope="module")
def built_ml(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = _copy_project(FIXTURES / "multilingual", tmp_path_factory.mktemp("built-ml") / "multilingual")
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    return project


def handbook():
    loaded, problems = loader.load(FIXTURES / "multilingual" / "content", Schema.load())
    assert not problems.errors, problems.errors
    return loaded


# -- a small HTML reader: elements with their attributes, text outside given parts ---------


class Page(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.chrome: list[str] = []  # text a reader sees that is not the page's own words
        self.feed(path.read_text("utf-8"))

    def _content(self) -> bool:
        """Inside the guide's own words, a script or style, or text marked as another language."""
        for tag, attrs in self.stack:
            classes = set(attrs.get("class", "").split())
            if tag in ("script", "style", "title") or "hb-guide-body" in classes:
                return True
            if "lang" in attrs and tag != "html":
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.elements.append((tag, found))
        if tag not in self.VOID:
            self.stack.append((tag, found))
        if not self._content():
            self.chrome.extend(found[a] for a in ("aria-label", "placeholder", "title") if found.get(a))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._content():
            self.chrome.append(text)

    def html_lang(self) -> str:
        return next(attrs.get("lang", "") for tag, attrs in self.elements if tag == "html")

    def all(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and (cls is None or cls in a.get("class", "").split())]

    def target(self, href: str) -> Path:
        return (self.path.parent / unquote(urlsplit(href).path)).resolve()


def tree_of(site: Path, page: Path) -> str:
    first = page.relative_to(site).parts[0]
    return first if first in LANGS[1:] else "en"


# -- the core -------------------------------------------------------------------------------


def test_the_languages_are_the_site_language_then_the_configured_ones_named_in_themselves() -> None:
    languages = Languages.declare(handbook(), {"en": "English", "sv": "Svenska", "zh": "中文"})
    assert languages.codes == LANGS
    assert languages.names == {"en": "English", "sv": "Svenska", "zh": "中文"}
    unnamed = Languages.declare(handbook())  # from the translations alone, named by Babel
    assert unnamed.names == {"en": "English", "sv": "Svenska", "zh": "中文"}
    assert unnamed.src_in("sv", "tactics/door-knocking.md") == "sv/tactics/door-knocking.md"
    assert unnamed.split("zh/topics/index.md") == ("zh", "topics/index.md")


def test_topic_titles_and_schema_labels_fall_back_key_by_key() -> None:
    book = handbook()
    zh = localized.handbook(book, "zh")
    assert zh.topics["organising"].title == "组织工作"
    assert zh.topics["organising"].description == book.topics["organising"].description  # no zh description: English
    sv = localized.handbook(book, "sv")
    assert sv.topics["fundraising"].title == "Insamling"
    tactic = sv.types["tactic"]
    assert (tactic.label, tactic.plural) == ("Taktik", "Taktiker")
    difficulty = next(f for f in tactic.key_facts if f.name == "difficulty")
    assert difficulty.label == "Svårighetsgrad"
    assert localized.fact("beginner", difficulty, "sv") == "Nybörjare"
    assert localized.fact("beginner", difficulty, "zh") == "Beginner"  # no zh value: the English, capitalised
    assert localized.fact(True, None, "sv") == "Ja"


def test_the_swedish_interface_catalogue_is_complete_and_dates_follow_the_language() -> None:
    assert i18n.missing("sv") == []
    assert i18n.gettext("sv", "Related") == "Relaterat"
    assert i18n.ngettext("sv", "%(num)d guide", "%(num)d guides", 2) == "%(num)d guider"
    assert i18n.format_date("2026-03-02", "sv") == "2 mars 2026"
    assert i18n.format_date("2026-03-02", "en") == "March 2, 2026"
    assert len(i18n.missing("zh")) == len(i18n.template_messages())  # no Chinese catalogue: every string


def test_check_warns_at_the_translated_from_line_of_an_outdated_translation(ml: Project) -> None:
    result = ml.check()
    assert result.returncode == 0, result.stdout + result.stderr  # warnings only
    lines = result.stdout.splitlines()
    assert ("content/funding-models/rent-parties.sv.md:6:18: warning: the original content/funding-models/rent-parties.md "
            "was updated on 2026-02-15, after the version this translation follows (2026-01-01) (bring the translation "
            "up to date with the original, then set 'translated_from: 2026-02-15')") in lines
    assert any(line.startswith("content/tactics/door-knocking.zh.md:6:18: warning: the original") for line in lines)
    assert not any("door-knocking.sv.md" in line for line in lines)  # up to date


def test_check_warns_about_a_translation_without_translated_from_and_missing_interface_strings(ml: Project) -> None:
    path = ml.content / "tactics/door-knocking.sv.md"
    path.write_text(path.read_text("utf-8").replace("translated_from: 2026-03-01\n", ""), "utf-8")
    lines = ml.check().stdout.splitlines()
    assert ("content/tactics/door-knocking.sv.md:2:1: warning: this translation does not say which version of "
            "content/tactics/door-knocking.md it follows (add 'translated_from: 2026-03-01' (the original's 'updated') "
            "once it matches that version)") in lines
    chinese = [line for line in lines if "interface strings" in line]
    assert len(chinese) == 1 and chinese[0].startswith("content/tactics/door-knocking.zh.md:1: warning: the handbook has "
                                                       "Chinese (zh) pages but no Chinese (zh) interface strings")


def test_handbook_translations_lists_every_guide_with_counts(ml: Project) -> None:
    text = ml.run("handbook", "translations")
    assert text.returncode == 0, text.stderr
    assert "sv (Swedish): 1 translated, 1 outdated, 2 missing" in text.stdout
    assert "zh (Chinese): 0 translated, 1 outdated, 3 missing" in text.stdout
    assert re.search(r"outdated +funding-model/rent-parties +Hyresfester +\(original updated 2026-02-15; "
                     r"translation follows 2026-01-01\)", text.stdout)
    data = json.loads(ml.run("handbook", "translations", "--format", "json").stdout)
    assert data["default"] == "en"
    assert {g["slug"]: g["status"] for g in data["languages"]["sv"]["guides"]} == {
        "door-knocking": "translated", "phone-trees": "missing", "rent-parties": "outdated", "the-cold-winter": "missing"}
    only = json.loads(ml.run("handbook", "translations", "--format", "json", "--lang", "zh").stdout)
    assert list(only["languages"]) == ["zh"]
    wrong = ml.run("handbook", "translations", "--lang", "fr")
    assert wrong.returncode != 0 and "no 'fr' translations" in wrong.stderr and "Traceback" not in wrong.stderr


# -- the built site -----------------------------------------------------------------------


@pytest.mark.slow
def test_every_language_has_the_whole_site_and_every_page_says_its_language(built_ml: Project) -> None:
    site = built_ml.site
    pages = sorted(p for p in site.rglob("*.html"))
    root = {p.relative_to(site).as_posix() for p in pages if tree_of(site, p) == "en"} - {"404.html"}
    assert {"index.html", "search.html", "tactics/door-knocking.html", "tactics/phone-trees.html", "topics/organising.html",
            "licence.html", "translations.html", "about.html", "contributing.html", "tactics/index.html"} <= root
    for lang in LANGS[1:]:
        assert {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")} == root, lang
    assert not list(site.rglob("*.sv.html")) and not list(site.rglob("*.zh.html"))  # translations are not published twice
    for path in pages:
        assert Page(path).html_lang() == tree_of(site, path), path


@pytest.mark.slow
def test_a_fallback_guide_keeps_the_readers_interface_and_marks_its_own_language(built_ml: Project) -> None:
    site = built_ml.site
    page = Page(site / "sv/tactics/phone-trees.html")
    notice = " ".join(page.chrome)
    assert "Inte översatt än: du läser originalet på engelska." in notice
    (body,) = page.all("div", "hb-guide-body")
    assert body["lang"] == "en"
    assert page.all("h1", "hb-guide-header__title")[0]["lang"] == "en"
    help_link = next(a for a in page.all("a") if a.get("href", "").endswith("contributing.html") and "hb-" not in a.get("class", ""))
    assert page.target(help_link["href"]) == (site / "sv/contributing.html").resolve()
    # Lists put translated guides first, the fallback after it with a badge in the reader's language.
    index = Page(site / "sv/tactics/index.html")
    cards = [page_card["href"] for page_card in index.all("a", "hb-card__link")]
    assert [index.target(h) for h in cards] == [(site / "sv/tactics/door-knocking.html").resolve(),
                                                (site / "sv/tactics/phone-trees.html").resolve()]
    assert "Engelska" in index.chrome and "Taktiker" in index.chrome
    # An outdated translation says so, with a link to the original.
    outdated = Page(site / "sv/funding-models/rent-parties.html")
    assert any(t.startswith("Originalet uppdaterades 15 februari 2026") for t in outdated.chrome)
    original = next(a for a in outdated.all("a") if a.get("hreflang") == "en" and "Läs originalet" in "".join(outdated.chrome))
    assert outdated.target(original["href"]) == (site / "funding-models/rent-parties.html").resolve()


@pytest.mark.slow
def test_the_swedish_page_has_no_english_interface_text(built_ml: Project) -> None:
    site = built_ml.site
    for src in ("tactics/door-knocking.html", "index.html", "topics/organising.html", "licence.html", "tactics/index.html"):
        english, swedish = Page(site / src), Page(site / "sv" / src)
        allowed = {"Tenants Organising Handbook", "English", "Svenska", "中文", "Rosa Example", "Ana Example", "Ben Example",
                   "CC BY-SA 4.0", "MkDocs", "Material for MkDocs", "·", ",", ".", ":", "(", ")", "Guide", "Risk",
                   "Navigation", "1 guide",  # the same words in both languages
                   "Movement Handbook contributors"}  # the default author of pages: a name
        names = r"[\d\W]+|CC.* \d\.\d|\w+ Example|license:"  # numbers, licence ids, people, a field name
        shared = {t for t in set(english.chrome) & set(swedish.chrome) if t not in allowed and not re.fullmatch(names, t)}
        assert not shared, (src, sorted(shared))
        assert len(set(swedish.chrome) - set(english.chrome)) > 5  # there is Swedish chrome to compare


@pytest.mark.slow
def test_the_switcher_and_hreflang_lead_to_the_same_page_in_each_language(built_ml: Project) -> None:
    site = built_ml.site
    page = Page(site / "sv/tactics/door-knocking.html")
    switch = {a["hreflang"]: page.target(a["href"]) for a in page.all("a", "hb-languages__link")}
    assert switch == {"en": (site / "tactics/door-knocking.html").resolve(), "zh": (site / "zh/tactics/door-knocking.html").resolve()}
    assert [s for s in page.all("span", "hb-languages__current")][0]["lang"] == "sv"
    # No site_url: no <link rel=alternate hreflang> (it needs full addresses; test_design covers a site with one).
    assert not [a for a in page.all("link") if a.get("rel") == "alternate" and a.get("hreflang")]


@pytest.mark.slow
def test_from_the_swedish_home_every_guide_is_reached_without_leaving_the_swedish_tree(built_ml: Project) -> None:
    site = built_ml.site
    sv = (site / "sv").resolve()
    seen: set[Path] = set()
    todo = [(site / "sv/index.html").resolve()]
    while todo:
        path = todo.pop()
        if path in seen or path.suffix != ".html" or not path.is_file():
            continue
        seen.add(path)
        page = Page(path)
        assert page.html_lang() == "sv", path
        for a in page.all("a"):
            href = a.get("href", "")
            if not href or "://" in href or href.startswith(("#", "mailto:")) or a.get("hreflang"):
                continue  # other sites, anchors, and the links that say they change language
            target = page.target(href)
            if target.is_relative_to(sv):
                todo.append(target)
    guides = {(sv / p).resolve() for p in ("tactics/door-knocking.html", "tactics/phone-trees.html",
                                           "funding-models/rent-parties.html", "case-studies/the-cold-winter.html")}
    assert guides <= seen


@pytest.mark.slow
def test_the_status_pages_and_handbook_translations_agree(built_ml: Project) -> None:
    data = json.loads(built_ml.run("handbook", "translations", "--format", "json").stdout)["languages"]
    site = built_ml.site
    for lang in ("sv", "zh"):
        page = Page(site / lang / "translations.html")
        listed = {li["data-slug"]: li["data-status"] for li in page.all("li", "hb-translation")}
        assert listed == {g["slug"]: g["status"] for g in data[lang]["guides"]}, lang
        html = (site / lang / "translations.html").read_text("utf-8")
        counts = {status: int(n) for status, n in
                  re.findall(r'data-status="(\w+)"><span class="hb-translation-count__n">(\d+)</span>', html)}
        assert counts == data[lang]["counts"], lang
    overview = Page(site / "translations.html")
    cells = [(c["data-status"]) for c in overview.all("td")]
    assert len(cells) == 6  # two languages, three statuses each


def test_a_language_without_interface_strings_builds_strictly_with_a_note(tmp_path: Path) -> None:
    # Chinese guides, no Chinese catalogue: the labels show in English, which is true, so CI's strict build
    # passes; the build notes it once, and `handbook check` lists it as a warning (test above).
    project = _copy_project(FIXTURES / "search-languages", tmp_path / "handbook")
    result = project.build()
    assert result.returncode == 0, result.stderr
    [note] = [line for line in result.stderr.splitlines() if "interface strings" in line]
    assert note.startswith("INFO    -  handbook_build: content/tactics/door-knocking.zh.md:1: warning: the handbook has "
                           "Chinese (zh) pages but no Chinese (zh) interface strings"), note
    assert (project.site / "zh").is_dir()


def test_the_logo_of_a_swedish_page_leads_to_the_swedish_home_page(built_ml: Project) -> None:
    site = built_ml.site
    checked = 0
    for path in sorted((site / "sv").rglob("*.html")):
        if path.name == "404.html":
            continue
        for tag, attrs in Page(path).elements:
            if tag == "a" and "md-logo" in attrs.get("class", ""):
                target = (path.parent / attrs["href"]).resolve()
                assert target == (site / "sv" / "index.html").resolve(), (path.relative_to(site), attrs["href"])
                checked += 1
    assert checked >= 10
