"""The PDF core on small handbooks, without MkDocs: links, images, the fetcher, reproducibility, progress."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, ROOT
from handbook_build import checks
from handbook_build.content.schema import Schema
from handbook_build.pdf import Options, assemble, build_pdf
from handbook_build.pdf.bodies import BodyRenderer
from handbook_build.pdf.build import plan
from handbook_build.pdf.fetcher import LocalFetcher
from handbook_build.pdf.folio import roman
from handbook_build.pdf.progress import Bar, LogLines, for_terminal

THEME = ROOT / "handbook_build" / "templates"


def mini_content(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "mini" / "content", tmp_path / "content")
    return tmp_path / "content"


def book_of(content: Path, **kwargs):
    handbook, problems = checks.load_and_check(content, Schema.load())
    return assemble(handbook, title="Mini Handbook", licence_id="CC-BY-SA-4.0", content_dir=content, **kwargs)


def render(content: Path, target: Path, **kwargs):
    book = book_of(content)
    return build_pdf(book, Options(target=target, content_dir=content, theme_dirs=(THEME,), **kwargs))


# -- bodies -----------------------------------------------------------------------------------------


@pytest.mark.slow  # lays out a whole (small) book
def test_links_between_guides_become_anchors_with_the_guides_number(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    guide = content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\nSee [the parties](../funding-models/house-parties.md#what-it-is), "
                     "[above](#how-to-do-it), [about](../about.md) and [the web](https://example.org/x).\n", "utf-8")
    book = book_of(content)
    html, problems = BodyRenderer(book, content).guide("phone-banking")
    assert problems == []
    number = book.sheet("house-parties").number
    assert f'<a class="wikilink guide-ref" href="#guide-house-parties">House parties</a><span class="guide-no">{number}</span>' in html
    assert 'href="#guide-house-parties--what-it-is"' in html
    assert 'href="#guide-phone-banking--how-to-do-it"' in html
    assert 'id="guide-phone-banking--how-to-do-it"' in html  # every id is the guide's own
    assert '<span class="unlinked">about</span>' in html  # no site address: no dead link on paper
    assert 'href="https://example.org/x"' in html and 'class="external"' in html


@pytest.mark.slow  # lays out a whole (small) book
def test_links_to_other_pages_go_to_the_site_when_it_has_an_address(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    (content / "contributing.md").write_text("# How to help\n", "utf-8")
    guide = content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\nRead [how to help](../contributing.md).\n", "utf-8")
    book = book_of(content, site_url="https://handbook.example.org")
    html, _ = BodyRenderer(book, content).guide("phone-banking")
    assert 'href="https://handbook.example.org/contributing/"' in html


@pytest.mark.slow  # lays out a whole (small) book
def test_a_missing_image_is_a_problem_at_its_line_and_a_note_in_the_pdf(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    guide = content / "tactics" / "phone-banking.md"
    text = guide.read_text("utf-8")
    guide.write_text(text + "\n![A crowded phone room](images/room.png)\n\n![Map](https://example.org/map.png)\n", "utf-8")
    lines = guide.read_text("utf-8").splitlines()
    outcome = render(content, tmp_path / "book.pdf", workers=1)
    found = {p.message.split(" ")[2]: p for p in outcome.problems}
    missing, foreign = found["images/room.png"], found["https://example.org/map.png"]
    assert missing.location.path.endswith("content/tactics/phone-banking.md")
    assert lines[missing.location.line - 1].startswith("![A crowded phone room]")
    assert lines[foreign.location.line - 1].startswith("![Map]")
    assert str(missing).count(":") >= 3  # path:line:col: warning: ...
    reader = PdfReader(tmp_path / "book.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Image not included: A crowded phone room" in text


@pytest.mark.slow  # lays out a whole (small) book
def test_an_image_in_the_content_folder_is_in_the_pdf(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    (content / "tactics" / "images").mkdir()
    shutil.copy(next((ROOT / "theme").rglob("*.png"), None) or _png(tmp_path), content / "tactics" / "images" / "room.png")
    guide = content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\n![A crowded phone room](images/room.png)\n", "utf-8")
    outcome = render(content, tmp_path / "book.pdf", workers=1)
    assert outcome.problems == []
    reader = PdfReader(tmp_path / "book.pdf")
    images = [img for page in reader.pages for img in page.images]
    assert images, "the image did not make it into the PDF"


def _png(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "room.png"
    Image.new("RGB", (40, 30), (200, 60, 40)).save(path)
    return path


# -- the fetcher ----------------------------------------------------------------------------------------


def test_the_fetcher_only_gives_files_inside_its_folders(tmp_path: Path) -> None:
    inside = tmp_path / "content"
    inside.mkdir()
    (inside / "ok.png").write_bytes(b"x")
    (tmp_path / "secret.txt").write_text("no")
    (inside / "link.png").symlink_to(tmp_path / "secret.txt")
    fetcher = LocalFetcher([inside])
    assert fetcher.allows((inside / "ok.png").as_uri())
    assert fetcher.allows("data:image/png;base64,iVBORw0KGgo=")
    for url in ["https://example.org/x.png", "http://localhost/x.png", "ftp://example.org/x", (tmp_path / "secret.txt").as_uri(),
                (inside / "link.png").as_uri(), (inside / ".." / "secret.txt").as_uri(), "file://otherhost/etc/passwd"]:
        assert not fetcher.allows(url), url
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/x.png")
    assert fetcher.refused == ["https://example.org/x.png"]
    assert fetcher.fetch((inside / "ok.png").as_uri()).read() == b"x"


# -- the whole book ----------------------------------------------------------------------------------


@pytest.mark.slow  # lays out a whole (small) book
def test_the_same_handbook_gives_the_same_bytes_in_one_process_or_two(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content = mini_content(tmp_path)
    one = render(content, tmp_path / "one.pdf", workers=1)
    two = render(content, tmp_path / "two.pdf", workers=2)
    assert one.workers == 1 and two.workers == 2
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    reader = PdfReader(tmp_path / "one.pdf")
    assert reader.metadata["/CreationDate"] == "D:20231114221320Z"
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1]


@pytest.mark.slow  # lays out a whole (small) book
def test_a_changed_guide_changes_the_document_id(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content = mini_content(tmp_path)
    render(content, tmp_path / "one.pdf", workers=1)
    guide = content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    render(content, tmp_path / "two.pdf", workers=1)
    ids = [PdfReader(tmp_path / f"{n}.pdf").trailer["/ID"][0] for n in ("one", "two")]
    assert ids[0] != ids[1]


def test_runs_of_guides_never_span_two_chapters() -> None:
    handbook, _ = checks.load_and_check(ROOT / "content", Schema.load())
    book = assemble(handbook, title="x", licence_id="CC-BY-SA-4.0")
    for run_chars in (1, 10_000, 10**9):
        parts = plan(book, run_chars)
        covered = []
        for part in parts:
            chapter = book.chapters[part.chapter]
            assert 0 <= part.start < part.stop <= len(chapter.sheets)
            assert part.opener == (part.start == 0)
            covered.extend(s.slug for s in chapter.sheets[part.start:part.stop])
        assert covered == [s.slug for s in book.sheets]
    assert len(plan(book, 1)) == len(book.sheets)
    assert len(plan(book, 10**9)) == len(book.chapters)


def test_guides_are_numbered_in_book_order_and_drafts_and_excluded_guides_are_left_out(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    guide = content / "funding-models" / "house-parties.md"
    guide.write_text(guide.read_text("utf-8").replace("typical_scale", "draft: true\ntypical_scale"), "utf-8")
    book = book_of(content, exclude={"case-studies/the-big-call.md"})
    assert [(s.number, s.slug) for s in book.sheets] == [(1, "phone-banking")]
    assert book.sheet("phone-banking").related == ()  # its related guide is a draft


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 2, 4, 9, 14, 40, 90, 400, 1994)] == ["i", "ii", "iv", "ix", "xiv", "xl", "xc", "cd", "mcmxciv"]


# -- progress --------------------------------------------------------------------------------------------


def test_progress_is_a_few_plain_lines_when_stderr_is_not_a_terminal() -> None:
    lines: list[str] = []
    progress = for_terminal(lines.append, io.StringIO())
    assert isinstance(progress, LogLines)
    progress.start(8, "Laying out 3 guides")
    for step in range(8):
        progress.advance(f"part {step}")
    progress.finish()
    assert lines[0] == "Laying out 3 guides: 8 steps"
    assert [line.split(" ")[1] for line in lines[1:]] == ["25%", "50%", "75%"]


def test_progress_is_a_bar_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = for_terminal(lambda line: None, stream)
    assert isinstance(progress, Bar)
    progress.start(2, "Laying out")
    progress.advance("one")
    progress.advance("two")
    progress.finish()
    assert "Laying out" in stream.getvalue()


# -- themes -----------------------------------------------------------------------------------------------


@pytest.mark.slow  # lays out a whole (small) book
def test_a_handbook_can_restyle_its_book_from_its_own_theme_folder(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    own = tmp_path / "theme" / "pdf"
    own.mkdir(parents=True)
    licence = (THEME / "pdf" / "licence.html").read_text("utf-8")
    (own / "licence.html").write_text(licence.replace("How to credit this handbook", "Crediting our collective"), "utf-8")
    outcome = build_pdf(book_of(content), Options(target=tmp_path / "book.pdf", content_dir=content,
                                                  theme_dirs=(tmp_path / "theme", THEME), workers=1))
    text = " ".join(page.extract_text() for page in PdfReader(outcome.path).pages)
    assert "Crediting our collective" in text and "How to credit this handbook" not in text


@pytest.mark.slow  # starts laying out a book
def test_a_broken_template_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    from handbook_build.pdf import PdfError

    content = mini_content(tmp_path)
    own = tmp_path / "theme" / "pdf"
    own.mkdir(parents=True)
    (own / "guide.html").write_text("<article>{% if %}</article>", "utf-8")
    with pytest.raises(PdfError, match="templates are broken"):
        build_pdf(book_of(content), Options(target=tmp_path / "book.pdf", content_dir=content,
                                            theme_dirs=(tmp_path / "theme", THEME), workers=1))
    assert not (tmp_path / "book.pdf").exists()
    with pytest.raises(PdfError, match="pdf/ folder"):
        build_pdf(book_of(content), Options(target=tmp_path / "book.pdf", content_dir=content,
                                            theme_dirs=(tmp_path / "nowhere",), workers=1))


@pytest.mark.slow  # lays out a whole (small) book
def test_a_handbook_without_guides_still_makes_a_book(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(FIXTURES / "mini" / "content" / "topics.yml", content / "topics.yml")
    outcome = render(content, tmp_path / "book.pdf", workers=2)
    reader = PdfReader(outcome.path)
    assert outcome.problems == [] and outcome.messages == []
    assert len(reader.pages) >= 4  # cover, imprint, contents, licence, back cover
    assert reader.metadata.title == "Mini Handbook"
