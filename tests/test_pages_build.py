"""Whole-site builds: what a reader finds on the generated and guide pages.

Real `mkdocs build` runs of the `mini` and `starter` handbooks; the output HTML is
parsed (html.parser) and links are followed to the files they point at, so the
tests hold whether pages are `x/index.html` or `x.html`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import Project, foreign_requests
from handbook_build import checks
from handbook_build.content.model import Handbook
from handbook_build.content.schema import Schema

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# -- a small HTML tree, enough to ask "which links are in this section" ----------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, f"expected one <{tag or '*'} class={cls}>, found {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):  # tolerate unclosed <p>, <li>...
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass
class Site:
    root: Path
    handbook: Handbook

    def file(self, src: str) -> Path:
        """The HTML file MkDocs built from `src` (a .md path in the content folder)."""
        stem = src.removesuffix(".md")
        candidates = [f"{stem}.html", f"{stem}/index.html"]
        if stem == "index" or stem.endswith("/index"):
            candidates = [f"{stem}.html"]
        for candidate in candidates:
            if (self.root / candidate).is_file():
                return self.root / candidate
        raise AssertionError(f"no page was built for {src} (looked for {candidates})")

    def page(self, src: str) -> Node:
        return parse(self.file(src))

    def target(self, src: str, href: str) -> Path:
        """Where a link on the page built from `src` leads, as a file in the site."""
        path = unquote(urlsplit(href).path)
        target = (self.file(src).parent / path).resolve()
        return target / "index.html" if href.endswith("/") or target.is_dir() else target

    def guide_file(self, slug: str) -> Path:
        return self.file(self.handbook.guide(slug).path)


def parse(path: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(path.read_text("utf-8"))
    return builder.root


def site_of(project: Project) -> Site:
    handbook, _ = checks.load_and_check(project.content, Schema.load())
    return Site(project.site, handbook)


@pytest.fixture(scope="module")
def mini_site(built_mini) -> Site:
    return site_of(built_mini)


@pytest.fixture(scope="module")
def starter_site(built_starter) -> Site:
    return site_of(built_starter)


def article(page: Node) -> Node:
    return page.one("article", "md-content__inner")


def related_rows(site: Site, src: str) -> dict[Path, tuple[str, str | None]]:
    """The guides the Related section links to: file -> (heading of its list, why)."""
    rows: dict[Path, tuple[str, str | None]] = {}
    page = site.page(src)
    for block in page.one("section", "hb-related").all("div", "hb-related__group"):
        heading = block.one("h3").text
        for li in block.all("li"):
            link = li.one("a", "hb-link__title")
            why = li.all(cls="hb-link__why")
            rows[site.target(src, link.attrs["href"])] = (heading, why[0].text if why else None)
    return rows


# -- generated pages -------------------------------------------------------------------------


def test_every_topic_has_a_page_listing_exactly_its_guides_grouped_by_type(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    for topic in handbook.topics.values():
        src = f"topics/{topic.id}.md"
        page = article(site.page(src))
        assert page.one("h1").text == topic.title
        assert topic.description in page.text
        cards = {site.target(src, a.attrs["href"]) for a in page.all("a", "hb-card__link")}
        assert cards == {site.guide_file(g.slug) for g in handbook.for_topic(topic.id)}, topic.id
        for section in page.all("section", "hb-group"):
            (gtype,) = [c.removeprefix("hb-type--") for c in section.classes if c.startswith("hb-type--")]
            for a in section.all("a", "hb-card__link"):
                assert site.target(src, a.attrs["href"]) in {site.guide_file(g.slug) for g in handbook.of_type(gtype)}


def test_the_topics_page_lists_every_topic_with_its_description_and_counts(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    tiles = article(site.page("topics/index.md")).all("li", "hb-topic-tile")
    assert [t.one("h2").text for t in tiles] == sorted((t.title for t in handbook.topics.values()), key=str.casefold)
    for tile in tiles:
        link = tile.one("a")
        topic = next(t for t in handbook.topics.values() if t.title == link.text)
        assert site.target("topics/index.md", link.attrs["href"]) == site.file(f"topics/{topic.id}.md")
        assert tile.one("p", "hb-topic-tile__description").text == topic.description
        counts = tile.one("p", "hb-topic-tile__counts").text
        guides = handbook.for_topic(topic.id)
        for gtype in handbook.types.values():
            n = sum(g.type == gtype.name for g in guides)
            if n:
                assert f"{n} {(gtype.label if n == 1 else gtype.plural).lower()}" in counts


def test_each_type_index_shows_every_guide_as_a_card_with_its_key_facts(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    for name, gtype in handbook.types.items():
        src = f"{gtype.folder}/index.md"
        page = article(site.page(src))
        assert page.one("h1").text == gtype.plural
        cards = page.all("article", "hb-card")
        guides = handbook.of_type(name)
        assert [c.one("a", "hb-card__link").text for c in cards] == [g.title for g in guides]  # by title
        for card, guide in zip(cards, guides):
            assert card.one("p", "hb-card__summary").text == " ".join(guide.summary.split())
            facts = {dt.text: dd.text for dt, dd in zip(card.all("dt"), card.all("dd"))}
            for fact in gtype.key_facts:
                if guide.get(fact.name) is not None:
                    assert fact.label in facts, (guide.slug, fact.name)
            chips = [site.target(src, a.attrs["href"]) for a in card.all("a", "hb-chip")]
            assert chips == [site.file(f"topics/{t}.md") for t in guide.topics]


def test_generated_pages_are_not_written_into_content(built_starter: Project) -> None:
    assert not (built_starter.content / "topics").exists()
    assert not any((built_starter.content / folder / "index.md").exists() for folder in ("tactics", "funding-models", "case-studies"))


def test_card_pages_give_the_table_of_contents_width_to_the_cards(starter_site: Site) -> None:
    for src in ("index.md", "tactics/index.md", "topics/index.md", "topics/mutual-aid.md"):
        toc = [n for n in starter_site.page(src).all("div", "md-sidebar--secondary")]
        assert toc and "hidden" in toc[0].attrs, src


# -- related, back-links, similar ---------------------------------------------------------------


def test_every_related_link_appears_on_both_pages_with_its_why(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    checked = 0
    for guide in handbook.published():
        for ref in (r for r in guide.references if r.field == "related"):
            target = handbook.guide(ref.target)
            here = related_rows(site, guide.path)
            there = related_rows(site, target.path)
            assert site.guide_file(target.slug) in here, (guide.slug, target.slug)
            assert site.guide_file(guide.slug) in there, (target.slug, guide.slug)
            back = next((r for r in target.references if r.field == "related" and r.target == guide.slug), None)
            if ref.why:
                assert here[site.guide_file(target.slug)][1] == ref.why
                assert there[site.guide_file(guide.slug)][1] == (back.why if back and back.why else ref.why)
            checked += 1
    assert checked > 20


def test_every_case_studys_tactics_list_it_back(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    pairs = 0
    for study in handbook.of_type("case-study"):
        mine = related_rows(site, study.path)
        for name, used, back in (("tactics", "Tactics used", "Case studies that used this tactic"),
                                  ("funding_models", "Funding models used", "Case studies funded this way")):
            for slug in study.get(name) or []:
                assert mine[site.guide_file(slug)][0] == used, (study.slug, slug)
                theirs = related_rows(site, handbook.guide(slug).path)
                assert theirs[site.guide_file(study.slug)][0] == back, (slug, study.slug)
                pairs += 1
    assert pairs > 15


def test_more_on_these_topics_lists_up_to_five_other_guides_sharing_a_topic(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    for guide in handbook.published():
        rows = related_rows(site, guide.path)
        similar = [path for path, (heading, _) in rows.items() if heading == "More on these topics"]
        assert len(similar) <= 5
        for path in similar:
            other = next(g for g in handbook.published() if site.guide_file(g.slug) == path)
            assert set(other.topics) & set(guide.topics) and other.slug != guide.slug


# -- the guide page -----------------------------------------------------------------------------


def test_the_guide_page_reads_top_to_bottom(mini_site: Site) -> None:
    site = mini_site
    page = site.page("tactics/phone-banking.md")
    body = article(page)
    header = body.one("header", "hb-guide-header")
    badge = header.one("a", "hb-badge")
    assert badge.text == "Tactic" and site.target("tactics/phone-banking.md", badge.attrs["href"]) == site.file("tactics/index.md")
    assert header.one("h1").text == "Phone banking"
    assert header.one("p", "hb-lead").text == "Calling supporters in an organised way to ask them to act."
    facts = {dt.text: dd.text for dt, dd in zip(header.one("dl", "hb-facts").all("dt"), header.one("dl", "hb-facts").all("dd"))}
    assert facts == {"Difficulty": "Beginner", "Time to prepare": "Days", "Risk": "Low"}
    chips = {a.text: site.target("tactics/phone-banking.md", a.attrs["href"]) for a in header.all("a", "hb-chip")}
    assert chips == {"Organising": site.file("topics/organising.md"), "Fundraising": site.file("topics/fundraising.md")}
    assert header.one(cls="hb-byline__authors").text == "By Ana Example"
    # Then the body, Related, Sources, in that order.
    order = [n for n in body.iter() if {"hb-guide-header", "hb-guide-body", "hb-related", "hb-sources"} & n.classes]
    assert [sorted(n.classes)[0] for n in order] == ["hb-guide-header", "hb-guide-body", "hb-related", "hb-sources"]
    sources = body.one("section", "hb-sources").all("a")
    assert [(a.text, a.attrs["href"]) for a in sources] == [("Phone banking (Wikipedia)", "https://en.wikipedia.org/wiki/Phone_bank")]
    assert page.one("title").text.startswith("Phone banking")
    description = [m for m in page.all("meta") if m.attrs.get("name") == "description"]
    assert description[0].attrs["content"] == "Calling supporters in an organised way to ask them to act."


def test_a_case_study_shows_its_details_and_what_it_used(mini_site: Site) -> None:
    site = mini_site
    header = article(site.page("case-studies/the-big-call.md")).one("header", "hb-guide-header")
    facts = header.one("dl", "hb-facts")
    assert {dt.text: dd.text for dt, dd in zip(facts.all("dt"), facts.all("dd"))} == {"Where": "Exampletown", "When": "2019"}
    details = header.one("dl", "hb-details")
    assert {dt.text: dd.text for dt, dd in zip(details.all("dt"), details.all("dd"))} == {
        "Organisations": "Exampletown Tenants Union", "Outcome": "Every member was reached and the rent strike vote passed."}
    rows = related_rows(site, "case-studies/the-big-call.md")
    assert rows[site.guide_file("phone-banking")][0] == "Tactics used"
    assert rows[site.guide_file("house-parties")][0] == "Funding models used"
    back = related_rows(site, "tactics/phone-banking.md")
    assert back[site.guide_file("the-big-call")] == ("Case studies that used this tactic", None)
    assert back[site.guide_file("house-parties")] == ("Goes well with", "Callers invite people to the next party.")
    assert related_rows(site, "funding-models/house-parties.md")[site.guide_file("phone-banking")] == (
        "Goes well with", "Callers invite people to the next party.")


def test_a_translation_and_its_original_link_to_each_other(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    translated = [g for g in handbook.published() if g.translations]
    assert translated
    for guide in translated:
        for lang, translation in guide.translations.items():
            original = article(site.page(guide.path)).one("header", "hb-guide-header")
            links = {a.attrs.get("hreflang"): site.target(guide.path, a.attrs["href"]) for a in original.all("a") if a.attrs.get("hreflang")}
            tree = f"{lang}/{guide.path}"  # the translation's page in its language's tree
            assert links[lang] == site.file(tree)
            other = article(site.page(tree)).one("header", "hb-guide-header")
            back = {a.attrs.get("hreflang"): site.target(tree, a.attrs["href"]) for a in other.all("a") if a.attrs.get("hreflang")}
            assert back[guide.lang] == site.file(guide.path)
            assert other.one("h1").text == translation.title


# -- [[slug]] links ----------------------------------------------------------------------------


def test_wikilinks_render_as_links_with_the_title_or_the_given_text(mini_site: Site) -> None:
    site = mini_site
    body = article(site.page("tactics/phone-banking.md")).one("div", "hb-guide-body")
    links = [(a.text, site.target("tactics/phone-banking.md", a.attrs["href"])) for a in body.all("a", "wikilink")]
    assert links == [("House parties", site.guide_file("house-parties")),
                     ("the story of the big call", site.guide_file("the-big-call"))]
    assert "[[" not in body.text


def test_wikilinks_in_code_are_left_alone_and_checked_by_nobody(mini: Project) -> None:
    path = mini.content / "funding-models/house-parties.md"
    path.write_text(path.read_text("utf-8") + (
        "\nWrite `[[slug]]` to link, e.g. [[phone-banking]].\n\n"
        "    [[indented-code]] stays as written\n\n"
        "<!-- [[in-a-comment]] -->\n"), "utf-8")
    check = mini.check("--strict")
    assert check.returncode == 0, check.stdout + check.stderr
    build = mini.build()
    assert build.returncode == 0, build.stderr
    site = site_of(mini)
    body = article(site.page("funding-models/house-parties.md")).one("div", "hb-guide-body")
    assert [c.text for c in body.all("code")] == ["[[slug]]", "[[indented-code]] stays as written"]
    assert [a.text for a in body.all("a", "wikilink")] == ["Phone banking"]


def test_a_broken_wikilink_fails_check_and_strict_build_at_file_line_col(mini: Project) -> None:
    path = mini.content / "tactics/phone-banking.md"
    text = path.read_text("utf-8").replace("Pair it with [[house-parties]]", "Pair it with [[house-partys]]")
    path.write_text(text, "utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "[[house-partys]]" in row)
    column = text.splitlines()[line - 1].index("[[house-partys]]") + 1
    expected = (f"content/tactics/phone-banking.md:{line}:{column}: error: [[house-partys]] links to a guide that does "
                "not exist (did you mean 'house-parties'?)")
    check = mini.check()
    assert check.returncode != 0
    assert expected in check.stdout + check.stderr
    build = mini.build()
    assert build.returncode != 0
    assert expected in build.stderr
    assert not (mini.site / "tactics").exists() or not any((mini.site / "tactics").glob("phone-banking*"))


def test_a_topic_no_guide_uses_is_a_warning_with_its_line(mini: Project) -> None:
    topics = mini.content / "topics.yml"
    topics.write_text(topics.read_text("utf-8") + "housing:\n  title: Housing\n  description: Tenants, rents and homes.\n", "utf-8")
    line = topics.read_text("utf-8").splitlines().index("housing:") + 1
    expected = f"content/topics.yml:{line}:1: warning: no published guide uses the topic 'housing'"
    check = mini.check()
    assert check.returncode == 0 and expected in check.stdout + check.stderr
    assert mini.check("--strict").returncode != 0
    build = mini.build(strict=False)
    assert build.returncode == 0 and expected in build.stderr
    assert "No guide is about housing yet." in site_of(mini).page("topics/housing.md").text


def test_a_guide_listing_a_slug_twice_or_itself_is_a_problem(mini: Project) -> None:
    path = mini.content / "tactics/phone-banking.md"
    text = path.read_text("utf-8").replace(
        "related:\n  - slug: house-parties\n",
        "related:\n  - phone-banking\n  - the-big-call\n  - the-big-call\n  - slug: house-parties\n")
    path.write_text(text, "utf-8")
    rows = text.splitlines()
    itself = rows.index("  - phone-banking") + 1
    twice = [i for i, row in enumerate(rows, 1) if row == "  - the-big-call"][1]
    check = mini.check()
    out = check.stdout + check.stderr
    assert check.returncode != 0
    assert f"content/tactics/phone-banking.md:{itself}:5: error: 'related' lists this guide itself" in out
    assert f"content/tactics/phone-banking.md:{twice}:5: error: 'related' lists 'the-big-call' more than once" in out
    assert mini.build().returncode != 0


# -- navigation that does not grow ----------------------------------------------------------------


def test_the_nav_is_the_short_fixed_list_and_names_no_guide(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    guide_files = {site.guide_file(g.slug) for g in handbook.published()}
    for src in ("index.md", handbook.guide("occupy-sandy").path, "topics/index.md"):
        nav = site.page(src).one("nav", "md-nav--primary")
        targets = [site.target(src, a.attrs["href"]) for a in nav.all("a") if a.attrs.get("href", "").strip("#")]
        assert 6 <= len(set(targets)) <= 10, targets
        assert not set(targets) & guide_files
        assert site.file("tactics/index.md") in targets and site.file("topics/index.md") in targets


def test_guide_pages_stay_small(starter_site: Site) -> None:
    sizes = [site_file.stat().st_size for site_file in (starter_site.guide_file(g.slug) for g in starter_site.handbook.published())]
    assert statistics.median(sizes) < 40_000, statistics.median(sizes)


# -- the landing page -------------------------------------------------------------------------


def test_the_landing_page_invites_browsing(starter_site: Site) -> None:
    site, handbook = starter_site, starter_site.handbook
    page = article(site.page("index.md"))
    tiles = page.all("li", "hb-type-tile")
    assert len(tiles) == len(handbook.types)
    for tile, gtype in zip(tiles, handbook.types.values()):
        link = tile.one("a", "hb-type-tile__link")
        assert site.target("index.md", link.attrs["href"]) == site.file(f"{gtype.folder}/index.md")
        assert tile.one(cls="hb-type-tile__count").text == str(len(handbook.of_type(gtype.name)))
        assert tile.one(cls="hb-type-tile__name").text == gtype.plural
        assert tile.one("p", "hb-type-tile__description").text == gtype.description
    chips = {site.target("index.md", a.attrs["href"]): a.text for a in page.all("a", "hb-chip")}
    for topic in handbook.topics.values():
        assert chips[site.file(f"topics/{topic.id}.md")] == f"{topic.title} {len(handbook.for_topic(topic.id))}"
    form = page.one("form", "hb-search-form")
    assert form.attrs["method"] == "get" and form.one("input").attrs["name"] == "q"
    assert site.target("index.md", form.attrs["action"]) == site.file("search.md")


@pytest.mark.browser
def test_the_landing_search_box_opens_the_search_page_with_the_results(page, built_starter: Project) -> None:
    page.goto((built_starter.site / "index.html").as_uri())
    page.fill("#hb-landing-q", "mutual aid")
    page.press("#hb-landing-q", "Enter")
    page.wait_for_url("**/search*q=mutual+aid*")
    page.wait_for_selector(".hb-search-hit")
    assert page.locator("#hb-search-page-q").input_value() == "mutual aid"
    assert foreign_requests(page) == []


def test_downloads_are_offered_only_for_files_the_build_wrote(starter_site: Site) -> None:
    site = starter_site
    links = [a.attrs["href"] for a in article(site.page("index.md")).all("a", "hb-download")]
    assert "handbook.pdf" not in links  # built without the PDF
    for href in links:
        assert site.target("index.md", href).is_file(), href
