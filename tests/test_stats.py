"""`handbook stats`: where the handbook needs work, for maintainers."""

from __future__ import annotations

import json

from conftest import Project

TACTIC = """---
title: {title}
type: tactic
summary: A tactic written for the statistics tests, long enough.
topics: [{topics}]
authors: [Test Author]
difficulty: beginner
{extra}---

{body}
"""


def _add(mini: Project, slug: str, *, title: str, topics: str = "organising", extra: str = "", body: str = "Text.") -> None:
    mini.write(f"tactics/{slug}.md", TACTIC.format(title=title, topics=topics, extra=extra, body=body))


def _stats(mini: Project) -> dict:
    result = mini.run("handbook", "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _slugs(rows: list[dict]) -> list[str]:
    return [row["slug"] for row in rows]


def test_counts_per_type_and_topic(mini: Project) -> None:
    _add(mini, "street-stalls", title="Street stalls", topics="organising, fundraising")
    _add(mini, "secret-plan", title="Secret plan", extra="draft: true\n")
    data = _stats(mini)
    assert data["published"] == 4
    assert data["per_type"] == {"tactic": 2, "funding-model": 1, "case-study": 1}
    assert data["per_topic"] == {"organising": 3, "fundraising": 3}
    assert _slugs(data["drafts"]) == ["secret-plan"]


def test_orphans_count_every_kind_of_link_both_ways(mini: Project) -> None:
    # No links at all, and one [[link]] in the body: both have fewer than two connections.
    _add(mini, "lonely-tactic", title="Lonely tactic")
    _add(mini, "one-link", title="One link", body="Pairs well with [[house-parties]].")
    data = _stats(mini)
    orphans = {row["slug"]: row["connections"] for row in data["orphans"]}
    assert orphans == {"lonely-tactic": 0, "one-link": 1}
    assert data["orphan_threshold"] == 2
    # The fixture's own guides are linked by `related`, a case study's typed references and [[links]]:
    # house parties is only ever linked *to*, which still counts.
    assert "house-parties" not in orphans and "phone-banking" not in orphans and "the-big-call" not in orphans


def test_sources_and_updated_dates(mini: Project) -> None:
    _add(mini, "old-news", title="Old news", extra="updated: 2001-02-03\n")
    _add(mini, "fresh-news", title="Fresh news", extra="updated: 2024-05-06\nsources:\n  - title: A source page\n    url: https://example.org/\n")
    data = _stats(mini)
    assert _slugs(data["without_sources"]) == ["house-parties", "old-news"]
    assert [(r["slug"], r["updated"]) for r in data["oldest_updated"]] == [("old-news", "2001-02-03"), ("fresh-news", "2024-05-06")]
    assert set(_slugs(data["never_updated"])) == {"house-parties", "phone-banking", "the-big-call"}


def test_text_report_names_the_files_that_need_work(mini: Project) -> None:
    _add(mini, "lonely-tactic", title="Lonely tactic", extra="updated: 2001-02-03\n")
    result = mini.run("handbook", "stats", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "4 published guides" in out
    assert "Guides per type" in out and "Tactics" in out and "Funding models" in out
    assert "Guides per topic" in out and "organising" in out
    orphans = out[out.index("Orphans"):out.index("Guides without sources")]
    assert "content/tactics/lonely-tactic.md" in orphans
    assert "content/tactics/phone-banking.md" not in orphans
    without = out[out.index("Guides without sources"):out.index("Oldest")]
    assert "content/funding-models/house-parties.md" in without and "content/tactics/lonely-tactic.md" in without
    oldest = out[out.index("Oldest"):]
    assert "content/tactics/lonely-tactic.md  updated 2001-02-03" in oldest
    assert "Drafts (checked, not published): none" in out


def test_stats_still_report_when_content_has_errors(mini: Project) -> None:
    _add(mini, "typo-tactic", title="Typo tactic", topics="organisng")
    result = mini.run("handbook", "stats", "--format", "json")
    assert result.returncode == 0
    assert "run 'handbook check'" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["published"] == 4
