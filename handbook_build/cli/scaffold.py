"""Writing a new guide skeleton that passes the checker as it stands."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from handbook_build.checks import names
from handbook_build.cli import atomic
from handbook_build.content.model import GuideType
from handbook_build.content.schema import LINE_BREAK


class ScaffoldError(Exception):
    pass


def slugify(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-")


_SECTIONS = {
    "case-study": ["What happened", "How they organised", "How it was funded", "What others can learn"],
}
_DEFAULT_SECTIONS = ["What it is", "When to use it", "How to do it", "What goes wrong", "Examples"]
_PROMPTS = {
    "What it is": "Say in two or three sentences what this is and what it achieves.",
    "When to use it": "Describe the situations where it works, and where it does not.",
    "How to do it": "1. The first step.\n2. The next step.\n3. How you know it worked.",
    "What goes wrong": "The common mistakes, and how groups recovered from them.",
    "Examples": "Real examples, linking case studies with `[[slug]]`.",
    "What happened": "Who, where, when and what, in a few paragraphs.",
    "How they organised": "The tactics they used, linked with `[[slug]]`.",
    "How it was funded": "Where the money came from, linked with `[[slug]]`.",
    "What others can learn": "What a group starting today should copy, and what to avoid.",
}


@dataclass(frozen=True)
class NewGuide:
    path: Path
    slug: str
    text: str


def skeleton(gtype: GuideType, title: str, *, topics: list[str], authors: list[str], today: str) -> str:
    meta: dict[str, object] = {
        "title": title,
        "type": gtype.name,
        "summary": "Replace this with one or two plain sentences that say what the guide is about.",
        "topics": topics,
        "authors": authors,
        "updated": today,
    }
    for name in gtype.required:
        if name in meta:
            continue
        spec = next((f for f in gtype.fields if f.name == name), None)
        meta[name] = _placeholder(spec.schema if spec else {})
    meta["sources"] = [{"title": "Name of a page that backs up the facts", "url": "https://example.org/"}]
    sections = _SECTIONS.get(gtype.name, _DEFAULT_SECTIONS)
    body = "\n".join(f"## {s}\n\n{_PROMPTS[s]}\n" for s in sections)
    # python-frontmatter writes the block (safe YAML between '---' lines); it strips the body's last newline.
    post = frontmatter.Post(body)
    post.metadata.update(meta)
    return frontmatter.dumps(post, sort_keys=False, width=100) + "\n"


def _placeholder(schema: dict) -> object:
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if "when" in str(schema.get("x-hint", "")) or "year" in str(schema.get("x-hint", "")):
        return "2024"
    return "To be filled in"


def title_problem(gtype: GuideType, title: str) -> str | None:
    """What is wrong with a title, as the checker would see it, or None: asked before anything is written."""
    spec = next((f.schema for f in gtype.fields if f.name == "title"), {})
    low, high = int(spec.get("minLength", 1)), int(spec.get("maxLength", 10**6))
    title = title.strip()
    if LINE_BREAK.search(title):
        return "the title has a line break; a title is one line"
    if not low <= len(title) <= high:
        return f"the title is {len(title)} characters long; it must be {low} to {high} characters (the limit of the schema)"
    return None


def create(content_dir: Path, gtype: GuideType, title: str, *, topics: list[str], authors: list[str], today: str,
           slug: str | None = None) -> NewGuide:
    """Write the skeleton, complete or not at all; never overwrite what a contributor already wrote."""
    problem = title_problem(gtype, title)
    if problem:
        raise ScaffoldError(f"{problem}; nothing was written")
    title = title.strip()
    slug = slug or slugify(title)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or "") or not 3 <= len(slug) <= 80:
        raise ScaffoldError(f"cannot make a file name from '{title}': give one with --slug (lowercase letters, digits, hyphens)")
    if names.windows_reserved(slug):
        raise ScaffoldError(f"'{slug}.md' cannot be checked out on Windows ('{slug}' is a device name there): "
                            "give another file name with --slug")
    folder = content_dir / gtype.folder
    target = folder / f"{slug}.md"
    wanted = target.name.casefold()
    existing = sorted(p for p in content_dir.glob("*/*.md") if p.name.casefold() == wanted)
    if existing:
        same = "already exists" if existing[0].name == target.name else f"differs from {target.name} only in case"
        raise ScaffoldError(f"{existing[0]} {same}; nothing was written (choose another title or --slug)")
    folder.mkdir(parents=True, exist_ok=True)
    text = skeleton(gtype, title, topics=topics, authors=authors, today=today)
    try:
        atomic.write_new_text(target, text, newline=atomic.newline_of(folder))
    except FileExistsError as exc:
        raise ScaffoldError(f"{target} already exists; nothing was written") from exc
    return NewGuide(target, slug, text)
