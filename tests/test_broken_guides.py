"""Every kind of contributor mistake gives its own exact problem line, never a traceback,
and all of them are reported in one run.

The ~100 cases run ``handbook check`` in this process (click's CliRunner on the
real command), not one subprocess each: the same code and output, a fraction of
the time. The builds at the end run MkDocs for real (slow).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest
import yaml
from click.testing import CliRunner

from conftest import FIXTURES, Project
from handbook_build.cli.main import main

BROKEN = FIXTURES / "broken"
EXPECTED: dict[str, list[str]] = yaml.safe_load((BROKEN / "expected.yml").read_text("utf-8"))


def _with_case(mini: Project, name: str) -> Project:
    shutil.copytree(BROKEN / name, mini.content, dirs_exist_ok=True)
    return mini


@dataclass
class Checked:
    returncode: int
    stdout: str
    stderr: str


def _check(project: Project, monkeypatch: pytest.MonkeyPatch) -> Checked:
    """`handbook check` in the project folder, as a contributor runs it (paths are shown from there)."""
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["check"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of the test, shown in full
    return Checked(result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_gives_its_exact_problem(mini: Project, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _check(_with_case(mini, name), monkeypatch)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == EXPECTED[name]


def test_all_mistakes_are_reported_in_one_run(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Most cases write content/tactics/door-knocking.md: give each its own slug so all fit in one handbook.
    for name in sorted(EXPECTED):
        for source in (BROKEN / name).rglob("*.md"):
            relative = source.relative_to(BROKEN / name)
            target = mini.content / relative.parent / relative.name.replace("door-knocking", f"dk-{name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes().replace(b"door-knocking", f"dk-{name}".encode()))
    result = _check(mini, monkeypatch)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    for name, expected in EXPECTED.items():
        for line in expected:
            renamed = line.replace("door-knocking", f"dk-{name}") if "/door-knocking" in line.split(":")[0] else line
            assert renamed in lines, f"{name}: {renamed}"


@pytest.mark.slow
def test_strict_build_fails_on_the_same_mistake_naming_file_and_line(mini: Project) -> None:
    result = _with_case(mini, "misspelled-topic").build()
    assert result.returncode != 0
    assert "content/tactics/door-knocking.md:5:10: error: unknown topic 'fundrasing' (did you mean 'fundraising'?)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_non_strict_build_publishes_the_valid_guides_and_lists_the_invalid(mini: Project) -> None:
    result = _with_case(mini, "wrong-enum").build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "content/tactics/door-knocking.md:7:13: error: unknown difficulty 'easy'" in result.stderr
    assert (mini.site / "tactics" / "phone-banking" / "index.html").is_file() or (mini.site / "tactics" / "phone-banking.html").is_file()
    assert not (mini.site / "tactics" / "door-knocking").exists() and not (mini.site / "tactics" / "door-knocking.html").exists()
