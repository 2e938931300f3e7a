"""Checks that need the whole handbook: typed references between guides and topic use.

Each reference keeps the file, line and column it was written at, so a broken
one is reported exactly where the contributor wrote it.
"""

from __future__ import annotations

from collections.abc import Iterator

from handbook_build.content import loader
from handbook_build.content.model import Guide, Handbook, Reference
from handbook_build.problems import Problem, did_you_mean, error, warning


def collect(guide: Guide, handbook: Handbook) -> list[Reference]:
    """The typed references a guide's front matter makes (related, tactics, ...)."""
    refs: list[Reference] = []
    gtype = handbook.types.get(guide.type)
    if gtype is None or not isinstance(guide.meta.data, dict):
        return refs
    for spec in gtype.references:
        values = guide.meta.data.get(spec.field)
        if not isinstance(values, list):
            continue
        for index, item in enumerate(values):
            if isinstance(item, str):
                refs.append(Reference(guide.slug, item, spec.field, guide.location(spec.field, index)))
            elif isinstance(item, dict) and isinstance(item.get("slug"), str):
                why = item.get("why") if isinstance(item.get("why"), str) else None
                refs.append(Reference(guide.slug, item["slug"], spec.field, guide.location(spec.field, index, "slug"), why))
    return refs


def check(handbook: Handbook) -> list[Problem]:
    problems: list[Problem] = []
    broken = loader.unloaded(handbook)
    for guide in handbook.guides.values():
        guide.references = collect(guide, handbook)
        problems.extend(_check_references(guide, handbook, broken))
    problems.extend(_check_topic_use(handbook))
    return problems


def _check_references(guide: Guide, handbook: Handbook, broken: set[str]) -> Iterator[Problem]:
    gtype = handbook.types[guide.type]
    targets = {spec.field: spec.target_type for spec in gtype.references}
    seen: set[tuple[str, str]] = set()
    for ref in guide.references:
        if ref.target == guide.slug:
            yield error(ref.location, f"'{ref.field}' lists this guide itself", "remove it: a guide is always related to itself", code="reference")
            continue
        if (ref.field, ref.target) in seen:
            yield error(ref.location, f"'{ref.field}' lists '{ref.target}' more than once", "keep one entry", code="reference")
            continue
        seen.add((ref.field, ref.target))
        if ref.target in handbook.duplicate_slugs or ref.target in broken:
            continue  # the duplicate, or the file that cannot be loaded, is the problem to fix (reported there)
        target = handbook.guide(ref.target)
        if target is None:
            candidates = [g.slug for g in handbook.guides.values() if targets[ref.field] in (None, g.type)]
            hint = did_you_mean(ref.target, candidates) or "check the slug: it is the guide's file name without .md"
            yield error(ref.location, f"no guide has the slug '{ref.target}'", hint, code="reference")
            continue
        wanted = targets[ref.field]
        if wanted is not None and target.type != wanted:
            have, want = handbook.types[target.type].label.lower(), handbook.types[wanted].label.lower()
            yield error(ref.location, f"'{ref.target}' is a {have}, but '{ref.field}' lists {want} guides",
                        f"move it to 'related', or name a {want}", code="reference")
            continue
        if target.draft and not guide.draft:
            yield warning(ref.location, f"'{ref.target}' is a draft, so the link will not be shown",
                          "publish it (remove 'draft: true') or remove the link", code="reference")


def _check_topic_use(handbook: Handbook) -> Iterator[Problem]:
    used = {t for g in handbook.published() for t in g.topics}
    for topic in handbook.topics.values():
        if topic.id not in used:
            yield warning(topic.location, f"no published guide uses the topic '{topic.id}'",
                          "tag a guide with it or remove it from topics.yml", code="topic")
