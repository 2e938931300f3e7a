"""How guides connect: explicit `related` links (shown on both pages), typed
references both ways (a case study's tactics, a tactic's case studies), and
a few more guides ranked by shared topics.

The ranking follows the idea behind Hugo's related content: a shared topic
counts for more the rarer the topic is, ties are broken by the most recently
updated guide and then by title, so the order never depends on file order.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field

from handbook_build.content.model import Guide, Handbook

MAX_SIMILAR = 5


@dataclass(frozen=True)
class Link:
    guide: Guide
    why: str | None = None


@dataclass(frozen=True)
class LinkGroup:
    title: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Connections:
    related: tuple[Link, ...] = ()
    groups: tuple[LinkGroup, ...] = ()
    similar: tuple[Guide, ...] = ()

    def linked_slugs(self) -> set[str]:
        """Every guide this one links to or is linked from (not counting `similar`)."""
        slugs = {link.guide.slug for link in self.related}
        slugs.update(link.guide.slug for group in self.groups for link in group.links)
        return slugs


@dataclass
class _Draft:
    related: dict[str, Link] = field(default_factory=dict)
    groups: dict[str, dict[str, Link]] = field(default_factory=lambda: defaultdict(dict))


def connect(handbook: Handbook) -> dict[str, Connections]:
    """Connections for every published guide, by slug."""
    published = {g.slug: g for g in handbook.published()}
    drafts = {slug: _Draft() for slug in published}
    ordered = sorted(published.values(), key=lambda g: g.slug)
    for guide in ordered:
        gtype = handbook.types[guide.type]
        specs = {spec.field: spec for spec in gtype.references}
        for ref in guide.references:
            target = published.get(ref.target)
            if target is None or target.slug == guide.slug:
                continue  # reported by the checker
            spec = specs[ref.field]
            if spec.target_type is None:  # `related`: two-way; each side shows its own reason, else the other's
                mine, theirs = drafts[guide.slug].related.get(target.slug), drafts[target.slug].related.get(guide.slug)
                drafts[guide.slug].related[target.slug] = Link(target, ref.why or (mine.why if mine else None))
                if theirs is None or theirs.why is None:
                    drafts[target.slug].related[guide.slug] = Link(guide, (theirs.why if theirs else None) or ref.why)
            else:
                drafts[guide.slug].groups[spec.label][target.slug] = Link(target)
                if spec.backlinks:
                    drafts[target.slug].groups[spec.backlinks][guide.slug] = Link(guide)
    similar = _similar(handbook, published, drafts)
    rank = _group_rank(handbook)
    result = {}
    for slug, draft in drafts.items():
        _list_once(draft)
        groups = tuple(
            LinkGroup(title, tuple(sorted(links.values(), key=_link_order)))
            for title, links in sorted(draft.groups.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
        )
        result[slug] = Connections(tuple(sorted(draft.related.values(), key=_link_order)), groups, similar[slug])
    return result


def _similar(handbook: Handbook, published: dict[str, Guide], drafts: dict[str, _Draft]) -> dict[str, tuple[Guide, ...]]:
    """Up to MAX_SIMILAR guides by shared topics. Guides with the same set of topics score the same
    against any guide, and a handbook has few such sets however many guides it has: scoring sets, not
    guides, keeps this linear in the number of guides (comparing every pair grew with its square)."""
    by_topic: dict[str, int] = defaultdict(int)
    groups: dict[frozenset[str], list[str]] = defaultdict(list)  # a set of topics -> its guides
    for guide in published.values():
        for topic in guide.topics:
            by_topic[topic] += 1
        groups[frozenset(guide.topics)].append(guide.slug)
    # A topic shared by few guides says more about two guides than one shared by all.
    weight = {topic: 1.0 / math.log(1 + count) for topic, count in by_topic.items() if count > 0}
    # Tie-breaks computed once per guide, not once per comparison: newest first, then title, then slug.
    tiebreak = {slug: (_newest_first(g), g.title.casefold(), slug) for slug, g in published.items()}
    for members in groups.values():
        members.sort(key=tiebreak.__getitem__)
    result = {}
    for slug, guide in published.items():
        shown = set(drafts[slug].related) | {s for links in drafts[slug].groups.values() for s in links} | {slug}
        scores: dict[float, list[list[str]]] = defaultdict(list)
        for topics, members in groups.items():
            score = 0.0
            for topic in guide.topics:  # in the guide's order, as the sum was always made
                if topic in topics:
                    score += weight[topic]
            if score:
                scores[round(score, 9)].append(members)
        ranked: list[str] = []
        for score in sorted(scores, reverse=True):  # best first; equals by the tie-break
            for other in heapq.merge(*scores[score], key=tiebreak.__getitem__):
                if other not in shown:
                    ranked.append(other)
                    if len(ranked) == MAX_SIMILAR:
                        break
            if len(ranked) == MAX_SIMILAR:
                break
        result[slug] = tuple(published[s] for s in ranked)
    return result


def _group_rank(handbook: Handbook) -> dict[str, int]:
    """Typed reference lists in the schema's order: a case study's tactics before its funding models."""
    titles = [t for gtype in handbook.types.values() for spec in gtype.references for t in (spec.label, spec.backlinks) if t]
    return {title: i for i, title in reversed(list(enumerate(titles)))}


def _list_once(draft: _Draft) -> None:
    """A guide both `related` and named in a typed reference (a case study's tactic) is
    listed once, under the typed heading, with the reason `related` gave."""
    for links in draft.groups.values():
        for slug, link in links.items():
            if slug in draft.related:
                links[slug] = Link(link.guide, draft.related.pop(slug).why)


def _newest_first(guide: Guide) -> str:
    # Invert the date so that a plain ascending sort puts the newest first.
    updated = guide.updated or "0000-00-00"
    return "".join(chr(0x10FFFF - ord(c)) for c in updated)


def _link_order(link: Link) -> tuple[str, str]:
    return (link.guide.title.casefold(), link.guide.slug)
