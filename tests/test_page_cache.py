"""A build after an edit reuses the pages nothing changed for, and writes the same site a
build from nothing writes (mkdocs_plugin/page_reuse.py, site/page_cache.py).

Each test starts from a small handbook's first build (made once per module and
put back, site and cache, in the folder it was built in), changes it as a
contributor would, builds it again with the cache the first build left, then
builds the same files in a copy without a cache, and compares the two sites
byte for byte.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, Project

pytestmark = pytest.mark.slow

NEW_GUIDE = """---
title: Leafleting
type: tactic
summary: Handing out leaflets where people pass, with one clear thing to do next.
topics: [organising]
authors: [Ada Example]
difficulty: beginner
---

## How to do it

Stand where people slow down, offer the leaflet, and say the one thing you want them to do.
"""


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def reused(log: str) -> tuple[int, int]:
    found = re.search(r"(\d+) of (\d+) page\(s\) reused from the last build", log)
    assert found, log
    return int(found[1]), int(found[2])


def cold_build_of(project: Project, tmp_path: Path, name: str) -> dict[str, bytes]:
    """The same files built in a copy that has no cache."""
    copy = Project(tmp_path / name)
    shutil.copytree(project.root, copy.root, ignore=shutil.ignore_patterns("site", ".cache"))
    result = copy.build()
    assert result.returncode == 0, result.stderr
    assert reused(result.stderr)[0] == 0
    return files_of(copy.site)


def warm_build(project: Project) -> tuple[dict[str, bytes], tuple[int, int]]:
    result = project.build()
    assert result.returncode == 0, result.stderr
    return files_of(project.site), reused(result.stderr)


def assert_same(warm: dict[str, bytes], cold: dict[str, bytes]) -> None:
    assert sorted(warm) == sorted(cold)
    assert [name for name in cold if warm[name] != cold[name]] == []


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The mini handbook's first build, made once per module, and a copy of the folder as it left it."""
    base = tmp_path_factory.mktemp("page-cache")
    project = Project(base / "mini")
    shutil.copytree(FIXTURES / "mini", project.root, ignore=shutil.ignore_patterns("site", ".cache", "__pycache__"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert reused(result.stderr)[0] == 0  # nothing to reuse the first time
    shutil.copytree(project.root, base / "as-built")
    return project.root, base / "as-built"


@pytest.fixture
def built(first_build: tuple[Path, Path]) -> Project:
    """The mini handbook just after its first build, in the folder it was built in (the page cache's key
    holds the configuration, and so the folder): each test gets the site and cache as that build left them."""
    root, as_built = first_build
    shutil.rmtree(root)
    shutil.copytree(as_built, root)
    return Project(root)


def test_nothing_changed_every_page_is_reused_and_the_site_is_the_same(built: Project, tmp_path: Path) -> None:
    first = files_of(built.site)
    warm, (hits, pages) = warm_build(built)
    assert hits == pages > 0
    assert_same(warm, first)
    assert (built.root / ".cache" / "handbook" / "pages").is_dir()


def test_an_edited_body_makes_only_its_page_again(built: Project, tmp_path: Path) -> None:
    guide = built.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\nCall back everyone who said maybe: quorblewick.\n", "utf-8")
    warm, (hits, pages) = warm_build(built)
    assert hits == pages - 1  # only the phone banking page was converted again
    assert b"quorblewick" in warm["tactics/phone-banking/index.html"]
    assert_same(warm, cold_build_of(built, tmp_path, "cold"))


def test_an_added_a_deleted_and_a_renamed_guide_give_the_site_a_cold_build_gives(built: Project, tmp_path: Path) -> None:
    built.write("tactics/leafleting.md", NEW_GUIDE)
    warm, _ = warm_build(built)
    assert "tactics/leafleting/index.html" in warm
    assert_same(warm, cold_build_of(built, tmp_path, "added"))

    (built.content / "tactics" / "leafleting.md").rename(built.content / "tactics" / "leaflets.md")
    warm, _ = warm_build(built)
    assert "tactics/leaflets/index.html" in warm and "tactics/leafleting/index.html" not in warm
    assert_same(warm, cold_build_of(built, tmp_path, "renamed"))

    (built.content / "tactics" / "leaflets.md").unlink()
    warm, _ = warm_build(built)
    assert not any("leaflet" in name for name in warm)
    assert_same(warm, cold_build_of(built, tmp_path, "deleted"))


def test_a_title_change_shows_on_every_page_that_lists_the_guide(built: Project, tmp_path: Path) -> None:
    guide = built.content / "funding-models" / "house-parties.md"
    guide.write_text(guide.read_text("utf-8").replace("title: House parties", "title: Kitchen-table fundraisers"), "utf-8")
    warm, (hits, _) = warm_build(built)
    assert hits == 0  # a front-matter change may show anywhere: every page is made again
    assert b"Kitchen-table fundraisers" in warm["funding-models/index.html"]
    assert_same(warm, cold_build_of(built, tmp_path, "cold"))


def test_a_reused_page_still_warns_about_its_broken_link(built: Project) -> None:
    guide = built.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\nSee [the old script](old-script.md).\n", "utf-8")
    first = built.build(strict=False)
    assert first.returncode == 0 and "old-script.md" in first.stderr
    again = built.build(strict=False)
    hits, pages = reused(again.stderr)
    assert hits == pages
    warning = next(line for line in first.stderr.splitlines() if "old-script.md" in line)
    assert warning in again.stderr  # the same warning, word for word
    assert built.build().returncode != 0  # and --strict still stops on it


def test_a_theme_or_configuration_change_makes_every_page_again(built: Project, tmp_path: Path) -> None:
    overrides = built.root / "overrides" / "partials" / "handbook"
    overrides.mkdir(parents=True)
    (overrides / "footer.html").write_text('<footer class="ours">Printed by the Example Collective</footer>\n', "utf-8")
    config = built.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1), "utf-8")
    warm, (hits, _) = warm_build(built)
    assert hits == 0
    assert b"Printed by the Example Collective" in warm["tactics/phone-banking/index.html"]
    assert_same(warm, cold_build_of(built, tmp_path, "theme"))

    config.write_text(config.read_text("utf-8").replace("site_name: ", "site_name: The New ", 1), "utf-8")
    warm, (hits, _) = warm_build(built)
    assert hits == 0
    assert_same(warm, cold_build_of(built, tmp_path, "config"))


def test_a_damaged_or_deleted_cache_is_a_full_build(built: Project, tmp_path: Path) -> None:
    pages = built.root / ".cache" / "handbook" / "pages"
    entries = sorted(pages.glob("*.json"))
    assert entries
    for entry in entries[::2]:
        entry.write_bytes(b'{"format": 1, "html": ')  # cut off mid-write by something else
    warm, (hits, total) = warm_build(built)
    assert 0 < hits < total
    assert_same(warm, cold_build_of(built, tmp_path, "damaged"))
    shutil.rmtree(built.root / ".cache")
    warm, (hits, _) = warm_build(built)
    assert hits == 0
    assert_same(warm, cold_build_of(built, tmp_path, "deleted"))


def test_the_cache_can_be_turned_off(built: Project) -> None:
    config = built.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      cache: false\n"), "utf-8")
    result = built.build()
    assert result.returncode == 0, result.stderr
    assert "reused from the last build" not in result.stderr


def test_another_plugin_that_works_on_pages_turns_reuse_off(built: Project) -> None:
    """A hook (or plugin) that changes pages does so in ways no key here sees: pages are made afresh."""
    hook = built.root / "stamp.py"
    hook.write_text('def on_page_markdown(markdown, **kwargs):\n    return markdown + "\\n\\nStamped by hook A\\n"\n', "utf-8")
    config = built.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "hooks:\n  - stamp.py\n", "utf-8")
    result = built.build()
    assert result.returncode == 0, result.stderr
    assert "Pages are made afresh on every build: stamp.py also work(s) on pages" in result.stderr
    assert "reused from the last build" not in result.stderr
    hook.write_text(hook.read_text("utf-8").replace("hook A", "hook B"), "utf-8")
    result = built.build()
    assert result.returncode == 0, result.stderr
    assert "Stamped by hook B" in (built.site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")


def test_a_hook_after_ours_still_reads_each_page_s_markdown_and_html(built: Project) -> None:
    """A written page's Markdown and HTML are let go to save memory, but only when nothing else
    works on pages: a hook's on_post_page runs after ours and must still find them."""
    hook = built.root / "lengths.py"
    hook.write_text("import pathlib\n\n\ndef on_post_page(output, page, config):\n"
                    "    if page.file.src_uri == 'tactics/phone-banking.md':\n"
                    "        pathlib.Path(config.config_file_path).with_name('seen.txt').write_text(\n"
                    "            f'{len(page.markdown or \"\")} {len(page.content or \"\")}')\n", "utf-8")
    config = built.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "hooks:\n  - lengths.py\n", "utf-8")
    result = built.build()
    assert result.returncode == 0, result.stderr
    markdown, html = map(int, (built.root / "seen.txt").read_text("utf-8").split())
    assert markdown > 100 and html > 100
