"""Loading a content folder into a Handbook, collecting every problem on the way.

A recipe: read the topics, read each guide file, attach translations, then
check what needs all guides at once (see ``references``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from handbook_build.content import located_yaml, source
from handbook_build.content.cache import Reader
from handbook_build.content.model import SLUG_PATTERN, Guide, Handbook, Page, Topic
from handbook_build.content.root import RESERVED_SLUGS, TOPICS_FILE, ContentRoot
from handbook_build.content.schema import Schema
from handbook_build.content.tree import ContentTree
from handbook_build.problems import Location, ProblemList, did_you_mean, error

_SLUG = re.compile(SLUG_PATTERN)
TRANSLATION_REQUIRED = ("title", "summary", "authors")
PAGE_FIELDS = ("title", "description", "hide", "search")  # front matter of pages that are not guides
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# What stops a page from being read at all (a page may go without front matter; not without being readable).
UNREADABLE = frozenset({"size", "encoding", "io"})



def load(content_dir: Path, schema: Schema, *, lang: str = "en", reader: Reader | None = None) -> tuple[Handbook, ProblemList]:
    """Load every guide and page under ``content_dir``, with the problems of each file on its own.

    The folder is walked once and each file read once: the model holds what the
    checks need (the file listing, the pages, one ``Body`` per file), and the
    checks that need the whole handbook run over it afterwards (``handbook_build.checks``).
    ``reader`` reads and validates each file (a ``ContentCache`` remembers the results, content/cache.py).
    """
    reader = reader or Reader(schema)
    root = ContentRoot.at(content_dir)
    tree = ContentTree.walk(root)
    problems = ProblemList()
    topics = _load_topics(root, schema, problems)
    guides: dict[str, Guide] = {}
    translations: list[Guide] = []
    pages: list[Page] = []
    duplicates: set[str] = set()
    files_read = 0
    for file, relative in _markdown_files(tree, problems):
        files_read += "/" in relative
        parts = relative.split("/")
        if len(parts) == 1 or schema.type_for_folder(parts[0]) is None:
            # Not in a guide folder: an ordinary page, unless it claims to be a guide.
            page = _load_page(root, file, relative, schema, reader, problems)
            if page is not None:
                pages.append(page)
            continue
        guide = _load_guide(root, file, relative, schema, reader, topics, lang, problems)
        if guide is None:
            continue
        if guide.lang != lang and _is_translation_name(relative):
            translations.append(guide)
        else:
            _add_unique(guides, guide, problems, duplicates)
    handbook = Handbook(types=schema.types, topics=topics, guides=guides, lang=lang, files_read=files_read,
                        duplicate_slugs=duplicates, tree=tree, pages=pages)
    broken = unloaded(handbook)
    for translation in translations:
        if translation.slug not in broken:  # else the original's own problem says it all
            _attach_translation(handbook, translation, reader, problems)
    return handbook, problems


def unloaded(handbook: Handbook) -> set[str]:
    """Slugs of guide files that exist but could not be loaded (broken YAML, missing fields ...).

    Their problem is reported at their own line; references, related guides,
    wikilinks and translations naming them are not wrong, so nothing else is reported.
    """
    if handbook.tree is None:
        return set()
    folders = {t.folder for t in handbook.types.values()}
    found = set()
    for relative in handbook.tree.markdown():
        folder, _, name = relative.partition("/")
        stem = name.removesuffix(".md")
        if folder in folders and "/" not in name and "." not in stem and stem not in handbook.guides:
            found.add(stem)
    return found


# -- topics -----------------------------------------------------------------


def _load_topics(root: ContentRoot, schema: Schema, problems: ProblemList) -> dict[str, Topic]:
    shown = root.show(TOPICS_FILE)
    file = root.path / TOPICS_FILE
    if not file.is_file():
        problems.add(error(Location(shown), "there is no topics file", f"create {shown} with at least one topic", code="topics"))
        return {}
    if file.stat().st_size > source.MAX_FILE_BYTES:  # read whole, like a guide: the same limit
        problems.add(error(Location(shown, 1), f"the topics file is larger than {source.MAX_FILE_BYTES // 1024} KB",
                           "keep one short title and description per topic", code="size"))
        return {}
    text, found = source.decode(file.read_bytes(), shown)
    problems.extend(found)
    if text is None:
        return {}
    meta, found = located_yaml.load(text, shown)
    problems.extend(found)
    if meta is None or meta.data is None:
        return {}
    if not isinstance(meta.data, dict):
        problems.add(error(meta.location(()), "topics.yml must map topic ids to a title and description", code="topics"))
        return {}
    topics = {}
    for topic_id, entry in meta.data.items():
        where = meta.location((topic_id,), key=True)
        if not _SLUG.match(topic_id) or not 3 <= len(topic_id) <= 80:
            problems.add(error(where, f"'{topic_id}' is not a valid topic id", "use 3-80 lowercase letters, digits and single hyphens", code="topics"))
            continue
        found = schema.validate_topic(entry, meta, (topic_id,))
        problems.extend(found)
        if found or not isinstance(entry, dict):
            continue
        topics[topic_id] = Topic(topic_id, entry["title"], entry["description"], where,
                                 translations=dict(entry.get("translations") or {}))
    return topics


# -- guide files --------------------------------------------------------------


def _markdown_files(tree: ContentTree, problems: ProblemList) -> Iterator[tuple[Path, str]]:
    """(file, path relative to the content folder) for every Markdown file, sorted."""
    for relative in tree.markdown():
        link = tree.links.get(relative)
        if link is not None and link.leaves:
            problems.add(error(Location(tree.show(relative)), "this file is a link to a place outside the content folder",
                               "copy the file into the content folder instead of linking to it", code="path"))
            continue
        yield tree.path / relative, relative


def _is_translation_name(relative: str) -> bool:
    return Path(relative).name.count(".") >= 2


def _load_guide(root, file, relative, schema: Schema, reader: Reader, topics, site_lang, problems: ProblemList) -> Guide | None:
    shown = root.show(relative)
    parts = relative.split("/")
    folder_type = schema.type_for_folder(parts[0])
    assert folder_type is not None  # load() sends only files in guide folders here
    if len(parts) > 2:
        problems.add(error(Location(shown), f"guides sit directly in {root.show(parts[0])}/, not in a subfolder",
                           f"move the file to {root.show(parts[0] + '/' + parts[-1])}", code="path"))
        return None
    stem = parts[1][: -len(".md")]
    slug, _, suffix = stem.partition(".")
    ok = True
    if not _SLUG.match(slug) or not 3 <= len(slug) <= 80:
        fixed = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", slug.lower())).strip("-")
        problems.add(error(Location(shown), f"'{slug}' is not a valid file name for a guide",
                           f"use 3-80 lowercase letters, digits and single hyphens, e.g. '{fixed or 'my-guide'}.md'", code="slug"))
        ok = False
    elif slug in RESERVED_SLUGS:
        problems.add(error(Location(shown), f"'{slug}' is a name the handbook uses for its own pages", "choose another file name", code="slug"))
        ok = False
    if suffix and not _LANG.match(suffix):
        problems.add(error(Location(shown), f"'{suffix}' is not a language tag", "name a translation <slug>.<lang>.md, e.g. power-mapping.sv.md", code="slug"))
        ok = False
    src, found = reader.read(file, shown)
    problems.extend(found)
    if src is None or src.meta is None or not ok:
        return None
    meta = src.meta
    data = meta.data if isinstance(meta.data, dict) else None
    lang = suffix or (data or {}).get("lang") or site_lang
    guide = Guide(slug=slug, type=folder_type.name, path=relative, shown_path=shown, meta=meta, body=src.body,
                  body_line=src.body_line, lang=str(lang))
    if suffix:
        if data is not None and data.get("lang") not in (None, suffix):
            problems.add(error(meta.location(("lang",)), f"'lang' is '{data['lang']}' but the file name says '{suffix}'",
                               f"set lang: {suffix} or rename the file", code="translation"))
        return guide  # validated once attached to its original
    if data is None:
        problems.extend(reader.validate(meta, folder_type.name, topics))
        return None
    declared = data.get("type")
    gtype = folder_type
    if isinstance(declared, str) and declared in schema.types and declared != folder_type.name:
        # Most likely the file is in the wrong folder: check it as what it says it is.
        gtype = schema.types[declared]
        problems.add(error(meta.location(("type",)),
                           f"a {declared} guide must be in {root.show(gtype.folder)}/, not {root.show(parts[0])}/",
                           f"move the file to {root.show(gtype.folder + '/' + parts[1])}, or set type: {folder_type.name}", code="folder"))
        guide.type = gtype.name
    problems.extend(reader.validate(meta, gtype.name, topics))
    return guide


def _load_page(root: ContentRoot, file: Path, relative: str, schema: Schema, reader: Reader, problems: ProblemList) -> Page | None:
    src, found = reader.read(file, root.show(relative))
    problems.extend(p for p in found if p.code in UNREADABLE)
    if src is None:
        return None
    page = Page(relative, src.path, src.meta, src.body, src.body_line)
    if src.meta is None or not isinstance(src.meta.data, dict):
        return page  # ordinary pages may go without front matter
    declared = src.meta.data.get("type")
    if isinstance(declared, str) and declared in schema.types:
        right = schema.types[declared].folder
        name = Path(relative).name
        problems.add(error(src.meta.location(("type",)), f"a {declared} guide must be in {root.show(right)}/",
                           f"move the file to {root.show(right + '/' + name)}", code="folder"))
        return page
    # Material reads more from a page's front matter (`template:`, a redirect's `location:`):
    # a hand-written page may set only what a page needs, so no page can swap its template.
    for key in src.meta.data:
        if key not in PAGE_FIELDS:
            problems.add(error(src.meta.location((key,), key=True), f"unknown field '{key}' for a page",
                               did_you_mean(key, PAGE_FIELDS) or f"a page may set only: {', '.join(PAGE_FIELDS)}", code="page"))
    return page


def _add_unique(guides: dict[str, Guide], guide: Guide, problems: ProblemList, duplicates: set[str]) -> None:
    # Slugs are lowercase by rule, so a plain dict lookup finds every clash.
    clash = guides.get(guide.slug)
    if clash is None:
        guides[guide.slug] = guide
        return
    # Neither file is "the" original: name the other one in each, and stop
    # checking references to the slug, which would only add noise.
    duplicates.add(clash.slug)
    for here, there in ((guide, clash), (clash, guide)):
        problems.add(error(Location(here.shown_path), f"the slug '{here.slug}' is also used by {there.shown_path}",
                           "rename one of the files: slugs are unique across the whole handbook", code="slug"))


def _attach_translation(handbook: Handbook, translation: Guide, reader: Reader, problems: ProblemList) -> None:
    original = handbook.guides.get(translation.slug)
    meta = translation.meta
    if original is None or original.type != translation.type:
        hint = did_you_mean(translation.slug, handbook.guides) or f"add the original {translation.slug}.md first"
        problems.add(error(Location(translation.shown_path, 1), f"this is a translation of '{translation.slug}', which does not exist", hint, code="translation"))
        return
    if translation.lang in original.translations:
        problems.add(error(Location(translation.shown_path, 1), f"there are two '{translation.lang}' translations of '{translation.slug}'", "keep one", code="translation"))
        return
    own = meta.data if isinstance(meta.data, dict) else None
    if own is None:
        problems.extend(reader.validate(meta, translation.type, handbook.topics))
        return
    # Type, topics and typed fields are inherited and were checked at the original.
    problems.extend(reader.validate(meta, translation.type, handbook.topics, required=TRANSLATION_REQUIRED))
    translation.original = original
    original.translations[translation.lang] = translation

