"""`handbook serve` never dies on a guide saved wrongly: every other page keeps answering, the broken
guide's page shows its problem, and repairing the file brings the guide back - while the preview runs.

Five ways to break a guide (bytes that are not UTF-8, a binary, an empty file, 10 MB, deleting it) and a
symlink to a file outside the content folder, each followed by the repair.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Project
from test_serve_banner import local_page, serving

GUIDE = "content/tactics/phone-banking.md"
PAGE = "tactics/phone-banking/"
GUIDE_TEXT = "A phone bank is a room of volunteers"
LIMIT = 120  # seconds for a rebuild to show: a safety net for a hung server, not a speed requirement


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # our own local server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        return 0, str(exc)


def _until(what: str, check: Callable[[], bool], server) -> None:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        assert server.process.poll() is None, "the preview server stopped"
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"gave up waiting for {what}")


def _not_utf8(path: Path, original: bytes) -> None:
    path.write_bytes(original.replace(b"A phone bank is", b"A phone bank \xff\xfe is"))


def _binary(path: Path, original: bytes) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _empty(path: Path, original: bytes) -> None:
    path.write_bytes(b"")


def _huge(path: Path, original: bytes) -> None:
    path.write_bytes(original + b"\nSo many words. " * (10 * 1024 * 1024 // 16))


def _deleted(path: Path, original: bytes) -> None:
    path.unlink()


def _symlink_out(path: Path, original: bytes) -> None:
    outside = path.parents[3] / "outside-secret.md"
    outside.write_bytes(original.replace(b"A phone bank is", b"TOP SECRET outside text: a phone bank is"))
    path.unlink()
    os.symlink(outside, path)


# name, how to break, what the page says (None: the page is gone)
BREAKAGES = [
    ("not UTF-8", _not_utf8, "the file is not UTF-8 text"),
    ("binary", _binary, "the file is not UTF-8 text"),
    ("empty", _empty, "the file is empty"),
    ("10 MB", _huge, "a guide may be at most 256 KB"),
    ("deleted", _deleted, None),
    ("symlink out of the content folder", _symlink_out, None),
]


def _open(page, url: str):
    """page.goto, once more if the page we are leaving reloaded itself meanwhile: its live-reload script
    reloads it after every rebuild, which aborts a navigation that starts at that moment."""
    from playwright.sync_api import Error

    try:
        return page.goto(url)
    except Error as error:
        if "ERR_ABORTED" not in str(error):
            raise
        return page.goto(url)


@pytest.mark.browser
@pytest.mark.slow
def test_the_preview_survives_every_broken_guide_and_recovers(mini: Project, browser) -> None:
    path = mini.root / GUIDE
    original = path.read_bytes()
    with serving(mini) as server, local_page(browser, server.base) as (page, blocked):
        home, guide = server.base, server.base + PAGE
        assert _get(guide)[0] == 200
        for name, breaks, says in BREAKAGES:
            breaks(path, original)
            if says is None:
                _until(f"{name}: the guide's page to go", lambda: _get(guide)[0] == 404, server)
            else:
                _until(f"{name}: the problem on the guide's page", lambda says=says: says in _get(guide)[1], server)
                response = _open(page, guide)
                assert response is not None and response.status == 200, name
                banner = page.get_by_role("alert")
                assert banner.is_visible(), name
                assert GUIDE in banner.get_by_role("heading").inner_text(), name
                assert says in banner.inner_text(), name
            assert _get(home)[0] == 200, f"{name}: the home page stopped answering"
            assert _get(server.base + "funding-models/house-parties/")[0] == 200, f"{name}: another guide stopped answering"
            assert "TOP SECRET" not in _get(guide)[1]

            path.unlink(missing_ok=True)  # the repair: the guide as it was
            path.write_bytes(original)
            _until(f"{name}: the guide to come back", lambda: GUIDE_TEXT in _get(guide)[1], server)
            response = _open(page, guide)
            assert response is not None and response.status == 200
            assert page.get_by_role("alert").count() == 0, f"{name}: the banner stays after the repair"
            assert GUIDE_TEXT in page.locator("article").inner_text()
        assert blocked == []
