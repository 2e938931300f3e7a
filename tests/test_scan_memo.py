"""The privacy scan remembers the files it found clean (site/scan.py ``memo``): an unchanged file is
not read again, and a changed one always is, so a leak added between builds is still caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook_build.site import scan

CLEAN = '<!doctype html><html><head><link rel="stylesheet" href="assets/site.css"></head><body><p>Hello</p></body></html>\n'
LEAK = CLEAN.replace("assets/site.css", "https://cdn.example.com/site.css")


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, memo = tmp_path / "site", tmp_path / "cache" / "scan.json"
    site.mkdir()
    (site / "index.html").write_text(CLEAN, "utf-8")
    (site / "about.html").write_text(CLEAN.replace("Hello", "About"), "utf-8")
    assert scan.scan_site(site, "site", memo=memo) == []
    assert memo.is_file()

    read: list[str] = []
    real = scan.scan_file
    monkeypatch.setattr(scan, "scan_file", lambda name, text, path: read.append(name) or real(name, text, path))
    (site / "about.html").write_text(LEAK, "utf-8")
    problems = scan.scan_site(site, "site", memo=memo)
    assert read == ["about.html"]  # index.html was found clean before, with these bytes
    assert [(p.location.path, p.location.line) for p in problems] == [("site/about.html", 1)]
    assert "https://cdn.example.com/site.css" in problems[0].message

    read.clear()  # a file with a problem is never remembered as clean
    assert len(scan.scan_site(site, "site", memo=memo)) == 1 and read == ["about.html"]


def test_a_damaged_memo_means_a_full_scan(tmp_path: Path) -> None:
    site, memo = tmp_path / "site", tmp_path / "scan.json"
    site.mkdir()
    (site / "index.html").write_text(LEAK, "utf-8")
    memo.write_text('{"key": ', "utf-8")
    assert len(scan.scan_site(site, "site", memo=memo)) == 1
