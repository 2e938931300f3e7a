"""A guide printed from the browser (print.css): a clean A4 or Letter handout.

Chromium prints the built page to PDF (what "Print" in the browser does) and
pdftotext reads it back: the guide's card, body, sources, credit line, licence
and address are on paper; the search box and the rest of the screen's controls are not.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import need

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GUIDE = Path("tactics") / "campaign-budgeting.html"


def printed(page, url: str, target: Path, paper: str) -> list[str]:
    """The page printed on ``paper``: the text of each sheet."""
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    page.goto(url)
    page.emulate_media(media="print")
    page.pdf(path=str(target), format=paper, prefer_css_page_size=True)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_printed_guide_is_a_handout_with_its_credit_and_no_controls(built_starter, page, tmp_path: Path, paper: str) -> None:
    sheets = printed(page, (built_starter.site / GUIDE).as_uri(), tmp_path / "guide.pdf", paper)
    text = " ".join(" ".join(sheets).split())
    assert "Campaign budgeting" in text and "What it is" in text  # title and body
    assert "DIFFICULTY" in text.upper() and "Intermediate" in text  # the card
    assert "Sources" in text and "https://en.wikipedia.org/wiki/Budget" in text  # sources with their addresses
    assert "credit it like this" in text and "CC BY-SA 4.0" in text  # credit line and licence
    assert "The Movement Handbook · tactics/campaign-budgeting.html" in text  # where it lives (no site_url: the path)
    for control in ("Search the handbook", "Skip to content", "Svenska", "Download source", "How to contribute"):
        assert control not in text, control
    assert "Made with MkDocs" not in text


def test_nothing_on_the_printed_guide_is_wider_than_the_paper(built_starter, page) -> None:
    # A4 less 2 x 15 mm margins, in CSS pixels: the width print.css lays the page out in.
    page.set_viewport_size({"width": 680, "height": 1000})
    page.goto((built_starter.site / GUIDE).as_uri())
    page.emulate_media(media="print")
    assert page.locator(".hb-search").evaluate("e => getComputedStyle(e).display") == "none"
    width = page.evaluate("document.documentElement.clientWidth")
    for selector in (".hb-guide-header", ".hb-facts", ".hb-guide-body", ".hb-sources", ".hb-footer__credit"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box, width)


def test_the_printed_address_is_the_canonical_one_when_the_site_has_an_address(mini, page, tmp_path: Path) -> None:
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: Mini Handbook",
                                                         "site_name: Mini Handbook\nsite_url: https://handbook.example.org/"), "utf-8")
    assert mini.build().returncode == 0
    guide = next((mini.site / "tactics").glob("*/index.html"))
    sheets = printed(page, guide.as_uri(), tmp_path / "mini.pdf", "A4")
    text = " ".join(" ".join(sheets).split())
    slug = guide.parent.name
    assert f"https://handbook.example.org/tactics/{slug}/" in text
