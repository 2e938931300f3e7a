"""A Swedish reader never falls out of Swedish, and the build says nothing it need not.

The Swedish home page, a search page per language with its words in the reader's
language, a catalogue that covers every string the code marks (Babel's own
extraction), languages listed in mkdocs.yml before anything is translated, images
that still load in the <lang>/ trees, and guides withheld for their front matter
that no list, link or search result leads to.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from conftest import FIXTURES, ROOT, Project, _copy_project
from handbook_build.cli import config_file
from handbook_build.content import loader
from handbook_build.content.schema import Schema
from handbook_build.site import i18n
from handbook_build.site.languages import Languages
from handbook_build.site.pages import Pages
from handbook_build.site.tree_links import rehome
from test_multilingual import Page

PACKAGE = ROOT / "handbook_build"
# How the Python side asks for a translation: i18n.gettext(lang, "..."), pages._in(lang, "..."), ngettext(lang, s, p, n).
PY_KEYWORDS = {"gettext": (2,), "_in": (2,), "ngettext": (2, 3)}


# -- the catalogue ------------------------------------------------------------------------


def marked_strings() -> dict[str, str]:
    """Every msgid (singular and plural) the templates and the Python code mark, with where: Babel's extraction."""
    found: dict[str, str] = {}

    def keep(results, folder: Path) -> None:
        for filename, line, message, _comments, _context in results:
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.setdefault(msgid, f"{(folder / filename).relative_to(ROOT)}:{line}")

    templates = PACKAGE / "templates"
    keep(extract_from_dir(templates, method_map=[("**.html", "jinja2")]), templates)
    keep(extract_from_dir(PACKAGE, method_map=[("templates/**", "ignore"), ("**.py", "python")], keywords=PY_KEYWORDS),
         PACKAGE)
    return found


def translated(lang: str) -> set[str]:
    catalogue = i18n.catalogue(lang)
    assert catalogue is not None
    done: set[str] = set()
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            done.update(message.id if isinstance(message.id, tuple) else (message.id,))
    return done


def test_the_swedish_catalogue_translates_every_string_the_templates_and_the_code_mark() -> None:
    marked = marked_strings()
    assert len(marked) > 150 and "Search for" in marked and "Topic" in marked and "Page" in marked  # extraction works
    swedish = translated("sv")
    untranslated = sorted(f"{where}: {msgid!r}" for msgid, where in marked.items() if msgid not in swedish)
    assert not untranslated, "no Swedish in handbook_build/locale/sv/LC_MESSAGES/handbook.po for:\n" + "\n".join(untranslated)
    # `handbook check` warns about the same strings (site/i18n.py knows them all; Python ones via PY_MESSAGES).
    known = i18n.template_messages()
    unknown = sorted(f"{where}: {msgid!r}" for msgid, where in marked.items() if msgid not in known)
    assert not unknown, "add these to i18n.PY_MESSAGES so `handbook check` knows them:\n" + "\n".join(unknown)
    assert i18n.missing("sv") == []


def test_the_bundled_handbook_checks_clean(starter: Project) -> None:
    result = starter.check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr.strip().endswith("guide file(s): no problems."), result.stderr


# -- the Swedish home page -----------------------------------------------------------------


def test_the_swedish_tree_opens_on_index_sv_md() -> None:
    handbook, problems = loader.load(ROOT / "content", Schema.load())
    assert not problems.errors
    hand = [p.path for p in handbook.pages if p.path != "LICENSE-CONTENT.md"]
    languages = Languages.declare(handbook, {}, ["sv"])
    pages = Pages(handbook, hand_pages=hand, languages=languages, search=True)
    home = pages.view("sv/index.md")
    assert home is not None and home.kind == "landing" and home.lang == "sv" and home.content_lang is None
    (virtual,) = [v for v in pages.virtual if v.src_uri == "sv/index.md"]
    assert virtual.source == "index.sv.md"
    text = (ROOT / "content/index.sv.md").read_text("utf-8")
    assert text.startswith("---\ntitle: Rörelsehandboken\n---\n\n# Rörelsehandboken\n")
    search = pages.view("sv/search.md")
    assert search is not None and search.kind == "search" and search.lang == "sv"
    assert [lang for lang, _src, own in pages.alternates("sv/search.md") if own] == ["en", "sv"]


# -- languages listed only in mkdocs.yml ---------------------------------------------------


@pytest.fixture
def with_finnish(tmp_path: Path) -> Project:
    project = _copy_project(FIXTURES / "multilingual", tmp_path / "multilingual")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("        zh: 中文\n", "        zh: 中文\n        fi: Suomi\n"), "utf-8")
    return project


def test_a_language_listed_in_mkdocs_yml_with_nothing_translated_is_all_missing(with_finnish: Project) -> None:
    settings, _warnings = config_file.load(with_finnish.root / "mkdocs.yml")
    assert settings.languages == ("en", "sv", "zh", "fi")
    report = with_finnish.run("handbook", "translations")
    assert report.returncode == 0, report.stderr
    assert "fi (Finnish): 0 translated, 0 outdated, 4 missing" in report.stdout
    assert re.search(r"^  missing +tactic/phone-trees +Phone trees$", report.stdout.split("fi (Finnish)")[1], re.MULTILINE)
    only = with_finnish.run("handbook", "translations", "--lang", "fi")
    assert only.returncode == 0 and only.stdout.startswith("fi (Finnish): 0 translated"), only.stderr
    lines = with_finnish.check().stdout.splitlines()
    assert ("mkdocs.yml: warning: the handbook has Finnish (fi) pages but no Finnish (fi) interface strings: "
            f"{len(i18n.template_messages())} labels and notices show in English") in "\n".join(lines)


# -- relative links to files from a page built one folder deeper -----------------------------


def test_links_to_files_are_rewritten_for_the_page_place_and_pages_code_and_other_sites_are_not() -> None:
    files = {"images/map.png", "files/a b.pdf", "tactics/photo.jpg"}
    text = ("![Map](../images/map.png \"The map\") and [script](../files/a%20b.pdf#p2) and ![](photo.jpg)\n"
            "[a page](power-mapping.md) [out](https://example.org/x.png) [gone](../images/gone.png) [top](#top)\n"
            "`![code](../images/map.png)`\n\n[def]: ../images/map.png\n\n<img src=\"../images/map.png\" alt=\"raw\">\n")
    moved = rehome(text, "tactics/x.sv.md", "sv/tactics/x.md", files.__contains__)
    assert moved == ("![Map](../../images/map.png \"The map\") and [script](../../files/a%20b.pdf#p2) and ![](../../tactics/photo.jpg)\n"
                     "[a page](power-mapping.md) [out](https://example.org/x.png) [gone](../images/gone.png) [top](#top)\n"
                     "`![code](../images/map.png)`\n\n[def]: ../../images/map.png\n\n<img src=\"../../images/map.png\" alt=\"raw\">\n")
    assert rehome(text, "tactics/x.md", "tactics/x.md", files.__contains__) == text  # the default tree: as written


# -- the built site --------------------------------------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    """The three-language handbook with an image and a file in its guides, a guide withheld for its front
    matter (listed by a topic, named as related and as a case study's tactic) and a withheld translation."""
    project = _copy_project(FIXTURES / "multilingual", tmp_path_factory.mktemp("ml-reader") / "multilingual")
    (project.content / "images").mkdir()
    (project.content / "images/door.png").write_bytes(_png())
    project.write("files/script.txt", "Hello\n")
    trees = project.content / "tactics/phone-trees.md"
    trees.write_text(trees.read_text("utf-8") + "\n![A tree of callers](../images/door.png)\n\n"
                     "Print [the calling script](../files/script.txt#top) for every caller.\n", "utf-8")
    door = project.content / "tactics/door-knocking.sv.md"
    door.write_text(door.read_text("utf-8") + "\n![En dörr](../images/door.png)\n", "utf-8")
    project.write("tactics/banner-drops.md", "---\ntitle: Banner drops\ntype: tactic\nsummary: A banner from the roof.\n"
                  "topics: [organising]\nauthors: [Sam Example]\ndifficulty: impossible\n---\n\nA banner from the roof.\n")
    project.write("tactics/phone-trees.sv.md", "---\ntitle: Telefonkedjor\nauthors: [Sam Example]\nlang: sv\n---\n\nTrasig.\n")
    original = project.content / "tactics/door-knocking.md"
    original.write_text(original.read_text("utf-8").replace(
        "related:\n", "related:\n  - slug: banner-drops\n    why: A banner tells the street.\n"), "utf-8")
    case = project.content / "case-studies/the-cold-winter.md"
    case.write_text(case.read_text("utf-8").replace("[door-knocking, phone-trees]", "[door-knocking, phone-trees, banner-drops]"), "utf-8")
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    return project, result.stderr


@pytest.mark.slow
def test_each_tree_has_its_search_page_in_its_language_and_its_pages_search_there(built: tuple[Project, str]) -> None:
    site = built[0].site
    english, swedish = Page(site / "search.html"), Page(site / "sv/search.html")
    assert (english.html_lang(), swedish.html_lang(), Page(site / "zh/search.html").html_lang()) == ("en", "sv", "zh")
    for words in ("Sök efter", "Alla typer", "Alla ämnen", "Taktiker", "Organisering"):
        assert words in swedish.chrome, words
    allowed = {"Tenants Organising Handbook", "English", "Svenska", "中文", "MkDocs", "Material for MkDocs", "Navigation", "+word",
               "-word", "word*", ";", ",", ".", ":", "(", ")"}
    shared = {t for t in set(english.chrome) & set(swedish.chrome) if t not in allowed and not t.startswith(("topics:", "type:"))}
    assert not shared, sorted(shared)
    # The header box of a Swedish page searches the Swedish index first and sends its query to sv/search.html.
    guide = Page(site / "sv/tactics/door-knocking.html")
    (box,) = guide.all("div", "hb-search")
    assert box["data-lang"] == "sv" and box["data-page"] == "sv/search.html"
    (form,) = guide.all("form", "hb-search__form")
    assert guide.target(form["action"]) == (site / "sv/search.html").resolve()
    (home_form,) = Page(site / "sv/index.html").all("form", "hb-search-form")
    assert Page(site / "sv/index.html").target(home_form["action"]) == (site / "sv/search.html").resolve()
    (box,) = swedish.all("div", "hb-search")
    assert box["data-lang"] == "sv"
    switch = {a["hreflang"]: swedish.target(a["href"]) for a in swedish.all("a", "hb-languages__link")}
    assert switch == {"en": (site / "search.html").resolve(), "zh": (site / "zh/search.html").resolve()}
    # What a Swedish reader's results show (types, topics) is Swedish; search pages are not results.
    docs = (site / "assets/handbook/search-docs.sv.js").read_text("utf-8")
    assert '"tactic":"Taktik"' in docs and '"topic":"Ämne"' in docs and '"organising":"Organisering"' in docs
    chunks = sorted((site / "assets/handbook/search-docs").rglob("*.js"))  # the rows, 32 a file per language
    assert {chunk.parent.name for chunk in chunks} >= {"en", "sv"}
    assert not [chunk for chunk in chunks if "search.html" in chunk.read_text("utf-8")]


@pytest.mark.slow
def test_images_and_files_in_guides_load_in_every_language_tree(built: tuple[Project, str]) -> None:
    project, log = built
    site = project.site
    for path in ("tactics/phone-trees.html", "sv/tactics/phone-trees.html", "zh/tactics/phone-trees.html",
                 "sv/tactics/door-knocking.html"):
        page = Page(site / path)
        images = [page.target(img["src"]) for img in page.all("img") if "door.png" in img.get("src", "")]
        assert images == [(site / "images/door.png").resolve()], path
        assert images[0].is_file()
    fallback = Page(site / "sv/tactics/phone-trees.html")
    (script,) = [a for a in fallback.all("a") if "script.txt" in a.get("href", "")]
    assert script["href"] == "../../files/script.txt#top" and fallback.target(script["href"]).is_file()
    assert "sv/images" not in log and "zh/files" not in log  # MkDocs found every file it was pointed at


@pytest.mark.slow
def test_a_withheld_guide_is_in_no_list_link_or_search_result(built: tuple[Project, str]) -> None:
    project, log = built
    site = project.site
    assert "content/tactics/banner-drops.md: not published" in log
    assert "content/tactics/phone-trees.sv.md: not published" in log
    assert not list(site.rglob("banner-drops.html"))
    for path in site.rglob("*.html"):
        text = path.read_text("utf-8")
        assert "banner-drops" not in text and "Banner drops" not in text, path
        assert "Telefonkedjor" not in text, path  # the withheld translation: the English original stands in
    for path in (site / "assets/handbook").glob("search-*.js"):
        assert "banner-drops" not in path.read_text("utf-8"), path
    assert "banner-drops" not in (site / "handbook.json").read_text("utf-8")
    fallback = Page(site / "sv/tactics/phone-trees.html")
    assert fallback.all("h1", "hb-guide-header__title")[0]["lang"] == "en"  # shown as the English original
    winter = Page(site / "sv/case-studies/the-cold-winter.html")
    tactics = {target for a in winter.all("a") if (target := winter.target(a["href"])).parent.name == "tactics"
               and target.name != "index.html"}  # the guides it names (the nav links the tactics index)
    assert tactics == {(site / "sv/tactics/door-knocking.html").resolve(), (site / "sv/tactics/phone-trees.html").resolve()}


@pytest.mark.slow
def test_the_swedish_home_credits_the_handbook_by_its_name_not_the_menu_word(built: tuple[Project, str]) -> None:
    html = (built[0].site / "sv/index.html").read_text("utf-8")
    assert "”Tenants Organising Handbook” av" in html and "”Start”" not in html
