"""Every ``[[slug]]`` must name a published guide (the syntax lives in ``markdown.wikilinks``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from handbook_build.content import loader
from handbook_build.content.body import Body
from handbook_build.content.model import Guide, Handbook
from handbook_build.markdown.wikilinks import scan
from handbook_build.problems import Problem, did_you_mean, error, warning

if TYPE_CHECKING:
    from handbook_build.checks.memo import Bodies


def body_of(guide: Guide) -> Body:
    return guide.body_view


def check(handbook: Handbook, memo: Bodies | None = None) -> Iterator[Problem]:
    slugs = list(handbook.guides)
    broken = loader.unloaded(handbook)  # exist but cannot be loaded: reported at their own line
    for guide in handbook.all_files():
        body = body_of(guide)
        for link in scan(body) if memo is None else memo.wikilinks(body):
            target = handbook.guide(link.slug)
            if target is None and link.slug in broken:
                continue
            if target is None:
                hint = did_you_mean(link.slug, slugs) or "the slug is the guide's file name without .md"
                yield error(link.location, f"[[{link.slug}]] links to a guide that does not exist", hint, code="wikilink")
            elif target.draft and not guide.draft:
                yield warning(link.location, f"[[{link.slug}]] links to a draft, which is not published",
                              "publish the draft or remove the link", code="wikilink")
