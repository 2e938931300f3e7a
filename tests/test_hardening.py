"""What real contributors and hostile pull requests send: one mistake gives one problem, dates are real
dates, names can be checked out everywhere, and `handbook new` refuses what its own check would refuse
before writing anything, writing what it writes completely or not at all."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import Project
from handbook_build.cli import atomic
from handbook_build.cli.main import main

PROBLEM = re.compile(r"^(?P<path>[^:]+)(?::(?P<line>\d+)(?::\d+)?)?: (?P<severity>error|warning): ")


def _errors(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if PROBLEM.match(line) and ": error: " in line]


def _check(project: Project, monkeypatch: pytest.MonkeyPatch):
    """`handbook check` in this process (the same command and output as in a terminal, without starting Python again)."""
    monkeypatch.chdir(project.root)
    return CliRunner().invoke(main, ["check"])


# -- one mistake, one problem -------------------------------------------------------------------------

POWER = "content/tactics/power-mapping.md"
BREAKAGES = {
    "broken YAML": lambda text: text.replace("title: Power mapping\n", "title: [Power mapping\n", 1),
    "no front matter": lambda text: text.replace("---\n", "", 1),
    "missing field": lambda text: text.replace("title: Power mapping\n", "", 1),
}


@pytest.mark.parametrize("how", sorted(BREAKAGES))
def test_a_guide_that_cannot_be_loaded_is_reported_once_at_its_own_file(starter: Project, how: str) -> None:
    before = starter.check()
    assert before.returncode == 0, before.stdout + before.stderr
    # The guide is named by references, related guides, wikilinks and a translation elsewhere.
    referrers = [p for p in starter.content.rglob("*.md") if "power-mapping" in p.read_text("utf-8") and p.name != "power-mapping.md"]
    assert len(referrers) >= 6 and any("[[power-mapping" in p.read_text("utf-8") for p in referrers)
    assert (starter.content / "tactics" / "power-mapping.sv.md").is_file()

    path = starter.root / POWER
    path.write_text(BREAKAGES[how](path.read_text("utf-8")), "utf-8")
    result = starter.check()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = _errors(result)
    assert len(errors) == 1, errors
    assert errors[0].startswith(POWER + ":")
    assert "power-mapping" not in result.stdout.replace(POWER, "")  # no referrer blamed


# -- dates ------------------------------------------------------------------------------------------------

TRANSLATION = """---
title: Telefonkampanj
summary: Att ringa anhängare på ett ordnat sätt och be dem agera.
authors: [Ana Exempel]
translated_from: {value}
---

Text.
"""
ORIGIN = """origin:
  handbook: Another handbook
  license: CC-BY-4.0
  authors: [Someone Else]
  imported: {value}
"""


def _with_date(mini: Project, field: str, value: str) -> tuple[str, int]:
    """Write ``value`` into the date field; return the file (as shown) and the line it is on."""
    if field == "translated_from":
        path = mini.write("tactics/phone-banking.sv.md", TRANSLATION.format(value=value))
    else:
        path = mini.content / "tactics" / "phone-banking.md"
        text = path.read_text("utf-8")
        insert = f"updated: {value}\n" if field == "updated" else ORIGIN.format(value=value)
        path.write_text(text.replace("difficulty: beginner\n", "difficulty: beginner\n" + insert, 1), "utf-8")
    lines = path.read_text("utf-8").splitlines()
    key = "imported" if field == "origin" else field
    line = next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:"))
    return f"content/{path.relative_to(mini.content).as_posix()}", line


@pytest.mark.parametrize("field", ["updated", "translated_from", "origin"])
@pytest.mark.parametrize("value", ["'2024-13-45'", '"2023-02-29"', "2024-13-45", "2024-02-30", "2024-01-01 10:00:00",
                                   "'2024-01-01T10:00:00'", "'2024-1-5'", "yesterday"])
def test_impossible_or_malformed_dates_are_errors_at_their_line(mini: Project, field: str, value: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown, line = _with_date(mini, field, value)
    result = _check(mini, monkeypatch)
    assert result.exit_code == 1, result.output
    errors = _errors(result)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{shown}:{line}:"), errors


@pytest.mark.parametrize("field", ["updated", "translated_from", "origin"])
@pytest.mark.parametrize("value", ["2024-02-29", "'2024-02-29'"])
def test_real_dates_pass_in_either_form(mini: Project, field: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_date(mini, field, value)
    result = _check(mini, monkeypatch)
    assert result.exit_code == 0, result.output


# -- titles and names in `handbook check` -----------------------------------------------------------------


def test_a_title_with_a_line_break_is_an_error_at_its_line(mini: Project) -> None:
    path = mini.content / "tactics" / "phone-banking.md"
    path.write_text(path.read_text("utf-8").replace("title: Phone banking\n", "title: |\n  Phone\n  banking\n"), "utf-8")
    result = mini.check()
    assert result.returncode == 1
    assert _errors(result) == ["content/tactics/phone-banking.md:2:8: error: 'title' must be one line but it has a line break"
                               " (write it on one line, without '|' or '>')"]


@pytest.mark.parametrize("name", ["tactics/con.md", "tactics/Aux.md", "tactics/lpt9.sv.md", "images/nul.png", "COM1/x.png"])
def test_windows_device_names_are_errors(mini: Project, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = (mini.content / "tactics" / "phone-banking.md").read_bytes()
    target = mini.content / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source if name.endswith(".md") else b"\x89PNG\r\n")
    result = _check(mini, monkeypatch)
    assert result.exit_code == 1
    device = Path(name).parts[-2] if name.startswith("COM1") else Path(name).name.split(".")[0]
    shown = f"content/{name}" if not name.startswith("COM1") else "content/COM1"
    assert any(line.startswith(f"{shown}: error: ") and f"'{device}' is a device name" in line for line in _errors(result)), result.stdout


def test_names_that_differ_only_in_case_name_both_files(mini: Project) -> None:
    source = mini.content / "tactics" / "phone-banking.md"
    (mini.content / "tactics" / "Phone-Banking.md").write_bytes(source.read_bytes())
    result = mini.check()
    assert result.returncode == 1
    lines = _errors(result)
    assert any(line.startswith("content/tactics/Phone-Banking.md") and "content/tactics/phone-banking.md" in line for line in lines), lines
    assert any(line.startswith("content/tactics/phone-banking.md") and "content/tactics/Phone-Banking.md" in line for line in lines), lines


# -- handbook new ---------------------------------------------------------------------------------------------


def _new(mini: Project, *args: str):
    return mini.run("handbook", "new", "tactic", *args, "--topic", "organising", "--author", "Ana Example")


def _guides(mini: Project) -> set[str]:
    return {p.name for p in (mini.content / "tactics").iterdir()}


@pytest.mark.parametrize("title, says", [("x" * 5000, "it must be 3 to 120 characters"), ("x" * 121, "it must be 3 to 120 characters"),
                                         ("Two\nlines", "line break"), ("Two\u2028lines", "line break"), ("ab", "3 to 120")])
def test_new_refuses_a_title_its_check_would_refuse_before_writing(mini: Project, title: str, says: str) -> None:
    before = _guides(mini)
    result = _new(mini, title)
    assert result.returncode != 0
    assert says in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert _guides(mini) == before


def test_new_accepts_a_title_at_the_limit(mini: Project) -> None:
    result = _new(mini, "A" + "b" * 119)
    assert result.returncode == 0, result.stderr
    assert mini.check().returncode == 0


@pytest.mark.parametrize("slug", ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"])
def test_new_refuses_windows_device_names(mini: Project, slug: str) -> None:
    before = _guides(mini)
    result = _new(mini, slug.upper() if slug == "con" else "Some title", *([] if slug == "con" else ["--slug", slug]))
    assert result.returncode != 0
    assert f"'{slug}.md' cannot be checked out on Windows" in result.stderr
    assert _guides(mini) == before


def test_new_refuses_a_name_that_differs_only_in_case(mini: Project) -> None:
    (mini.content / "tactics" / "Ring-Around.md").write_text("keep me", "utf-8")
    result = _new(mini, "Ring around")
    assert result.returncode != 0
    assert "Ring-Around.md differs from ring-around.md only in case" in result.stderr
    assert (mini.content / "tactics" / "Ring-Around.md").read_text("utf-8") == "keep me"
    assert not (mini.content / "tactics" / "ring-around.md").exists()


def test_new_writes_with_the_usual_mode_and_the_folder_s_line_endings(mini: Project) -> None:
    existing = mini.content / "tactics" / "phone-banking.md"
    existing.write_bytes(existing.read_bytes().replace(b"\n", b"\r\n"))  # a checkout that converts line endings
    result = _new(mini, "Ring around")
    assert result.returncode == 0, result.stderr
    made = mini.content / "tactics" / "ring-around.md"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(made.stat().st_mode) == 0o666 & ~umask
    raw = made.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 10
    assert not [p for p in made.parent.iterdir() if p.name.startswith(".")], "no temporary file is left"


# -- the atomic helpers ---------------------------------------------------------------------------------------


def test_write_new_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "guide.md"
    target.write_text("someone's work", "utf-8")
    with pytest.raises(FileExistsError):
        atomic.write_new(target, b"skeleton")
    assert target.read_text("utf-8") == "someone's work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.md"]


def test_write_new_never_replaces_a_file_that_appears_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "guide.md"
    real_link = os.link

    def someone_saves_first(src, dst, *args, **kwargs):
        Path(dst).write_text("saved meanwhile", "utf-8")
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", someone_saves_first)
    with pytest.raises(FileExistsError):
        atomic.write_new(target, b"skeleton")
    assert target.read_text("utf-8") == "saved meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.md"]


def test_replace_keeps_mode_and_line_endings_and_refuses_a_changed_file(tmp_path: Path) -> None:
    target = tmp_path / "guide.md"
    target.write_bytes(b"---\r\ntitle: A\r\n---\r\nText\r\n")
    target.chmod(0o640)
    snapshot = atomic.read(target)
    assert snapshot.text == "---\ntitle: A\n---\nText\n"
    atomic.replace_text(snapshot, snapshot.text.replace("Text", "Better text"))
    assert target.read_bytes() == b"---\r\ntitle: A\r\n---\r\nBetter text\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640

    stale = atomic.read(target)
    target.write_bytes(b"edited in the editor meanwhile\r\n")
    with pytest.raises(atomic.ChangedMeanwhile):
        atomic.replace_text(stale, "would lose the edit")
    assert target.read_bytes() == b"edited in the editor meanwhile\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.md"]
