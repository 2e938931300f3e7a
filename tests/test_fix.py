"""`handbook check --fix` and `--diff` on content shaped like a real imported collection (tests/fixtures/checklist-corpus)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, Project
from handbook_build.fixes import files
from handbook_build.fixes.source import Text

CORPUS = FIXTURES / "checklist-corpus"
# What only a person can settle: an <aside> and an avatar from another website, a too-short summary, a dead link.
NEEDS_A_PERSON = {
    "content/tactics/before-the-meeting.md:21:1: error: <aside> is not allowed",
    "content/tactics/before-the-meeting.md:22:8: error: the image https://avatars.example.org/u/4711?s=120 would be loaded",
    "content/tactics/phone-tree.md:4:10: error: 'summary' is 10 characters long",
    "content/tactics/sign-in-table.md:17:53: error: the link '/notes/' is an absolute path",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Project:
    shutil.copytree(CORPUS, tmp_path / "corpus", ignore=shutil.ignore_patterns("site"))
    return Project(tmp_path / "corpus")


def _snapshot(project: Project) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(project.root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(project.content.rglob("*")) if p.is_file()}


def _problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"content/\S+:\d+:\d+: error: ", line)]


def _starts(problems: list[str]) -> set[str]:
    found = set()
    for problem in problems:
        match = next((s for s in NEEDS_A_PERSON if problem.startswith(s)), None)
        found.add(match or problem)
    return found


def test_check_reports_the_imported_mistakes_at_their_lines(corpus: Project) -> None:
    result = corpus.check()
    assert result.returncode == 1
    problems = _problems(result.stdout)
    expected = [
        "content/tactics/after-the-action.md:2:1: error: unknown field 'Title' (did you mean 'title'?)",
        "content/tactics/packing-list.md:5:1: error: unknown field 'topic' (did you mean 'topics'?)",
        "content/tactics/before-the-meeting.md:36:24: error: the image '/assets/images/checklists/room-plan.png' is an absolute path",
        "content/tactics/after-the-action.md:18:56: error: the link '/before-the-meeting/' is an absolute path",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), line
    box = next(p for p in problems if p.startswith("content/tactics/before-the-meeting.md:16:3: error: <input> is not allowed"))
    assert "'- [ ] " in box and "--fix" in box  # the hint shows the Markdown form
    assert len(problems) == 30


def test_fix_leaves_only_problems_that_need_a_person(corpus: Project) -> None:
    fixed = corpus.check("--fix")
    changes = [line for line in fixed.stdout.splitlines() if ": fixed: " in line]
    assert "content/tactics/after-the-action.md:2: fixed: front-matter key 'Title' renamed to 'title'" in changes
    assert "content/tactics/packing-list.md:5: fixed: front-matter key 'topic' renamed to 'topics'" in changes
    assert ("content/tactics/before-the-meeting.md:43: fixed: absolute link '/sign-in-table/' made relative: "
            "'sign-in-table.md'") in changes
    assert any(c.startswith("content/tactics/before-the-meeting.md:15: fixed: HTML checkbox list") and "(3 items)" in c for c in changes)
    assert len(changes) == 11
    assert _starts(_problems(fixed.stdout)) == NEEDS_A_PERSON
    after = corpus.check()
    assert _starts(_problems(after.stdout)) == NEEDS_A_PERSON
    text = (corpus.content / "tactics" / "before-the-meeting.md").read_text("utf-8")
    assert ("- [ ] Book the room and ask for the key.\n- [ ] Print the agenda, large enough to read from the back.\n"
            "- [x] Tell neighbours that the street will be busy.\n") in text
    assert "![Where the chairs go](../assets/images/checklists/room-plan.png)" in text
    assert "<aside class=\"quote\">" in text  # nothing it cannot re-create is removed
    packing = (corpus.content / "tactics" / "packing-list.md").read_text("utf-8")
    assert "- [x] Pens that work\n- [ ] Name stickers\n- [ ] A long extension lead\n" in packing


def test_a_second_fix_changes_nothing(corpus: Project) -> None:
    corpus.check("--fix")
    before = _snapshot(corpus)
    again = corpus.check("--fix")
    assert ": fixed: " not in again.stdout
    assert "Nothing to fix automatically." in again.stderr
    assert _snapshot(corpus) == before


def test_diff_shows_the_fixes_and_writes_nothing(corpus: Project) -> None:
    before = _snapshot(corpus)
    result = corpus.check("--diff")
    assert result.returncode == 1  # there is something to fix
    assert "--- a/content/tactics/after-the-action.md" in result.stdout
    assert "-Title: After the action\n+title: After the action" in result.stdout
    assert "+- [ ] Thank the people who set up the room." in result.stdout
    assert "nothing was written" in result.stderr
    assert _snapshot(corpus) == before


def test_crlf_files_keep_crlf_and_every_other_byte(corpus: Project) -> None:
    guide = corpus.content / "tactics" / "sign-in-table.md"
    original = guide.read_bytes().replace(b"\n", b"\r\n")
    guide.write_bytes(original)
    os.chmod(guide, 0o640)
    corpus.check("--fix")
    fixed = guide.read_bytes()
    assert b"\n" not in fixed.replace(b"\r\n", b"")  # no bare line feed crept in
    assert b"- [ ] A clipboard with a pen on a string\r\n- [ ] A sheet that asks" in fixed
    assert b"](../assets/images/checklists/sign-in-table.png)\r\n" in fixed
    untouched_tail = original[original.index(b"\r\n\r\nOld notes"):]
    assert fixed.endswith(untouched_tail)
    assert fixed.startswith(original[: original.index(b"![A sign-in")])
    assert guide.stat().st_mode & 0o777 == 0o640


def test_a_file_changed_since_it_was_read_is_not_touched(tmp_path: Path) -> None:
    file = tmp_path / "guide.md"
    file.write_bytes(b"first\n")
    stat = file.stat()
    file.write_bytes(b"someone else's edit\n")
    with pytest.raises(files.ChangedMeanwhile):
        files.write(file, b"fixed\n", raw=b"first\n", mtime_ns=stat.st_mtime_ns)
    assert file.read_bytes() == b"someone else's edit\n"
    assert [p.name for p in tmp_path.iterdir()] == ["guide.md"]  # no temporary file left behind


def test_checkboxes_with_meaningful_attributes_or_text_beside_them_are_left_alone(corpus: Project) -> None:
    guide = corpus.content / "tactics" / "safety-plan.md"
    doubtful = ('\n<label title="Read this first"><input type="checkbox"> Keep the list short</label>\n\n'
                'Ask the host: <input type="checkbox"> is the door open?\n')
    guide.write_text(guide.read_text("utf-8") + doubtful, "utf-8")
    corpus.check("--fix")
    assert guide.read_text("utf-8").endswith(doubtful)


def test_offsets_map_back_through_a_bom_and_crlf() -> None:
    text = Text.read("\ufeffa\r\nb\nc\r\n".encode())
    assert text is not None
    assert text.text == "a\nb\nc\n"
    assert [text.raw[text.raw_offset(i)] for i in range(len(text.text))] == ["a", "\r", "b", "\n", "c", "\r"]
    assert text.newline == "\r\n"
