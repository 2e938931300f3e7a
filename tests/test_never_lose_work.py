"""Nothing a contributor wrote is ever lost: `handbook new` never overwrites, a build (failing
or not) and a check never touch content/, and one broken guide never costs the others."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import yaml

from conftest import FIXTURES, Project

BROKEN = FIXTURES / "broken"
EXPECTED: dict[str, list[str]] = yaml.safe_load((BROKEN / "expected.yml").read_text("utf-8"))
# One broken guide of each kind that writes tactics/door-knocking.md, each under its own name.
SINGLE = sorted(name for name in EXPECTED
                if [p.relative_to(BROKEN / name).as_posix() for p in (BROKEN / name).rglob("*.md")] == ["tactics/door-knocking.md"])


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file, folder and symlink under ``folder``: its kind, mode and contents."""
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            stat = path.lstat()
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                seen[relative] = f"link -> {os.readlink(path)}"
            elif path.is_dir():
                seen[relative] = f"dir {stat.st_mode:o}"
            else:
                seen[relative] = f"file {stat.st_mode:o} {hashlib.sha256(path.read_bytes()).hexdigest()} {stat.st_mtime_ns}"
    return seen


def _with_broken_guides(mini: Project) -> list[str]:
    """Drop a guide of every single-file kind of mistake into the mini handbook; their paths."""
    written = []
    for name in SINGLE:
        data = (BROKEN / name / "tactics" / "door-knocking.md").read_bytes().replace(b"door-knocking", f"dk-{name}".encode())
        target = mini.content / "tactics" / f"dk-{name}.md"
        target.write_bytes(data)
        written.append(f"content/tactics/dk-{name}.md")
    shutil.copytree(BROKEN / "onerror-attribute" / "tactics" / "images", mini.content / "tactics" / "images")
    return written


def test_handbook_new_never_overwrites_a_guide(mini: Project) -> None:
    before = _fingerprint(mini.content)
    for args in (["tactic", "Phone banking"],  # the same slug in the same folder
                 ["case-study", "Phone banking"],  # the same slug in another folder
                 ["funding-model", "Anything at all", "--slug", "the-big-call"]):
        result = mini.run("handbook", "new", *args, "--topic", "organising", "--author", "Bo")
        assert result.returncode != 0, result.stdout
        assert "already exists; nothing was written" in result.stderr
        assert "Traceback" not in result.stderr
    assert _fingerprint(mini.content) == before


def test_handbook_new_writes_only_its_own_new_file(mini: Project) -> None:
    before = _fingerprint(mini.content)
    result = mini.run("handbook", "new", "tactic", "Door knocking", "--topic", "organising", "--author", "Bo")
    assert result.returncode == 0, result.stderr
    after = _fingerprint(mini.content)
    assert set(after) - set(before) == {"tactics/door-knocking.md"}
    assert {k: v for k, v in after.items() if k in before} == before


def test_check_and_failing_strict_build_leave_content_untouched(mini: Project) -> None:
    _with_broken_guides(mini)
    (mini.content / "notes.txt").write_text("a contributor's own notes\n", "utf-8")
    os.symlink("tactics/phone-banking.md", mini.content / "alias.md")
    before = _fingerprint(mini.content)
    check = mini.check()
    assert check.returncode == 1
    strict = mini.build()
    assert strict.returncode != 0
    assert "Traceback" not in strict.stderr + check.stderr
    assert _fingerprint(mini.content) == before


def test_non_strict_build_publishes_every_valid_guide_and_lists_every_invalid_one(mini: Project) -> None:
    broken = _with_broken_guides(mini)
    before = _fingerprint(mini.content)
    result = mini.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert _fingerprint(mini.content) == before
    # A guide whose front matter cannot make a page is withheld, one line each at the end; one whose body
    # has a mistake is published with that part removed (publishing.py). Either way its problems are listed.
    withheld = {line.split(": not published:")[0].split()[-1] for line in result.stderr.splitlines() if ": not published:" in line}
    for shown in broken:
        assert f"{shown}:" in result.stderr and "error:" in result.stderr, shown  # listed, with where and why
        stem = Path(shown).stem
        published = bool(list(mini.site.rglob(f"{stem}.html"))) or (mini.site / "tactics" / stem).exists()
        assert published == (shown not in withheld), shown
    assert len(withheld) >= 10 and len(set(broken) - withheld) >= 10  # both kinds are among the broken neighbours
    assert {"content/tactics/dk-yaml-syntax.md", "content/tactics/dk-missing-required.md"} <= withheld
    assert {"content/tactics/dk-script-tag.md", "content/tactics/dk-broken-wikilink.md"}.isdisjoint(withheld)
    for valid in ("tactics/phone-banking", "funding-models/house-parties", "case-studies/the-big-call"):
        assert (mini.site / f"{valid}.html").is_file() or (mini.site / valid / "index.html").is_file(), valid
    assert len(SINGLE) >= 30  # a real crowd of broken neighbours
