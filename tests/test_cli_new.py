"""`handbook new`: asks in a terminal, takes flags otherwise, never overwrites, says what to do next."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

import pytest
import yaml

from conftest import BIN, Project

LIMIT = 60  # seconds to wait for a prompt: a safety net for a hung process, not a speed requirement


class Terminal:
    """`handbook` running in a pseudo-terminal, so stdin.isatty() is true as for a person at a keyboard."""

    def __init__(self, project: Project, *args: str) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TERM": "dumb", "COLUMNS": "120"}
        self.process = subprocess.Popen([str(BIN / "handbook"), *args], cwd=project.root, env=env,
                                        stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        self.seen = ""  # everything the person saw so far
        self._unread = ""

    def expect(self, text: str) -> str:
        """Wait until ``text`` appears on the screen; return what was shown up to it."""
        deadline = time.monotonic() + LIMIT
        while text not in self._unread:
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                pytest.fail(f"never saw {text!r}; the screen shows:\n{self.seen}")
        before, _, after = self._unread.partition(text)
        self._unread = after
        return before + text

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self) -> int:
        deadline = time.monotonic() + LIMIT
        while self._read(deadline - time.monotonic()):
            pass
        os.close(self.master)
        return self.process.wait(timeout=LIMIT)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096).decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:  # the child closed the terminal
            return False
        if not chunk:
            return False
        self.seen += chunk
        self._unread += chunk
        return True


def _front_matter(path) -> dict:
    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1])


# -- in a terminal ---------------------------------------------------------------


def test_asks_for_type_title_topics_and_name(mini: Project) -> None:
    term = Terminal(mini, "new")
    shown = term.expect("Type (name or number)")
    assert "tactic" in shown and "funding-model" in shown and "case-study" in shown
    term.type("case-stduy")
    assert "did you mean 'case-study'" in term.expect("Type (name or number)")
    term.type("3")
    term.expect("Title")
    term.type("The rent strike of 1915")
    shown = term.expect("Topics (names or numbers, separated by commas)")
    assert "1. fundraising" in shown and "2. organising" in shown
    assert "Bringing people together to act on what they share." in shown  # what each topic covers helps people choose
    term.type("organisng")
    assert "unknown topic 'organisng': did you mean 'organising'?" in term.expect("Topics (names or numbers")
    term.type("organising, 1")
    term.expect("Your name, as it should be credited")
    term.type("Mary Barbour")
    code = term.finish()
    assert code == 0, term.seen
    target = mini.content / "case-studies" / "the-rent-strike-of-1915.md"
    assert "Wrote content/case-studies/the-rent-strike-of-1915.md" in term.seen
    assert "handbook check content/case-studies/the-rent-strike-of-1915.md" in term.seen
    assert "handbook serve   then open http://127.0.0.1:8000 and go to Case studies" in term.seen
    meta = _front_matter(target)
    assert meta["type"] == "case-study"
    assert meta["title"] == "The rent strike of 1915"
    assert meta["topics"] == ["organising", "fundraising"]
    assert meta["authors"] == ["Mary Barbour"]
    checked = mini.check(str(target.relative_to(mini.root)))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_in_a_terminal_only_asks_for_what_the_flags_left_out(mini: Project) -> None:
    term = Terminal(mini, "new", "tactic", "Street stalls", "--topic", "organising")
    term.expect("Your name, as it should be credited")
    term.type("Ana Example")
    assert term.finish() == 0, term.seen
    assert "Type (name" not in term.seen and "Title:" not in term.seen and "Topics (" not in term.seen
    meta = _front_matter(mini.content / "tactics" / "street-stalls.md")
    assert meta["authors"] == ["Ana Example"] and meta["topics"] == ["organising"]


def test_in_a_terminal_a_taken_name_asks_for_another(mini: Project) -> None:
    original = (mini.content / "tactics" / "phone-banking.md").read_text("utf-8")
    term = Terminal(mini, "new", "tactic", "Phone banking", "--topic", "organising", "--author", "Ana Example")
    shown = term.expect("File name for the guide")
    assert "content/tactics/phone-banking.md already exists; nothing was written" in shown
    term.type("phone-banking-at-home")
    assert term.finish() == 0, term.seen
    assert (mini.content / "tactics" / "phone-banking.md").read_text("utf-8") == original
    assert "Wrote content/tactics/phone-banking-at-home.md" in term.seen
    assert _front_matter(mini.content / "tactics" / "phone-banking-at-home.md")["title"] == "Phone banking"


# -- with flags (no terminal: scripts, CI, editors) ------------------------------------


def test_with_flags_writes_the_guide_and_says_what_next(mini: Project) -> None:
    result = mini.run("handbook", "new", "funding-model", "Jumble sales", "--topic", "fundraising", "--topic", "organising",
                      "--author", "Cy Example", "--author", "Dee Example", input="")
    assert result.returncode == 0, result.stderr
    target = mini.content / "funding-models" / "jumble-sales.md"
    lines = result.stdout.splitlines()
    assert lines[0] == "Wrote content/funding-models/jumble-sales.md"
    assert "Next:" in result.stdout
    assert "handbook check content/funding-models/jumble-sales.md" in result.stdout
    assert "handbook serve" in result.stdout
    meta = _front_matter(target)
    assert meta["type"] == "funding-model"
    assert meta["topics"] == ["fundraising", "organising"]
    assert meta["authors"] == ["Cy Example", "Dee Example"]
    assert {"recurring", "cost_to_start"} <= set(meta)  # the type's required fields are there to fill in
    checked = mini.check("content/funding-models/jumble-sales.md")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_with_flags_and_no_author_leaves_a_placeholder_and_says_so(mini: Project) -> None:
    result = mini.run("handbook", "new", "tactic", "Street stalls", "--topic", "organising", input="")
    assert result.returncode == 0, result.stderr
    assert _front_matter(mini.content / "tactics" / "street-stalls.md")["authors"] == ["Your name"]
    assert "put your name in 'authors'" in result.stdout


def test_with_a_custom_slug(mini: Project) -> None:
    result = mini.run("handbook", "new", "tactic", "Stalls in the street", "--slug", "street-stalls", "--topic", "organising", input="")
    assert result.returncode == 0, result.stderr
    assert (mini.content / "tactics" / "street-stalls.md").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give the guide type: one of tactic, funding-model, case-study"),
        (("tactic",), "give the guide's title"),
        (("tactic", "Street stalls"), "give at least one --topic: fundraising, organising"),
        (("tactik", "Street stalls", "--topic", "organising"), "unknown guide type 'tactik': did you mean 'tactic'?"),
        (("tactic", "Street stalls", "--topic", "organisng"), "unknown topic(s) 'organisng' (did you mean 'organising'?)"),
    ],
)
def test_without_a_terminal_missing_or_wrong_flags_are_explained(mini: Project, args: tuple[str, ...], message: str) -> None:
    before = sorted(p.relative_to(mini.content) for p in mini.content.rglob("*"))
    result = mini.run("handbook", "new", *args, input="")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(mini.content) for p in mini.content.rglob("*")) == before  # nothing written


def test_without_a_terminal_never_overwrites(mini: Project) -> None:
    guide = mini.content / "tactics" / "phone-banking.md"
    original = guide.read_text("utf-8")
    result = mini.run("handbook", "new", "tactic", "Phone banking", "--topic", "organising", input="")
    assert result.returncode == 1
    assert "content/tactics/phone-banking.md already exists; nothing was written" in result.stderr
    assert guide.read_text("utf-8") == original
