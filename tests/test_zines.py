"""Topic zines: an A5 booklet per topic, imposed on A4 sheets to print both sides, fold and staple."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, Project, _copy_project, need
from handbook_build.formats import imposition, zim

HALF = 421  # points: the left half of an A4 landscape side


def pdftotext(file: Path, page: int, *, half: str | None = None) -> str:
    """The words on one page (from 1), or on its left or right half."""
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    crop = [] if half is None else ["-x", "0" if half == "left" else str(HALF), "-y", "0", "-W", str(HALF), "-H", "600", "-r", "72"]
    result = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), *crop, str(file), "-"],
                            capture_output=True, text=True, timeout=60, check=True)
    return " ".join(result.stdout.split())


def marker(text: str) -> str | None:
    found = re.findall(r"PAGE-(\d+)", text)
    assert len(found) <= 1, text
    return found[0] if found else None


def booklet(tmp_path: Path, pages: int) -> Path:
    """An A5 document whose pages say PAGE-1, PAGE-2, ... (the last one: the back cover)."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">PAGE-{n}</p>' for n in range(1, pages)) + f"<p>PAGE-{pages}</p>"
    target = tmp_path / f"book-{pages}.pdf"
    HTML(string=f"<style>@page {{ size: A5 }}</style>{body}").write_pdf(target)
    return target


def sides(file: Path) -> list[tuple[str | None, str | None]]:
    count = len(PdfReader(file).pages)
    return [(marker(pdftotext(file, n, half="left")), marker(pdftotext(file, n, half="right"))) for n in range(1, count + 1)]


def test_folding_order_for_eight_pages(tmp_path: Path) -> None:
    imposed = tmp_path / "sheets.pdf"
    assert imposition.impose(booklet(tmp_path, 8), imposed) == 4
    # Sheet 1: front holds the last and the first page, back pages 2 and 7; sheet 2: 6 and 3, then 4 and 5.
    assert sides(imposed) == [("8", "1"), ("2", "7"), ("6", "3"), ("4", "5")]
    width, height = (float(v) for v in PdfReader(imposed).pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape


def test_blank_pages_pad_to_a_multiple_of_four_before_the_back_cover(tmp_path: Path) -> None:
    source = booklet(tmp_path, 6)
    read = tmp_path / "read.pdf"
    assert imposition.reading(source, read) == 8
    assert [marker(pdftotext(read, n)) for n in range(1, 9)] == ["1", "2", "3", "4", "5", None, None, "6"]
    imposed = tmp_path / "sheets.pdf"
    imposition.impose(source, imposed)
    assert sides(imposed) == [("6", "1"), ("2", None), (None, "3"), ("4", "5")]


def test_the_order_of_a_twelve_page_booklet() -> None:
    assert imposition.order(12) == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
    assert imposition.order(1) == [(4, 1), (2, 3)]
    assert imposition.padded(9) == 12


# -- the build ------------------------------------------------------------------------------------


def with_zim_option(project: Project) -> Project:
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("      pdf: !ENV [HANDBOOK_PDF, false]\n",
                                   "      pdf: !ENV [HANDBOOK_PDF, false]\n      zim: !ENV [HANDBOOK_ZIM, false]\n"), "utf-8")
    return project


def build_everything(project: Project) -> None:
    result = project.run("mkdocs", "build", "--strict",
                         env={"HANDBOOK_PDF": "true", "HANDBOOK_ZIM": "true", "SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The mini handbook built with the PDF, the zines and the ZIM."""
    project = with_zim_option(_copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("zines") / "mini"))
    build_everything(project)
    return project


@pytest.mark.slow
def test_every_topic_has_a_zine_to_print_and_one_to_read(printed: Project) -> None:
    topics = re.findall(r"^([a-z-]+):$", (printed.content / "topics.yml").read_text("utf-8"), re.MULTILINE)
    assert topics == ["fundraising", "organising"]
    for topic in topics:
        read, sheets = printed.site / "zines" / f"{topic}-read.pdf", printed.site / "zines" / f"{topic}.pdf"
        pages, sides_ = len(PdfReader(read).pages), len(PdfReader(sheets).pages)
        assert pages % 4 == 0 and sides_ == pages // 2
        cover, back = pdftotext(read, 1), pdftotext(read, pages)
        assert topic.capitalize() in cover and "MINI HANDBOOK" in cover  # the kicker is set in capitals
        assert "Free to copy" in back and "CC BY-SA 4.0" in back  # the credit and licence on the back
        assert "In this zine" in pdftotext(read, 2)  # the contents
    organising = pdftotext(printed.site / "zines" / "organising-read.pdf", 3)
    assert "Phone banking" in organising


@pytest.mark.slow
def test_each_guide_in_a_zine_wears_its_types_colour_as_online_and_in_the_book(printed: Project, tmp_path: Path) -> None:
    from PIL import Image

    from handbook_build.mkdocs_plugin.adapters import TEMPLATES
    from handbook_build.pdf.colours import theme_colours

    need(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    colours = theme_colours([TEMPLATES])
    zine = printed.site / "zines" / "organising-read.pdf"
    pages = [pdftotext(zine, n) for n in range(1, len(PdfReader(zine).pages) + 1)]
    for kind, title, heading in (("tactic", "Phone banking", "What it is"), ("case-study", "The big call", "What happened")):
        number = next(n for n, text in enumerate(pages, 1) if title in text and heading in text)  # the guide's first page
        png = tmp_path / f"{kind}"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(zine), str(png)], check=True)
        want = tuple(int(colours[kind][i:i + 2], 16) for i in (1, 3, 5))
        raw = Image.open(f"{png}.png").convert("RGB").tobytes()  # R, G, B, R, G, B, ...
        pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
        near = sum(1 for px in pixels if max(abs(a - b) for a, b in zip(px, want, strict=True)) <= 12)
        assert near >= 40, f"{title}: {near} pixels of its type's colour {colours[kind]} on page {number}"


def test_the_topic_page_links_its_zine_with_page_count_and_size(printed: Project) -> None:
    page = (printed.site / "topics" / "organising" / "index.html").read_text("utf-8")
    pages = len(PdfReader(printed.site / "zines" / "organising-read.pdf").pages)
    assert f'<span data-hb-pages="zines/organising-read.pdf">{pages}</span> A5 pages' in page
    for name in ("organising.pdf", "organising-read.pdf"):
        link = re.search(rf'<a class="hb-download" href="\.\./\.\./zines/{re.escape(name)}" download>(.*?)</a>', page, re.DOTALL)
        assert link is not None, name
        assert re.search(r"· \d+(\.\d)?\u00a0kB", link.group(1)), link.group(1)


@pytest.mark.slow
def test_every_new_output_is_byte_identical_in_a_second_build(printed: Project, tmp_path: Path) -> None:
    again = with_zim_option(_copy_project(FIXTURES / "mini", tmp_path / "mini"))
    build_everything(again)
    outputs = ["handbook.epub", *(f"zines/{p.name}" for p in sorted((printed.site / "zines").iterdir()))]
    assert len(outputs) == 5
    for name in outputs:
        assert (again.site / name).read_bytes() == (printed.site / name).read_bytes(), name
    # The ZIM packs the built pages, so it is compared packing the same site twice (a second build's pages
    # may differ for reasons of their own, such as a stylesheet edited meanwhile).
    meta = zim.Metadata("Mini Handbook", "A test", "en", "Ana Example", "Mini", "CC BY-SA 4.0", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    first = zim.write_zim(printed.site, tmp_path / "one.zim", meta).path
    second = zim.write_zim(printed.site, tmp_path / "two.zim", meta).path
    assert first.read_bytes() == second.read_bytes()
    sizes = re.compile(r'data-hb-size="([^"]+)"[^>]*>([^<]*)<')
    assert sizes.findall((again.site / "index.html").read_text("utf-8")) == sizes.findall((printed.site / "index.html").read_text("utf-8"))
