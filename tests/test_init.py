"""`handbook init`: a new, working handbook in an empty or new folder, never over an existing one."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, Project
from test_cli_new import Terminal

EXPECTED = {
    "mkdocs.yml", "README.md", "requirements.txt", ".gitignore", ".pre-commit-config.yaml",
    ".github/workflows/handbook.yml", ".github/dependabot.yml", ".github/pull_request_template.md",
    ".github/ISSUE_TEMPLATE/new-guide.yml", ".github/ISSUE_TEMPLATE/correction.yml",
    "content/index.md", "content/about.md", "content/contributing.md", "content/topics.yml", "content/LICENSE-CONTENT.md",
    "content/tactics/door-knocking-example.md", "content/funding-models/crowdfunding-example.md",
    "content/case-studies/glasgow-rent-strikes-example.md",
}


def handbook(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    """`handbook ...` as a script runs it: stdin is not a terminal."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(BIN / "handbook"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          input=input or "", timeout=300)


def init(tmp_path: Path, *args: str, folder: str = "new-handbook") -> tuple[subprocess.CompletedProcess, Project]:
    result = handbook("init", folder, *args, cwd=tmp_path)
    return result, Project(tmp_path / folder)


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def mkdocs_config(project: Project):
    from mkdocs.config import load_config

    return load_config(config_file=str(project.root / "mkdocs.yml"))


# -- a new handbook ----------------------------------------------------------------------


@pytest.mark.slow
def test_init_writes_a_handbook_that_checks_clean_and_builds_strictly(tmp_path: Path) -> None:
    result, new = init(tmp_path, "--name", "Tenants' Handbook")
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Wrote a new handbook, "Tenants\' Handbook" (en, CC BY-SA 4.0), to new-handbook/ (18 files).' in result.stdout
    assert "cd new-handbook" in result.stdout and "handbook serve" in result.stdout
    assert files_in(new.root) == EXPECTED, "and no temporary files are left behind"

    checked = new.check("--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Checked 3 guide file(s): no problems." in checked.stderr

    built = new.build()  # mkdocs build --strict, HANDBOOK_PDF=false
    assert built.returncode == 0, built.stderr
    site = new.site
    for page in ("index.html", "about.html", "contributing.html", "licence.html", "topics/index.html",
                 "tactics/door-knocking-example.html", "funding-models/crowdfunding-example.html",
                 "case-studies/glasgow-rent-strikes-example.html"):
        assert (site / page).is_file(), page
    assert not any(site.rglob("LICENSE-CONTENT*")), "the licence statement is for the repository, not a page"
    home = (site / "index.html").read_text("utf-8")
    assert re.search(r"<title>Tenants(&#39;|')? Handbook[^<]*</title>", home), "the name is the home page's title"
    tactic = (site / "tactics" / "door-knocking-example.html").read_text("utf-8")
    assert "Door knocking (example)" in tactic and "This is an example guide" in tactic
    assert "Tenants&#39; Handbook contributors" in tactic  # the credited authors
    contributing = (site / "contributing.html").read_text("utf-8")
    assert "handbook:field-reference" not in contributing, "the field reference marker was not expanded"
    assert "Fields every guide has" in contributing and "<code>difficulty</code>" in contributing
    assert "<code>organising</code>" in contributing and "<code>money</code>" in contributing  # its own topics
    # The footer credits the handbook's own licence.
    assert "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)" in home


def test_new_mkdocs_yml_needs_no_custom_dir_and_hides_the_licence_file(tmp_path: Path) -> None:
    result, new = init(tmp_path, "--name", "Climate Lagos", "--license", "cc-by-4.0")
    assert result.returncode == 0, result.stderr
    config = mkdocs_config(new)
    assert config.site_name == "Climate Lagos"
    assert config.theme.name == "material" and config.theme.custom_dir is None
    assert list(config.plugins) == ["material/search", "handbook"] or "handbook" in config.plugins
    assert config.plugins["handbook"].config.license == "CC-BY-4.0"
    assert config.docs_dir == str(new.content)
    assert config.exclude_docs is not None and config.exclude_docs.match_file("LICENSE-CONTENT.md")
    statement = (new.content / "LICENSE-CONTENT.md").read_text("utf-8")
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in statement
    assert "https://creativecommons.org/licenses/by/4.0/" in statement and "from Climate Lagos" in statement
    assert "ShareAlike" not in statement
    gitignore = (new.root / ".gitignore").read_text("utf-8").split()
    assert {"site/", ".venv/", ".cache/"} <= set(gitignore)
    topics = yaml.safe_load((new.content / "topics.yml").read_text("utf-8"))
    assert len(topics) == 2 and all({"title", "description"} <= set(t) for t in topics.values())


@pytest.mark.slow
def test_lang_sets_the_theme_language(tmp_path: Path) -> None:
    result, new = init(tmp_path, "--name", "Hyresgästernas handbok", "--lang", "sv")
    assert result.returncode == 0, result.stderr
    assert mkdocs_config(new).theme["language"] == "sv"
    assert new.check("--strict").returncode == 0
    built = new.build()
    assert built.returncode == 0, built.stderr
    assert re.search(r'<html lang="sv"', (new.site / "index.html").read_text("utf-8"))
    # The example guides are in English, and say so, inside a Swedish handbook.
    guide = (new.site / "tactics" / "door-knocking-example.html").read_text("utf-8")
    assert 'lang="en"' in guide


def test_every_guide_type_has_an_example_marked_as_one(tmp_path: Path) -> None:
    from handbook_build.content.schema import Schema

    result, new = init(tmp_path, "--name", "Example check")
    assert result.returncode == 0, result.stderr
    seen = set()
    for path in new.content.glob("*/*.md"):
        text = path.read_text("utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        seen.add(meta["type"])
        assert meta["title"].endswith("(example)") and "example" in path.stem, path
        assert "This is an example guide" in text, path
        assert all(s["url"].startswith("https://") for s in meta["sources"]), path
    assert seen == set(Schema.load().types)


# -- what init refuses ------------------------------------------------------------------


@pytest.mark.parametrize("existing", ["mkdocs.yml", "content"])
def test_refuses_a_folder_that_holds_a_handbook(tmp_path: Path, existing: str) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    if existing == "content":
        (folder / "content").mkdir()
        (folder / "content" / "index.md").write_text("# Ours\n", "utf-8")
    else:
        (folder / "mkdocs.yml").write_text("site_name: Ours\n", "utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = handbook("init", "ours", "--name", "New", cwd=tmp_path)
    assert result.returncode == 1
    assert f"Error: ours already holds a handbook ({existing} is there); nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_refuses_this_repositorys_own_handbook(starter: Project) -> None:
    result = handbook("init", "--name", "New", cwd=starter.root)
    assert result.returncode == 1
    assert "already holds a handbook (mkdocs.yml, content is there)" in result.stderr


def test_keeps_files_a_fresh_repository_already_has(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("# Our repository\n", "utf-8")
    result = handbook("init", "--name", "Ours", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Kept your own README.md (not overwritten)." in result.stdout
    assert "to this folder (17 files)" in result.stdout
    assert (folder / "README.md").read_text("utf-8") == "# Our repository\n"
    assert (folder / "mkdocs.yml").is_file()


def test_unknown_licence_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    result, new = init(tmp_path, "--name", "New", "--license", "CC-BY-SA-4")
    assert result.returncode == 2
    assert "unknown licence 'CC-BY-SA-4': did you mean 'CC-BY-SA-4.0'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not new.root.exists(), "nothing is written"
    result, _ = init(tmp_path, "--name", "New", "--license", "MIT")
    assert result.returncode == 2
    assert "unknown licence 'MIT': use the SPDX id of a Creative Commons licence: CC0-1.0, CC-BY-4.0" in result.stderr


def test_bad_language_and_missing_name_are_usage_errors(tmp_path: Path) -> None:
    result, new = init(tmp_path, "--name", "New", "--lang", "Swedish")
    assert result.returncode == 2 and "'Swedish' is not a language tag: give a BCP 47 tag such as en, sv or pt-BR" in result.stderr
    result, new = init(tmp_path)
    assert result.returncode == 2 and "give the handbook's name" in result.stderr
    assert not new.root.exists()


# -- in a terminal ------------------------------------------------------------------------


def test_in_a_terminal_asks_for_name_language_and_licence(tmp_path: Path) -> None:
    term = Terminal(Project(tmp_path), "init", "ours")
    term.expect("Name of the handbook")
    term.type("   ")
    term.expect("Name of the handbook")
    term.type("Hyresgästernas handbok")
    term.expect("Language of the handbook (a tag such as en, sv or pt-BR) [en]")
    term.type("svenska")
    assert "'svenska' is not a language tag" in term.expect("Language of the handbook")
    term.type("sv")
    shown = term.expect("Licence (SPDX id or number) [CC-BY-SA-4.0]")
    assert "CC-BY-NC-SA-4.0" in shown and "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International" in shown
    term.type("CC-BY-NC-SA")
    assert "did you mean 'CC-BY-NC-SA-4.0'" in term.expect("Licence (SPDX id or number)")
    term.type("2")  # by number: CC BY 4.0 is second in the list
    assert term.finish() == 0, term.seen
    assert 'Wrote a new handbook, "Hyresgästernas handbok" (sv, CC BY 4.0)' in term.seen
    config = yaml.safe_load((tmp_path / "ours" / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
    assert config["site_name"] == "Hyresgästernas handbok" and config["theme"]["language"] == "sv"
    assert config["plugins"][0]["handbook"]["license"] == "CC-BY-4.0"


def test_in_a_terminal_asks_only_for_what_is_missing(tmp_path: Path) -> None:
    term = Terminal(Project(tmp_path), "init", "ours", "--name", "Ours", "--license", "CC0-1.0")
    term.expect("Language of the handbook")
    term.type("")  # the default, en
    assert term.finish() == 0, term.seen
    assert "Name of the handbook" not in term.seen and "Licence (" not in term.seen
    assert '"Ours" (en, CC0 1.0)' in term.seen


# -- the forge files stay in step with this repository's ------------------------------------


def _load_workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    data["on"] = data.pop(True)
    return data


def test_workflow_is_ours_but_installs_the_pinned_toolkit(tmp_path: Path) -> None:
    """Same jobs, rights and action pins as .github/workflows/handbook.yml; only the install differs.
    Dependabot moves our pins, and this test then asks for the starter's to move with them."""
    _, new = init(tmp_path, "--name", "Ours")
    theirs = _load_workflow(new.root / ".github" / "workflows" / "handbook.yml")
    ours = _load_workflow(ROOT / ".github" / "workflows" / "handbook.yml")
    install = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
    [step] = [s for s in theirs["jobs"]["build"]["steps"] if s.get("run") == install]
    step["run"] = "python3 -m venv .venv && .venv/bin/pip install -e ."
    assert theirs == ours
    requirement = (new.root / "requirements.txt").read_text("utf-8")
    assert re.search(r"^handbook-build==\d+\.\d+\.\d+$", requirement, flags=re.MULTILINE)
    # Its README shows every command the workflow runs, as ours does.
    readme = (new.root / "README.md").read_text("utf-8")
    workflow = _load_workflow(new.root / ".github" / "workflows" / "handbook.yml")
    commands = [line.strip() for job in workflow["jobs"].values() for s in job["steps"]
                for line in str(s.get("run", "")).splitlines() if line.strip()]
    assert commands and all(c in readme for c in commands), [c for c in commands if c not in readme]


def test_forms_and_checklist_are_ours_with_the_handbooks_licence(tmp_path: Path) -> None:
    _, same = init(tmp_path, "--name", "Same", folder="same")
    for name in ("pull_request_template.md", "ISSUE_TEMPLATE/new-guide.yml", "ISSUE_TEMPLATE/correction.yml"):
        assert (same.root / ".github" / name).read_text("utf-8") == (ROOT / ".github" / name).read_text("utf-8"), name
    _, other = init(tmp_path, "--name", "Other", "--license", "CC-BY-NC-ND-4.0", folder="other")
    form = (other.root / ".github" / "ISSUE_TEMPLATE" / "new-guide.yml").read_text("utf-8")
    assert "(CC BY-NC-ND 4.0), so others may copy and share it unchanged, with credit." in form
    assert "BY-SA" not in form
    assert "(CC BY-NC-ND 4.0)" in (other.root / ".github" / "pull_request_template.md").read_text("utf-8")


def test_generated_github_folder_passes_zizmor(tmp_path: Path) -> None:
    _, new = init(tmp_path, "--name", "Ours")
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", "--color=never", "--persona=auditor",
                             str(new.root / ".github")], capture_output=True, text=True, cwd=new.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_pre_commit_config_runs_handbook_check_on_guides(tmp_path: Path) -> None:
    _, new = init(tmp_path, "--name", "Ours")
    [repo] = yaml.safe_load((new.root / ".pre-commit-config.yaml").read_text("utf-8"))["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local" and hook["entry"] == "handbook check" and hook["language"] == "python"
    assert re.fullmatch(r"handbook-build==\d+\.\d+\.\d+", hook["additional_dependencies"][0])
    assert re.search(hook["files"], "content/tactics/door-knocking-example.md") and not re.search(hook["files"], "README.md")
