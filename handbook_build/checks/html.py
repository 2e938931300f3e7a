"""Raw HTML in the sources: every element, attribute and URL the sanitiser would remove, at its line.

The allow-list itself lives in ``markdown.sanitize``; this module only reads sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from markdown.extensions.attr_list import get_attrs_and_remainder

from handbook_build.content.body import Body
from handbook_build.content.raw_html import RawTag, raw_tags
from handbook_build.markdown.sanitize import (
    ATTRIBUTE_VALUES,
    GENERIC_ATTRIBUTES,
    REMOVED_WITH_CONTENT,
    TAG_ATTRIBUTES,
    TAGS,
    URL_ATTRIBUTES,
    url_problem,
)
from handbook_build.problems import Location, Problem, error

if TYPE_CHECKING:
    from handbook_build.checks.memo import Bodies

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
# A checkbox in a guide is a checklist: Markdown has one, and readers can tick it (markdown/checklists.py).
_CHECKLIST_HINT = ("write the checklist in Markdown, one item per line: '- [ ] Book the room' "
                   "('- [x] ...' for one already ticked); readers can tick the items on the site. "
                   "'handbook check --fix' rewrites HTML checkbox lists this way")


def _is_checklist_part(tag: RawTag) -> bool:
    """<input type=checkbox>, or a <label> (in guides, almost always the text beside one)."""
    if tag.name == "label":
        return True
    return tag.name == "input" and any(a.name == "type" and (a.value or "").strip().lower() == "checkbox" for a in tag.attributes)


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
        if _is_checklist_part(tag):
            hint = _CHECKLIST_HINT
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


def check(bodies: Iterable[Body], memo: Bodies | None = None) -> Iterator[Problem]:
    for body in bodies:
        yield from check_body(body) if memo is None else memo.problems("html", body, check_body)
