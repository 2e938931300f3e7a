"""Raw HTML in guides: what may stay on the page, and telling the contributor what goes.

Guides come from people the maintainers may not know, and a review can miss
one line of HTML. One allow-list (``POLICY``) is applied in three places:

- ``SanitizeExtension`` - a Python-Markdown extension - passes every rendered
  page through nh3 (ammonia, an HTML5 parser) with that allow-list. It runs on
  the whole fragment, after the raw HTML Python-Markdown stashed has been put
  back: inline raw HTML is stashed one tag at a time (``<kbd>`` and ``</kbd>``
  apart), so cleaning the stash entries one by one would break allowed
  markup; and attributes (``{: onclick=...}`` via attr_list) and
  ``[x](javascript:...)`` links reach the page without any raw HTML at all.
  ``clean(html)`` is the same for any other fragment (the PDF).
- ``check`` reads the sources and reports, at file:line:col, every element,
  attribute and URL the sanitiser would remove, so the contributor learns why
  instead of finding a hole in the page.
- ``escape_meta`` turns front-matter text that Material prints without
  escaping (``<title>``, ``<meta name=description>``, the header, the nav)
  into escaped HTML.

Policy decisions:

- No <script>, <style>, <iframe>, <object>, <embed>, <form> or form fields,
  no <svg>/<math>, no event handler attributes (on*), no style attributes
  (except Python-Markdown's own table alignment).
- URLs: http, https, mailto and tel, and relative links to files in the
  handbook. No javascript:, vbscript: or data: - not even data: images: an
  image belongs in the repository as a file a reviewer can see, that the PDF
  and the offline copy can reuse, and a base64 blob hides what it is (an SVG
  one can carry script). file: URLs and absolute paths are refused by
  ``paths``, which also checks where relative links lead.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Iterable, Iterator, MutableMapping

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.postprocessors import Postprocessor
from markupsafe import Markup, escape

from .body import Body
from .problems import Location, Problem, error

# -- the policy --------------------------------------------------------------------------------

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
    "wbr",
})
REMOVED_WITH_CONTENT = frozenset({"script", "style"})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "rel"}),  # rel: outbound.py marks links to other sites
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "td": frozenset({"colspan", "rowspan", "headers", "align"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "align", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
# Python-Markdown's tables align cells with exactly these styles; no other style survives.
_ALIGN = frozenset({"text-align: left;", "text-align: center;", "text-align: right;"})
ATTRIBUTE_VALUES: dict[str, dict[str, frozenset[str]]] = {"th": {"style": _ALIGN}, "td": {"style": _ALIGN}}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Left to ``paths``: a file: URL or a Windows drive letter is a path on someone's disk.
PATH_SCHEMES = frozenset({"file"})

_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={"*": set(GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}},
    tag_attribute_values={tag: {name: set(values) for name, values in attrs.items()} for tag, attrs in ATTRIBUTE_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=None,  # keep links as written; there is no target=_blank to protect
    strip_comments=True,
)


def clean(html: str) -> str:
    """An HTML fragment with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


# -- rendering -----------------------------------------------------------------------------------


class _SanitizePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return clean(text)


class SanitizeExtension(Extension):
    """Every page Python-Markdown renders leaves through the allow-list.

    Registered last among the postprocessors (after raw HTML is restored and
    ``&`` placeholders are replaced), so it sees the HTML the browser will.
    """

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_SanitizePostprocessor(md), "handbook_sanitize", 1)


# -- front matter in Material's templates ---------------------------------------------------------

# Page meta values Material prints as they are (its templates do not autoescape).
TEXT_META = ("title", "description", "author", "subtitle")


def escape_meta(meta: MutableMapping[str, Any], *, title_html: str | None = None) -> None:
    """Make the text in a page's meta safe to print as HTML, once.

    ``title_html`` is the page's title as HTML when the meta has none (MkDocs
    took it from the first heading): Material would print it through
    ``striptags``, which turns ``&lt;script&gt;`` back into a live tag.
    """
    for key in TEXT_META:
        value = meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            meta[key] = escape(value)
    if "title" not in meta and title_html is not None:
        meta["title"] = Markup(title_html)


def plain(value: str) -> str:
    """Text back from ``escape_meta``: for code that needs the words, not HTML."""
    return value.unescape() if isinstance(value, Markup) else value


# -- URLs ------------------------------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def scheme(url: str) -> str | None:
    """The scheme a browser would see, lower-cased ('javascript'), or None for a relative URL.

    Browsers drop tabs and newlines anywhere and trim control characters and
    spaces, so ``java\\nscript:`` is still javascript:.
    """
    url = url.replace("\t", "").replace("\n", "").replace("\r", "").strip(_C0_AND_SPACE)
    found = _SCHEME.match(url)
    return found.group(1).lower() if found else None


def is_path_scheme(name: str | None) -> bool:
    """A file: URL or a drive letter (C:\\...): something ``paths`` refuses."""
    return name is not None and (name in PATH_SCHEMES or len(name) == 1)


def url_problem(url: str, location: Location, what: str = "link") -> Problem | None:
    """The problem with a URL the sanitiser would remove (javascript:, data:, ...), if any."""
    name = scheme(url)
    if name is None or name in URL_SCHEMES or is_path_scheme(name):
        return None
    if name in ("javascript", "vbscript"):
        return error(location, f"the {name}: {what} is removed when the site is built: it would run script",
                     "link to a web page (https://...) or to a file in the handbook", code="html")
    if name == "data":
        return error(location, f"the data: URL of this {what} is removed when the site is built",
                     "save the file in the repository, e.g. images/logo.png next to the guide, and use "
                     "![What it shows](images/logo.png)", code="html")
    return error(location, f"the {name}: {what} is removed when the site is built",
                 "links may go to web pages (http, https), email (mailto) and phone numbers (tel), "
                 "or to files in the handbook", code="html")


# -- raw HTML in the sources ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    name: str  # lower case
    value: str | None  # character references decoded, as the browser reads it
    offset: int  # where the name starts in the body text


@dataclass(frozen=True)
class RawTag:
    """A start tag of raw HTML written in a Markdown body."""

    name: str  # lower case
    offset: int  # where '<' is in the body text
    attributes: tuple[Attribute, ...]


def raw_tags(body: Body) -> list[RawTag]:
    """The raw HTML start tags Python-Markdown would pass through from this body (see ``_raw_tags``)."""
    return list(_raw_tags(body))


@lru_cache(maxsize=8)
def _raw_tags(body: Body) -> tuple[RawTag, ...]:
    """The raw HTML start tags in a body's prose (code and comments are not HTML).

    Only tags Python-Markdown itself would pass through as HTML count: text
    such as ``a <b`` in a sentence or ``<https://...>`` autolinks does not.
    """
    if "<" not in body.prose:
        return ()
    scanner = _TagScanner(body.prose)
    scanner.feed(body.prose)
    scanner.close()
    stashed = _stashed_html(body.prose)
    return tuple(tag for tag, raw in scanner.tags if raw in stashed)


def _stashed_html(text: str) -> str:
    """The raw HTML Python-Markdown keeps as HTML when it renders ``text``.

    Only the blocks holding a tag are rendered, each on its own and dedented (in
    ``prose`` indented code is already blank, so what is left indented goes on
    a list item); of a very long block only the lines, or the stretch of a line,
    around each tag: whether a tag is HTML to Markdown depends on what is near
    it, and Markdown's time grows faster than the length of what it renders.
    """
    md = Markdown()
    found: list[str] = []
    for piece in _pieces(text):
        md.reset()
        md.convert(textwrap.dedent(piece))
        found.extend(str(raw) for raw in md.htmlStash.rawHtmlBlocks)
    return "\n".join(found)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
_PIECE = 4096
_AROUND = 300


def _pieces(text: str) -> Iterator[str]:
    for block in _BLANK_LINE.split(text):
        if not _TAG_LIKE.search(block):
            continue
        if len(block) <= _PIECE:
            yield block
            continue
        for line in block.split("\n"):
            if len(line) <= _PIECE:
                if _TAG_LIKE.search(line):
                    yield line
                continue
            start = stop = -1
            for match in _TAG_LIKE.finditer(line):
                close = line.find(">", match.end(), match.end() + _PIECE)
                end = (close if close != -1 else match.end()) + _AROUND
                if start != -1 and match.start() - _AROUND <= stop and end - start <= _PIECE:
                    stop = end  # one stretch for tags close together
                    continue
                if start != -1:
                    yield line[start:stop].lstrip()
                start, stop = max(0, match.start() - _AROUND), end
            if start != -1:
                yield line[start:stop].lstrip()


class _TagScanner(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[tuple[RawTag, str]] = []
        self.foreign = 0  # how deep inside <svg> or <math>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if not raw or any(c in tag for c in ":@."):
            return  # an autolink (<https://...>, <me@example.org>), not an element
        if tag in _FOREIGN:
            self.foreign += 1
            if self.foreign > 1:
                return
        elif self.foreign:
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        # A browser keeps the first of two attributes with the same name, and so do we.
        located = {a.name: a for a in reversed(list(_locate(raw, start, attrs)))}
        self.tags.append((RawTag(tag, start, tuple(sorted(located.values(), key=lambda a: a.offset))), raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _FOREIGN:
            self.foreign -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _FOREIGN and self.foreign:
            self.foreign -= 1

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # '<![ x ]>' makes the standard parser raise; it is text to Markdown and to browsers.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return i + 3


def _locate(raw: str, start: int, attrs: list[tuple[str, str | None]]) -> Iterator[Attribute]:
    """Each attribute with the offset of its name, found left to right in the tag's text."""
    lowered = raw.lower()
    pos = lowered.find(" ") if " " in lowered else len(raw)
    for name, value in attrs:
        found = pos
        while True:
            found = lowered.find(name, found)
            if found == -1 or lowered[found - 1] in " \t\n\r\f\"'/":
                break
            found += 1
        if found == -1:
            found = pos
        pos = found + len(name)
        yield Attribute(name, value, start + found)


# -- the check ---------------------------------------------------------------------------------------

_ELEMENT_HINTS = {
    "script": "the handbook never runs a contributor's script: describe in words what it should do, "
              "or ask the maintainers to add it to the theme",
    "style": "the site's own stylesheet sets the look: remove the <style> element",
    "iframe": "embedded pages are not shown: link to the page instead, e.g. [Watch the talk](https://...)",
    "frame": "embedded pages are not shown: link to the page instead",
    "object": "embedded content is not shown: link to it instead, or add the file to the repository and link to it",
    "embed": "embedded content is not shown: link to it instead, or add the file to the repository and link to it",
    "form": "a guide cannot collect data from readers: link to the form instead",
    "svg": "save the drawing as an image file in the repository and use ![What it shows](images/drawing.svg)",
    "math": "write the formula in words or as an image file",
    "meta": "the theme sets up the page: remove it",
    "link": "the theme sets up the page: remove it",
    "base": "the theme sets up the page: remove it",
}
_FORM_FIELDS = frozenset({"input", "button", "select", "textarea", "option", "label", "fieldset", "output"})
_DEFAULT_ELEMENT_HINT = "write it in Markdown instead: emphasis, lists, tables, images and links"
# Their insides are one drawing or formula: the outer element is what to report.
_FOREIGN = frozenset({"svg", "math"})


def check_body(body: Body) -> Iterator[Problem]:
    """What the sanitiser would remove from this body, at the place it was written."""
    for tag in raw_tags(body):
        yield from _tag_problems(body, tag)
    yield from _attr_list_problems(body)


def _tag_problems(body: Body, tag: RawTag) -> Iterator[Problem]:
    where = body.location(tag.offset)
    if tag.name in REMOVED_WITH_CONTENT:
        yield error(where, f"<{tag.name}> is not allowed in a guide: it is removed, with everything inside it, "
                           "when the site is built", _ELEMENT_HINTS[tag.name], code="html")
        return
    if tag.name not in TAGS:
        hint = _ELEMENT_HINTS.get(tag.name) or (_ELEMENT_HINTS["form"] if tag.name in _FORM_FIELDS else _DEFAULT_ELEMENT_HINT)
        yield error(where, f"<{tag.name}> is not allowed in a guide: it is removed when the site is built", hint, code="html")
        return
    for attr in tag.attributes:
        problem = _attribute_problem(tag.name, attr.name, attr.value or "", body.location(attr.offset))
        if problem is not None:
            yield problem


def _attribute_problem(tag: str | None, name: str, value: str, where: Location) -> Problem | None:
    """The problem with one attribute; ``tag`` None: any element (attr_list in Markdown)."""
    if name.startswith("on"):
        return error(where, f"the {name} attribute is not allowed: it would run script; it is removed when the site is built",
                     "remove it: the handbook never runs a contributor's script", code="html")
    allowed = GENERIC_ATTRIBUTES | (TAG_ATTRIBUTES.get(tag, frozenset()) if tag else frozenset().union(*TAG_ATTRIBUTES.values()))
    values = ATTRIBUTE_VALUES.get(tag, {}).get(name) if tag else None
    if name == "style" and not (values and value in values):
        return error(where, "the style attribute is removed when the site is built",
                     "remove it: the site's own stylesheet sets the look", code="html")
    if name not in allowed and not (values and value in values):
        shown = f"<{tag}> " if tag else ""
        return error(where, f"the {shown}attribute '{name}' is removed when the site is built", "remove it", code="html")
    if name in URL_ATTRIBUTES:
        return url_problem(value, where, "image" if tag == "img" else "link")
    return None


# attr_list's own pattern, without nested braces: it must not backtrack across a line of '{'.
_ATTR_LIST = re.compile(r"\{:?[ ]*([^{}\n ][^{}\n]*)\}")


def _attr_list_problems(body: Body) -> Iterator[Problem]:
    """Attributes written with attr_list, ``{: onclick="..." }``, that the sanitiser removes.

    Only handlers, styles and URLs are reported: braces in ordinary text must not
    turn into problems."""
    prose = body.prose
    if "{" not in prose:
        return
    for match in _ATTR_LIST.finditer(prose):
        inner = match.group(1)
        attrs, _ = get_attrs_and_remainder(inner)
        pos = match.start(1)
        for name, value in attrs:
            if name in (".", "#"):
                continue
            lowered = name.lower()
            offset = prose.find(name, pos, match.end())
            offset = match.start() if offset == -1 else offset
            if lowered.startswith("on") or lowered == "style" or lowered in URL_ATTRIBUTES:
                problem = _attribute_problem(None, lowered, value, body.location(offset))
                if problem is not None:
                    yield problem


# -- every body the site renders -----------------------------------------------------------------


def check(bodies: Iterable[Body]) -> Iterator[Problem]:
    for body in bodies:
        yield from check_body(body)
