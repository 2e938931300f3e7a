"""One stylesheet and one script per site: the theme's and ours, joined at build time.

A page then needs its own HTML, ``handbook.<hash>.css`` and
``handbook.<hash>.js`` - three requests, fewer round trips on a poor
network, and one file of each kind to check for leaks. The order is fixed
(Material's files first, so ours override them; then ours by file name) and
the name carries a hash of the content, so a browser never keeps a stale copy.

Each script part stays a classic script: keep your names inside a function
(the bundle is one script, and Material's starts with "use strict").
"""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from handbook_build import hrefs

FOLDER = "assets/handbook"
OURS = FOLDER + "/*"
# Material's own files, as its base.html links them (the palette only when one is configured).
MATERIAL_CSS = "assets/stylesheets/main.*.min.css"
MATERIAL_PALETTE = "assets/stylesheets/palette.*.min.css"
MATERIAL_JS = "assets/javascripts/bundle.*.min.js"

_SOURCE_MAP = re.compile(r"^\s*(?://[#@]\s*sourceMappingURL=\S*|/\*[#@]\s*sourceMappingURL=[^*]*\*/)\s*$", re.MULTILINE)
_CHARSET = re.compile(r'^\ufeff?@charset\s+"[^"]*";', re.IGNORECASE)
_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_URL = re.compile(r"""\burl\(\s*(?P<q>["']?)(?P<url>[^"')\s]*)(?P=q)\s*\)""", re.IGNORECASE)


class BundleError(Exception):
    """A stylesheet or script that cannot be joined with the others."""


@dataclass(frozen=True)
class Part:
    path: str  # from the site root, e.g. "assets/handbook/search.css"
    text: str


@dataclass(frozen=True)
class Bundle:
    path: str  # from the site root, e.g. "assets/handbook/handbook.0123456789.css"
    text: str
    parts: tuple[str, ...]  # what went in, in order


def pick(paths: Iterable[str], *, kind: str, palette: bool = True) -> list[str]:
    """The files that make up the ``kind`` ("css" or "js") bundle, in bundle order."""
    paths = sorted(set(paths))
    material = [MATERIAL_CSS, *([MATERIAL_PALETTE] if palette else [])] if kind == "css" else [MATERIAL_JS]
    chosen: list[str] = []
    for pattern in material:
        found = fnmatch.filter(paths, pattern)
        if len(found) != 1:
            raise BundleError(f"expected one theme file matching {pattern}, found {len(found) or 'none'}: "
                              "is the theme Material for MkDocs 9.x?")
        chosen.extend(found)
    ours = [p for p in fnmatch.filter(paths, f"{OURS}.{kind}") if posixpath.dirname(p) == FOLDER]
    return chosen + ours


# Material's in-browser search (its lunr languages and web worker), unused unless its search plugin is on.
MATERIAL_SEARCH = ("assets/javascripts/lunr/*", "assets/javascripts/workers/*")


def unused(paths: Iterable[str], bundled: Iterable[str], *, material_search: bool) -> list[str]:
    """Theme files no page loads once the bundles exist: Material's CSS and JS that went into
    them, their source maps, and Material's search when it is off. Leaving them out keeps the
    offline zip small. Our own files stay: a page may still link one (the preview's banner)."""
    paths = sorted(set(paths))
    material = [p for p in bundled if not p.startswith(FOLDER + "/")]
    drop = set(material) | {p + ".map" for p in material}
    if not material_search:
        drop.update(p for pattern in MATERIAL_SEARCH for p in fnmatch.filter(paths, pattern))
    return [p for p in paths if p in drop]


def bundle(parts: Sequence[Part], *, kind: str) -> Bundle:
    """Join the parts into one file named after a hash of what it holds."""
    if kind == "css":
        body = "\n".join(f"/* {p.path} */\n{_css_part(p)}" for p in parts)
        text = '@charset "UTF-8";\n' + body + "\n"
    elif kind == "js":
        # ";" keeps a part that ends without one from running into the next.
        text = "\n".join(f"/* {p.path} */\n{_SOURCE_MAP.sub('', p.text).rstrip()}\n;" for p in parts) + "\n"
    else:
        raise ValueError(kind)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return Bundle(f"{FOLDER}/handbook.{digest}.{kind}", text, tuple(p.path for p in parts))


def _css_part(part: Part) -> str:
    text = _CHARSET.sub("", _SOURCE_MAP.sub("", part.text).lstrip()).strip()
    if _IMPORT.search(_CSS_COMMENT.sub("", text)):
        raise BundleError(f"{part.path}: @import cannot be bundled; put the imported rules in a file of their own "
                          f"in theme/{FOLDER}/ instead")
    here = posixpath.dirname(part.path)
    if here == FOLDER:
        return text

    def rebase(match: re.Match[str]) -> str:
        url = match.group("url")
        if not url or not hrefs.is_relative(url):
            return match.group()
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(here, url)), FOLDER)
        return f'url("{moved}")'

    # The bundle lives in another folder: relative url()s must still find their files.
    return _URL.sub(rebase, text)
