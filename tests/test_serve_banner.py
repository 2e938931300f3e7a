"""`handbook serve` shows a guide's problems on the page being previewed, and keeps serving."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from conftest import BIN, Project

GUIDE = "content/tactics/phone-banking.md"
STARTUP_LIMIT = 120  # seconds; a safety net for a hung server, not a speed requirement


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(predicate, what: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped while waiting for {what}:\n{server.stdout.read() if server.stdout else ''}")
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


@dataclass
class Server:
    base: str  # http://127.0.0.1:<port>/
    process: subprocess.Popen


@contextmanager
def serving(project: Project) -> Iterator[Server]:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([str(BIN / "handbook"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project.root,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _fetch(base) is not None, "the preview server", server)
        yield Server(base, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def local_page(browser, base: str):
    """A page that may only talk to the preview server (the `page` fixture only allows file://)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith((base, "data:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    try:
        yield context.new_page(), blocked
    finally:
        context.close()


def _break(project: Project) -> None:
    path = project.root / GUIDE
    text = path.read_text("utf-8")
    text = text.replace("topics: [organising, fundraising]", "topics: [organising, fundrasing]")
    text = text.replace("\ntitle: Phone banking\n", "\ntitle: Phone <b>banking</b>\n")
    assert "fundrasing" in text and "<b>" in text, "the fixture changed; update this test"
    path.write_text(text, "utf-8")


def _topic_line(project: Project) -> tuple[int, int]:
    lines = (project.root / GUIDE).read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "fundrasing" in line)
    return number, lines[number - 1].index("fundrasing") + 1


@pytest.mark.browser
@pytest.mark.slow
def test_served_broken_guide_shows_its_problems_and_recovers(mini: Project, browser) -> None:
    _break(mini)
    line, col = _topic_line(mini)
    with serving(mini) as server:
        base = server.base
        url = base + "tactics/phone-banking/"
        with local_page(browser, base) as (page, blocked):
            response = page.goto(url)
            assert response is not None and response.status == 200, "a broken guide is still previewed"

            banner = page.get_by_role("alert")
            assert banner.is_visible()
            heading = banner.get_by_role("heading")
            assert "2 problems" in heading.inner_text()
            assert GUIDE in heading.inner_text()
            text = banner.inner_text()
            assert f"line {line}:{col}" in text
            assert "unknown topic 'fundrasing'" in text
            assert "did you mean 'fundraising'" in text
            # The markup in the title is shown as text, never interpreted.
            assert "'<b>banking</'" in text
            assert banner.locator("b").count() == 0
            items = banner.get_by_role("listitem")
            assert items.count() == 2
            # Readable: the banner is on screen at the top of the content, in a colour that differs from the page.
            box = banner.bounding_box()
            assert box is not None and box["height"] > 20 and box["y"] < 900
            background = banner.evaluate("el => getComputedStyle(el).backgroundColor")
            assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")

            # A healthy page says nothing about this guide but mentions problems elsewhere.
            page.goto(base + "funding-models/house-parties/")
            assert page.get_by_role("alert").count() == 0
            elsewhere = page.get_by_role("status").filter(has_text="problems in other files")
            assert elsewhere.is_visible()
            assert "2 problems in other files" in elsewhere.inner_text()
            assert blocked == []

        # Fix the guide: the server is still running and the banner goes away.
        fixed = (mini.root / GUIDE).read_text("utf-8").replace("fundrasing", "fundraising").replace("<b>banking</b>", "banking")
        (mini.root / GUIDE).write_text(fixed, "utf-8")
        _wait_for(lambda: "hb-problems" not in (_fetch(url) or "hb-problems"), "the rebuild after the fix", server.process)

        # Break it again, another way: the next rebuild shows the new problem.
        (mini.root / GUIDE).write_text(fixed.replace("difficulty: beginner", "difficulty: beginer"), "utf-8")
        _wait_for(lambda: "beginer" in (_fetch(url) or ""), "the rebuild after a new mistake", server.process)
        with local_page(browser, base) as (page, blocked):
            page.goto(url)
            text = page.get_by_role("alert").inner_text()
            assert "1 problem in" in text
            assert "unknown difficulty 'beginer'" in text
            assert "did you mean 'beginner'" in text
            assert blocked == []


def test_published_build_has_no_banner_and_leaves_the_broken_guide_out(mini: Project) -> None:
    _break(mini)
    result = mini.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "unknown topic 'fundrasing'" in result.stderr
    assert not (mini.site / "tactics" / "phone-banking" / "index.html").exists()
    for page in mini.site.rglob("*.html"):
        assert 'class="hb-problems' not in page.read_text("utf-8"), page


def test_strict_build_still_fails_on_the_broken_guide(mini: Project) -> None:
    _break(mini)
    result = mini.build()
    assert result.returncode != 0
    assert re.search(r"content/tactics/phone-banking\.md:\d+:\d+: error: unknown topic 'fundrasing'", result.stderr)
