"""``[[slug]]`` and ``[[slug|text]]``: the syntax, found in a source and rendered on a page.

Two halves that agree on one pattern: ``scan`` finds the links in a guide's
source (outside code) with their exact file:line:col, for the checker; and
``WikiLinkExtension`` renders them while Markdown converts the body, with the
target's title as the text when none is given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from handbook_build.content.body import Body
from handbook_build.problems import Location

WIKILINK = r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]"
_WIKILINK = re.compile(WIKILINK)

# resolve(slug) -> (href, title) of the target, or None when there is no such guide.
Resolver = Callable[[str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class WikiLink:
    slug: str
    text: str | None
    location: Location


def scan(body: Body) -> Iterator[WikiLink]:
    for match in _WIKILINK.finditer(body.prose):
        text = match.group(2)
        yield WikiLink(match.group(1).strip(), text.strip() if text else None, body.location(match.start()))



class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, resolve: Resolver) -> None:
        super().__init__(WIKILINK)
        self.resolve = resolve

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        slug, text = m.group(1).strip(), m.group(2)
        target = self.resolve(slug)
        if target is None:
            # Reported by the checker; keep the words readable on the page.
            el = etree.Element("span", {"class": "wikilink wikilink--missing"})
            el.text = text.strip() if text else slug
            return el, m.start(0), m.end(0)
        href, title = target
        el = etree.Element("a", {"href": href, "class": "wikilink"})
        # Given text is Markdown like any link text; a title is plain text, shown as written.
        el.text = text.strip() if text else AtomicString(title)
        return el, m.start(0), m.end(0)


class WikiLinkExtension(Extension):
    def __init__(self, resolve: Resolver, **kwargs) -> None:
        self.resolve = resolve
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Below code spans (190) and escapes (180), above links (160): code stays code.
        md.inlinePatterns.register(_WikiLinkProcessor(self.resolve), "handbook_wikilink", 175)
