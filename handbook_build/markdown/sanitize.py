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

from collections.abc import MutableMapping
from typing import Any

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markupsafe import Markup, escape

from handbook_build import hrefs
from handbook_build.problems import Location, Problem, error

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

def scheme(url: str) -> str | None:
    """The scheme a browser would see, lower-cased ('javascript'), or None for a relative URL (see ``hrefs``)."""
    return hrefs.scheme(url)


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
