"""`handbook check PATH...`: only the given guides' problems, with references to the rest still
checked; and the formats contributors and CI read (text, GitHub annotations, JSON)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import Project
from handbook_build.cli import config_file
from handbook_build.cli.main import main

PHONE = "content/tactics/phone-banking.md"
PARTIES = "content/funding-models/house-parties.md"
CALL = "content/case-studies/the-big-call.md"
# The nearest topics first; how many more the hint names is the hint's business.
DID_YOU_MEAN_FUNDRAISING = r"\(did you mean 'fundraising'( or '[a-z-]+')?\?\)"


@dataclass
class Checked:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class InProcess(Project):
    """The mini handbook, checked by `handbook check` in this process (click's CliRunner on the real command)."""

    monkeypatch: pytest.MonkeyPatch | None = None

    def check(self, *args: str) -> Checked:  # type: ignore[override]
        assert self.monkeypatch is not None
        self.monkeypatch.chdir(self.root)  # paths are shown from the project folder, as a contributor runs it
        result = CliRunner().invoke(main, ["check", *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Checked(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def mini(mini: Project, monkeypatch: pytest.MonkeyPatch) -> InProcess:
    return InProcess(mini.root, monkeypatch)


def _edit(project: Project, shown: str, old: str, new: str) -> None:
    path = project.root / shown
    text = path.read_text("utf-8")
    assert old in text, f"the fixture changed: {old!r} is not in {shown}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_col(project: Project, shown: str, needle: str) -> tuple[int, int]:
    for number, line in enumerate((project.root / shown).read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {shown}")


def _break_two_guides(mini: Project) -> None:
    _edit(mini, PHONE, "topics: [organising, fundraising]", "topics: [organising, fundrasing]")
    _edit(mini, PARTIES, "cost_to_start: low", "cost_to_start: cheap")


def test_whole_handbook_reports_every_file(mini: Project) -> None:
    _break_two_guides(mini)
    result = Project.check(mini)  # the installed command, in its own process
    assert result.returncode == 1
    assert f"{PHONE}:" in result.stdout and f"{PARTIES}:" in result.stdout
    assert "Checked 3 guide file(s): 2 error(s), 0 warning(s)." in result.stderr


def test_path_reports_only_that_files_problems(mini: Project) -> None:
    _break_two_guides(mini)
    line, col = _line_col(mini, PHONE, "fundrasing")
    result = mini.check(PHONE)
    assert result.returncode == 1
    [only] = result.stdout.splitlines()
    assert re.fullmatch(rf"{PHONE}:{line}:{col}: error: unknown topic 'fundrasing' {DID_YOU_MEAN_FUNDRAISING}", only)
    assert "Checked 1 guide file(s): 1 error(s), 0 warning(s)." in result.stderr


def test_a_clean_path_passes_even_when_other_guides_are_broken(mini: Project) -> None:
    _break_two_guides(mini)
    result = mini.check(CALL)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "Checked 1 guide file(s): no problems." in result.stderr


def test_several_paths_and_path_spellings(mini: Project) -> None:
    _break_two_guides(mini)
    result = mini.check(f"./{PHONE}", str(mini.root / PARTIES), CALL)
    assert result.returncode == 1
    files = sorted({line.split(":")[0] for line in result.stdout.splitlines()})
    assert files == [PARTIES, PHONE]


def test_path_still_checks_references_to_other_guides(mini: Project) -> None:
    # A typed reference, `related` and a [[link]] in the text, all pointing at guides that do not exist.
    _edit(mini, CALL, "tactics: [phone-banking]", "tactics: [phone-bankng]")
    _edit(mini, PHONE, "  - slug: house-parties", "  - slug: house-partys")
    _edit(mini, PHONE, "[[the-big-call|the story of the big call]]", "[[the-big-cal|the story of the big call]]")
    result = mini.check(PHONE)
    assert result.returncode == 1
    out = result.stdout
    line, col = _line_col(mini, PHONE, "house-partys")
    assert f"{PHONE}:{line}:{col}: error: no guide has the slug 'house-partys' (did you mean 'house-parties'?)" in out
    line, col = _line_col(mini, PHONE, "[[the-big-cal|")
    assert f"{PHONE}:{line}:{col}: error: [[the-big-cal]] links to a guide that does not exist (did you mean 'the-big-call'?)" in out
    assert CALL not in out  # its own mistake is reported when it is checked
    assert "phone-bankng" in mini.check(CALL).stdout


def test_path_sees_a_reference_broken_by_a_change_elsewhere(mini: Project) -> None:
    # Removing a guide breaks the guides that point at it; checking those guides says so.
    (mini.root / PHONE).unlink()
    result = mini.check(CALL)
    assert result.returncode == 1
    line, col = _line_col(mini, CALL, "phone-banking]")
    assert f"{CALL}:{line}:{col}: error: no guide has the slug 'phone-banking'" in result.stdout


def test_missing_path_is_a_usage_error(mini: Project) -> None:
    result = mini.check("content/tactics/no-such-guide.md")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


# -- GitHub annotations ------------------------------------------------------------


def test_github_format_is_one_workflow_command_per_problem(mini: Project) -> None:
    _break_two_guides(mini)
    result = mini.check("--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    pline, pcol = _line_col(mini, PHONE, "fundrasing")
    hline, hcol = _line_col(mini, PARTIES, "cheap")
    assert len(lines) == 2
    assert lines[0] == f"::error file={PARTIES},line={hline},col={hcol}::unknown cost to start 'cheap' (use one of: none, low, medium, high)"
    assert re.fullmatch(rf"::error file={PHONE},line={pline},col={pcol}::unknown topic 'fundrasing' {DID_YOU_MEAN_FUNDRAISING}", lines[1])
    pattern = re.compile(r"^::(error|warning) file=[^,:]+(,line=\d+(,col=\d+)?)?::.+$")
    assert all(pattern.match(line) for line in lines)
    assert "Checked" not in result.stderr  # the log stays clean: annotations only


def test_github_format_with_a_path_and_a_warning(mini: Project) -> None:
    _edit(mini, PARTIES, "cost_to_start: low", "cost_to_start: low\ndraft: true")  # phone banking now links to a draft
    result = mini.check("--format", "github", PHONE)
    assert result.returncode == 0  # warnings do not fail the check ...
    assert result.stdout.startswith(f"::warning file={PHONE},line=")
    assert "'house-parties' is a draft, so the link will not be shown" in result.stdout
    assert mini.check("--format", "github", "--strict", PHONE).returncode == 1  # ... unless --strict


def test_github_format_escapes_what_would_break_the_command(mini: Project) -> None:
    _edit(mini, PHONE, "title: Phone banking\n", "title: Phone banking <b>100%</b>\n")
    result = mini.check("--format", "github", PHONE)
    line, col = _line_col(mini, PHONE, "Phone banking <b>")
    assert result.stdout.splitlines() == [
        f"::error file={PHONE},line={line},col={col}::'title' must be plain text but contains markup ('<b>100%25</b>') "
        "(remove the HTML; write plain words)"
    ]


def test_github_format_is_silent_when_all_is_well(mini: Project) -> None:
    result = mini.check("--format", "github")
    assert result.returncode == 0
    assert result.stdout == ""


def test_json_format(mini: Project) -> None:
    _break_two_guides(mini)
    result = mini.check("--format", "json", PHONE)
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    line, col = _line_col(mini, PHONE, "fundrasing")
    [row] = rows
    assert re.fullmatch(DID_YOU_MEAN_FUNDRAISING, f"({row.pop('hint')})")
    assert row == {"path": PHONE, "line": line, "column": col, "severity": "error", "message": "unknown topic 'fundrasing'",
                   "code": "schema"}


# -- mkdocs.yml as MkDocs reads it (cli/config_file.py) -------------------------------------------


def _handbook(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_inherit_brings_the_content_folder_and_licence_from_a_base_file(mini: Project) -> None:
    (mini.root / "content").rename(mini.root / "guides")
    (mini.root / "base.yml").write_text("docs_dir: guides\nplugins:\n  - handbook:\n      license: CC-BY-4.0\n", "utf-8")
    (mini.root / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Inherited\ntheme:\n  name: material\n", "utf-8")
    settings, warnings = config_file.load(mini.root / "mkdocs.yml")
    assert (settings.content_dir, settings.license, settings.site_name) == (mini.root / "guides", "CC-BY-4.0", "Inherited")
    assert warnings == []
    shown = PHONE.replace("content/", "guides/")
    text = (mini.root / shown).read_text("utf-8")
    (mini.root / shown).write_text(text.replace("topics: [organising, fundraising]", "topics: [organising, fundrasing]"), "utf-8")
    result = mini.check()
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{shown}:" in result.stdout and "unknown topic 'fundrasing'" in result.stdout
    assert "Checked 3 guide file(s): 1 error(s)" in result.stderr


def test_env_tags_are_read_as_mkdocs_reads_them(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("!ENV [HANDBOOK_PDF, false]", "!ENV [HB_TEST_PDF, false]"), "utf-8")
    monkeypatch.delenv("HB_TEST_PDF", raising=False)
    assert config_file.load(config)[0].pdf is False  # the default, not a truthy list
    monkeypatch.setenv("HB_TEST_PDF", "true")
    assert config_file.load(config)[0].pdf is True


@pytest.mark.parametrize(("text", "said"), [
    ("site_name: x\ndocs_dir: content\nplugins: [handbook\n", r"mkdocs\.yml: .*(parsing|expected)"),
    ("site_name: x\ndocs_dir: content\nplugins:\n  - no-such-plugin\n", r"mkdocs\.yml: .*\"no-such-plugin\" plugin is not installed"),
    ("site_name: x\ndocs_dir: content\nplugins:\n  - handbook:\n      pdf: maybe\n", r"mkdocs\.yml: .*'handbook'.*pdf"),
    ("INHERIT: missing.yml\nsite_name: x\n", r"mkdocs\.yml: .*missing\.yml"),
])
def test_a_broken_mkdocs_yml_is_one_clear_line(mini: Project, text: str, said: str) -> None:
    (mini.root / "mkdocs.yml").write_text(text, "utf-8")
    result = _handbook("check", "-f", str(mini.root / "mkdocs.yml"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = result.output.splitlines()
    assert line.startswith("Error: ") and re.search(said, line), line


def test_a_missing_mkdocs_yml_is_one_clear_line(tmp_path: Path) -> None:
    result = _handbook("check", "-f", str(tmp_path / "mkdocs.yml"))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'mkdocs.yml'}: Config file '{tmp_path / 'mkdocs.yml'}' does not exist."
