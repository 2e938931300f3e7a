"""Hostile and oversized files that cannot live in the fixture corpus (git would store a
symlink, a 5 MB file or two names differing in case badly): made here, each with its
exact problem line, and the ones that must pass do pass."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Project, guide_text

GUIDE = guide_text("Knock, listen, ask.\n")
SHOWN = "content/tactics/door-knocking.md"


def _lines(result) -> list[str]:
    assert "Traceback" not in result.stderr + result.stdout
    return result.stdout.splitlines()


def _outside(tmp_path: Path) -> Path:
    """A folder next to the project, outside its content folder, holding a 'secret'."""
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "passwords.txt").write_text("hunter2\n", "utf-8")
    (secret / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return secret


def test_a_5_mb_guide_is_refused_before_it_is_read(mini: Project) -> None:
    mini.write("tactics/door-knocking.md", GUIDE + "Knock. " * (5 * 1024 * 1024 // 7))
    result = mini.check()
    assert result.returncode == 1
    assert _lines(result) == [f"{SHOWN}:1: error: the file is 5120 KB; a guide may be at most 256 KB "
                              "(split it into several guides, or move large data out of the text)"]


def test_front_matter_over_the_limit_is_one_clear_problem(mini: Project) -> None:
    long = "\n".join(f"  - Author number {i} with a long name" for i in range(1200))
    mini.write("tactics/door-knocking.md", GUIDE.replace("authors: [Ana Example]", "authors:\n" + long))
    result = mini.check()
    assert result.returncode == 1
    assert _lines(result) == [f"{SHOWN}:1: error: the front matter is longer than 32 KB "
                              "(keep the fields short and move long text into the body)"]


def test_a_bom_and_crlf_line_endings_are_normal(mini: Project) -> None:
    path = mini.content / "tactics" / "door-knocking.md"
    path.write_bytes(b"\xef\xbb\xbf" + GUIDE.replace("\n", "\r\n").encode("utf-8"))
    result = mini.check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert _lines(result) == []
    built = mini.build()
    assert built.returncode == 0, built.stderr
    page = next(p for p in (mini.site / "tactics" / "door-knocking.html", mini.site / "tactics" / "door-knocking" / "index.html")
                if p.exists())
    html = page.read_text("utf-8")
    assert "<title>Door knocking - Mini Handbook</title>" in html
    assert "\ufeff" not in html


def test_a_symlinked_guide_leaving_content_is_refused(mini: Project, tmp_path: Path) -> None:
    secret = _outside(tmp_path)
    (secret / "door-knocking.md").write_text(GUIDE, "utf-8")
    os.symlink(secret / "door-knocking.md", mini.content / "tactics" / "door-knocking.md")
    result = mini.check()
    assert result.returncode == 1
    assert _lines(result) == [f"{SHOWN}: error: this file is a link to a place outside the content folder "
                              "(copy the file into the content folder instead of linking to it)"]


def test_a_symlinked_folder_leaving_content_is_refused_and_never_published(mini: Project, tmp_path: Path) -> None:
    secret = _outside(tmp_path)
    os.symlink(secret, mini.content / "shared")
    os.symlink(secret / "passwords.txt", mini.content / "passwords.txt")
    mini.write("tactics/door-knocking.md", GUIDE + "\n![A photo](../shared/photo.png)\n")
    result = mini.check()
    assert result.returncode == 1
    assert _lines(result) == [
        "content/passwords.txt: error: this file is a link to a place outside the content folder "
        "(copy what it points to into the content folder instead of linking to it)",
        "content/shared: error: this folder is a link to a place outside the content folder "
        "(copy what it points to into the content folder instead of linking to it)",
        f"{SHOWN}:12:12: error: the image '../shared/photo.png' leads through a symlink to a place outside the content folder "
        "(copy the file into the content folder and link to it with a path relative to this file)",
    ]
    built = mini.build(strict=False)
    assert built.returncode == 0, built.stderr
    published = {p.relative_to(mini.site).as_posix() for p in mini.site.rglob("*")}
    assert not [p for p in published if "passwords" in p or p.startswith("shared")], published
    assert not any("hunter2" in p.read_text("utf-8", "replace") for p in mini.site.rglob("*") if p.is_file())


def test_symlinks_that_stay_inside_content_are_fine(mini: Project) -> None:
    (mini.content / "images").mkdir()
    (mini.content / "images" / "door.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    os.symlink("images", mini.content / "pictures")
    mini.write("tactics/door-knocking.md", GUIDE + "\n![A door](../pictures/door.png)\n")
    result = mini.check()
    assert result.returncode == 0, result.stdout
    assert _lines(result) == []


def _case_insensitive(folder: Path) -> bool:
    (folder / "case-probe").write_text("a")
    try:
        return (folder / "CASE-PROBE").exists()
    finally:
        (folder / "case-probe").unlink()


def test_names_differing_only_in_case_collide(mini: Project) -> None:
    if _case_insensitive(mini.content):
        pytest.skip("this file system cannot hold two names that differ only in case")
    mini.write("tactics/door-knocking.md", GUIDE)
    translation = GUIDE.replace("title: Door knocking", "title: Bater de porta em porta").replace(
        "summary: Knocking on doors", "summary: Bater nas portas")
    mini.write("tactics/door-knocking.pt-BR.md", translation)
    mini.write("tactics/door-knocking.pt-br.md", translation)
    mini.write("Notes.md", "# Notes\n")
    mini.write("notes.md", "# Notes\n")
    mini.write("Search.md", "# Search\n")
    result = mini.check()
    assert result.returncode == 1
    hint = "(rename one of them: on Windows and macOS both are the same file)"
    # Errors only: a language without interface strings (pt-BR here) is a warning of its own.
    assert [line for line in _lines(result) if ": error: " in line] == [
        f"content/Notes.md: error: the name differs from content/notes.md only in capital letters {hint}",
        f"content/Search.md: error: the name differs from the generated page search.md only in capital letters {hint}",
        f"content/notes.md: error: the name differs from content/Notes.md only in capital letters {hint}",
        f"content/tactics/door-knocking.pt-BR.md: error: the name differs from content/tactics/door-knocking.pt-br.md only in capital letters {hint}",
        f"content/tactics/door-knocking.pt-br.md: error: the name differs from content/tactics/door-knocking.pt-BR.md only in capital letters {hint}",
    ]


def test_ordinary_links_pass(mini: Project) -> None:
    (mini.content / "tactics" / "images").mkdir()
    (mini.content / "tactics" / "images" / "door.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    mini.write("tactics/door-knocking.md", GUIDE + """
See [phone banking](phone-banking.md#what-it-is), [the big call](../case-studies/the-big-call.md),
[the topic](../topics/organising.md), [home](../index.md), [top](#top), [mail](mailto:a@example.org),
[the web](https://example.org/a_(b)), ![A door](images/door.png), <img src="images/door.png" alt="A door">,
[a page address](../phone-banking/) and [a reference][ref].

[ref]: <phone-banking.md>
""")
    result = mini.check()
    assert result.returncode == 0, result.stdout
    assert _lines(result) == []


def test_links_in_other_pages_are_checked_too(mini: Project) -> None:
    mini.write("about.md", "# About\n\nRead [the guide](tactics/phone-bankng.md) or <a href=\"../../etc/passwd\">this</a>.\n")
    result = mini.check()
    assert result.returncode == 1
    assert _lines(result) == [
        "content/about.md:3:18: error: the link 'tactics/phone-bankng.md' points to a page that does not exist "
        "(did you mean 'tactics/phone-banking.md'?)",
        "content/about.md:3:55: error: the link '../../etc/passwd' points outside the content folder "
        "(link to a file inside the content folder with a path relative to this file, "
        "e.g. [Phone banking](phone-banking.md) or ![Map](images/map.png))",
    ]


@pytest.mark.parametrize("url", ["C:\\Users\\ana\\door.png", "/home/ana/door.png", "%2e%2e/%2e%2e/mkdocs.yml", "..\\..\\mkdocs.yml"])
def test_disguised_paths_are_refused(mini: Project, url: str) -> None:
    mini.write("tactics/door-knocking.md", GUIDE + f"\n![A door]({url})\n")
    result = mini.check()
    assert result.returncode == 1
    (line,) = _lines(result)
    assert line.startswith(f"{SHOWN}:12:11: error: the image '{url}' ")
    assert "absolute path" in line or "outside the content folder" in line


def test_a_guide_of_endless_tags_is_refused_before_it_is_rendered(mini: Project) -> None:
    # Python-Markdown's time grows with the square of such a text: it must never reach it.
    mini.write("tactics/door-knocking.md", GUIDE + ("<a " + "x" * 2000) * 100)
    mini.write("about.md", "# About\n\n" + "<b>bold</b> " * 600)
    result = mini.check()
    assert result.returncode == 1
    assert _lines(result) == [
        "content/about.md:3:6001: error: the text has more than 1000 HTML tags "
        "(write it in Markdown: a guide needs little or no HTML)",
        f"{SHOWN}:11:40061: error: more than 20 HTML tags or comments in the text are never closed "
        "(close each tag with '>' and each comment with '-->', or write '&lt;' for a '<' that starts no tag)",
    ]
    built = mini.build(strict=False)
    assert built.returncode == 0, built.stderr
    assert not list(mini.site.rglob("door-knocking*")) and not list(mini.site.rglob("about*"))


def test_a_huge_topics_file_is_refused_before_it_is_read(mini: Project) -> None:
    topics = mini.content / "topics.yml"
    topics.write_text(topics.read_text("utf-8") + "".join(
        f"topic-{i}:\n  title: Topic {i}\n  description: What topic number {i} is about.\n" for i in range(20_000)), "utf-8")
    result = mini.check()
    assert result.returncode == 1
    assert "content/topics.yml:1: error: the topics file is larger than 256 KB (keep one short title and description per topic)" in _lines(result)
