"""The EPUB's cache (.cache/handbook/epub/): a warm e-book is byte for byte the cold one.

Each test makes the book twice from the same content: once with the cache an
earlier build left (warm), once with no cache at all (cold), and compares the
bytes. The cache must also have been used, or the comparison proves nothing.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Project, guide_text
from handbook_build import checks, pdf
from handbook_build.content.schema import Schema
from handbook_build.formats import epub, epub_work
from test_epub import STARTER_EXTENSIONS, TEMPLATES, WHEN, epubcheck

EXTENSIONS = ("toc", "tables", "attr_list", "footnotes")
NEW_GUIDE = guide_text("## What it is\n\nKnock, then talk; see [[phone-banking]] for the calls after.[^1]\n\n"
                       "[^1]: Neighbours answer more often at weekends.\n")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "mini" / "content", tmp_path / "content"))


def make(content: Path, target: Path, cache: Path | None, lang: str | None = None, workers: int = 1,
         extensions: tuple[str, ...] = EXTENSIONS) -> epub.Outcome:
    handbook, _ = checks.load_and_check(content, Schema.load(None), lang="en", license="CC-BY-SA-4.0")
    book = pdf.assemble(handbook, title="Mini Handbook", subtitle="A test", licence_id="CC-BY-SA-4.0", content_dir=content,
                        edition=WHEN.date(), lang=lang)
    return epub.write_epub(book, epub.Options(target, content, (TEMPLATES,), WHEN, extensions, cache_dir=cache,
                                              workers=workers))


def warm_and_cold(content: Path, tmp_path: Path, cache: Path) -> tuple[bytes, bytes, epub.Outcome]:
    warm = make(content, tmp_path / "warm.epub", cache)
    make(content, tmp_path / "cold.epub", None)
    return (tmp_path / "warm.epub").read_bytes(), (tmp_path / "cold.epub").read_bytes(), warm


def page(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"EPUB/{name}").decode("utf-8")


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def test_a_second_build_reuses_every_body_and_page_and_gives_the_same_bytes(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = make(content, tmp_path / "first.epub", cache)
    assert first.reused == 0 and entries(cache)
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    assert outcome.reused == first.documents + 3  # every page, and the three guides' bodies
    assert warm == cold == (tmp_path / "first.epub").read_bytes()


def test_after_editing_one_guide_the_warm_book_is_the_cold_one(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "first.epub", cache)
    guide = content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8").replace("3. Call.", "3. Call, and thank them by name."), "utf-8")
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    assert "thank them by name" in page(warm, "guide-phone-banking.xhtml")
    assert outcome.reused > 0
    assert warm == cold


def test_after_adding_a_guide_the_warm_book_is_the_cold_one(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "first.epub", cache)
    (content / "tactics" / "door-knocking.md").write_text(NEW_GUIDE, "utf-8")
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    # The new guide is in, and the old guides' links point at their files under their new numbers.
    assert "Neighbours answer more often" in page(warm, "guide-door-knocking.xhtml")
    assert outcome.reused > 0
    assert warm == cold


def test_after_deleting_a_guide_the_warm_book_is_the_cold_one_and_its_entries_go(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "first.epub", cache)
    gone = [p for p in entries(cache) if "guide-the-big-call" in p.read_text("utf-8")]
    assert gone
    (content / "case-studies" / "the-big-call.md").unlink()
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    assert "guide-the-big-call.xhtml" not in zipfile.ZipFile(tmp_path / "warm.epub").namelist()
    assert outcome.reused > 0
    assert warm == cold
    assert not [p for p in gone if p.exists()]  # pruned: this build did not use them


def test_after_retitling_a_guide_the_links_to_it_in_other_bodies_say_the_new_title(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "first.epub", cache)
    guide = content / "funding-models" / "house-parties.md"
    guide.write_text(guide.read_text("utf-8").replace("title: House parties", "title: Kitchen gatherings"), "utf-8")
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    assert "Kitchen gatherings" in page(warm, "guide-phone-banking.xhtml")  # [[house-parties]] in its body
    assert outcome.reused > 0
    assert warm == cold


def test_an_image_that_appears_replaces_the_note_in_the_body(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    guide = content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\n![The call sheet](sheet.png)\n", "utf-8")
    make(content, tmp_path / "first.epub", cache)
    assert "missing-image" in page((tmp_path / "first.epub").read_bytes(), "guide-phone-banking.xhtml")
    shutil.copy(FIXTURES / "broken" / "onerror-attribute" / "tactics" / "images" / "door.png", content / "tactics" / "sheet.png")
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    assert 'src="media/tactics/sheet.png"' in page(warm, "guide-phone-banking.xhtml")
    assert outcome.reused > 0
    assert warm == cold


def test_books_in_two_languages_share_the_folder_without_pruning_each_other(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "en.epub", cache, lang="en")
    english = set(entries(cache))
    make(content, tmp_path / "sv.epub", cache, lang="sv")
    assert english < set(entries(cache))  # the Swedish book added its own and kept the English ones
    assert make(content, tmp_path / "en-again.epub", cache, lang="en").reused == len(english)
    assert (tmp_path / "en-again.epub").read_bytes() == (tmp_path / "en.epub").read_bytes()


def test_a_damaged_entry_is_made_again(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "first.epub", cache)
    bodies = [p for p in entries(cache) if ".body." in p.name]
    pages = [p for p in entries(cache) if ".page." in p.name]
    # A body whose HTML was changed but is still valid JSON, a page cut in half, an entry that is not JSON.
    stored = json.loads(bodies[0].read_text("utf-8"))
    stored["value"]["html"] = "<p>planted</p>"
    bodies[0].write_text(json.dumps(stored), "utf-8")
    pages[0].write_bytes(pages[0].read_bytes()[: len(pages[0].read_bytes()) // 2])
    pages[1].write_bytes(b"\x00not json")
    warm, cold, outcome = warm_and_cold(content, tmp_path, cache)
    assert b"planted" not in warm
    assert outcome.reused > 0
    assert warm == cold


def test_deleting_the_cache_gives_the_same_book(content: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    make(content, tmp_path / "first.epub", cache)
    shutil.rmtree(cache)
    again = make(content, tmp_path / "again.epub", cache)
    assert again.reused == 0 and entries(cache)
    assert (tmp_path / "again.epub").read_bytes() == (tmp_path / "first.epub").read_bytes()


def test_bodies_and_pages_made_by_a_helper_process_give_the_same_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The starter handbook (footnotes, admonitions, checklists, images): made here alone, then shared with a helper."""
    alone = make(ROOT / "content", tmp_path / "alone.epub", None, extensions=STARTER_EXTENSIONS)
    helpers: list[int] = []
    opened = epub_work.Work._open
    monkeypatch.setattr(epub_work, "MIN_SHARE", 1)  # a small book is shared too
    monkeypatch.setattr(epub_work.Work, "_open", lambda self, n: helpers.append(n) or opened(self, n))
    shared = make(ROOT / "content", tmp_path / "shared.epub", None, workers=2, extensions=STARTER_EXTENSIONS)
    assert helpers == [1, 1]  # one helper, asked for the bodies and then for the pages
    assert shared.problems == alone.problems
    assert (tmp_path / "shared.epub").read_bytes() == (tmp_path / "alone.epub").read_bytes()


@pytest.mark.slow
def test_a_warm_build_beside_mkdocs_yml_gives_the_same_epub_and_epubcheck_passes_it(mini: Project) -> None:
    mini.write("tactics/door-knocking.md", NEW_GUIDE)
    assert mini.build().returncode == 0
    cache = mini.root / ".cache" / "handbook" / "epub"
    assert entries(cache) and (cache / ".gitignore").is_file()
    cold = (mini.site / "handbook.epub").read_bytes()
    guide = mini.content / "tactics" / "door-knocking.md"
    guide.write_text(guide.read_text("utf-8").replace("more often", "far more often"), "utf-8")
    assert mini.build().returncode == 0
    warm = (mini.site / "handbook.epub").read_bytes()
    assert "far more often" in page(warm, "guide-door-knocking.xhtml")
    result = epubcheck(mini.site / "handbook.epub")
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout, result.stdout + result.stderr
    shutil.rmtree(cache)
    assert mini.build().returncode == 0
    assert (mini.site / "handbook.epub").read_bytes() == warm != cold
