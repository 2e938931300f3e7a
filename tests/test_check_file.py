"""`handbook check FILE` with a warm cache: exactly the problems the whole check reports for FILE,
those that need other files included (a `related:` slug no guide has, a duplicate slug, an
outdated translation, a [[wikilink]] to a missing guide, a link to a draft, a missing file),
while the unchanged other files are known from the index (.cache/handbook/index.json) and
not read. A change elsewhere shows at once; a damaged index is ignored.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import Project
from handbook_build.cli.main import main
from handbook_build.content import index, source

PHONE = "content/tactics/phone-banking.md"
PHONE_SV = "content/tactics/phone-banking.sv.md"
PARTIES = "content/funding-models/house-parties.md"
CALL = "content/case-studies/the-big-call.md"
DOORS = "content/tactics/door-knocking.md"
INDEX_PAGE = "content/index.md"
HOUR_AGO = 3600 * 10**9


def _aged(project: Project, ago_ns: int = HOUR_AGO) -> None:
    """Every file last changed ``ago_ns`` ago: old enough for the index to trust its size and mtime."""
    when = _now_ns() - ago_ns
    for file in project.content.rglob("*"):
        if file.is_file():
            os.utime(file, ns=(when, when))


def _now_ns() -> int:
    import time

    return time.time_ns()


def _edit(project: Project, shown: str, old: str, new: str, *, ago_ns: int = HOUR_AGO // 2) -> None:
    """Change a file as a contributor's editor would, dated in the past (as if another check ran since)."""
    path = project.root / shown
    text = path.read_text("utf-8")
    assert old in text, f"the fixture changed: {old!r} is not in {shown}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    when = _now_ns() - ago_ns
    os.utime(path, ns=(when, when))


def _with_cross_file_problems(mini: Project) -> Project:
    """The mini handbook with problems that each need another file to be seen."""
    _edit(mini, PHONE, "topics: [organising, fundraising]", "topics: [organising, fundraising]\nupdated: 2024-05-01")
    _edit(mini, PHONE, "  - slug: house-parties\n", "  - slug: house-partys\n  - slug: the-big-call\n  - slug: door-knocking\n")
    _edit(mini, PHONE, "Pair it with [[house-parties]]", "Pair it with [[house-parties]], [[door-knock]], [[door-knocking]]")
    _edit(mini, PHONE, "1. Get a list.", "1. Get a [list](../funding-models/lists.md).")
    _edit(mini, CALL, "tactics: [phone-banking]", "tactics: [phone-banking, house-parties]")
    mini.write("tactics/phone-banking.sv.md", "---\ntitle: Telefonkampanj\nsummary: Att ringa sympatisörer på ett organiserat sätt.\n"
                                              "authors: [Ana Example]\ntranslated_from: 2023-01-01\n---\n\nRing [[house-parties]].\n")
    mini.write("tactics/door-knocking.md", "---\ntitle: Door knocking\ntype: tactic\nsummary: Knocking on doors to talk "
                                           "with neighbours face to face.\ntopics: [organising]\nauthors: [Ana Example]\n"
                                           "difficulty: beginner\ndraft: true\n---\n\nSee [[phone-banking]].\n")
    mini.write("case-studies/house-parties.md", (mini.root / PARTIES).read_text("utf-8")
               .replace("type: funding-model", "type: case-study"))
    _aged(mini)
    return mini


def _check(project: Project, monkeypatch: pytest.MonkeyPatch, *args: str, fmt: str = "json") -> tuple[int, str]:
    """`handbook check` as a contributor runs it in the project folder: exit code and what it printed."""
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["check", "--format", fmt, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback fails the test, shown in full
    return result.exit_code, result.stdout


def _full_for(project: Project, monkeypatch: pytest.MonkeyPatch, shown: str, fmt: str = "json", out: str | None = None) -> tuple[int, Any]:
    """What the whole check says (or said: ``out``) about one file: its problems, and the exit code they alone give."""
    if out is None:
        out = _check(project, monkeypatch, fmt=fmt)[1]
    if fmt == "json":
        rows = [row for row in json.loads(out) if row["path"] == shown]
        return int(any(row["severity"] == "error" for row in rows)), rows
    lines = [line for line in out.splitlines() if line.startswith(shown + ":")]
    return int(any(": error: " in line for line in lines)), lines


def _file(project: Project, monkeypatch: pytest.MonkeyPatch, shown: str, fmt: str = "json") -> tuple[int, Any]:
    code, out = _check(project, monkeypatch, shown, fmt=fmt)
    if fmt == "json":
        return code, json.loads(out)
    return code, [line for line in out.splitlines() if line]


def _messages(rows: list[dict[str, Any]]) -> list[str]:
    return [row["message"] for row in rows]


class Parsed:
    """Which files `handbook check` parsed itself in one run (neither the index nor the content cache knew them)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: Counter[str] = Counter()
        real = source.parse

        def counted(raw: bytes, path: str) -> Any:
            self.files[path] += 1
            return real(raw, path)

        monkeypatch.setattr(source, "parse", counted)


@pytest.fixture
def crossed(mini: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The handbook with cross-file problems, after one whole check (cache and index warm)."""
    _with_cross_file_problems(mini)
    _check(mini, monkeypatch)
    return mini


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_check_file_says_what_the_whole_check_says_about_it(crossed: Project, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    whole = _check(crossed, monkeypatch, fmt=fmt)[1]
    for shown in (PHONE, PHONE_SV, PARTIES, CALL, DOORS, "content/case-studies/house-parties.md", INDEX_PAGE, "content/topics.yml"):
        assert _file(crossed, monkeypatch, shown, fmt) == _full_for(crossed, monkeypatch, shown, fmt, whole), shown
    # The problems compared are the ones that need other files (else the test proves little).
    said = _messages(_file(crossed, monkeypatch, PHONE)[1])
    assert "no guide has the slug 'house-partys'" in said
    assert "[[door-knock]] links to a guide that does not exist" in said
    assert "[[door-knocking]] links to a draft, which is not published" in said
    assert "'door-knocking' is a draft, so the link will not be shown" in said
    assert "the link '../funding-models/lists.md' points to a page that does not exist" in said
    assert any(m.startswith("the slug 'house-parties' is also used by") for m in _messages(_file(crossed, monkeypatch, PARTIES)[1]))
    assert any(m.startswith("the original content/tactics/phone-banking.md was updated on 2024-05-01")
               for m in _messages(_file(crossed, monkeypatch, PHONE_SV)[1]))


def test_check_file_parses_only_that_file_when_the_others_did_not_change(crossed: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(crossed, monkeypatch)  # the files are old now: this run records their sizes and mtimes
    parsed = Parsed(monkeypatch)
    _file(crossed, monkeypatch, PHONE)
    assert set(parsed.files) == {PHONE}


def test_check_file_sees_the_related_guide_deleted_then_back_under_another_name(crossed: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(crossed, monkeypatch)
    _edit(crossed, PHONE, "  - slug: house-partys\n", "  - slug: house-parties\n")
    assert "no guide has the slug 'house-parties'" not in _messages(_file(crossed, monkeypatch, PHONE)[1])
    shutil.move(crossed.root / "content/case-studies/house-parties.md", crossed.root / "content/case-studies/party-story.md")
    (crossed.root / PARTIES).unlink()
    deleted = _file(crossed, monkeypatch, PHONE)
    assert "no guide has the slug 'house-parties'" in _messages(deleted[1])
    assert deleted == _full_for(crossed, monkeypatch, PHONE)
    (crossed.root / "content/funding-models").mkdir(exist_ok=True)
    crossed.write("funding-models/house-party.md", (crossed.root / "content/case-studies/party-story.md").read_text("utf-8")
                  .replace("type: case-study", "type: funding-model"))
    renamed = _file(crossed, monkeypatch, PHONE)
    hints = [row["hint"] for row in renamed[1] if row["message"] == "no guide has the slug 'house-parties'"]
    assert hints and "house-party" in hints[0]
    assert renamed == _full_for(crossed, monkeypatch, PHONE)


def test_check_file_sees_a_duplicate_slug_appear_elsewhere(crossed: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(crossed, monkeypatch)
    assert not any("also used by" in m for m in _messages(_file(crossed, monkeypatch, CALL)[1]))
    crossed.write("funding-models/the-big-call.md", (crossed.root / PARTIES).read_text("utf-8"))
    seen = _file(crossed, monkeypatch, CALL)
    assert "the slug 'the-big-call' is also used by content/funding-models/the-big-call.md" in _messages(seen[1])
    assert seen == _full_for(crossed, monkeypatch, CALL)


def test_check_file_sees_the_original_updated_with_the_same_size(crossed: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(crossed, PHONE_SV, "translated_from: 2023-01-01", "translated_from: 2024-05-01")
    _check(crossed, monkeypatch)
    assert not any("was updated on" in m for m in _messages(_file(crossed, monkeypatch, PHONE_SV)[1]))
    before = (crossed.root / PHONE).stat().st_size
    _edit(crossed, PHONE, "updated: 2024-05-01", "updated: 2025-05-01", ago_ns=HOUR_AGO // 4)  # same size, another mtime
    assert (crossed.root / PHONE).stat().st_size == before
    seen = _file(crossed, monkeypatch, PHONE_SV)
    assert any("was updated on 2025-05-01" in m for m in _messages(seen[1]))
    assert seen == _full_for(crossed, monkeypatch, PHONE_SV)


def test_check_file_sees_a_guide_become_a_draft(crossed: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(crossed, monkeypatch)
    _edit(crossed, CALL, "outcome:", "draft: true\noutcome:")
    seen = _file(crossed, monkeypatch, PHONE)
    assert "'the-big-call' is a draft, so the link will not be shown" in _messages(seen[1])
    assert seen == _full_for(crossed, monkeypatch, PHONE)


def test_a_file_changed_within_the_clock_tick_it_was_recorded_in_is_read_again(crossed: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    path = crossed.root / CALL
    _edit(crossed, CALL, "outcome:", "draft: false\noutcome:", ago_ns=0)
    stamp = path.stat().st_mtime_ns
    _check(crossed, monkeypatch)  # records the file just changed
    assert "'the-big-call' is a draft, so the link will not be shown" not in _messages(_file(crossed, monkeypatch, PHONE)[1])
    _edit(crossed, CALL, "draft: false", "draft:  true", ago_ns=0)  # the same size ...
    os.utime(path, ns=(stamp, stamp))  # ... on a file system whose clock did not tick since
    seen = _file(crossed, monkeypatch, PHONE)
    assert "'the-big-call' is a draft, so the link will not be shown" in _messages(seen[1])
    assert seen == _full_for(crossed, monkeypatch, PHONE)


def _index_file(project: Project) -> Path:
    return project.root / ".cache" / "handbook" / index.FILE_NAME


def _damage_entries(kind: object, data: object) -> Any:
    def damage(stored: dict[str, Any]) -> str:
        for entry in stored["files"].values():
            entry[2:] = [kind, data]
        return json.dumps(stored)
    return damage


@pytest.mark.parametrize("damage", [
    lambda stored: "{not json",
    lambda stored: json.dumps({**stored, "files": []}),
    lambda stored: json.dumps({"key": "another toolkit", "files": {k: [*v[:2], 1, None] for k, v in stored["files"].items()}}),
    _damage_entries(2, {"type": "tactic", "draft": True, "colour": "red"}),  # a field the index never keeps
    _damage_entries(2, ["draft"]),
    _damage_entries(True, None),  # not a kind: JSON true must not read as 1
    _damage_entries("0", None),
    lambda stored: json.dumps({**stored, "files": {k: "x" for k in stored["files"]}}),
], ids=["not-json", "files-not-a-map", "other-key", "unknown-field", "data-not-a-map", "kind-true", "kind-text",
        "entry-not-a-list"])
def test_a_damaged_index_is_ignored(crossed: Project, monkeypatch: pytest.MonkeyPatch, damage: Any) -> None:
    _check(crossed, monkeypatch)
    expected = _full_for(crossed, monkeypatch, PHONE)
    stored = json.loads(_index_file(crossed).read_text("utf-8"))
    assert stored["files"][PARTIES][0] > 0  # the entries were trusted: damaging them matters
    _index_file(crossed).write_text(damage(stored), "utf-8")
    assert _file(crossed, monkeypatch, PHONE) == expected


def test_the_real_command_in_a_fresh_process(crossed: Project) -> None:
    """As a pre-commit hook runs it: its own process, warm cache, text output, exit code."""
    crossed.check()
    whole = crossed.check("--format", "json")
    one = crossed.check("--format", "json", PHONE)
    assert one.returncode == 1, one.stderr
    assert json.loads(one.stdout) == [row for row in json.loads(whole.stdout) if row["path"] == PHONE]
    assert "Traceback" not in one.stderr


# -- the whole check: what each body holds is remembered (.cache/handbook/bodies.json) ------------

BODY_MISTAKES = ("Call [[nobody-here]] and [[phone-banking]].\n\n![](https://tracker.example/p.png)\n\n"
                 "[Map](images/gone.png) <script>alert(1)</script> <p onclick=\"x()\">Hi</p>\n\n"
                 "```\n[[not-a-link]] ![](https://inside.code/x.png)\n```\n")


def _with_body_mistakes(mini: Project) -> Project:
    mini.write("tactics/door-knocking.md", (mini.root / PHONE).read_text("utf-8").split("\n---\n")[0]
               .replace("Phone banking", "Door knocking").replace("related:\n  - slug: house-parties\n    why: Callers invite people "
                                                                  "to the next party.\n", "") + "\n---\n\n" + BODY_MISTAKES)
    mini.write("join.md", "---\ntitle: Join us\n---\n\n" + BODY_MISTAKES)
    return mini


def _memo_file(project: Project) -> Path:
    return project.root / ".cache" / "handbook" / "bodies.json"


def test_a_warm_whole_check_says_what_a_cold_one_says_and_does_not_rescan_the_bodies(
        mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from handbook_build.content.body import Body

    _with_body_mistakes(mini)
    cold = _check(mini, monkeypatch)
    said = _messages(json.loads(cold[1]))
    assert said.count("[[nobody-here]] links to a guide that does not exist") == 1  # in guides only
    for expected in ("this image has no alt text", "the image https://tracker.example/p.png would be loaded from another website",
                     "the link 'images/gone.png' points to a file that does not exist", "<script> is not allowed in a guide: "
                     "it is removed, with everything inside it, when the site is built"):
        assert said.count(expected) == 2, expected  # the guide and the page
    assert _memo_file(mini).is_file()
    scanned: list[str] = []
    real = Body._code_ranges
    monkeypatch.setattr(Body, "_code_ranges", lambda self: scanned.append(self.path) or real(self))
    assert _check(mini, monkeypatch) == cold
    assert scanned == []
    _edit(mini, DOORS, "[[nobody-here]]", "[[nobody-there]]")
    edited = json.loads(_check(mini, monkeypatch)[1])
    assert scanned == [DOORS]
    assert "[[nobody-there]] links to a guide that does not exist" in _messages(edited)


def _damage_bodies(name: str, value: object) -> Any:
    def damage(stored: dict[str, Any]) -> str:
        for entry in stored["bodies"].values():
            entry[name] = value
        return json.dumps(stored)
    return damage


@pytest.mark.parametrize("damage", [
    lambda stored: "[",
    lambda stored: json.dumps({**stored, "bodies": [1]}),
    _damage_bodies("html", [["content/tactics/door-knocking.md", "one", 1, "error", "made up", None, "html"]]),
    _damage_bodies("privacy", [[1]]),
    _damage_bodies("wikilinks", [["nobody-here", None, "7", 1]]),
    _damage_bodies("wikilinks", [[["nobody-here"], None, 7, 1]]),
    _damage_bodies("targets", [["images/gone.png", 0, "link", "yes"]]),
    _damage_bodies("targets", "x"),
], ids=["not-json", "bodies-not-a-map", "html-line-text", "privacy-short", "wikilink-line-text", "wikilink-slug-list",
        "target-flag-text", "targets-text"])
def test_a_damaged_body_memo_is_ignored(mini: Project, monkeypatch: pytest.MonkeyPatch, damage: Any) -> None:
    _with_body_mistakes(mini)
    cold = _check(mini, monkeypatch)
    stored = json.loads(_memo_file(mini).read_text("utf-8"))
    _memo_file(mini).write_text(damage(stored), "utf-8")
    assert _check(mini, monkeypatch) == cold
