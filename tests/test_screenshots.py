"""tools/screenshots.py on the built starter handbook: a real headless Chromium opens the
landing page, a type index, a topic page and a guide page from disk, at desktop and
phone widths, and writes PNGs that show a laid-out page (not a blank or unstyled one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT, need

PIL = pytest.importorskip("PIL.Image", reason="Pillow (installed with WeasyPrint) reads the PNGs")

SCRIPT = ROOT / "tools" / "screenshots.py"
PAGES = ("landing", "type-index", "topic", "guide")
WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.fixture(scope="module")
def shots(built_starter, tmp_path_factory) -> Path:
    need(CHROMIUM is not None, "Debian's chromium is not installed")
    out = tmp_path_factory.mktemp("screenshots")
    result = subprocess.run([sys.executable, str(SCRIPT), str(built_starter.site), str(out), "--chromium", CHROMIUM],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def colours(image) -> int:
    """How many distinct colours a page shows: a styled page has many, a blank one a few."""
    small = image.convert("RGB").resize((160, max(1, image.height * 160 // image.width)))
    return len(small.getcolors(small.width * small.height))


@pytest.mark.browser
@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_captured_at_full_length(shots: Path, name: str, viewport: str) -> None:
    path = shots / f"{name}-{viewport}.png"
    assert path.is_file() and path.stat().st_size > 20_000, path
    with PIL.open(path) as image:
        assert image.width == WIDTHS[viewport]
        assert image.height >= 700  # the whole page, not only the first screen
        assert colours(image) > 40


@pytest.mark.browser
def test_the_type_colours_and_the_header_show_in_the_guide_screenshot(shots: Path) -> None:
    """The stylesheet was applied: Material's indigo header bar and one of our three type colours."""
    type_colours = {(0x00, 0x69, 0x5C), (0x9C, 0x4A, 0x00), (0x7B, 0x1F, 0xA2)}
    with PIL.open(shots / "guide-desktop.png") as image:
        top = image.convert("RGB").crop((0, 0, image.width, 700))
        pixels = {colour for _, colour in top.getcolors(top.width * top.height)}
    assert (0x40, 0x51, 0xB5) in pixels  # Material's default primary colour
    assert pixels & type_colours


@pytest.mark.browser
def test_the_script_refuses_a_folder_that_is_not_a_built_site(tmp_path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "build the site first" in result.stderr
