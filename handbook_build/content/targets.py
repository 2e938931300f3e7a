"""Every link and image URL written in a body, Markdown or raw HTML, at its offset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from handbook_build.content.body import Body
from handbook_build.content.raw_html import raw_tags
from handbook_build.markdown.sanitize import TAGS, URL_ATTRIBUTES

# [text](url "title"), ![alt](url): the URL may be <in angle brackets> or hold one level of (parentheses).
_TEXT = r"(?:[^\[\]\\\n]|\\.|\[[^\[\]\n]*\])*"
_INLINE = re.compile(r"(?P<image>!?)\[" + _TEXT + r"\]\(\s*(?:<(?P<angled>[^>\n]*)>|(?P<url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<(?P<angled>[^>\n]*)>|(?P<url>\S+))", re.MULTILINE)


@dataclass(frozen=True)
class Target:
    """A URL written in a body, and where."""

    url: str
    offset: int  # where the URL starts in the body text
    what: str  # "link" or "image"
    markdown: bool  # written in Markdown (not raw HTML)


def targets(body: Body) -> Iterator[Target]:
    """Every link and image URL in a body's prose, in order of appearance."""
    prose = body.prose
    found: list[Target] = []
    for match in _INLINE.finditer(prose):
        group = "angled" if match.group("angled") is not None else "url"
        what = "image" if match.group("image") else "link"
        found.append(Target(match.group(group), match.start(group), what, True))
    for match in _DEFINITION.finditer(prose):
        group = "angled" if match.group("angled") is not None else "url"
        found.append(Target(match.group(group), match.start(group), "link", True))
    for tag in raw_tags(body):
        if tag.name not in TAGS:
            continue  # removed whole; sanitize reports it
        for attr in tag.attributes:
            if attr.name in URL_ATTRIBUTES and attr.value is not None:
                value_at = body.text.find(attr.value, attr.offset) if attr.value else -1
                found.append(Target(attr.value, value_at if value_at != -1 else attr.offset,
                                    "image" if tag.name == "img" else "link", False))
    return iter(sorted(found, key=lambda t: t.offset))


