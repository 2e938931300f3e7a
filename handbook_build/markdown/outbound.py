"""Links to other websites: ``rel="noopener noreferrer"`` on every one written in Markdown.

``noreferrer`` keeps the page a reader came from out of the other site's
logs; ``noopener`` keeps that site from reaching back into the handbook's tab.
A Markdown tree processor sees every link Markdown makes (inline, reference
and autolinks); the templates set the same ``rel`` on the links they write.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from handbook_build import hrefs

REL = ("noopener", "noreferrer")


def is_outbound(href: str) -> bool:
    """An absolute link to another site (http:, https:, //host...), not mailto:, #anchors or pages of ours."""
    return hrefs.has_host(href)


def with_rel(existing: str | None) -> str:
    words = (existing or "").split()
    return " ".join(words + [w for w in REL if w not in words])


class _OutboundLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href")
            if href and is_outbound(href):
                link.set("rel", with_rel(link.get("rel")))


class OutboundLinkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Low priority: after links, wiki links and attr_list have made their <a> elements.
        md.treeprocessors.register(_OutboundLinks(md), "handbook_outbound", 1)
