"""The zines' layout cache: a warm build lays out only the zines whose guides or images changed, and writes the cold build's bytes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, Project, _copy_project

pytestmark = pytest.mark.slow  # builds the mini handbook with its PDF, several times per test

EPOCH = "1767225600"
GUIDE = Path("funding-models") / "house-parties.md"  # in the fundraising topic only
CACHE = Path(".cache") / "handbook" / "zines"
LINE = re.compile(r"Wrote 2 zines in zines/ \(\d+ A5 pages, (\d+) of 2 from the cache\)")


def mini(tmp_path: Path) -> Project:
    return _copy_project(FIXTURES / "mini", tmp_path / "mini")


def build(project: Project, site: str) -> tuple[dict[str, bytes], int]:
    """The zines this build wrote, by name, and how many of their layouts came from the cache."""
    done = project.run("mkdocs", "build", "--strict", "-d", site, env={"HANDBOOK_PDF": "true", "SOURCE_DATE_EPOCH": EPOCH})
    assert done.returncode == 0, done.stderr
    said = LINE.search(done.stderr)
    assert said, done.stderr
    zines = {p.name: p.read_bytes() for p in sorted((project.root / site / "zines").iterdir())}
    assert len(zines) == 4  # each topic's zine to print and to read
    return zines, int(said[1])


def add_line(project: Project, line: str) -> None:
    guide = project.content / GUIDE
    guide.write_text(guide.read_text("utf-8") + f"\n{line}\n", "utf-8")


def test_after_one_guide_changed_only_its_topics_zines_are_laid_out_and_the_bytes_are_a_cold_builds(tmp_path: Path) -> None:
    project = mini(tmp_path)
    first, cached = build(project, "site-cold")
    assert cached == 0
    add_line(project, "Bring a charged phone and a glass of water.")
    warm, cached = build(project, "site-warm")
    assert cached == 1  # organising's zine; fundraising's is laid out again
    read = PdfReader(project.root / "site-warm" / "zines" / "fundraising-read.pdf")
    assert "glass of water" in " ".join(page.extract_text() or "" for page in read.pages)
    assert warm["organising.pdf"] == first["organising.pdf"] and warm["fundraising.pdf"] != first["fundraising.pdf"]

    shutil.rmtree(project.root / ".cache")  # deleting the cache: every zine laid out, the same bytes
    cold, cached = build(project, "site-again")
    assert cached == 0
    assert cold == warm


def test_a_changed_image_is_seen_and_a_damaged_entry_is_laid_out_again(tmp_path: Path) -> None:
    from PIL import Image

    project = mini(tmp_path)
    image = project.content / "funding-models" / "room.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image)
    add_line(project, "![A crowded living room](room.png)")
    build(project, "site-red")
    Image.new("RGB", (40, 30), (30, 30, 200)).save(image)  # same name, same size: the zine's HTML does not change
    blue, cached = build(project, "site-blue")
    assert cached == 1
    pages = PdfReader(project.root / "site-blue" / "zines" / "fundraising-read.pdf").pages
    pixels = [img.image.convert("RGB").getpixel((20, 15)) for page in pages for img in page.images if img.image is not None]
    assert pixels and all(b > 150 and r < 80 for r, _g, b in pixels), pixels  # the new blue image, not the old red one

    entries = sorted((project.root / CACHE / "en").glob("*.pdf"))
    assert len(entries) == 6  # this build's two layouts and their four imposed files only: the red ones are pruned
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:200])  # a half-written file, say
    again, cached = build(project, "site-damaged")
    assert cached == 0
    assert again == blue


def test_with_the_cache_option_off_there_is_no_cache_folder(tmp_path: Path) -> None:
    project = mini(tmp_path)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      cache: false\n", 1), "utf-8")
    done = project.run("mkdocs", "build", "--strict", env={"HANDBOOK_PDF": "true", "SOURCE_DATE_EPOCH": EPOCH})
    assert done.returncode == 0, done.stderr
    assert re.search(r"Wrote 2 zines in zines/ \(\d+ A5 pages\) in", done.stderr), done.stderr
    assert (project.site / "zines" / "organising.pdf").is_file()
    assert not (project.root / CACHE).exists()
