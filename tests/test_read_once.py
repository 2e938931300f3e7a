"""`handbook check` reads each content file once and builds each body's view once.

The loader walks the content folder and reads every file into the model; the
checks take the model. A check that goes back to the disk, or builds its own
``Body`` of a file (whose code-free ``prose`` is the costly part), fails here.
"""

from __future__ import annotations

import builtins
import io
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Project, guide_text
from handbook_build import checks
from handbook_build.content.body import Body
from handbook_build.content.schema import Schema


def _with_page_and_image(mini: Project) -> Project:
    """The mini handbook, plus a page that is not a guide (with a link, an image and raw HTML) and the image."""
    mini.write("join.md", "---\ntitle: Join us\n---\n\n# Join\n\n![A map of the area](images/map.png)\n\n"
                          "See [[phone-banking]] and [the call](case-studies/the-big-call.md).\n\n<p title=\"x\">Hi</p>\n")
    (mini.content / "images").mkdir()
    (mini.content / "images" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    mini.write("tactics/door-knocking.md", guide_text("Knock, then [[phone-banking]].\n\n```\n[[not-a-link]]\n```\n"))
    return mini


def _counting(counts: Counter[str], real: Callable[..., Any]) -> Callable[..., Any]:
    def opened(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, bytes, os.PathLike)):
            counts[os.path.realpath(os.fsdecode(file))] += 1
        return real(file, *args, **kwargs)
    return opened


def test_each_content_file_is_opened_once_and_each_body_built_once(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _with_page_and_image(mini)
    schema = Schema.load()  # the schema is not content: read before counting
    opens: Counter[str] = Counter()
    # builtins.open is io.open; Path.read_bytes/read_text go through io.open; os.open is the low-level door.
    monkeypatch.setattr(builtins, "open", _counting(opens, builtins.open))
    monkeypatch.setattr(io, "open", _counting(opens, io.open))
    monkeypatch.setattr(os, "open", _counting(opens, os.open))
    built: Counter[str] = Counter()
    prose: Counter[str] = Counter()
    real_init = Body.__init__
    real_ranges = Body._code_ranges

    def init(self: Body, text: str, path: str, first_line: int) -> None:
        built[path] += 1
        real_init(self, text, path, first_line)

    def ranges(self: Body) -> list[tuple[int, int]]:
        prose[self.path] += 1
        return real_ranges(self)

    monkeypatch.setattr(Body, "__init__", init)
    monkeypatch.setattr(Body, "_code_ranges", ranges)
    monkeypatch.chdir(project.root)

    handbook, problems = checks.load_and_check(Path("content"), schema)

    assert [str(p) for p in problems] == []
    content = os.path.realpath(project.content)
    files = sorted(p.relative_to(project.content).as_posix() for p in project.content.rglob("*") if p.is_file())
    read = {os.path.relpath(path, content): n for path, n in opens.items() if path.startswith(content + os.sep)}
    text_files = [f for f in files if f.endswith((".md", ".yml"))]
    assert len(text_files) == 7  # four guides, two pages and topics.yml
    assert {f: read.get(f, 0) for f in text_files} == {f: 1 for f in text_files}
    assert all(n <= 1 for n in read.values()), read  # the image may be looked at, never twice
    shown = sorted(f"content/{f}" for f in files if f.endswith(".md"))
    assert sorted(built) == shown and set(built.values()) == {1}, built
    assert sorted(prose) == shown and set(prose.values()) == {1}, prose
    assert handbook.tree is not None and "images/map.png" in handbook.tree.files
    assert [p.path for p in handbook.pages] == ["index.md", "join.md"]


def test_the_checks_take_the_model_and_settings_only() -> None:
    # No content folder in the context, only settings from mkdocs.yml (licence, languages listed):
    # a check that wanted the disk would have to find it itself.
    fields = {name: f.type for name, f in checks.CheckContext.__dataclass_fields__.items()}
    assert fields == {"license": "str", "languages": "tuple[str, ...]"}


def test_a_problem_found_in_a_page_still_names_its_line(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading pages once in the loader keeps every check's findings at the page's own lines.
    mini.write("join.md", "---\ntitle: Join us\n---\n\nText\n\n![](https://tracker.example/p.png)\n\n[Map](images/gone.png)\n")
    monkeypatch.chdir(mini.root)
    _, problems = checks.load_and_check(Path("content"), Schema.load())
    assert [str(p).split(" (")[0] for p in problems] == [
        "content/join.md:7:1: error: this image has no alt text",
        "content/join.md:7:5: error: the image https://tracker.example/p.png would be loaded from another website",
        "content/join.md:9:7: error: the link 'images/gone.png' points to a file that does not exist",
    ]
