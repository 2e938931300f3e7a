"""Write a synthetic handbook of N guides for the benchmarks.

    python benchmarks/generate.py 1000 benchmarks/work/n1000 [--seed 2026] [--languages en,sv,de]

The folder gets a complete project: ``mkdocs.yml`` (the repository's, with the
theme path made absolute), ``mkdocs-material.yml`` (stock Material with its
search plugin, our plugin off, the same Markdown extensions), ``content/``
(topics.yml with 12 topics, N guides of all three types, a landing page and a
few generated PNG figures) and ``benchmark.json`` (what the harness needs to
know: the guides, the search query and which guides contain it).

With ``--languages``, every guide (and the landing and nav pages) also gets a
translation in each language other than the site's, ``<slug>.<lang>.md`` beside
its original, and mkdocs.yml lists the languages in the plugin's options. The
translations are the same generator's prose from another random source (not
real Swedish or German); the originals stay byte for byte what they are
without the option.

Seeded: the same N and seed give byte-identical files (only str/list
iteration, never set or dict-of-hash order, feeds the random source).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

try:
    from . import vocabulary as V
except ImportError:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import vocabulary as V  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 2026
TYPES = {"tactic": "tactics", "funding-model": "funding-models", "case-study": "case-studies"}
IMAGE_COUNT = 6
_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty", "forty"]
LANG_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # as handbook_build/site/languages.py reads them
_RESERVED = {"index", "search", "topics", "licence", "license", "about", "contributing", "assets", "offline", "handbook", "404"}


@dataclass
class Plan:
    """One guide decided before any body is written, so bodies can link to all of them."""

    index: int
    type: str
    slug: str
    title: str
    topics: list[str]
    distinctive: list[str] = field(default_factory=list)
    updated: str = ""  # set when its front matter is written; a translation's translated_from

    @property
    def path(self) -> str:
        return f"{TYPES[self.type]}/{self.slug}.md"


class Prose:
    """Sentences, lists and tables built from the word lists with one random source."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        self.places = self._names(40 + n // 4, place=True)
        self.orgs = [f"{rng.choice(self.places)} {rng.choice(V.ORG_KINDS)}" for _ in range(30 + n // 5)]
        self.people = [f"{self._word().capitalize()} {self._word().capitalize()}" for _ in range(60 + n // 3)]

    # -- words ------------------------------------------------------------------

    def _word(self) -> str:
        r = self.rng
        parts = [r.choice(V.ONSETS) + r.choice(V.VOWELS) + r.choice(V.CODAS) for _ in range(r.choice((1, 2, 2)))]
        return "".join(parts)

    def _names(self, count: int, *, place: bool) -> list[str]:
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            name = (self._word() + (self.rng.choice(V.PLACE_ENDINGS) if place else "")).capitalize()
            if name not in seen and len(name) > 3:
                seen.add(name)
                names.append(name)
        return names

    def pick(self, slot: str) -> str:
        r = self.rng
        # Each slot: the word list it draws from, and how the drawn word is shaped.
        lists = {
            "adj": (V.ADJECTIVES, str), "noun": (V.NOUNS, str), "nouns": (V.NOUNS, plural),
            "verb": (V.VERBS, str), "verbs": (V.VERBS, third_person), "verbed": (V.VERBS, past),
            "adv": (V.ADVERBS, str), "prep": (V.PREPOSITIONS, str), "group": (V.GROUPS, str),
            "time": (V.TIMES, str.strip), "place": (self.places, str), "org": (self.orgs, str),
            "person": (self.people, str),
        }
        if slot in lists:
            words, shape = lists[slot]
            return shape(r.choice(words))
        if slot == "num":
            return r.choice(_NUMBERS) if r.random() < 0.6 else str(r.randint(3, 400))
        raise KeyError(slot)

    def fill(self, template: str) -> str:
        def one(match: re.Match[str]) -> str:
            slot = match.group(1)
            word = self.pick(slot.lower())
            return word[0].upper() + word[1:] if slot[0].isupper() else word

        text = re.sub(r"\{(\w+)\}", one, template)
        text = re.sub(r"\b([Aa]) (?=[aeiou])", r"\1n ", text)
        return text[0].upper() + text[1:]

    # -- blocks -------------------------------------------------------------------

    def sentence(self) -> str:
        text = self.fill(self.rng.choice(SENTENCES))
        if self.rng.random() < 0.08:  # a little inline emphasis, as real guides have
            words = text.split(" ")
            k = self.rng.randrange(1, max(2, len(words) - 1))
            mark = "**" if self.rng.random() < 0.5 else "*"
            words[k] = f"{mark}{words[k].rstrip('.,')}{mark}" + ("," if words[k].endswith(",") else "")
            text = " ".join(words)
            if not text.endswith("."):
                text += "."
        return text

    def paragraph(self, sentences: int | None = None) -> str:
        count = sentences or self.rng.randint(3, 6)
        return " ".join(self.sentence() for _ in range(count))

    def bullets(self) -> str:
        items = [self.fill(self.rng.choice(LIST_ITEMS)) for _ in range(self.rng.randint(3, 6))]
        return "\n".join(f"- {item}" for item in items)

    def steps(self) -> str:
        lines = []
        for number in range(1, self.rng.randint(3, 7) + 1):
            lead = self.fill("{verb} the {adj} {noun}.")
            lines.append(f"{number}. **{lead}** {self.sentence()}")
        return "\n".join(lines)

    def table(self) -> str:
        columns = self.rng.sample(TABLE_COLUMNS, 3)
        rows = [f"| {' | '.join(columns)} |", "|" + "---|" * 3]
        for _ in range(self.rng.randint(3, 5)):
            cells = [self.fill(self.rng.choice(TABLE_CELLS)) for _ in range(3)]
            rows.append(f"| {' | '.join(cells)} |")
        return "\n".join(rows)


# Sentence shapes written for this benchmark; {slot} is filled from vocabulary.py.
SENTENCES = [
    "The {adj} {noun} {verbs} {group} {time}.",
    "{Group} {verbed} a {adj} {noun} {prep} the {noun}.",
    "In {place}, the {org} {verbed} {num} {nouns} {time}.",
    "{Person} {verbed} the {noun} {adv}, and the {group} {verbed} the {noun} {prep} the {noun}.",
    "Ask {group} to {verb} the {noun} before the {noun} gets {adj}.",
    "Keep a {adj} {noun} of every {noun}, and {verb} it {time}.",
    "A {adj} {noun} {adv} {verbs} more people than a {adj} {noun}.",
    "When the {noun} is {adj}, {group} {adv} {verb} the {nouns}.",
    "{Num} {group} can {verb} a {noun} {prep} a {adj} {noun}.",
    "Most {nouns} {verb} {adv} if the {noun} stays {adj}.",
    "Do not {verb} the {noun} until the {group} {verb} the {adj} {nouns}.",
    "The {org} {adv} {verbed} its {nouns} {prep} {place}.",
    "{Person} from the {org} {verbed} that the {noun} {verbed} {time}.",
    "It helps to {verb} {num} {nouns} and {verb} the {adj} ones first.",
    "Nobody {verbed} the {noun} {prep} the {noun}, so the {group} {verbed} it {adv}.",
    "Every {noun} needs a {adj} {noun} and a {adj} {noun}.",
    "If {group} {verb} the {noun} {time}, the {noun} {verbs} {adj}.",
    "{Group} in {place} {adv} {verb} {num} {nouns} {time}.",
    "The point of the {noun} is to {verb} {group}, not to {verb} the {noun}.",
    "Expect the {noun} to {verb} {adv}; a {adj} {noun} {verbs} the rest.",
]
LIST_ITEMS = [
    "{verb} the {adj} {noun} {time}",
    "a {adj} {noun} for the {group}",
    "{num} {nouns} and a {noun}",
    "{verb} {group} {prep} the {noun}",
    "one {noun} per {noun}, {adv} {verbed}",
    "{Person} to {verb} the {nouns}",
]
TABLE_COLUMNS = ["Step", "Who", "When", "Cost", "Owner", "Tool", "Size", "Notes", "Risk", "Result"]
TABLE_CELLS = ["{adj} {noun}", "{group}", "{time}", "{num} {nouns}", "{verb} the {noun}", "{person}", "{place}"]

FUNDING_WORDS = ["fund", "dues", "pool", "shares", "pledges", "raffle", "levy", "subscriptions", "kitty", "tithe"]
CASE_WORDS = ["campaign", "strike", "drive", "boycott", "occupation", "vote", "appeal", "takeover"]


# -- small helpers --------------------------------------------------------------


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def third_person(verb: str) -> str:
    return plural(verb)


def past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if re.fullmatch(r".*[^aeiou][aeiou][bdgmnpt]", verb) and len(verb) <= 4:
        return verb + verb[-1] + "ed"
    return verb + "ed"


def slugify(title: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", title.lower())).strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML for ASCII text)."""
    return json.dumps(text)


def png(width: int, height: int, bars: list[tuple[int, tuple[int, int, int]]]) -> bytes:
    """A small bar chart as an RGB PNG, written by hand (no imaging library)."""
    bar_width = width // len(bars)
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(width):
            level, colour = bars[min(x // bar_width, len(bars) - 1)]
            inside = height - y <= level and x % bar_width > 2
            row += bytes(colour if inside else (250, 250, 246))
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


# -- the handbook -----------------------------------------------------------------


def _type_of(index: int, n: int) -> str:
    if n < 20:
        return ("tactic", "funding-model", "case-study")[index % 3]
    slot = index % 20  # 45% tactics, 25% funding models, 30% case studies
    return "tactic" if slot < 9 else "funding-model" if slot < 14 else "case-study"


def _title(gtype: str, rng: random.Random, prose: Prose) -> str:
    if gtype == "tactic":
        return f"{rng.choice(V.ADJECTIVES).capitalize()} {rng.choice(V.NOUNS)} {rng.choice(V.TITLE_GERUNDS)}"
    if gtype == "funding-model":
        return f"{rng.choice(V.ADJECTIVES).capitalize()} {rng.choice(V.NOUNS)} {rng.choice(FUNDING_WORDS)}"
    return f"The {rng.choice(prose.places)} {rng.choice(V.NOUNS)} {rng.choice(CASE_WORDS)}"


def _plan(rng: random.Random, prose: Prose, n: int) -> list[Plan]:
    plans: list[Plan] = []
    taken: set[str] = set()
    period = min(50, max(2, n // 2))  # each distinctive word lands in about one guide in fifty
    for index in range(n):
        gtype = _type_of(index, n)
        title = _title(gtype, rng, prose)
        slug = base = slugify(title)
        suffix = 2
        while slug in taken or slug in _RESERVED:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(slug)
        first = V.TOPICS[index % len(V.TOPICS)][0]
        others = [t[0] for t in V.TOPICS if t[0] != first]
        topics = [first, *rng.sample(others, rng.randint(0, 2))]
        distinctive = [word for k, word in enumerate(V.DISTINCTIVE) if index % (period + k) == k]
        plans.append(Plan(index, gtype, slug, title, topics, distinctive))
    if n and not any(V.SEARCH_QUERY in p.distinctive for p in plans):
        plans[n // 2].distinctive.append(V.SEARCH_QUERY)
    return plans


def _front_matter(plan: Plan, plans: list[Plan], by_type: dict[str, list[Plan]], rng: random.Random, prose: Prose) -> str:
    summary = prose.fill(rng.choice(SUMMARIES))
    if plan.distinctive:
        summary += f" Groups in {rng.choice(prose.places)} call it the {plan.distinctive[0]} way."
    authors = rng.sample(prose.people, rng.randint(1, 3))
    updated = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 7 * 365))
    plan.updated = updated.isoformat()
    lines = [
        "---",
        f"title: {q(plan.title)}",
        f"type: {plan.type}",
        f"summary: {q(summary[:300])}",
        f"topics: [{', '.join(plan.topics)}]",
        "authors:",
        *[f"  - {q(a)}" for a in authors],
        f"updated: {updated.isoformat()}",
    ]
    if plan.index % 25 == 7:
        lines.append("license: CC-BY-SA-4.0")
    if plan.type == "tactic":
        lines += [
            f"difficulty: {rng.choice(['beginner', 'intermediate', 'advanced'])}",
            f"time_to_prepare: {rng.choice(['hours', 'days', 'weeks', 'months'])}",
            f"risk: {rng.choice(['low', 'medium', 'high'])}",
        ]
    elif plan.type == "funding-model":
        low = rng.choice([0, 50, 100, 250, 500, 1000, 5000])
        high = low * rng.choice([10, 20, 50, 100]) + 500
        lines += [
            f"recurring: {rng.choice(['true', 'false'])}",
            f"cost_to_start: {rng.choice(['none', 'low', 'medium', 'high'])}",
            f"typical_scale: {q(f'${low:,}-${high:,}')}",
        ]
    else:
        start = rng.randint(1968, 2024)
        when = str(start) if rng.random() < 0.6 else f"{start}-{start + rng.randint(1, 4)}"
        tactics = rng.sample(by_type["tactic"], min(len(by_type["tactic"]), rng.randint(1, 3)))
        funding = rng.sample(by_type["funding-model"], min(len(by_type["funding-model"]), rng.randint(0, 2)))
        lines += [
            f"where: {q(f'{rng.choice(prose.places)}, {rng.choice(prose.places)}')}",
            f'when: "{when}"',
            "organisations:",
            *[f"  - {q(o)}" for o in rng.sample(prose.orgs, rng.randint(1, 3))],
        ]
        if tactics:
            lines += ["tactics:", *[f"  - {p.slug}" for p in tactics]]
        if funding:
            lines += ["funding_models:", *[f"  - {p.slug}" for p in funding]]
        lines.append(f"outcome: {q(prose.fill(rng.choice(OUTCOMES))[:300])}")
    others = [p for p in rng.sample(plans, min(len(plans), 6)) if p.slug != plan.slug][: rng.randint(0, 4)]
    if others:
        lines.append("related:")
        for other in others:
            if rng.random() < 0.6:
                lines += [f"  - slug: {other.slug}", f"    why: {q(prose.fill(rng.choice(WHYS))[:160])}"]
            else:
                lines.append(f"  - {other.slug}")
    if rng.random() < 0.5:
        lines.append("sources:")
        for k in range(rng.randint(1, 2)):
            title = prose.fill("Notes on {nouns} in {place}")
            lines += [f"  - title: {q(title)}", f"    url: https://example.org/{plan.slug}/{k + 1}"]
    lines.append("---")
    return "\n".join(lines) + "\n"


SUMMARIES = [
    "How {group} {verb} {adj} {nouns} {prep} the {noun}, step by step.",
    "A {adj} way for {group} to {verb} the {noun} and keep the {nouns} {adj}.",
    "What the {org} learned when {group} {verbed} a {adj} {noun} in {place}.",
    "Raising money from {group} with a {adj} {noun} that they {verb} {time}.",
]
OUTCOMES = [
    "The {group} {verbed} {num} {nouns} and the {org} {verbed} the {noun}.",
    "{Num} {group} {verbed} the {noun}; the {noun} stayed {adj} {time}.",
]
WHYS = [
    "Both ask {group} to {verb} the {noun}.",
    "A {adj} next step once the {noun} is {verbed}.",
    "The same {group} {verb} both.",
]


def _body(plan: Plan, plans: list[Plan], rng: random.Random, prose: Prose) -> str:
    target = rng.randint(640, 1150)  # leaves room for headings and links: 600-1,200 words in all
    headings = list(V.SECTION_HEADINGS[plan.type])
    sections = headings[: rng.randint(4, len(headings))]
    specials = ["bullets", "steps", "table"] + (["image"] if plan.index % 10 == 3 else [])
    rng.shuffle(specials)
    links = [p for p in rng.sample(plans, min(len(plans), 6)) if p.slug != plan.slug][: rng.randint(2, 5)]
    blocks: list[str] = [prose.paragraph()]
    words = len(blocks[0].split())
    for i, heading in enumerate(sections):
        blocks.append(f"## {heading}")
        chunk = [prose.paragraph()]
        if i < len(specials):
            chunk.append(_special(specials[i], plan, rng, prose))
        if i < len(links):
            other = links[i]
            text = (f"See [[{other.slug}]] for a {prose.pick('adj')} {prose.pick('noun')}." if rng.random() < 0.6
                    else f"It pairs well with [[{other.slug}|the {prose.pick('noun')} approach]].")
            chunk[0] = chunk[0] + " " + text
        if i == 1 and plan.distinctive:
            chunk.append(" ".join(f"The {word} {prose.pick('noun')} {prose.pick('verbs')} {prose.pick('group')} {prose.pick('time')}."
                                  for word in plan.distinctive))
        blocks += chunk
        words += sum(len(c.split()) for c in chunk) + len(heading.split())
    # Grow the last sections until the guide reaches its length.
    while words < target:
        if rng.random() < 0.25:
            heading = prose.fill("{Adj} {nouns}")
            blocks.append(f"### {heading}")
            words += 2
        paragraph = prose.paragraph()
        blocks.append(paragraph)
        words += len(paragraph.split())
    return "\n\n".join(blocks) + "\n"


def _special(kind: str, plan: Plan, rng: random.Random, prose: Prose) -> str:
    if kind == "bullets":
        return prose.bullets()
    if kind == "steps":
        return prose.steps()
    if kind == "table":
        return prose.table()
    figure = plan.index % IMAGE_COUNT + 1
    return f"![A {prose.pick('adj')} chart of {prose.pick('nouns')}](../images/figure-{figure}.png)"


def _topics_yml(translations: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """topics.yml; ``translations`` gives each other language's (title, description) of every topic, in order."""
    lines = ["# Topics of the synthetic benchmark handbook."]
    for k, (topic_id, title, description) in enumerate(V.TOPICS):
        lines += [f"{topic_id}:", f"  title: {q(title)}", f"  description: {q(description)}"]
        if translations:
            lines.append("  translations:")
            for lang, topics in translations.items():
                lines += [f"    {lang}:", f"      title: {q(topics[k][0])}", f"      description: {q(topics[k][1])}"]
    return "\n".join(lines) + "\n"


# -- translations -------------------------------------------------------------------


def _translation(plan: Plan, plans: list[Plan], lang: str, rng: random.Random, prose: Prose) -> str:
    """``plan``'s guide in ``lang``: its own title, summary, authors and body; type, topics and typed fields inherited."""
    summary = prose.fill(rng.choice(SUMMARIES))
    lines = [
        "---",
        f"title: {q(_title(plan.type, rng, prose))}",
        f"summary: {q(summary[:300])}",
        "authors:",
        *[f"  - {q(a)}" for a in rng.sample(prose.people, rng.randint(1, 2))],
        f"lang: {lang}",
        f"updated: {plan.updated}",
        f"translated_from: {plan.updated}",  # up to date with the original
        "---",
    ]
    return "\n".join(lines) + "\n\n" + _body(plan, plans, rng, prose)


def _translate(content: Path, plans: list[Plan], lang: str, pages: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """Write ``lang``'s translation of every guide and page; return its topics' (title, description)."""
    # A source of its own per language, so the originals and the other languages do not depend on it.
    rng = random.Random(f"handbook-benchmark-translation:{seed}:{len(plans)}:{lang}")
    prose = Prose(rng, len(plans))
    topics = [(prose.fill("{Adj} {nouns}"), prose.fill(rng.choice(SUMMARIES))) for _ in V.TOPICS]
    for plan in plans:
        (content / f"{TYPES[plan.type]}/{plan.slug}.{lang}.md").write_text(_translation(plan, plans, lang, rng, prose), "utf-8")
    for path, _ in [("index.md", ""), *pages]:
        page = Path(path)
        (content / page.with_name(f"{page.stem}.{lang}.md")).write_text(
            f"# {prose.fill('{Adj} {nouns}')}\n\n" + "\n\n".join(prose.paragraph() for _ in range(3)) + "\n", "utf-8")
    return topics


def _language_names(languages: list[str]) -> dict[str, str]:
    """Each language's name in itself, as the plugin names a language the config leaves unnamed."""
    from handbook_build.site.languages import own_name

    return {lang: own_name(lang) for lang in languages}


def _mkdocs_yml(repo: Path, languages: list[str] | None = None) -> str:
    """The repository's mkdocs.yml (the plugin brings its own templates: nothing to rewrite).

    With more than one language, the plugin's ``languages`` option is added under
    ``- handbook:`` as text, so the file's comments and ``!ENV`` tags stay as they are.
    """
    text = (repo / "mkdocs.yml").read_text("utf-8")
    if not languages or len(languages) < 2:
        return text
    lines = text.split("\n")
    entry = next((k for k, line in enumerate(lines) if re.fullmatch(r"\s*- handbook:\s*", line)), None)
    plugins = _repo_config(repo).get("plugins") or []
    configured = next((p["handbook"] for p in plugins if isinstance(p, dict) and "handbook" in p), None) or {}
    if entry is None or "languages" in configured:
        raise SystemExit(f"{repo / 'mkdocs.yml'}: expected a '- handbook:' plugin entry without 'languages' "
                         "to add the languages to")
    indent = " " * (lines[entry].index("-") + 4)
    names = _language_names(languages)
    lines[entry + 1:entry + 1] = [f"{indent}# Added by benchmarks/generate.py --languages", f"{indent}languages:",
                                  *[f"{indent}  {lang}: {q(name)}" for lang, name in names.items()]]
    return "\n".join(lines)


def site_language(repo: Path = ROOT) -> str:
    return str((_repo_config(repo).get("theme") or {}).get("language") or "en")


def _repo_config(repo: Path) -> dict:
    import yaml

    class Tolerant(yaml.SafeLoader):
        """Reads mkdocs.yml, ignoring MkDocs' !ENV and !!python tags."""

    Tolerant.add_multi_constructor("!", lambda loader, suffix, node: None)
    Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((repo / "mkdocs.yml").read_text("utf-8"), Loader=Tolerant) or {}


def _material_yml(repo: Path) -> str:
    """Stock Material: default nav, its search plugin, our plugin off, our Markdown extensions."""
    import yaml

    config = {
        "site_name": "Benchmark handbook (stock Material)",
        "docs_dir": "content",
        # font: false so neither site asks another host for anything (the browser benchmark blocks that anyway).
        "theme": {"name": "material", "language": "en", "font": False},
        "plugins": ["search"],
        "markdown_extensions": _repo_config(repo).get("markdown_extensions", []),
    }
    return "# Generated by benchmarks/generate.py: stock Material over the same content.\n" + yaml.safe_dump(config, sort_keys=False)


def _nav_pages(repo: Path) -> list[tuple[str, str]]:
    """Hand-written pages the repository's nav names (about.md, ...), as (path, title).

    The generated handbook needs a page of its own at each, or the copied nav
    would point at nothing; pages the plugin generates are not in content/.
    """
    found: list[tuple[str, str]] = []

    def walk(items: object) -> None:
        for item in items if isinstance(items, list) else []:
            entries = item.items() if isinstance(item, dict) else [(None, item)]
            for title, value in entries:
                if isinstance(value, list):
                    walk(value)
                elif isinstance(value, str) and value.endswith(".md") and value != "index.md" \
                        and value.split("/")[0] not in TYPES.values() and (repo / "content" / value).is_file():
                    found.append((value, title or Path(value).stem.replace("-", " ").capitalize()))

    walk(_repo_config(repo).get("nav"))
    return found


def generate(target: Path, n: int, *, seed: int = DEFAULT_SEED, repo: Path = ROOT, languages: list[str] | None = None) -> dict:
    """Write the project to ``target`` (replacing what was there) and return its manifest.

    ``languages``: the handbook's languages; the site's own comes first (added if
    missing), and every other one gets a translation of every guide and page.
    """
    target = Path(target)
    default = site_language(repo)
    languages = list(dict.fromkeys([default, *(languages or [])]))
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    (content / "images").mkdir(parents=True)
    rng = random.Random(f"handbook-benchmark:{seed}:{n}")
    prose = Prose(rng, n)
    plans = _plan(rng, prose, n)
    by_type = {t: [p for p in plans if p.type == t] for t in TYPES}
    for folder in TYPES.values():
        (content / folder).mkdir()
    for plan in plans:
        text = _front_matter(plan, plans, by_type, rng, prose) + "\n" + _body(plan, plans, rng, prose)
        (content / plan.path).write_text(text, "utf-8")
    for k in range(1, IMAGE_COUNT + 1):
        bars = [(rng.randint(10, 80), (rng.randint(30, 200), rng.randint(60, 200), rng.randint(80, 220))) for _ in range(5)]
        (content / "images" / f"figure-{k}.png").write_bytes(png(120, 90, bars))
    pages = _nav_pages(repo)
    topic_translations = {lang: _translate(content, plans, lang, pages, seed) for lang in languages[1:]}
    (content / "topics.yml").write_text(_topics_yml(topic_translations), "utf-8")
    (content / "index.md").write_text(
        f"# Benchmark handbook\n\nA synthetic handbook of {n} guides, generated by `benchmarks/generate.py` "
        f"(seed {seed}) to measure the build. Nothing here is real advice.\n", "utf-8")
    pages_rng = random.Random(f"handbook-benchmark-pages:{seed}")  # apart, so the guides do not depend on the nav
    for path, title in pages:
        page_prose = Prose(pages_rng, 0)
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(f"# {title}\n\n" + "\n\n".join(page_prose.paragraph() for _ in range(3)) + "\n", "utf-8")
    (target / "mkdocs.yml").write_text(_mkdocs_yml(repo, languages), "utf-8")
    (target / "mkdocs-material.yml").write_text(_material_yml(repo), "utf-8")
    manifest = {
        "n": n,
        "seed": seed,
        "query": V.SEARCH_QUERY,
        "query_hits": [p.slug for p in plans if V.SEARCH_QUERY in p.distinctive],
        "guides": {t: [p.path for p in by_type[t]] for t in TYPES},
        "use_directory_urls": {"ours": bool(_repo_config(repo).get("use_directory_urls", True)), "material": True},
    }
    if len(languages) > 1:  # only then, so a one-language manifest stays as it was
        manifest["languages"] = languages
    (target / "benchmark.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of guides")
    parser.add_argument("target", type=Path, help="folder to write (replaced if it exists; never inside content/)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--languages", default="",
                        help=f"comma-separated language tags, e.g. en,sv,de: a translation of every guide in each "
                             f"one other than the site's ({site_language()}); default: the site's language only")
    args = parser.parse_args(argv)
    if args.n < 3:
        parser.error("N must be at least 3 (one guide of each type)")
    try:
        languages = parse_languages(args.languages)
    except ValueError as exc:
        parser.error(str(exc))
    manifest = generate(args.target, args.n, seed=args.seed, languages=languages)
    counts = ", ".join(f"{len(v)} {k}" for k, v in manifest["guides"].items())
    others = manifest.get("languages", [])[1:]
    print(f"Wrote {args.n} guides ({counts})" + (f", each translated into {', '.join(others)}," if others else "")
          + f" to {args.target}")


def parse_languages(text: str) -> list[str]:
    """``en,sv,de`` as a list of language tags (lowercase language, as the content model's file suffixes)."""
    languages = [part.strip() for part in text.split(",") if part.strip()]
    for lang in languages:
        if not LANG_TAG.fullmatch(lang):
            raise ValueError(f"--languages: {lang!r} is not a language tag like en, sv or pt-BR")
    return languages


if __name__ == "__main__":
    main()
