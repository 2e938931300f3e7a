"""Relative links to files from a page that is built in another folder than its source.

A language's tree shows ``tactics/x.sv.md`` (or the fallback ``tactics/x.md``)
as ``sv/tactics/x.md``: one folder deeper than the file was written. Its links
to other pages stay in the tree (``power-mapping.md`` is the tree's own page),
but images and other files (``../images/map.png``, a PDF) exist once, at the
site's root: each such URL is rewritten so it still reaches that file from
the page's place. The URLs are found where the checks find them
(content/targets.py: Markdown links, images, definitions and raw HTML,
never code) and rewritten in the Markdown, so MkDocs checks and converts
them like any other link.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from handbook_build.content.body import Body
from handbook_build.content.targets import targets


def rehome(markdown: str, source: str, page: str, is_file: Callable[[str], bool]) -> str:
    """``markdown`` written for ``source`` (a path in the content folder), shown as ``page``: every relative
    URL of a file (``is_file(path)``: a file of the site that is not a page) points at it from ``page``'s folder."""
    here, there = posixpath.dirname(source), posixpath.dirname(page)
    if here == there:
        return markdown
    edits: list[tuple[int, str, str]] = []
    for target in targets(Body(markdown, source, 1)):
        moved = _moved(target.url, here, there, is_file)
        if moved is not None and markdown.startswith(target.url, target.offset):
            edits.append((target.offset, target.url, moved))
    for offset, old, new in sorted(edits, reverse=True):  # from the end: earlier offsets stay right
        markdown = markdown[:offset] + new + markdown[offset + len(old):]
    return markdown


def _moved(url: str, here: str, there: str, is_file: Callable[[str], bool]) -> str | None:
    """The URL from ``there`` to the file ``url`` names from ``here``; None to leave it as it is."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None  # another site, an address from the root, or only #anchor / ?query
    if parts.path.endswith(".md"):
        return None  # a page: every tree has its own copy
    resolved = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
    if resolved.startswith("../") or not is_file(resolved):
        return None  # outside the content folder, or missing: the checks report it
    relative = posixpath.relpath(posixpath.join(here, parts.path), there or ".")
    rest = url[len(parts.path):]  # ?query and #fragment, as written
    return relative + rest
