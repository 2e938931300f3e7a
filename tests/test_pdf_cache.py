"""The PDF's layout cache: a warm build reuses the parts that did not change, and its book is the cold build's, byte for byte."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import handbook_build
from conftest import FIXTURES, Project
from handbook_build.pdf import Options, build_pdf
from handbook_build.pdf.cache import FOLDER
from test_pdf_core import THEME, book_of, mini_content

pytestmark = pytest.mark.slow  # lays out small books, several times each

EPOCH = "1767225600"
GUIDE = Path("tactics") / "phone-banking.md"


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # builds minutes apart must not differ by their date


def build(content: Path, target: Path, cache: Path | None, *, theme: Path = THEME, lang: str = "en"):
    options = Options(target=target, content_dir=content, theme_dirs=(theme,), workers=1, cache_dir=cache)
    return build_pdf(book_of(content, lang=lang), options)


def add_line(content: Path, line: str) -> None:
    guide = content / GUIDE
    guide.write_text(guide.read_text("utf-8") + f"\n{line}\n", "utf-8")


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def text_of(pdf: Path) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


# -- through MkDocs: what a person building the handbook sees -------------------------------------------------


def test_after_one_guide_changed_the_book_is_the_cold_books_and_most_parts_come_from_the_cache(tmp_path: Path) -> None:
    project = Project(tmp_path / "mini")
    shutil.copytree(FIXTURES / "mini", project.root, ignore=shutil.ignore_patterns("site", "__pycache__"))
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      pdf_workers: 2\n", 1), "utf-8")
    assert "pdf_workers: 2" in config.read_text("utf-8")  # two processes: the cache travels to workers

    def pdf_build(site: str) -> tuple[bytes, tuple[int, int]]:
        done = project.run("mkdocs", "build", "-d", site, env={"HANDBOOK_PDF": "true", "SOURCE_DATE_EPOCH": EPOCH})
        assert done.returncode == 0, done.stderr
        said = re.search(r"Wrote handbook\.pdf: \d+ pages in [\d.]+ s \(2 processes, (\d+) of (\d+) parts from the cache\)", done.stderr)
        assert said, done.stderr
        return (project.root / site / "handbook.pdf").read_bytes(), (int(said[1]), int(said[2]))

    first, (cached, parts) = pdf_build("site-cold")
    assert cached == 0 and parts > 3
    assert entries(project.root / FOLDER / "en")
    add_line(project.content, "Bring a charged phone and a glass of water.")
    warm, (cached, parts) = pdf_build("site-warm")
    assert 0 < cached < parts
    assert warm != first and "a glass of water" in text_of(project.root / "site-warm" / "handbook.pdf")
    assert len(entries(project.root / FOLDER / "en")) == parts  # the edited guide's old layout is pruned

    shutil.rmtree(project.root / ".cache")  # deleting the cache: a full build, the same book
    cold, (cached, _) = pdf_build("site-again")
    assert cached == 0
    assert cold == warm


# -- the core, in this process ----------------------------------------------------------------------------


def test_a_changed_image_under_the_same_name_is_laid_out_again(tmp_path: Path) -> None:
    from PIL import Image

    content = mini_content(tmp_path)
    image = content / "tactics" / "images" / "room.png"
    image.parent.mkdir()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image)
    add_line(content, "![A crowded phone room](images/room.png)")
    cache = tmp_path / "cache"
    first = build(content, tmp_path / "first.pdf", cache)
    assert first.problems == [] and first.from_cache == 0

    Image.new("RGB", (40, 30), (30, 30, 200)).save(image)  # same name, same size: the HTML does not change
    warm = build(content, tmp_path / "warm.pdf", cache)
    assert warm.from_cache == warm.parts - 1  # only the guide's chapter

    pixels = [img.image.convert("RGB").getpixel((20, 15)) for page in PdfReader(tmp_path / "warm.pdf").pages for img in page.images]
    assert pixels and all(blue > 150 and red < 80 for red, _green, blue in pixels), pixels  # the new blue image, not the old red one
    build(content, tmp_path / "cold.pdf", tmp_path / "fresh")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()


def test_a_damaged_entry_is_laid_out_again_not_an_error(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    cache = tmp_path / "cache"
    first = build(content, tmp_path / "first.pdf", cache)
    stored = entries(cache / "en")
    assert len(stored) == first.parts
    stored[0].write_text("{not json", "utf-8")
    pdf = stored[1].with_suffix(".pdf")
    pdf.write_bytes(pdf.read_bytes()[:200])  # truncated
    facts = json.loads(stored[2].read_text("utf-8"))
    facts["facts"]["anchors"] = [["guide-x", "page one", 1.0, 2.0]]  # JSON that parses, but not a part's facts
    stored[2].write_text(json.dumps(facts), "utf-8")
    stored[3].with_suffix(".pdf").unlink()

    again = build(content, tmp_path / "again.pdf", cache)
    assert again.problems == []
    assert again.from_cache == again.parts - 4
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    assert build(content, tmp_path / "third.pdf", cache).from_cache == again.parts  # stored anew, whole


def test_another_toolkit_version_or_stylesheet_lays_everything_out_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = mini_content(tmp_path)
    cache = tmp_path / "cache"
    first = build(content, tmp_path / "first.pdf", cache)
    assert build(content, tmp_path / "same.pdf", cache).from_cache == first.parts

    monkeypatch.setattr(handbook_build, "__version__", "99.0.0")
    upgraded = build(content, tmp_path / "upgraded.pdf", cache)
    assert upgraded.from_cache == 0
    assert (tmp_path / "upgraded.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()

    theme = tmp_path / "theme"
    shutil.copytree(THEME / "pdf", theme / "pdf")
    css = theme / "pdf" / "pdf.css"
    css.write_text(css.read_text("utf-8") + "\n.prose p { color: #800000; }\n", "utf-8")  # no template changed
    restyled = build(content, tmp_path / "restyled.pdf", cache, theme=theme)
    assert restyled.from_cache == 0


def test_books_in_two_languages_share_the_folder_without_pruning_each_other(tmp_path: Path) -> None:
    content = mini_content(tmp_path)
    cache = tmp_path / "cache"
    english = build(content, tmp_path / "en.pdf", cache)
    swedish = build(content, tmp_path / "sv.pdf", cache, lang="sv")
    assert swedish.from_cache == 0  # its own words: its own layouts
    again = build(content, tmp_path / "en2.pdf", cache)
    assert again.from_cache == english.parts
    assert len(entries(cache / "en")) == english.parts and len(entries(cache / "sv")) == swedish.parts


def test_worker_processes_start_only_for_parts_the_cache_does_not_have(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers asked for, a build whose parts are all in the cache starts no process, and one
    after an edit starts them once, for the changed run of guides; the book is the same either way."""
    from handbook_build.pdf import build as pdf_build

    content, cache = mini_content(tmp_path), tmp_path / "cache"

    def two_workers(target: Path):
        options = Options(target=target, content_dir=content, theme_dirs=(THEME,), workers=2, cache_dir=cache)
        return build_pdf(book_of(content), options)

    cold = two_workers(tmp_path / "cold.pdf")
    assert cold.from_cache == 0
    started: list[int] = []
    real_pool = pdf_build._pool
    monkeypatch.setattr(pdf_build, "_pool", lambda workers, setup: started.append(workers) or real_pool(workers, setup))
    warm = two_workers(tmp_path / "warm.pdf")
    assert started == [] and warm.from_cache == warm.parts
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    add_line(content, "Ring back everyone who said maybe by Friday.")
    edited = two_workers(tmp_path / "edited.pdf")
    assert started == [2] and 0 < edited.from_cache < edited.parts
    assert "Ring back everyone who said maybe by Friday." in text_of(tmp_path / "edited.pdf")
