"""handbook.pdf, read back the way a reader's viewer and a print shop see it.

The repository's own handbook is built once with the PDF (a real MkDocs
build, real WeasyPrint, real pypdf) and inspected with pypdf and poppler's
pdftotext: every guide is in it, the contents' page numbers are the pages
the guides start on, links between guides stay inside the file, bookmarks
and page labels match the printed numbers, the licence page credits every
author, and the metadata carries the licence.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, TextStringObject

from conftest import Project, need
from handbook_build import checks
from handbook_build.content.schema import Schema
from handbook_build.licences import join_names

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def book(built_book: Project) -> Project:
    """The repository's handbook, built once per session with its PDF, at a fixed date (conftest.built_book)."""
    return built_book


@pytest.fixture(scope="module")
def reader(book: Project) -> PdfReader:
    return PdfReader(book.site / "handbook.pdf")


@pytest.fixture(scope="module")
def guides(book: Project) -> list:
    handbook, _ = checks.load_and_check(book.content, Schema.load())
    return sorted(handbook.published(), key=lambda g: g.slug)


@pytest.fixture(scope="module")
def pages_text(book: Project, reader: PdfReader) -> list[str]:
    """The text of every page, as pdftotext (poppler) extracts it, keeping the layout."""
    return _text(book, reader, "-layout")


@pytest.fixture(scope="module")
def pages_raw(book: Project, reader: PdfReader) -> list[str]:
    """The same in reading order: columns one after the other."""
    return _text(book, reader, "-raw")


def _text(book: Project, reader: PdfReader, mode: str) -> list[str]:
    need(PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed")
    out = subprocess.run([PDFTOTEXT, mode, str(book.site / "handbook.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = out.split("\f")
    assert len(pages) >= len(reader.pages)
    return pages[: len(reader.pages)]


def destinations(reader: PdfReader) -> dict[str, int]:
    return {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# -- what is in it ----------------------------------------------------------------------------------


def test_every_published_guide_is_in_the_pdf_on_a_page_of_its_own(reader, pages_text, guides) -> None:
    dests = destinations(reader)
    starts = {}
    for guide in guides:
        assert f"guide-{guide.slug}" in dests, f"no destination for {guide.slug}"
        page = dests[f"guide-{guide.slug}"]
        assert guide.title in flat(pages_text[page]), f"{guide.title!r} is not on page {page + 1}"
        starts[guide.slug] = page
    assert len(set(starts.values())) == len(guides), "two guides start on the same page"


def test_the_build_reports_the_pdf_and_no_problems(book) -> None:
    assert "Wrote handbook.pdf" in book.log
    assert "WeasyPrint:" not in book.log  # our templates and stylesheet draw no warnings from WeasyPrint


def test_the_contents_give_the_page_each_guide_starts_on(reader, pages_text, guides) -> None:
    dests = destinations(reader)
    labels = reader.page_labels
    contents = "\n".join(pages_text[dests["contents"]:dests["contents"] + 4])
    printed = {}
    for line in contents.splitlines():
        match = re.match(r"^\s*(\d+)\s+(.+?)[\s.]*\s(\d+)\s*$", line)
        if match:
            printed[match.group(2).strip(" .")] = match.group(3)
    for guide in guides:
        assert guide.title in printed, f"{guide.title!r} is not in the contents"
        start = dests[f"guide-{guide.slug}"]
        assert printed[guide.title] == labels[start], guide.title
        # ... and that number is printed at the foot of that page
        assert pages_text[start].split()[-1] == labels[start]


def test_page_labels_are_the_printed_page_numbers(reader, pages_text) -> None:
    labels = reader.page_labels
    dests = destinations(reader)
    first_chapter = min(page for name, page in dests.items() if name.startswith("chapter-"))
    assert labels[1:first_chapter] == ["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][: first_chapter - 1]
    assert labels[first_chapter] == "1"
    assert labels[-1] == str(len(labels) - first_chapter)
    colour_pages = {page for name, page in dests.items() if name.startswith("chapter-") or name == "back-cover"}
    assert colour_pages and len(labels) - 1 in colour_pages  # the back cover
    for number in range(1, len(labels)):
        words = pages_text[number].split()
        if number not in colour_pages:  # full-bleed colour pages carry no number
            assert words and words[-1] == labels[number], f"page {number + 1} shows {words[-1:]} not {labels[number]}"


# -- links ------------------------------------------------------------------------------------------


def _links(reader: PdfReader) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    internal, external = [], []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if isinstance(dest, (TextStringObject, ByteStringObject)):
                internal.append((number, str(dest)))
            elif "/A" in annot and annot["/A"].get("/S") == "/URI":
                external.append((number, str(annot["/A"]["/URI"])))
            else:
                pytest.fail(f"page {number + 1}: a link that is neither a named destination nor a web address: {annot}")
    return internal, external


def test_every_internal_link_lands_inside_the_document(reader, guides) -> None:
    internal, external = _links(reader)
    dests = destinations(reader)
    assert len(internal) > 10 * len(guides)  # contents, index, [[links]], related, back-links, topics
    missing = sorted({name for _, name in internal if name not in dests})
    assert missing == []
    assert all(0 <= dests[name] < len(reader.pages) for _, name in internal)
    assert all(url.startswith(("https://", "http://", "mailto:")) for _, url in external), \
        [u for _, u in external if not u.startswith(("https://", "http://", "mailto:"))]
    assert not any("file:" in url for _, url in external)


def test_wiki_links_related_and_back_links_jump_to_their_guides(reader, guides, book) -> None:
    internal, _ = _links(reader)
    dests = destinations(reader)
    by_page: dict[int, set[str]] = {}
    for page, name in internal:
        by_page.setdefault(page, set()).add(name)

    def targets_of(slug: str) -> set[str]:
        start = dests[f"guide-{slug}"]
        later = sorted(p for n, p in dests.items() if n.startswith("guide-") and "--" not in n and p > start)
        end = later[0] if later else len(reader.pages)
        return set().union(*(by_page.get(p, set()) for p in range(start, end)))

    power = targets_of("power-mapping")
    assert "guide-relational-organising" in power  # related (and a [[link]] in its body)
    assert "guide-grants-and-their-strings" in power  # related, with a reason
    # A case study's typed references make back-links on the tactic's pages.
    handbook, _ = checks.load_and_check(book.content, Schema.load())
    for case in handbook.of_type("case-study"):
        for slug in case.get("tactics", []) or []:
            assert f"guide-{case.slug}" in targets_of(slug), f"{slug} does not link back to {case.slug}"
    assert any(name.startswith("topic-") for name in power)  # its topics point into the index


def test_web_links_stay_web_links_and_show_their_address_on_paper(reader, pages_text) -> None:
    _, external = _links(reader)
    dests = destinations(reader)
    page = dests["guide-power-mapping"]
    urls = {url for p, url in external if p >= page}
    assert "https://en.wikipedia.org/wiki/Power_mapping" in urls
    assert "https://en.wikipedia.org/wiki/Power_mapping" in "".join("".join(pages_text[page:page + 6]).split())


# -- bookmarks, index, licence, metadata ----------------------------------------------------------------


def test_bookmarks_by_chapter_and_guide(reader, book) -> None:
    handbook, _ = checks.load_and_check(book.content, Schema.load())
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    for gtype in handbook.types.values():
        assert gtype.plural in titles
    dests = destinations(reader)
    for index, item in enumerate(outline):
        if isinstance(item, list) or item.title not in [t.plural for t in handbook.types.values()]:
            continue
        gtype = next(t for t in handbook.types.values() if t.plural == item.title)
        children = outline[index + 1]
        assert isinstance(children, list)
        guides = [c for c in children if not isinstance(c, list)]
        assert [c.title for c in guides] == [g.title for g in handbook.of_type(gtype.name)]
        for child, guide in zip(guides, handbook.of_type(gtype.name)):
            assert reader.get_destination_page_number(child) == dests[f"guide-{guide.slug}"]
    for title in ("Contents", "Licence and attribution", "Topic index"):
        assert title in titles


def test_the_topic_index_lists_each_topic_with_its_guides_and_pages(reader, pages_raw, book) -> None:
    handbook, _ = checks.load_and_check(book.content, Schema.load())
    dests = destinations(reader)
    labels = reader.page_labels
    index = flat(" ".join(pages_raw[dests["topic-index"]:]))
    for topic in handbook.topics.values():
        guides = handbook.for_topic(topic.id)
        if not guides:
            continue
        assert topic.title in index
        assert f"topic-{topic.id}" in dests
        for guide in guides:
            assert re.search(re.escape(guide.title) + r"[ .]*" + labels[dests[f"guide-{guide.slug}"]], index), guide.title


def test_the_licence_page_credits_every_guides_authors(reader, pages_raw, guides) -> None:
    dests = destinations(reader)
    licence = flat(" ".join(pages_raw[dests["licence"]:dests["topic-index"]]))
    assert "Creative Commons Attribution-ShareAlike 4.0 International" in licence
    assert "How to credit this handbook" in licence
    for guide in guides:
        assert guide.title in licence
        assert join_names(guide.authors) in licence


def test_metadata_title_authors_subject_keywords_date_and_licence(reader, guides, book) -> None:
    info = reader.metadata
    assert info.title == "The Movement Handbook"
    for author in {a for g in guides for a in g.authors}:
        assert author in info.author
    assert info.subject
    handbook, _ = checks.load_and_check(book.content, Schema.load())
    for topic in handbook.topics.values():
        if handbook.for_topic(topic.id):
            assert topic.title in info["/Keywords"]
    assert info["/CreationDate"] == "D:20260101000000Z"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object()
    assert xmp["/Type"] == "/Metadata" and xmp["/Subtype"] == "/XML"
    data = xmp.get_data().decode("utf-8")
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in data
    assert "<xmpRights:Marked>True</xmpRights:Marked>" in data
    assert "2026-01-01T00:00:00Z" in data
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_no_path_of_the_build_machine_is_in_the_pdf(book) -> None:
    data = (book.site / "handbook.pdf").read_bytes()
    assert str(book.root).encode() not in data
    assert b"file:" not in data


# -- pictures of the pages ------------------------------------------------------------------------------


def test_cover_contents_a_guide_and_the_licence_page_render(book, reader, tmp_path) -> None:
    """Rendered by poppler as a reader's viewer would; the PNGs are kept for people to look at."""
    pdftoppm = shutil.which("pdftoppm")
    need(pdftoppm is not None, "pdftoppm (poppler-utils) is not installed")
    from PIL import Image, ImageStat

    dests = destinations(reader)
    pages = {"cover": 0, "contents": dests["contents"], "guide": dests["guide-power-mapping"], "licence": dests["licence"]}
    for name, page in pages.items():
        subprocess.run([pdftoppm, "-r", "40", "-png", "-singlefile", "-f", str(page + 1), "-l", str(page + 1),
                        str(book.site / "handbook.pdf"), str(tmp_path / name)], check=True)
        image = Image.open(tmp_path / f"{name}.png").convert("RGB")
        stat = ImageStat.Stat(image)
        assert max(stat.stddev) > 10, f"the {name} page is blank"
    cover = ImageStat.Stat(Image.open(tmp_path / "cover.png").convert("RGB")).mean
    assert cover[0] > 150 and cover[1] < 110, "the cover is not the handbook's red"


# -- the site and the option ------------------------------------------------------------------------


def test_the_site_offers_the_pdf(book) -> None:
    landing = (book.site / "index.html").read_text("utf-8")
    assert re.search(r'href="(\./)?handbook\.pdf"', landing), "the landing page does not link handbook.pdf"


def test_without_the_pdf_option_there_is_no_pdf_and_no_link(built_mini) -> None:
    assert not (built_mini.site / "handbook.pdf").exists()
    assert "handbook.pdf" not in (built_mini.site / "index.html").read_text("utf-8")


def test_each_typeface_is_embedded_once_for_the_whole_book(reader) -> None:
    from handbook_build.pdf.fonts import face_key

    files: dict[str, set[int]] = {}
    fonts = 0
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            for descendant in font["/DescendantFonts"]:
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                files.setdefault(face_key(str(font["/BaseFont"])), set()).add(descriptor.raw_get("/FontFile2").idnum)
                fonts += 1
    assert fonts > len(files)  # many parts use each typeface...
    assert all(len(ids) == 1 for ids in files.values()), files  # ...and share one file of it
    assert "DejaVu-Serif" in files and "DejaVu-Sans-Bold" in files
