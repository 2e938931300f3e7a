"""Shared fixtures: a throw-away copy of a small handbook, real builds, a real browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


# The front matter of a valid tactic for the mini handbook; tests add a body or break a line.
DOOR_KNOCKING = """title: Door knocking
type: tactic
summary: Knocking on doors to talk with neighbours face to face.
topics: [organising]
authors: [Ana Example]
difficulty: beginner"""


def guide_text(body: str, front: str = DOOR_KNOCKING) -> str:
    """A whole guide file: front matter between '---' lines, a blank line, the body."""
    return f"---\n{front}\n---\n\n{body}"


@dataclass
class Project:
    """A handbook project in a temporary folder: mkdocs.yml, content/, site/."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess:
        """Run a command of this virtualenv (handbook, mkdocs) in the project folder."""
        full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        exe = str(BIN / args[0])
        return subprocess.run([exe, *args[1:]], cwd=self.root, env=full_env, capture_output=True, text=True,
                              input=input, timeout=600)

    def check(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("handbook", "check", *args)

    def build(self, *args: str, pdf: bool = False, strict: bool = True) -> subprocess.CompletedProcess:
        cmd = ["mkdocs", "build", *(["--strict"] if strict else []), *args]
        return self.run(*cmd, env={"HANDBOOK_PDF": "true" if pdf else "false"})


def _copy_project(source: Path, target: Path) -> Project:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", "__pycache__"))
    return Project(target)


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """A copy of tests/fixtures/mini: three valid guides, one of each type, and two topics."""
    return _copy_project(FIXTURES / "mini", tmp_path / "mini")


@pytest.fixture
def starter(tmp_path: Path) -> Project:
    """A copy of the repository's own handbook (mkdocs.yml, content/, theme)."""
    target = tmp_path / "starter"
    target.mkdir()
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return Project(target)


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The mini handbook built once (no PDF) for tests that only read the output."""
    project = _copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("built") / "mini")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def built_starter(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's own handbook (its mkdocs.yml: .html page URLs) built once, no PDF,
    for tests that read or browse the output. Not --strict: a link to a page another
    feature has yet to write must not hide what these tests check."""
    target = tmp_path_factory.mktemp("built-starter") / "starter"
    target.mkdir()
    shutil.copytree(ROOT / "content", target / "content")
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    (target / "mkdocs.yml").write_text(text, "utf-8")
    project = Project(target)
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    return project


BOOK_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the built book's date
BOOK_SITE_URL = "https://handbook.example.org/"


def book_at(folder: Path) -> Project:
    """A copy of the repository's handbook with a site_url (canonical links, sitemap), ready to build."""
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "content", folder / "content")
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    (folder / "mkdocs.yml").write_text(text.replace('site_url: ""', f'site_url: "{BOOK_SITE_URL}"'), "utf-8")
    return Project(folder)


@dataclass
class _Building:
    """A whole-book build running in the background: its project, its process, and the file its stderr goes to."""

    project: Project
    process: subprocess.Popen
    log: Path

    def finish(self) -> Project:
        try:
            returncode = self.process.wait(timeout=1200)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        log = self.log.read_text("utf-8", errors="replace")
        assert returncode == 0, log[-4000:]
        assert (self.project.site / "handbook.pdf").is_file(), log[-4000:]
        self.project.log = log  # type: ignore[attr-defined]
        return self.project


def _start_book(folder: Path) -> _Building:
    """Start `mkdocs build` of the handbook with everything (PDF, EPUB, zines, zip) at the book's fixed date."""
    project = book_at(folder)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update({"NO_MKDOCS_2_WARNING": "1", "HANDBOOK_PDF": "true", "SOURCE_DATE_EPOCH": BOOK_EPOCH})
    log = folder.parent / f"{folder.name}-build.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([str(BIN / "mkdocs"), "build"], cwd=project.root, env=env, stdout=subprocess.DEVNULL,
                                   stderr=out, text=True)
    return _Building(project, process, log)


@pytest.fixture(scope="session")
def _books(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, _Building]]:
    """The session's book and, when a collected test compares it with a second build somewhere else, that
    second build, both started at once: the second one's minutes then overlap the first's."""
    builds = {"book": _start_book(tmp_path_factory.mktemp("book") / "handbook")}
    if any("second_book" in getattr(item, "fixturenames", ()) for item in request.session.items):
        builds["second"] = _start_book(tmp_path_factory.mktemp("elsewhere") / "somewhere" / "else" / "handbook")
    yield builds
    for building in builds.values():  # a failed or interrupted session leaves no build running
        if building.process.poll() is None:
            building.process.kill()
            building.process.wait()


@pytest.fixture(scope="session")
def built_book(_books: dict[str, _Building]) -> Project:
    """The repository's handbook built once per session with everything a reader downloads (PDF, EPUB,
    zines, zip) at a fixed date: the whole-book PDF takes minutes, so every test that reads it shares
    this one. Read it, never write to it."""
    return _books["book"].finish()


@pytest.fixture(scope="session")
def second_book(_books: dict[str, _Building]) -> Project:
    """A second build of the same handbook with the same options in another folder (another depth too),
    from nothing: for tests that compare two builds. Read it, never write to it."""
    return _books["second"].finish()


def need(condition: bool, reason: str) -> None:
    """Skip locally when a system tool is missing; in CI a missing tool is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


AXE_DIR = Path(__file__).resolve().parent / ".cache" / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core (npm, major 4), installed once into tests/.cache/axe/ and shared by every accessibility check."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        need(npm is not None, "npm is not installed: it fetches axe-core from the npm registry")
        done = subprocess.run([str(npm), "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "axe-core@4"],
                              capture_output=True, text=True, timeout=300)
        need(done.returncode == 0 and AXE.is_file(), f"npm could not install axe-core: {done.stderr[-800:]}")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="session")
def browser():
    """A real headless Debian Chromium driven by Playwright."""
    need(CHROMIUM is not None, "Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        need(False, "playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every request; anything but a file:// or data: URL is blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests_seen = []  # type: ignore[attr-defined]

    def route(route):
        url = route.request.url
        page.requests_seen.append(url)  # type: ignore[attr-defined]
        if url.startswith(("file://", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    yield page
    context.close()


def foreign_requests(page) -> list[str]:
    return [u for u in page.requests_seen if not u.startswith(("file://", "data:", "about:"))]
