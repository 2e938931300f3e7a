"""The content cache (.cache/handbook/ beside mkdocs.yml): a warm `handbook check` says exactly
what a cold one says, re-reads only the files that changed, and shrugs off a damaged,
foreign or outdated cache. A warm build writes the same bytes as a cold one.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import handbook_build
from conftest import FIXTURES, Project, guide_text
from handbook_build import checks
from handbook_build.cli.main import main
from handbook_build.content import cache, source
from handbook_build.content.schema import Schema

BROKEN = FIXTURES / "broken"


class Calls:
    """How many files the loader parsed and validated itself (not from the cache) in one run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: Counter[str] = Counter()
        self.validated: Counter[str] = Counter()
        monkeypatch.setattr(source, "parse", self._count(self.parsed, source.parse, lambda args: args[1]))
        monkeypatch.setattr(Schema, "validate", self._count(self.validated, Schema.validate, lambda args: args[1].path))

    @staticmethod
    def _count(counter: Counter[str], real: Callable[..., Any], name: Callable[[tuple[Any, ...]], str]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            counter[name(args)] += 1
            return real(*args, **kwargs)
        return counted

    def clear(self) -> None:
        self.parsed.clear()
        self.validated.clear()


def _check(project: Project, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """`handbook check --format json` in the project folder; its whole output, as a tool reads it."""
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback fails the test, shown in full
    assert result.exit_code in (0, 1), result.output
    return f"exit {result.exit_code}\n{result.stdout}"


def _cache_file(project: Project) -> Path:
    return project.root / ".cache" / "handbook" / cache.FILE_NAME


def _markdown(project: Project) -> list[Path]:
    return sorted(project.content.rglob("*.md"))


def _with_every_mistake(mini: Project) -> Project:
    """Every case of the broken-guide corpus in one handbook, each under its own slug (as test_broken_guides)."""
    for case in sorted(p for p in BROKEN.iterdir() if p.is_dir()):
        for file in case.rglob("*.md"):
            relative = file.relative_to(case)
            target = mini.content / relative.parent / relative.name.replace("door-knocking", f"dk-{case.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes().replace(b"door-knocking", f"dk-{case.name}".encode()))
    return mini


def test_warm_check_of_the_bundled_handbook_says_what_a_cold_one_says(starter: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = Calls(monkeypatch)
    cold = _check(starter, monkeypatch)
    assert _cache_file(starter).is_file()
    assert len(calls.parsed) == len(_markdown(starter)) and calls.validated
    calls.clear()
    warm = _check(starter, monkeypatch)
    assert warm == cold
    assert not calls.parsed and not calls.validated  # nothing parsed or validated again


def test_warm_check_of_the_broken_guide_corpus_says_what_a_cold_one_says(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _with_every_mistake(mini)
    calls = Calls(monkeypatch)
    cold = _check(project, monkeypatch)
    assert cold.startswith("exit 1\n") and len(json.loads(cold.split("\n", 1)[1])) > 50
    calls.clear()
    warm = _check(project, monkeypatch)
    assert warm == cold
    assert not calls.parsed and not calls.validated
    # And a check of one file, warm, reports that file's problems exactly as the full run did.
    one = "content/tactics/dk-misspelled-topic.md"
    only = json.loads(_check(project, monkeypatch, one).split("\n", 1)[1])
    assert only and only == [p for p in json.loads(cold.split("\n", 1)[1]) if p["path"] == one]


def test_the_warm_model_is_the_cold_model(mini: Project) -> None:
    schema = Schema.load()
    cold, cold_problems = checks.load_and_check(mini.content, schema, cache_root=mini.root)
    warm, warm_problems = checks.load_and_check(mini.content, schema, cache_root=mini.root)
    assert warm_problems.sorted() == cold_problems.sorted()
    assert sorted(warm.guides) == sorted(cold.guides)
    for slug, guide in cold.guides.items():
        again = warm.guides[slug]
        assert again.meta == guide.meta  # data, every key's and value's line:col, the unreadable values
        assert (again.body, again.body_line, again.type, again.lang) == (guide.body, guide.body_line, guide.type, guide.lang)
    assert [(p.path, p.meta, p.body) for p in warm.pages] == [(p.path, p.meta, p.body) for p in cold.pages]


def test_editing_one_file_changes_only_its_results(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = Calls(monkeypatch)
    before = _check(mini, monkeypatch)
    assert before.startswith("exit 0\n")
    mini.write("tactics/door-knocking.md", guide_text("Knock.", front="title: Door knocking\ntype: tactic\nsummary: Knocking.\n"
                                                     "topics: [organsing]\nauthors: [Ana Example]\ndifficulty: beginner"))
    calls.clear()
    after = _check(mini, monkeypatch)
    assert list(calls.parsed) == ["content/tactics/door-knocking.md"]  # the other files came from the cache
    assert "content/tactics/door-knocking.md" in after and "'organsing'" in after
    shutil.rmtree(mini.root / ".cache")
    assert _check(mini, monkeypatch) == after  # a cold run agrees
    mini.write("tactics/door-knocking.md", guide_text("Knock."))  # mended: its problem goes, warm
    assert _check(mini, monkeypatch) == before


def test_deleting_the_cache_gives_a_full_and_equal_check(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = Calls(monkeypatch)
    first = _check(mini, monkeypatch)
    shutil.rmtree(mini.root / ".cache")
    calls.clear()
    assert _check(mini, monkeypatch) == first
    assert len(calls.parsed) == len(_markdown(mini))
    assert _cache_file(mini).is_file()  # made again


@pytest.mark.parametrize("damage", ["garbage", "truncated", "not-ours", "wrong-types", "empty"])
def test_a_damaged_or_foreign_cache_file_is_ignored(mini: Project, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    (mini.content / "tactics" / "door-knocking.md").write_text(guide_text("Knock.").replace("beginner", "easy"), "utf-8")
    first = _check(mini, monkeypatch)
    assert first.startswith("exit 1\n")
    file = _cache_file(mini)
    stored = json.loads(file.read_bytes())
    if damage == "garbage":
        file.write_bytes(b"\x00\xff not json at all")
    elif damage == "truncated":
        file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    elif damage == "not-ours":
        file.write_text(json.dumps([1, 2, 3]), "utf-8")
    elif damage == "empty":
        file.write_bytes(b"")
    else:  # the right key and hashes, but nonsense where line numbers and problems should be
        for entry in stored["files"].values():
            entry["problems"] = [["x", "one", None, "fatal", 3, None, "c"]]
            if entry["src"] and entry["src"]["meta"]:
                entry["src"]["meta"]["values"] = [[["title"], "2", {}]]
            entry["checks"] = {name: "nonsense" for name in entry["checks"]}
        file.write_text(json.dumps(stored), "utf-8")
    calls = Calls(monkeypatch)
    assert _check(mini, monkeypatch) == first  # no traceback, the same problems
    assert len(calls.parsed) == len(_markdown(mini))  # every file read afresh
    assert json.loads(file.read_bytes())["key"] == stored["key"]  # and the cache made good again


def test_another_toolkit_version_reloads_everything(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = Calls(monkeypatch)
    first = _check(mini, monkeypatch)
    monkeypatch.setattr(handbook_build, "__version__", "99.0.0")
    calls.clear()
    assert _check(mini, monkeypatch) == first
    assert len(calls.parsed) == len(_markdown(mini)) and calls.validated


def test_a_schema_change_shows_its_problems_at_once(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = mini.root / "handbook.schema.yml"
    shutil.copy(Path(handbook_build.__file__).parent / "data" / "handbook.schema.yml", schema)
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      schema: handbook.schema.yml\n", 1), "utf-8")
    assert "schema: handbook.schema.yml" in config.read_text("utf-8")
    assert _check(mini, monkeypatch).startswith("exit 0\n")
    text = schema.read_text("utf-8")
    schema.write_text(text.replace("required: [title, type, summary, topics, authors]", "required: [title, type, summary, topics, authors, updated]", 1), "utf-8")
    assert text != schema.read_text("utf-8")
    warm = _check(mini, monkeypatch)
    assert "'updated'" in warm and warm.startswith("exit 1\n")
    shutil.rmtree(mini.root / ".cache")
    assert _check(mini, monkeypatch) == warm


def test_the_cache_is_not_content_and_ignores_itself(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(mini, monkeypatch)
    folder = mini.root / ".cache" / "handbook"
    assert (folder / ".gitignore").read_text("utf-8").splitlines()[-1] == "*"
    assert not (mini.content / ".cache").exists()


@pytest.mark.slow
def test_a_warm_build_writes_the_same_bytes_as_a_cold_one(mini: Project) -> None:
    result = mini.build()
    assert result.returncode == 0, result.stderr
    cold = {p.relative_to(mini.site): p.read_bytes() for p in sorted(mini.site.rglob("*")) if p.is_file()}
    stored = _cache_file(mini).read_bytes()
    shutil.rmtree(mini.site)
    result = mini.build()
    assert result.returncode == 0, result.stderr
    assert _cache_file(mini).read_bytes() == stored  # every file came from the cache: nothing new to write
    warm = {p.relative_to(mini.site): p.read_bytes() for p in sorted(mini.site.rglob("*")) if p.is_file()}
    assert sorted(warm) == sorted(cold)
    assert [name for name in cold if warm[name] != cold[name]] == []


def test_check_does_not_load_what_only_a_build_needs(mini: Project) -> None:
    """`handbook check` loads mkdocs.yml, and so the plugin module: search, the site scan and the PDF stay unloaded."""
    probe = ("import sys, runpy\nsys.argv = ['handbook', 'check']\ntry:\n    runpy.run_module('handbook_build.cli.main', run_name='__main__')\n"
             "except SystemExit:\n    pass\nprint(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('lunr', 'snowballstemmer', 'tinycss2', 'weasyprint', 'pypdf') "
             "or m in ('handbook_build.site.search', 'handbook_build.site.scan', 'handbook_build.pdf', 'handbook_build.formats.outputs'))))\n"
             "print('plugin' if 'handbook_build.mkdocs_plugin.plugin' in sys.modules else 'no plugin')\n")
    result = mini.run("python", "-c", probe)
    assert result.returncode == 0, result.stderr
    loaded, plugin = result.stdout.splitlines()[-2:]
    assert plugin == "plugin"  # the check did read mkdocs.yml through MkDocs
    assert loaded == ""
