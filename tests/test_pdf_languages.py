"""A PDF per language: handbook.pdf for the default language, handbook.<lang>.pdf for each other.

The mini handbook with a Swedish translation of one guide and Swedish topic
titles, built once with its PDFs (a real MkDocs build, real WeasyPrint) and
read back with poppler's pdftotext as a reader sees it: the Swedish book has
Swedish chapter names, contents, index, licence page and cover, the Swedish
guide's own title, and the guides nobody has translated yet printed in
English with a marker in Swedish; the English book is as it always was.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, Project, _copy_project, need

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
PDFTOTEXT = shutil.which("pdftotext")

SWEDISH_GUIDE = """---
title: Telefonkampanj
summary: Att ringa sympatisörer på ett organiserat sätt och be dem agera.
authors: [Ana Example]
lang: sv
---

## Vad det är

En telefonkampanj är ett rum fullt av frivilliga som ringer igenom en lista med
sympatisörer. Kombinera den med [[house-parties]].

## Så gör ni

1. Skaffa en lista.
2. Skriv ett manus.
3. Ring.
"""

SWEDISH_TOPICS = """fundraising:
  title: Fundraising
  description: Raising money from the people who believe in the work.
  translations:
    sv:
      title: Insamling
      description: Att samla in pengar från dem som tror på arbetet.
organising:
  title: Organising
  description: Bringing people together to act on what they share.
  translations:
    sv:
      title: Organisering
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = _copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("pdf-languages") / "mini")
    project.write("tactics/phone-banking.sv.md", SWEDISH_GUIDE)
    project.write("topics.yml", SWEDISH_TOPICS)
    result = project.run("mkdocs", "build", env={"HANDBOOK_PDF": "true", "SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    project.log = result.stderr  # type: ignore[attr-defined]
    return project


def text(project: Project, name: str) -> str:
    """The PDF's text in reading order, the contents' dot leaders shortened to one "…"."""
    need(PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed")
    out = subprocess.run([PDFTOTEXT, "-raw", str(project.site / name), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"[ \t]+", " ", re.sub(r"(\s*\.(?=\s)){3,}", " …", out.stdout))


def squashed(text: str) -> str:
    """Letter-spaced capitals (K A P I T E L 1) as plain words: no spaces, no case."""
    return re.sub(r"\s+", "", text).casefold()


def pages(project: Project, name: str) -> list[str]:
    return text(project, name).split("\f")


@pytest.mark.slow
def test_a_pdf_is_written_for_each_language(books: Project) -> None:
    assert (books.site / "handbook.pdf").is_file()
    assert (books.site / "handbook.sv.pdf").is_file()
    assert not (books.site / "handbook.en.pdf").exists()
    assert "Wrote handbook.pdf" in books.log and "Wrote handbook.sv.pdf" in books.log  # type: ignore[attr-defined]
    assert PdfReader(books.site / "handbook.sv.pdf").trailer["/Root"]["/Lang"] == "sv"
    assert PdfReader(books.site / "handbook.pdf").trailer["/Root"]["/Lang"] == "en"


@pytest.mark.slow
def test_the_swedish_book_speaks_swedish(books: Project) -> None:
    sv = pages(books, "handbook.sv.pdf")
    whole = " ".join(sv)
    cover, contents = sv[0], " ".join(sv[1:4])
    assert "ENHANDBOKFÖRORGANISATÖRER" in cover.replace(" ", "")  # letter-spaced capitals on the cover
    assert "Utgåva från 1 januari 2026" in cover and "Fri att kopiera, dela och bearbeta under CC BY-SA 4.0" in cover
    assert "1 taktiker 1 finansieringsmodeller 1 fallstudier" in cover  # the types' Swedish plurals
    assert "Innehåll" in contents and "Ämnesregister …" in contents and "Licens och källangivelse …" in contents
    for number, chapter in enumerate(("Taktiker", "Finansieringsmodeller", "Fallstudier"), 1):  # the schema's plurals
        assert f"{number} {chapter} …" in contents, chapter
    assert "1 Telefonkampanj …" in contents  # the Swedish guide's own title
    assert "kapitel1" in squashed(whole) and "1guide,nummer1" in squashed(whole)
    assert "Phone banking" not in whole  # the translation replaces the original throughout
    assert "Vad det är" in whole and "svårighetsgrad" in squashed(whole) and "Nybörjare" in whole  # body, field label, enum value
    # The topic index, with the topics' Swedish titles.
    index = next(p for p in sv if "Ämnesregister" in p and "Insamling" in p)
    assert "Organisering" in index and "Fundraising" not in index
    # The licence page.
    licence = next(p for p in sv if "Så anger du källan till den här handboken" in p)
    assert "Guiderna och deras upphovspersoner" in licence and "licensierad under CC BY-SA 4.0" in licence


@pytest.mark.slow
def test_untranslated_guides_are_in_the_swedish_book_in_english_and_marked(books: Project) -> None:
    sv = pages(books, "handbook.sv.pdf")
    contents = " ".join(sv[1:4])
    for title in ("House parties", "The big call"):  # no Swedish translation: in English, marked "Engelska"
        assert re.search(rf"\d {title} Engelska …", contents), title
    house = next(p for p in sv if "Supporters host a gathering at home" in p)
    assert "Engelska Inte översatt än: du läser originalet på engelska." in house
    assert "finansieringsmodell" in squashed(house) and "Ben Example och Cy Example" in house  # the interface stays Swedish
    # The translated guide comes first in its chapter; the fallbacks after, in their language.
    assert contents.index("Telefonkampanj") < contents.index("House parties") < contents.index("The big call")


@pytest.mark.slow
def test_the_english_book_is_unchanged_in_those_respects(books: Project) -> None:
    en = " ".join(pages(books, "handbook.pdf"))
    assert "ahandbookfororganisers" in squashed(en) and "Contents" in en and "Topic index …" in en
    for number, chapter in enumerate(("Tactics", "Funding models", "Case studies"), 1):
        assert f"{number} {chapter} …" in en, chapter
    assert "chapter1" in squashed(en) and "1 Phone banking …" in en and "2 House parties …" in en
    assert "Phone banking" in en and "Telefonkampanj" not in en
    assert "Engelska" not in en and "Not yet translated" not in en and "Inte översatt" not in en
    assert "Licence and attribution" in en and "Fundraising" in en and "Insamling" not in en


def test_each_text_carries_its_own_language(tmp_path) -> None:
    """The English text inside the Swedish book is tagged English (WeasyPrint's hyphenation and
    screen readers follow lang); the Swedish interface around it and the Swedish guide are tagged Swedish."""
    from handbook_build import checks
    from handbook_build.content.schema import Schema
    from handbook_build.pdf import assemble, templates
    from handbook_build.pdf.bodies import BodyRenderer

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini" / "content", content)
    (content / "tactics" / "phone-banking.sv.md").write_text(SWEDISH_GUIDE, "utf-8")
    (content / "topics.yml").write_text(SWEDISH_TOPICS, "utf-8")
    handbook, _ = checks.load_and_check(content, Schema.load())
    book = assemble(handbook, title="Mini Handbook", licence_id="CC-BY-SA-4.0", content_dir=content, lang="sv")
    assert book.pdf_name == "handbook.sv.pdf" and [c.title for c in book.chapters] == ["Taktiker", "Finansieringsmodeller", "Fallstudier"]
    env = templates.environment((ROOT / "handbook_build" / "templates",))
    bodies = BodyRenderer(book, content)
    html = {}
    for chapter in book.chapters:
        sheet = chapter.sheets[0]
        html[sheet.slug] = templates.render(env, "chapter.html", book, "chapter", chapter=chapter, sheets=(sheet,),
                                            opener=True, bodies={sheet.slug: bodies.guide(sheet.slug)[0]})
    assert '<html lang="sv">' in html["phone-banking"]
    assert re.search(r'<article class="guide type-tactic" id="guide-phone-banking" lang="sv">', html["phone-banking"])
    parties = html["house-parties"]
    assert re.search(r'<article class="guide type-funding-model guide--fallback" id="guide-house-parties" lang="sv">', parties)
    assert re.search(r'<h1 class="guide__title"[^>]* lang="en">House parties</h1>', parties)
    assert '<p class="guide__summary" lang="en">' in parties and '<div class="guide__body prose" lang="en">' in parties
    assert re.search(r'<td lang="en">\$200.\$2,000 a party</td>', parties)  # free text from the English front matter
    assert "<td>Låg</td>" in parties  # an enum value is the interface's: Swedish, no lang of its own


@pytest.mark.slow
def test_the_swedish_site_offers_the_swedish_book(books: Project) -> None:
    landing_sv = (books.site / "sv" / "index.html").read_text("utf-8")
    landing_en = (books.site / "index.html").read_text("utf-8")
    assert re.search(r'href="\.\./handbook\.sv\.pdf"', landing_sv), "the Swedish landing page does not link handbook.sv.pdf"
    assert re.search(r'href="(\./)?handbook\.pdf"', landing_en) and "handbook.sv.pdf" not in landing_en
