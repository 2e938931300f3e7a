"""The files a handbook needs on a forge: CI workflow, issue forms, pull-request template, pre-commit hook.

The workflow must run the README's commands (so what CI does is what a
maintainer can run by hand), and the forms must follow GitHub's form syntax.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib

import pytest
import yaml

from conftest import BIN, ROOT, Project

WORKFLOW = ROOT / ".github" / "workflows" / "handbook.yml"
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
README = ROOT / "README.md"


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(data, dict), "the workflow is not a YAML mapping"
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def _steps(job: str) -> list[dict]:
    return _workflow()["jobs"][job]["steps"]


def _commands() -> list[str]:
    """Every command line the workflow runs, in order."""
    lines = []
    for job in _workflow()["jobs"].values():
        for step in job.get("steps", []):
            for line in str(step.get("run", "")).splitlines():
                if line.strip() and not line.strip().startswith("#"):
                    lines.append(line.strip())
    return lines


def _uses(job: str, action: str) -> list[dict]:
    return [s for s in _steps(job) if str(s.get("uses", "")).split("@")[0] == action]


# -- the CI workflow ---------------------------------------------------------------


def test_workflow_runs_the_readmes_commands() -> None:
    readme = README.read_text("utf-8")
    commands = _commands()
    assert commands, "the workflow runs nothing"
    missing = [c for c in commands if c not in readme]
    assert not missing, f"commands the workflow runs but the README does not show: {missing}"


def test_workflow_installs_checks_then_builds_strictly() -> None:
    commands = _commands()
    install = next(i for i, c in enumerate(commands) if "pip install -e ." in c)
    check = next(i for i, c in enumerate(commands) if re.search(r"\bhandbook check --format github\b", c))
    build = next(i for i, c in enumerate(commands) if re.search(r"\bhandbook build\b", c))
    assert install < check < build
    assert "--no-pdf" not in commands[build], "CI builds the PDF too"
    # The commands exist: the entry point is declared, and each subcommand/flag is accepted by the CLI.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert "handbook" in scripts
    for command in (commands[check], commands[build]):
        args = shlex.split(command)[1:]
        result = subprocess.run([str(BIN / "handbook"), *args, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, f"{command!r} is not a valid handbook command: {result.stderr}"


def test_workflow_python_matches_the_package() -> None:
    setup = _uses("build", "actions/setup-python")
    assert setup, "the workflow sets up Python"
    version = str(setup[0]["with"]["python-version"])
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    assert requires == f">={version}"


def test_workflow_runs_on_pull_requests_and_main() -> None:
    on = _workflow()["on"]
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_workflow_keeps_the_site_and_the_pdf() -> None:
    uploads = {s["with"]["name"]: s["with"]["path"] for s in _uses("build", "actions/upload-artifact")}
    assert uploads.get("site") == "site/"
    assert uploads.get("handbook-pdf") == "site/handbook.pdf"
    steps = _steps("build")
    build = next(i for i, s in enumerate(steps) if "handbook build" in str(s.get("run", "")))
    assert all(steps.index(s) > build for s in _uses("build", "actions/upload-artifact"))


def test_workflow_publishes_to_pages_only_from_main() -> None:
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    [pages] = _uses("build", "actions/upload-pages-artifact")
    assert pages["with"]["path"] == "site/"
    assert pages["if"] == on_main
    deploy = _workflow()["jobs"]["deploy"]
    assert deploy["if"] == on_main
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [str(s["uses"]).split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_workflow_token_has_least_rights() -> None:
    """No rights by default; the build (all a pull request runs) can only read the repository."""
    workflow = _workflow()
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert set(workflow["jobs"]) == {"build", "deploy"}, "a new job needs its own least permissions"
    assert "pull_request_target" not in workflow["on"], "it would run fork code with a write token and secrets"
    [checkout] = _uses("build", "actions/checkout")
    assert checkout["with"]["persist-credentials"] is False


def test_workflow_needs_nothing_repository_specific() -> None:
    text = WORKFLOW.read_text("utf-8")
    assert "secrets." not in text, "forks have no secrets"
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert step["uses"].startswith("actions/"), f"only GitHub's own actions: {step['uses']}"


def test_workflow_pins_every_action_by_commit() -> None:
    """A tag can be moved to other code; a full commit SHA cannot. The comment keeps the version readable."""
    lines = [line.strip() for line in WORKFLOW.read_text("utf-8").splitlines()]
    uses = [line for line in lines if re.match(r"(- )?uses:", line)]
    assert len(uses) == 7
    pins: dict[str, str] = {}
    for line in uses:
        match = re.fullmatch(r"(?:- )?uses: (actions/[a-z-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)", line)
        assert match, f"not pinned as `uses: owner/action@<40-hex sha> # vX.Y.Z`: {line}"
        action, sha, version = match.groups()
        assert pins.setdefault(action, f"{sha} {version}") == f"{sha} {version}", f"{action} is pinned twice, differently"


def test_dependabot_keeps_the_pins_current() -> None:
    """Pins do not move by themselves: Dependabot proposes new SHAs, a week after each release."""
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text("utf-8"))
    [actions] = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    assert actions["directory"] == "/"
    assert actions["cooldown"]["default-days"] >= 7


def test_workflow_passes_zizmor() -> None:
    """zizmor's static audit (unpinned actions, leaked credentials, template injection, broad permissions...).

    --offline: no online audits and no requests at all, so the test is the same with or without a network.
    The exit code is 0 only when nothing is reported; 10 and up name the worst finding's severity.
    The auditor persona also shows the low-confidence findings the default one counts as "suppressed".
    """
    zizmor = BIN / "zizmor"
    assert zizmor.exists(), "zizmor is in the `test` extra: pip install -e '.[test]'"
    result = subprocess.run(
        # .github/, not only its workflows/: zizmor also audits dependabot.yml.
        [str(zizmor), "--offline", "--no-progress", "--color=never", "--persona=auditor", str(ROOT / ".github")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


# -- pre-commit ----------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "handbook-check"
    assert hook["entry"] == "handbook check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    for path in ("content/tactics/phone-banking.md", "content/topics.yml", "content/case-studies/x.sv.md"):
        assert files.search(path), path
    for path in ("README.md", "handbook_build/cli.py", "mkdocs.yml", "content/images/map.png"):
        assert not files.search(path), path


def test_pre_commit_hook_runs_on_the_staged_files(mini: Project) -> None:
    """What pre-commit does: the entry, with the changed files that match `files` appended."""
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    guide = mini.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8").replace("difficulty: beginner", "difficulty: beginer"), "utf-8")
    changed = ["content/tactics/phone-banking.md", "content/topics.yml", "README.md"]
    staged = [p for p in changed if re.search(hook["files"], p)]
    assert staged == ["content/tactics/phone-banking.md", "content/topics.yml"]
    result = mini.run(*shlex.split(hook["entry"]), *staged)
    assert result.returncode == 1
    assert "content/tactics/phone-banking.md:" in result.stdout and "unknown difficulty 'beginer'" in result.stdout
    guide.write_text(guide.read_text("utf-8").replace("beginer", "beginner"), "utf-8")
    assert mini.run(*shlex.split(hook["entry"]), *staged).returncode == 0


# -- issue forms and the pull-request template -------------------------------------------

ELEMENT_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
TOP_LEVEL = {"name", "description", "title", "labels", "assignees", "projects", "type", "body"}


@pytest.mark.parametrize("name", ["new-guide.yml", "correction.yml"])
def test_issue_form_follows_githubs_form_syntax(name: str) -> None:
    form = yaml.safe_load((FORMS / name).read_text("utf-8"))
    assert set(form) <= TOP_LEVEL, set(form) - TOP_LEVEL
    assert isinstance(form["name"], str) and form["name"]
    assert isinstance(form["description"], str) and form["description"]
    assert isinstance(form["body"], list) and form["body"]
    ids = [el["id"] for el in form["body"] if "id" in el]
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert any(el["type"] != "markdown" for el in form["body"]), "a form needs at least one field"
    for element in form["body"]:
        assert element["type"] in ELEMENT_TYPES, element
        attributes = element["attributes"]
        if element["type"] == "markdown":
            assert "id" not in element and isinstance(attributes["value"], str)
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"]), element["id"]
        assert isinstance(attributes["label"], str) and attributes["label"].strip()
        if element["type"] == "dropdown":
            options = attributes["options"]
            assert options and len(options) == len(set(options)) and "None" not in options
        if element["type"] == "checkboxes":
            assert all(isinstance(o["label"], str) for o in attributes["options"])
        if "validations" in element:
            assert set(element["validations"]) == {"required"} and isinstance(element["validations"]["required"], bool)


def test_new_guide_form_collects_what_a_guide_needs() -> None:
    form = yaml.safe_load((FORMS / "new-guide.yml").read_text("utf-8"))
    fields = {el["id"]: el for el in form["body"] if "id" in el}
    # The required front matter, and the structure the contributing guide recommends.
    for needed in ("type", "title", "summary", "topics", "authors", "what", "when", "how", "pitfalls", "examples", "sources"):
        assert needed in fields, needed
    # One option per guide type in the schema, so a new type cannot be forgotten here.
    from handbook_build.content.schema import Schema

    options = fields["type"]["attributes"]["options"]
    labels = [t.label for t in Schema.load().types.values()]
    assert [o.split(" - ")[0] for o in options] == labels
    # Consent to the licence is required before anything can be published.
    agreement = fields["agreement"]["attributes"]["options"]
    assert any("CC BY-SA 4.0" in o["label"] and o.get("required") is True for o in agreement)


def test_pull_request_template_has_the_reviewers_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text("utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.MULTILINE)
    assert len(boxes) >= 8
    joined = " ".join(boxes)
    for point in ("handbook check", "sources", "preview", "licence", "authors", "related"):
        assert point in joined, point


def test_contributing_page_points_at_the_forms_and_the_template() -> None:
    page = (ROOT / "content" / "contributing.md").read_text("utf-8")
    form = yaml.safe_load((FORMS / "new-guide.yml").read_text("utf-8"))
    correction = yaml.safe_load((FORMS / "correction.yml").read_text("utf-8"))
    assert form["name"] in page and correction["name"] in page


def test_readme_documents_the_forge_files() -> None:
    readme = README.read_text("utf-8")
    for mention in (".github/workflows/handbook.yml", ".pre-commit-hooks.yaml", "handbook-check", "handbook stats"):
        assert mention in readme, mention


# -- licence files -------------------------------------------------------------------------


def test_code_licence_file_is_the_declared_mit_licence() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["license"] == "MIT"
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 Movement Handbook developers" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_content_licence_file_names_the_handbooks_licence_and_is_not_a_page() -> None:
    """The statement in content/ follows mkdocs.yml's licence, and MkDocs leaves it out of the site."""
    from mkdocs.config import load_config

    name = "LICENSE-CONTENT.md"
    text = (ROOT / "content" / name).read_text("utf-8")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    assert config.plugins["handbook"].config.license == "CC-BY-SA-4.0"
    assert "CC BY-SA 4.0" in text and "https://creativecommons.org/licenses/by-sa/4.0/" in text
    assert "front matter" in text and "How to credit" in text
    assert config.exclude_docs is not None and config.exclude_docs.match_file(name), f"{name} would be published as a page"
