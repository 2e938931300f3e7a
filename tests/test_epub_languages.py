"""An EPUB per language: handbook.epub for the default language, handbook.<lang>.epub for each other.

The three-language handbook (tests/fixtures/multilingual: English, Swedish, Chinese) is built once,
with its offline zip, and its e-books are opened as a reading app does: the package says which
language the book is in, each guide's file says which language its text is in, and each language's
home page offers that language's book.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, Project, _copy_project
from handbook_build import pdf
from handbook_build.content import loader
from handbook_build.content.schema import Schema
from handbook_build.formats import epub
from test_epub import epubcheck

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BOOKS = {"en": "handbook.epub", "sv": "handbook.sv.epub", "zh": "handbook.zh.epub"}


def build(root: Path) -> Project:
    project = _copy_project(FIXTURES / "multilingual", root)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("offline_zip: false", "offline_zip: true"), "utf-8")
    result = project.run("mkdocs", "build", env={"SOURCE_DATE_EPOCH": EPOCH, "HANDBOOK_PDF": "false"})
    assert result.returncode == 0, result.stderr
    project.log = result.stderr  # type: ignore[attr-defined]
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return build(tmp_path_factory.mktemp("epub-languages") / "multilingual")


def read(book: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(book) as archive:
        return ET.fromstring(archive.read(f"EPUB/{name}"))


def text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def by_class(root: ET.Element, tag: str, cls: str) -> ET.Element:
    found = [el for el in root.iter(XHTML + tag) if cls in el.get("class", "").split()]
    assert len(found) == 1, (tag, cls, len(found))
    return found[0]


class Downloads(HTMLParser):
    """The landing page's "Take it with you" links: href -> the words a reader sees on it."""

    def __init__(self, page: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, str] = {}
        self._href: str | None = None
        self._depth = 0
        self.feed(page.read_text("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "hb-download" in (found.get("class") or "").split():
            self._href, self._depth = found.get("href") or "", 0
            self.links[self._href] = ""
        elif self._href is not None and tag == "a":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            if self._depth == 0:
                self.links[self._href] = re.sub(r"[ \t\r\n]+", " ", self.links[self._href]).strip()  # keeps no-break spaces
                self._href = None
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links[self._href] += data


def epubs(links: dict[str, str]) -> dict[str, str]:
    return {href: words for href, words in links.items() if href.endswith(".epub")}


@pytest.mark.slow
def test_an_epub_is_written_for_each_language(built: Project) -> None:
    for lang, name in BOOKS.items():
        assert (built.site / name).is_file(), name
        assert f"Wrote {name}:" in built.log, name  # type: ignore[attr-defined]
        language = read(built.site / name, "package.opf").find(f"{OPF}metadata/{DC}language")
        assert language is not None and language.text == lang, name
    assert not (built.site / "handbook.en.epub").exists()


@pytest.mark.slow
def test_epubcheck_passes_the_swedish_epub_without_a_warning(built: Project) -> None:
    result = epubcheck(built.site / "handbook.sv.epub")
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout + result.stderr


@pytest.mark.slow
def test_the_swedish_epub_speaks_swedish_around_every_guide(built: Project) -> None:
    book = built.site / "handbook.sv.epub"
    package = read(book, "package.opf")
    assert package.get(XML_LANG) == "sv"
    nav = read(book, "nav.xhtml")
    assert text(nav.find(f".//{XHTML}nav/{XHTML}h1")) == "Innehåll"  # type: ignore[arg-type]
    entries = [text(a) for a in nav.iter(XHTML + "a")]
    assert "Ämnesregister" in entries and "Licens och källangivelse" in entries and "1. Taktiker" in entries
    title = read(book, "title.xhtml")
    assert "Utgåva" in text(title) and "4 guider (2 taktiker" in text(title)
    # A translated guide: its file and its text are Swedish, nothing in it says otherwise.
    translated = read(book, "guide-door-knocking.xhtml")
    assert (translated.get("lang"), translated.get(XML_LANG)) == ("sv", "sv")
    heading = by_class(translated, "h1", "guide__title")
    assert text(heading) == "Dörrknackning" and heading.get("lang") is None
    body = by_class(translated, "div", "guide__body")  # (a related guide's "why" may keep the original's language)
    assert not [el for part in (heading, by_class(translated, "p", "guide__summary"), body) for el in part.iter() if el.get("lang")]
    assert "Två grannar knackar på varje dörr tillsammans" in text(body)  # the Swedish text itself
    assert text(translated.find(f"{XHTML}head/{XHTML}title")) == "Dörrknackning"  # type: ignore[arg-type]
    # A guide nobody has translated: a Swedish frame, its own words marked English both ways, and a note in Swedish.
    fallback = read(book, "guide-phone-trees.xhtml")
    assert (fallback.get("lang"), fallback.get(XML_LANG)) == ("sv", "sv")
    for part in (by_class(fallback, "h1", "guide__title"), by_class(fallback, "p", "guide__summary"), by_class(fallback, "div", "guide__body")):
        assert (part.get("lang"), part.get(XML_LANG)) == ("en", "en"), part.get("class")
    assert text(by_class(fallback, "h1", "guide__title")) == "Phone trees"
    assert "Inte översatt än: du läser originalet på engelska." in text(by_class(fallback, "p", "guide__fallback"))
    listed = [a for a in nav.iter(XHTML + "span") if text(a) == "Phone trees"]  # in the contents too
    assert [(s.get("lang"), s.get(XML_LANG)) for s in listed] == [("en", "en")]


@pytest.mark.slow
def test_the_english_epub_is_as_it_was(built: Project) -> None:
    book = built.site / "handbook.epub"
    assert text(read(book, "nav.xhtml").find(f".//{XHTML}nav/{XHTML}h1")) == "Contents"  # type: ignore[arg-type]
    guide = read(book, "guide-door-knocking.xhtml")
    assert guide.get("lang") == "en" and text(by_class(guide, "h1", "guide__title")) == "Door knocking"
    assert not [el for el in guide.iter() if el.get("lang") not in (None, "en")]


@pytest.mark.slow
def test_each_language_has_its_own_identifier(built: Project) -> None:
    ids = {}
    for name in BOOKS.values():
        found = read(built.site / name, "package.opf").find(f"{OPF}metadata/{DC}identifier")
        assert found is not None and found.text
        ids[name] = found.text
    assert len(set(ids.values())) == len(BOOKS), ids


def test_identifiers_differ_by_language_also_with_a_site_url_and_stay_from_edition_to_edition() -> None:
    handbook, problems = loader.load(FIXTURES / "multilingual" / "content", Schema.load())
    assert not problems.errors

    def book_id(lang: str, site_url: str | None, day: int = 1) -> str:
        return epub.identifier(pdf.assemble(handbook, title="Tenants Organising Handbook", licence_id="CC-BY-SA-4.0",
                                            site_url=site_url, lang=lang, edition=dt.date(2026, 1, day), intro=None))

    for site_url in ("https://example.org/handbook/", "https://example.org/handbook", None):
        ids = {lang: book_id(lang, site_url) for lang in BOOKS}
        assert len(set(ids.values())) == len(BOOKS), (site_url, ids)
        assert book_id("sv", site_url, day=20) == ids["sv"]  # a new edition is the same book
    assert book_id("en", "https://example.org/handbook/") == book_id("en", "https://example.org/handbook")


@pytest.mark.slow
def test_each_language_home_offers_its_own_epub_with_its_size(built: Project) -> None:
    english = epubs(Downloads(built.site / "index.html").links)
    assert list(english) == ["handbook.epub"]
    assert re.search(r"e-book \(EPUB\) · \d+(\.\d)?\u00a0kB", english["handbook.epub"]), english
    for lang in ("sv", "zh"):
        offered = epubs(Downloads(built.site / lang / "index.html").links)
        assert list(offered) == [f"../handbook.{lang}.epub"], (lang, offered)
        assert (built.site / lang / f"../handbook.{lang}.epub").resolve().is_file()
    swedish = epubs(Downloads(built.site / "sv" / "index.html").links)["../handbook.sv.epub"]
    shown = re.search(r"Handboken som e-bok \(EPUB\) · (\d+(?:,\d)?)\u00a0kB", swedish)  # Swedish words, decimal comma
    assert shown is not None, swedish
    size = (built.site / "handbook.sv.epub").stat().st_size / 1000  # its own size, not the English book's
    assert abs(float(shown.group(1).replace(",", ".")) - size) <= 0.05, (shown.group(1), size)


@pytest.mark.slow
def test_the_offline_zip_holds_every_epub(built: Project) -> None:
    with zipfile.ZipFile(built.site / "handbook-offline.zip") as archive:
        names = set(archive.namelist())
        for name in BOOKS.values():
            assert f"handbook-offline/{name}" in names, name
            assert archive.read(f"handbook-offline/{name}") == (built.site / name).read_bytes()


@pytest.mark.slow
def test_two_builds_give_the_same_epubs(built: Project, tmp_path: Path) -> None:
    again = build(tmp_path / "multilingual")
    for name in BOOKS.values():
        assert (again.site / name).read_bytes() == (built.site / name).read_bytes(), name
