"""How guides connect, on plain data: small content folders loaded with the loader,
no MkDocs. Two-way `related` with its reason, typed references both ways, the
"more on these topics" ranking, the generated page views, and the problems a
contributor gets for a guide that lists a slug twice or itself, or an unused topic."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handbook_build import checks
from handbook_build.content.model import Handbook
from handbook_build.content.schema import Schema
from handbook_build.site.pages import Pages, downloads
from handbook_build.site.related import MAX_SIMILAR, Connections, connect

SCHEMA = Schema.load()
FOLDERS = {"tactic": "tactics", "funding-model": "funding-models", "case-study": "case-studies"}
REQUIRED = {
    "tactic": {"difficulty": "beginner"},
    "funding-model": {"recurring": True, "cost_to_start": "low"},
    "case-study": {"where": "Exampletown", "when": "2019"},
}
TOPICS = {
    "organising": {"title": "Organising", "description": "Bringing people together to act."},
    "fundraising": {"title": "Fundraising", "description": "Raising money from supporters."},
    "housing": {"title": "Housing", "description": "Tenants, rents and homes for everyone."},
    "digital": {"title": "Digital tools", "description": "Software in the service of organising."},
}


def guide(slug: str, gtype: str = "tactic", *, topics: list[str] | None = None, title: str | None = None,
          body: str = "Some words.\n", **fields) -> tuple[str, str]:
    """One guide file: (path in the content folder, text)."""
    meta = {
        "title": title or slug.replace("-", " ").capitalize(),
        "type": gtype,
        "summary": f"A guide about {slug.replace('-', ' ')} for the tests.",
        "topics": topics or ["organising"],
        "authors": ["Test Author"],
        **REQUIRED[gtype],
        **fields,
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"{FOLDERS[gtype]}/{slug}.md", f"---\n{front}---\n\n{body}"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # problems name files as a contributor sees them: content/...


def load(tmp_path: Path, *guides: tuple[str, str], topics: dict | None = None):
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "topics.yml").write_text(yaml.safe_dump(topics or TOPICS, sort_keys=False), "utf-8")
    for path, text in guides:
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(text, "utf-8")
    return checks.load_and_check(content, SCHEMA)


def slugs(links) -> list[str]:
    return [link.guide.slug for link in links]


def group(connections: Connections, title: str) -> dict[str, str | None]:
    found = [g for g in connections.groups if g.title == title]
    assert len(found) == 1, [g.title for g in connections.groups]
    return {link.guide.slug: link.why for link in found[0].links}


# -- related: two-way, with the why --------------------------------------------------


def test_related_shows_on_both_pages_with_the_reason(tmp_path) -> None:
    hb, problems = load(
        tmp_path,
        guide("phone-banking", related=[{"slug": "house-meetings", "why": "Callers invite people to meetings."}]),
        guide("house-meetings"),
    )
    assert problems.errors == []
    links = connect(hb)
    assert [(l.guide.slug, l.why) for l in links["phone-banking"].related] == [("house-meetings", "Callers invite people to meetings.")]
    assert [(l.guide.slug, l.why) for l in links["house-meetings"].related] == [("phone-banking", "Callers invite people to meetings.")]


def test_each_side_keeps_its_own_reason_and_borrows_the_other_when_it_gives_none(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("aaa-first", related=[{"slug": "bbb-second", "why": "A's reason."}, "ccc-third"]),
        guide("bbb-second", related=[{"slug": "aaa-first", "why": "B's reason."}]),
        guide("ccc-third", related=[{"slug": "aaa-first", "why": "C's reason."}]),
    )
    links = connect(hb)
    assert {l.guide.slug: l.why for l in links["aaa-first"].related} == {"bbb-second": "A's reason.", "ccc-third": "C's reason."}
    assert {l.guide.slug: l.why for l in links["bbb-second"].related} == {"aaa-first": "B's reason."}
    assert {l.guide.slug: l.why for l in links["ccc-third"].related} == {"aaa-first": "C's reason."}


def test_related_order_does_not_depend_on_file_order(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("zeta-guide", title="Zeta", related=["alpha-guide", "mid-guide"]),
        guide("alpha-guide", title="Alpha"),
        guide("mid-guide", title="Mid", related=["zeta-guide"]),
    )
    forward = connect(hb)
    backward = connect(Handbook(hb.types, hb.topics, dict(reversed(list(hb.guides.items())))))
    assert slugs(forward["zeta-guide"].related) == ["alpha-guide", "mid-guide"]  # by title
    assert forward == backward


# -- typed references: both ways -----------------------------------------------------


def test_a_case_study_lists_what_it_used_and_they_list_it_back(tmp_path) -> None:
    hb, problems = load(
        tmp_path,
        guide("phone-banking"),
        guide("house-meetings"),
        guide("house-parties", "funding-model"),
        guide("the-big-call", "case-study", tactics=["phone-banking", "house-meetings"], funding_models=["house-parties"]),
        guide("the-small-call", "case-study", tactics=["phone-banking"]),
    )
    assert problems.errors == []
    links = connect(hb)
    assert [g.title for g in links["the-big-call"].groups] == ["Tactics used", "Funding models used"]  # schema order
    assert group(links["the-big-call"], "Tactics used") == {"house-meetings": None, "phone-banking": None}
    assert group(links["the-big-call"], "Funding models used") == {"house-parties": None}
    assert list(group(links["phone-banking"], "Case studies that used this tactic")) == ["the-big-call", "the-small-call"]
    assert list(group(links["house-parties"], "Case studies funded this way")) == ["the-big-call"]
    assert links["phone-banking"].related == ()  # a back-link is not a `related` entry


def test_a_guide_both_related_and_used_is_listed_once_with_the_reason(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("phone-banking"),
        guide("the-big-call", "case-study", tactics=["phone-banking"],
              related=[{"slug": "phone-banking", "why": "The tactic it is known for."}]),
    )
    links = connect(hb)
    assert links["the-big-call"].related == ()
    assert group(links["the-big-call"], "Tactics used") == {"phone-banking": "The tactic it is known for."}
    assert links["phone-banking"].related == ()
    assert group(links["phone-banking"], "Case studies that used this tactic") == {"the-big-call": "The tactic it is known for."}


def test_drafts_are_never_linked(tmp_path) -> None:
    hb, problems = load(
        tmp_path,
        guide("phone-banking", related=["secret-plan"]),
        guide("secret-plan", draft=True),
        guide("the-big-call", "case-study", tactics=["secret-plan"]),
    )
    assert any("is a draft" in p.message for p in problems.warnings)
    links = connect(hb)
    assert "secret-plan" not in links
    assert all("secret-plan" not in c.linked_slugs() and all(g.slug != "secret-plan" for g in c.similar)
               for c in links.values())


# -- more on these topics --------------------------------------------------------------


def test_similar_guides_share_the_rarest_topics_first_and_leave_out_linked_ones(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("the-guide", topics=["organising", "housing"], related=["linked-one"]),
        guide("linked-one", topics=["organising", "housing"]),
        guide("shares-rare", topics=["housing"]),
        guide("shares-common", topics=["organising"]),
        guide("shares-both", topics=["organising", "housing"]),
        guide("shares-none", topics=["fundraising"]),
        guide("filler-one", topics=["organising"]),
        guide("filler-two", topics=["organising"]),
    )
    similar = [g.slug for g in connect(hb)["the-guide"].similar]
    assert similar[:2] == ["shares-both", "shares-rare"]  # housing (4 guides) beats organising (7)
    assert "linked-one" not in similar and "the-guide" not in similar and "shares-none" not in similar
    assert len(similar) == MAX_SIMILAR


def test_similar_ties_go_to_the_newest_then_by_title(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("the-guide", topics=["digital"]),
        guide("old-b", title="B old", topics=["digital"], updated="2020-01-01"),
        guide("old-a", title="A old", topics=["digital"], updated="2020-01-01"),
        guide("newest", title="Z newest", topics=["digital"], updated="2026-05-01"),
        guide("undated", title="0 undated", topics=["digital"]),
    )
    assert [g.slug for g in connect(hb)["the-guide"].similar] == ["newest", "old-a", "old-b", "undated"]
    shuffled = Handbook(hb.types, hb.topics, dict(reversed(list(hb.guides.items()))))
    assert connect(shuffled) == connect(hb)


def test_similar_guides_are_those_every_pair_compared_would_give(tmp_path) -> None:
    """_similar scores sets of topics, not every pair of guides (it grew with the square of the handbook);
    here the plain pairwise ranking is the oracle, over 120 guides with random topics, dates and links."""
    import heapq
    import math
    import random

    rng = random.Random(7)
    names = list(TOPICS)
    made = [guide(f"g{i:03d}", topics=rng.sample(names, rng.randint(1, 3)), title=f"Guide {rng.randint(1, 40)}",
                  updated=f"202{rng.randint(0, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                  **({"related": [f"g{rng.randrange(120):03d}"]} if i % 7 == 0 else {}))
            for i in range(120)]
    hb, _ = load(tmp_path, *made)
    connections = connect(hb)
    published = {g.slug: g for g in hb.published()}
    by_topic: dict[str, list] = {}
    for g in published.values():
        for topic in g.topics:
            by_topic.setdefault(topic, []).append(g)
    weight = {t: 1.0 / math.log(1 + len(gs)) for t, gs in by_topic.items()}

    def newest_first(g) -> str:
        return "".join(chr(0x10FFFF - ord(c)) for c in (g.updated or "0000-00-00"))

    for slug, g in published.items():
        linked = {link.guide.slug for link in connections[slug].related}
        linked |= {link.guide.slug for grp in connections[slug].groups for link in grp.links}
        scores: dict[str, float] = {}
        for topic in g.topics:
            for other in by_topic[topic]:
                if other.slug != slug and other.slug not in linked:
                    scores[other.slug] = scores.get(other.slug, 0.0) + weight[topic]
        expected = heapq.nsmallest(MAX_SIMILAR, scores, key=lambda s, scores=scores: (  # type: ignore[misc]
            -round(scores[s], 9), newest_first(published[s]), published[s].title.casefold(), s))
        assert [o.slug for o in connections[slug].similar] == expected, slug


# -- problems the checker reports --------------------------------------------------------


def test_listing_the_same_slug_twice_is_an_error_where_the_second_is_written(tmp_path) -> None:
    _, problems = load(tmp_path, guide("phone-banking", related=["house-meetings", "house-meetings"]), guide("house-meetings"))
    errors = [str(p) for p in problems.errors]
    line = _line_of(tmp_path / "content/tactics/phone-banking.md", "- house-meetings", nth=2)
    assert f"content/tactics/phone-banking.md:{line}:3: error: 'related' lists 'house-meetings' more than once (keep one entry)" in errors
    # (The schema's uniqueItems may say it too, at the list; nothing else is reported.)
    assert all("more than once" in e and e.startswith("content/tactics/phone-banking.md:") for e in errors)


def test_listing_itself_is_an_error(tmp_path) -> None:
    _, problems = load(tmp_path, guide("the-big-call", "case-study", related=["the-big-call"]))
    errors = [str(p) for p in problems.errors]
    line = _line_of(tmp_path / "content/case-studies/the-big-call.md", "- the-big-call")
    assert errors == [f"content/case-studies/the-big-call.md:{line}:3: error: 'related' lists this guide itself "
                      "(remove it: a guide is always related to itself)"]


def test_a_topic_no_guide_uses_is_a_warning_at_its_line_in_topics_yml(tmp_path) -> None:
    _, problems = load(tmp_path, guide("phone-banking", topics=["organising"]))
    assert problems.errors == []
    warnings = sorted(str(p) for p in problems.warnings)
    text = (tmp_path / "content/topics.yml").read_text("utf-8").splitlines()
    line = {t: text.index(f"{t}:") + 1 for t in ("fundraising", "housing", "digital")}
    assert warnings == sorted(
        f"content/topics.yml:{line[t]}:1: warning: no published guide uses the topic '{t}' "
        "(tag a guide with it or remove it from topics.yml)"
        for t in ("fundraising", "housing", "digital")
    )


def _line_of(path: Path, text: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line == text]
    return lines[nth - 1]


# -- the page views the templates render ------------------------------------------------


def test_each_topic_view_lists_exactly_its_guides_grouped_by_type(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("phone-banking", topics=["organising", "fundraising"]),
        guide("house-meetings", topics=["organising"]),
        guide("house-parties", "funding-model", topics=["fundraising"]),
        guide("the-big-call", "case-study", topics=["organising"]),
        guide("secret-plan", topics=["fundraising"], draft=True),
    )
    pages = Pages(hb)
    for topic_id in hb.topics:
        view = pages.view(f"topics/{topic_id}.md")
        assert view is not None and view.kind == "topic"
        expected = {g.slug for g in hb.published() if topic_id in g.topics}
        assert {g.slug for g in view.guides} == expected
        assert {g.slug for grp in view.groups for g in grp.guides} == expected
        assert all(g.type == grp.type.name for grp in view.groups for g in grp.guides)
    fundraising = pages.view("topics/fundraising.md")
    assert [(grp.type.name, [g.slug for g in grp.guides]) for grp in fundraising.groups] == [
        ("tactic", ["phone-banking"]), ("funding-model", ["house-parties"])]


def test_generated_pages_exist_for_every_type_and_topic_and_need_no_files(tmp_path) -> None:
    hb, _ = load(tmp_path, guide("phone-banking"), guide("house-parties", "funding-model"))
    pages = Pages(hb)
    virtual = {v.src_uri: v for v in pages.virtual}
    assert {"tactics/index.md", "funding-models/index.md", "case-studies/index.md", "topics/index.md"} <= set(virtual)
    assert {f"topics/{t}.md" for t in hb.topics} <= set(virtual)
    assert virtual["funding-models/index.md"].title == "Funding models"
    assert yaml.safe_load(virtual["topics/housing.md"].content.split("---")[1])["title"] == "Housing"
    assert [g.slug for g in pages.view("tactics/index.md").guides] == ["phone-banking"]
    assert pages.view("case-studies/index.md").guides == ()
    assert not any((tmp_path / "content" / src).exists() for src in virtual)  # nothing is written into content/


def test_a_title_with_quotes_survives_the_generated_front_matter(tmp_path) -> None:
    topics = {**TOPICS, "organising": {"title": 'The "big" one', "description": "A title with quotes: and a colon."}}
    hb, _ = load(tmp_path, guide("phone-banking"), topics=topics)
    page = next(v for v in Pages(hb).virtual if v.src_uri == "topics/organising.md")
    meta = yaml.safe_load(page.content.split("---")[1])
    assert meta == {"title": 'The "big" one', "description": "A title with quotes: and a colon."}


def test_a_guide_view_has_its_types_own_details_but_not_key_facts_or_references(tmp_path) -> None:
    hb, _ = load(
        tmp_path,
        guide("phone-banking"),
        guide("the-big-call", "case-study", tactics=["phone-banking"], organisations=["Tenants Union"],
              outcome="Every member was reached."),
    )
    view = Pages(hb).view("case-studies/the-big-call.md")
    assert view.kind == "guide" and view.template.endswith("guide.html")
    assert [f.name for f in view.details] == ["organisations", "outcome"]
    assert [f.name for f in view.type.key_facts] == ["where", "when"]
    assert Pages(hb).view("tactics/phone-banking.md").details == ()


def test_the_landing_view_counts_types_and_topics_and_offers_only_built_downloads(tmp_path) -> None:
    hb, _ = load(tmp_path, guide("phone-banking", topics=["organising", "housing"]), guide("house-meetings"))
    view = Pages(hb, offer=downloads(pdf=True, offline=False)).view("index.md")
    assert {grp.type.name: len(grp.guides) for grp in view.groups} == {"tactic": 2, "funding-model": 0, "case-study": 0}
    assert {e.topic.id: e.count for e in view.topics} == {"organising": 2, "housing": 1, "fundraising": 0, "digital": 0}
    assert [d.href for d in view.downloads] == ["handbook.pdf"]
    assert [d.href for d in downloads(pdf=False, offline=True)] == ["handbook-offline.zip"]
    assert downloads(pdf=False, offline=False) == ()
