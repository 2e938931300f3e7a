"""Absolute paths to files in the content folder -> paths relative to the guide.

``/assets/images/x.png`` becomes ``../assets/images/x.png`` when
``content/assets/images/x.png`` exists; a page address such as
``/how-to-contribute/`` becomes ``how-to-contribute.md`` when exactly one
Markdown file in the content folder is that page (``how-to-contribute.md``
or ``how-to-contribute/index.md`` at that path, or else the one guide named
``how-to-contribute.md`` in any folder). A ``#section`` is kept. Anything
else (no such file, several candidates, another host) is left to a person.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from urllib.parse import quote, unquote

from handbook_build.content.body import Body
from handbook_build.content.targets import targets
from handbook_build.fixes.source import Edit, Text, body_start

_SAFE = "/-_.~"


def fix(text: Text, relative: str, existing: frozenset[str]) -> Iterator[Edit]:
    start = body_start(text.text)
    body = Body(text.text[start:], relative, 1)
    for target in targets(body):
        url = target.url
        if not url.startswith("/") or url.startswith("//") or body.text[target.offset:target.offset + len(url)] != url:
            continue
        path, mark, rest = _split(url)
        found = _file_for(unquote(path), existing)
        if found is None:
            continue
        new = posixpath.relpath(found, posixpath.dirname(relative) or ".")
        if "%" in path or any(c in new for c in " ()<>\"'"):
            new = quote(new, safe=_SAFE)
        new += mark + rest
        at = start + target.offset
        yield Edit(at, at + len(url), new, f"absolute {target.what} '{url}' made relative: '{new}'", text.line_of(at))


def _split(url: str) -> tuple[str, str, str]:
    cut = min((i for i in (url.find("#"), url.find("?")) if i != -1), default=-1)
    return (url, "", "") if cut == -1 else (url[:cut], url[cut], url[cut + 1:])


def _file_for(path: str, existing: frozenset[str]) -> str | None:
    inside = posixpath.normpath(path.lstrip("/"))
    if inside in ("", ".") or inside.startswith("../"):
        return None
    if inside in existing and not path.endswith("/"):
        return inside
    if posixpath.splitext(inside)[1] not in ("", ".html"):
        return None  # a file that is not there: a person finds it
    page = posixpath.splitext(inside)[0]
    for candidate in (f"{page}.md", f"{page}/index.md"):
        if candidate in existing:
            return candidate
    name = posixpath.basename(page)
    same = [f for f in existing if f.endswith(".md") and posixpath.basename(f) == f"{name}.md"]
    return same[0] if len(same) == 1 else None
