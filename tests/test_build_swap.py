"""`handbook build` never leaves half a site: it builds beside site/ and swaps the new one in when complete.

Killed at any moment (SIGKILL: no clean-up runs), the previous site/ is byte for byte as it was;
the next build finishes, and leaves no temporary folder behind.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, Project

SEED = 20240523  # the kill moments are random but the same on every run
KILLS = 3


def _snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def _leftovers(project: Project) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site."))


def _start(project: Project) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([str(BIN / "handbook"), "build", "--no-pdf"], cwd=project.root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _build(project: Project) -> float:
    started = time.monotonic()
    process = _start(project)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    return time.monotonic() - started


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_site_as_it_was(mini: Project) -> None:
    duration = _build(mini)
    before = _snapshot(mini.site)
    assert "index.html" in before and any(k.startswith("tactics/phone-banking") for k in before)
    # A change, so that a build that got as far as writing would show in site/.
    guide = mini.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8").replace("A phone bank is", "A phone bank, after the change, is"), "utf-8")

    moments = random.Random(SEED)
    caught_mid_build = 0
    for _ in range(KILLS):
        process = _start(mini)
        time.sleep(moments.uniform(0.15, 0.85) * duration)
        still_running = process.poll() is None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        assert still_running, "the build finished before it could be killed; the test proves nothing"
        caught_mid_build += bool(_leftovers(mini))
        assert _snapshot(mini.site) == before, "the killed build changed the previous site"
    assert caught_mid_build, "no kill landed while the new site was being written"

    _build(mini)
    after = _snapshot(mini.site)
    assert after != before
    page = next(mini.site.glob("tactics/phone-banking*/index.html"), None) or mini.site / "tactics" / "phone-banking.html"
    assert "after the change" in page.read_text("utf-8")
    assert _leftovers(mini) == []


@pytest.mark.slow
def test_a_failed_build_keeps_the_previous_site_and_cleans_up(mini: Project) -> None:
    _build(mini)
    before = _snapshot(mini.site)
    guide = mini.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8").replace("difficulty: beginner", "difficulty: easy"), "utf-8")
    result = mini.run("handbook", "build", "--no-pdf")
    assert result.returncode != 0
    assert "unknown difficulty 'easy'" in result.stderr
    assert _snapshot(mini.site) == before
    assert _leftovers(mini) == []


@pytest.mark.slow
def test_site_dir_option_is_swapped_in_too(mini: Project) -> None:
    result = mini.run("handbook", "build", "--no-pdf", "--site-dir", "public")
    assert result.returncode == 0, result.stderr
    assert (mini.root / "public" / "index.html").is_file()
    assert not mini.site.exists()
    # No half-built .public.partial-<pid> left: the only hidden folder is the content cache (content/cache.py).
    assert sorted(p.name for p in mini.root.iterdir() if p.name.startswith(".")) == [".cache"]
    assert [p.name for p in (mini.root / ".cache").iterdir()] == ["handbook"]
