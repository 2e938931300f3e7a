"""tools/screenshots.py on the built starter handbook: a real headless Chromium opens the
landing page, a type index, a topic page, a guide page, the search page, the licence and the
404 page from disk, at desktop and phone widths, light and dark, and writes PNGs that show a
laid-out page (not a blank or unstyled one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT, need

PIL = pytest.importorskip("PIL.Image", reason="Pillow (installed with WeasyPrint) reads the PNGs")

SCRIPT = ROOT / "tools" / "screenshots.py"
PAGES = ("landing", "type-index", "topic", "guide", "search", "licence", "404")
SCHEMES = {"light": "", "dark": "-dark"}
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
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_captured_at_full_length(shots: Path, name: str, viewport: str, scheme: str) -> None:
    path = shots / f"{name}-{viewport}{SCHEMES[scheme]}.png"
    assert path.is_file() and path.stat().st_size > 15_000, path
    with PIL.open(path) as image:
        assert image.width == WIDTHS[viewport]
        assert image.height >= 700  # the whole page, not only the first screen
        assert colours(image) > 40


def mean_brightness(path: Path) -> float:
    with PIL.open(path) as image:
        grey = image.convert("L").resize((64, 64))
        return sum(grey.tobytes()) / (64 * 64)  # one byte per pixel in mode L


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_the_dark_shots_are_dark_and_the_light_ones_light(shots: Path, name: str) -> None:
    """The screenshots follow prefers-color-scheme, as the site does."""
    assert mean_brightness(shots / f"{name}-desktop.png") > 140
    assert mean_brightness(shots / f"{name}-desktop-dark.png") < 90


@pytest.mark.browser
def test_the_type_colours_and_the_header_show_in_the_guide_screenshot(shots: Path) -> None:
    """The stylesheet was applied: the handbook's brick-red header bar and one of our three type colours."""
    type_colours = {(0x00, 0x69, 0x5C), (0x9C, 0x4A, 0x00), (0x7B, 0x1F, 0xA2)}
    with PIL.open(shots / "guide-desktop.png") as image:
        top = image.convert("RGB").crop((0, 0, image.width, 700))
        pixels = {colour for _, colour in top.getcolors(top.width * top.height)}
    assert (0xA8, 0x32, 0x1F) in pixels  # the handbook's brand colour (theme.css), not Material's indigo
    assert pixels & type_colours


@pytest.mark.browser
def test_the_script_refuses_a_folder_that_is_not_a_built_site(tmp_path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "build the site first" in result.stderr
