"""The search indexes, built once at build time so readers never build them.

Readers download small scripts (no ``fetch()``, so a copy opened from disk
works), and only what a query needs (search_shards.py): per language,
``search-index[.<lang>].js`` is a manifest and ``search-docs[.<lang>].js`` the
labels results use; the index's shards (runs of terms with their postings),
the rows results show (title, summary, type, topics) and a Snowball
language's word forms are parts in ``search-index/``, ``search-docs/`` and
``search-forms/`` (``<lang>/<n>.js``, see PARTS). The browser turns the shards
it loaded into lunr's own serialisation and hands them to ``lunr.Index.load``.
Body text is indexed but never shipped as text (but for each page's
sentences, search_passages.py). The default language's files have no
language in their names.

One index per language, each with its language's words (stemming.py): a
page is indexed in the language of its text (a guide's ``lang``, a page's
``name.<lang>.md``). A reader's page decides which index is searched first;
search.js loads the others when a search is made and lists their results
after the reader's language, leaving out a guide already found in it.

The browser must turn a query into the terms the index was built with:
- English: lunr.js has lunr's Porter stemmer, as the build does.
- A Snowball language: there is no Snowball in the browser, so the index
  ships the map from every word form seen in that language's text to its stem
  (only forms whose stem differs, front-coded, with the stop words mapped to
  nothing): a query word found anywhere in the handbook is stemmed exactly as
  the index was. A word never seen is cut to the longest index term that
  starts it (at least half its length): Snowball stems are, nearly always,
  the start of the word.
- Chinese and Japanese: Han and kana runs become overlapping character pairs
  (a lone character stays whole), in the build and in the query alike.

A shard keeps only what lunr needs to answer: its terms (front-coded) and, per
term and field, the documents (as gaps) with their score levels. The browser
builds lunr's field vectors and inverted index from them in one pass. No
positions are kept: highlighting compares terms instead.

Nothing here imports MkDocs; the plugin hands over plain data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol

from handbook_build.content.model import Guide, Handbook
from handbook_build.site import i18n, search_passages, search_shards, urls
from handbook_build.site.search_index import FORMAT, PAGE, TOPIC, SearchDoc

INDEX_FILE = "assets/handbook/search-index.js"  # the default language's; others: search-index.<lang>.js
DOCS_FILE = "assets/handbook/search-docs.js"
LUNR_FILE = "assets/handbook/lunr.js"
CODE_FILE = "assets/handbook/lazy/search.js"  # the search code, loaded by the bundle's search.js when a reader starts
LUNR_IN_MKDOCS = "contrib/search/templates/search/lunr.js"  # inside the installed mkdocs package
PAGE_SRC = urls.SEARCH_SRC
PAGE_TEMPLATE = "partials/handbook/search-page.html"
INDEX_GLOBAL = "handbookSearchIndex"
DOCS_GLOBAL = "handbookSearchDocs"
# The parts loaded as a query needs them (search_shards.py), each in a folder next to the files above:
# <folder>/<lang>/<n>.js adds window[<global>]["<lang>/<n>@<build>"].
PARTS = {"search-index": "handbookSearchShards", "search-docs": "handbookSearchChunks", "search-forms": "handbookSearchForms"}

_PAGE_LANG = re.compile(r"\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")  # about.sv.md


def index_file(lang: str, default: str) -> str:
    return INDEX_FILE if lang == default else INDEX_FILE.replace(".js", f".{lang}.js")


def docs_file(lang: str, default: str) -> str:
    return DOCS_FILE if lang == default else DOCS_FILE.replace(".js", f".{lang}.js")


def part_file(folder: str, lang: str, n: int) -> str:
    """Where part ``n`` of a language's index, results or word forms is (``folder`` is a key of PARTS)."""
    return f"assets/handbook/{folder}/{lang}/{n}.js"


@dataclass(frozen=True)
class PageText:
    """A rendered page as the plugin saw it: where it lives and its text."""

    src_uri: str  # e.g. "tactics/power-mapping.md"
    url: str  # from the site root, e.g. "tactics/power-mapping/"
    title: str
    text: str  # the rendered body as plain text
    description: str = ""
    lang: str = ""  # the language of its text, when the plugin knows it; else found from the file (page_lang)
    source: str = ""  # the content file it shows, when not src_uri (a language tree's copy of a page)
    tree: str = ""  # the language of the tree the page is in (its interface), when there are trees


@dataclass(frozen=True)
class SearchFiles:
    """The files to write into the site, by path from the site root."""

    files: dict[str, bytes] = field(default_factory=dict)
    default: str = "en"
    languages: dict[str, tuple[str, str]] = field(default_factory=dict)  # lang -> (index file, docs file)
    page_langs: dict[str, str] = field(default_factory=dict)  # src_uri -> lang, where not the default

    @property
    def version(self) -> str:
        """A short hash of the contents, to tell browsers a new build is a new file."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode())
            digest.update(self.files[name])
        return digest.hexdigest()[:10]


# -- documents ------------------------------------------------------------------


class PageViews(Protocol):
    """What the site knows about each page (site/pages.py's Pages)."""

    def view(self, src_uri: str) -> Any: ...


def as_content(pages: Iterable[PageText], views: PageViews | None) -> list[PageText]:
    """Pages as the content they show, read from their views where the site has language trees.

    A view may say (pages.PageView): ``guide`` (the version shown), ``topic``,
    ``lang`` (the tree's language), ``base_src`` and ``content_lang`` (set on a
    fallback copy). A fallback copy is left out: its text is indexed once, in
    its own language. Views without these fields leave a page as it is.
    """
    out: list[PageText] = []
    for page in pages:
        view = views.view(page.src_uri) if views is not None else None
        if view is None:
            out.append(page)
            continue
        if getattr(view, "content_lang", None):
            continue
        tree = str(getattr(view, "lang", "") or "")
        guide, topic = getattr(view, "guide", None), getattr(view, "topic", None)
        if isinstance(guide, Guide):
            out.append(replace(page, source=guide.path, lang=guide.lang, tree=tree))
        elif topic is not None and getattr(view, "kind", "") == "topic":
            out.append(replace(page, source=urls.topic_src(topic.id), title=topic.title, description=topic.description,
                               lang=tree, tree=tree))
        else:
            out.append(replace(page, source=str(getattr(view, "base_src", "") or page.src_uri), lang=tree or page.lang,
                               tree=tree))
    return out


def documents(handbook: Handbook, pages: Iterable[PageText]) -> list[SearchDoc]:
    """One document per published page, in the language of its text, guides described by their front matter.

    Guides (translations included) carry their type and topics; topic pages
    are found by title and description; other hand-written pages by their text.
    Generated pages without text of their own (type and topic lists) are left
    out: their words belong to the guides they list. ``key`` is the same for a
    guide or page and its translations (the original's path); ``original``
    marks a guide's original and the default language's pages.
    """
    guides = {g.path: g for g in handbook.all_files()}
    topics = {urls.topic_src(t.id): t for t in handbook.topics.values()}
    docs: list[SearchDoc] = []
    for page in pages:
        source = page.source or page.src_uri
        guide = guides.get(source)
        if guide is not None:
            if not guide.draft:  # the build leaves drafts out; never let one slip in as a "page"
                docs.append(_guide_doc(guide, page))
        elif source in topics:
            topic = topics[source]
            title, summary = (page.title, page.description) if page.lang else (topic.title, topic.description)
            lang = page.lang or handbook.lang
            docs.append(SearchDoc(page.url, title, summary, TOPIC, lang=lang, key=source, original=lang == handbook.lang))
        elif page.text.strip():
            lang = page_lang(page, handbook)
            docs.append(SearchDoc(page.url, page.title, page.description, PAGE, body=page.text, lang=lang,
                                  key=_PAGE_LANG.sub(".md", source), original=lang == handbook.lang))
    return sorted(docs, key=lambda d: d.url)


def page_lang(page: PageText, handbook: Handbook) -> str:
    """The language of a page's text: as the plugin says, else ``name.<lang>.md``, else the handbook's."""
    if page.lang:
        return page.lang
    match = _PAGE_LANG.search(page.source or page.src_uri)
    return match.group(1) if match else handbook.lang


def reader_lang(page: PageText, handbook: Handbook, views: PageViews | None) -> str:
    """The language a page's reader reads in: its tree's, else the language of its text."""
    view = views.view(page.src_uri) if views is not None else None
    tree = getattr(view, "lang", "") if view is not None else ""
    if tree:
        return str(tree)
    guide = getattr(view, "guide", None)
    return guide.lang if isinstance(guide, Guide) else page.tree or page_lang(page, handbook)


def _guide_doc(guide: Guide, page: PageText) -> SearchDoc:
    original = guide.original or guide
    return SearchDoc(
        url=page.url,
        title=guide.title,
        summary=guide.summary,
        type=guide.type,
        topics=tuple(guide.topics),
        body=page.text,
        lang=page.lang or guide.lang,
        key=original.path,
        original=guide is original,
    )


class _TextOf(HTMLParser):
    """Collects the words a reader sees, with block elements kept apart."""

    _SKIP = frozenset({"script", "style", "template", "svg"})
    _BREAK = frozenset({"p", "div", "li", "td", "th", "br", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd",
                        "blockquote", "tr", "section", "article", "figcaption"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data.replace("\r", " ").replace("\n", " "))  # lines are blocks (text_of)


def text_of(html: str) -> str:
    """The plain text of a rendered page body: one line per block (paragraph, list item, heading),
    whitespace collapsed within it (search_passages.py cuts the lines into sentences)."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def display_store(docs: Sequence[SearchDoc], handbook: Handbook, lang: str, prefix: str = "") -> dict[str, Any]:
    """What a result shows, by ref: [url, title, summary, type, topics, key, 1 if an original].

    The rows are under "docs" here; the site ships them in chunks (search_shards.store_chunks) and
    this file keeps the rest. ``prefix`` is where the language's tree starts ("sv/"; "" without
    trees): search.js finds another language's original in the reader's tree there."""
    rows = [[doc.url, doc.title, doc.summary, doc.type, list(doc.topics), doc.key, *([1] if doc.original else [])]
            for doc in docs]
    types = {name: t.label for name, t in handbook.types.items()}
    types.update({TOPIC: i18n.gettext(lang, "Topic"), PAGE: i18n.gettext(lang, "Page")})
    return {
        "format": FORMAT,
        "lang": lang,
        "prefix": prefix,
        "docs": rows,
        "chunk": search_shards.STORE_CHUNK,
        "translations": sorted({doc.key for doc in docs if doc.key and not doc.original}),
        "types": types,
        "topics": {t.id: t.title for t in sorted(handbook.topics.values(), key=lambda t: t.id)},
    }


def _script(global_name: str, lang: str, data: Any) -> bytes:
    """A script that adds ``data`` as ``window[global_name][lang]``: languages load in any order.

    Sorted keys, no whitespace, no timestamps: two builds give the same bytes.
    "</" is escaped so the data can never end a script element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    key = json.dumps(lang)
    return f"(window.{global_name}=window.{global_name}||{{}})[{key}]={text};\n".encode()


def search_files(handbook: Handbook, pages: Iterable[PageText], views: PageViews | None = None) -> SearchFiles:
    """Everything search writes into the site except lunr.js itself: an index and results per language.

    ``views`` (the site's Pages) tells which language tree each page is in, and gives each language's
    handbook (``books``: type and topic names in that language) for what its results show."""
    pages = list(pages)
    page_langs = {p.src_uri: lang for p in pages if (lang := reader_lang(p, handbook, views)) != handbook.lang}
    docs = documents(handbook, as_content(pages, views))
    by_lang: dict[str, list[SearchDoc]] = {handbook.lang: []}
    for doc in docs:
        by_lang.setdefault(doc.lang or handbook.lang, []).append(doc)
    trees = getattr(views, "languages", None)
    books: dict[str, Handbook] = getattr(views, "books", None) or {}
    made: list[tuple[str, str, str, Any]] = []  # (file, global, key, data)
    languages: dict[str, tuple[str, str]] = {}
    for lang in sorted(by_lang, key=lambda code: (code != handbook.lang, code)):
        index, store = index_file(lang, handbook.lang), docs_file(lang, handbook.lang)
        prefix = str(trees.prefix(lang)) if trees is not None and hasattr(trees, "prefix") else ""
        sharded = search_shards.sharded_index(by_lang[lang], lang)
        made.append((index, INDEX_GLOBAL, lang, sharded.manifest))
        for folder, parts in (("search-index", sharded.shards), ("search-forms", sharded.forms)):
            made.extend((part_file(folder, lang, n), PARTS[folder], f"{lang}/{n}", part) for n, part in enumerate(parts))
        shown = display_store(by_lang[lang], books.get(lang, handbook), lang, prefix)
        chunks = search_shards.store_chunks(shown.pop("docs"))
        made.append((store, DOCS_GLOBAL, lang, shown))
        made.extend((part_file("search-docs", lang, n), PARTS["search-docs"], f"{lang}/{n}", chunk)
                    for n, chunk in enumerate(chunks))
        # Each page's sentences, for a result to show the one that matched (search_passages.py).
        for ref, sentences in search_passages.by_ref(by_lang[lang]).items():
            made.append((search_passages.text_file(lang, ref), search_passages.TEXT_GLOBAL, f"{lang}/{ref}", sentences))
        languages[lang] = (index, store)
    # Pages name these files without a version (a page that names one would change with every edit of any
    # guide); each file says which build made it instead, and search.js fetches again what a browser's
    # cache kept from an earlier build (a sentence file's key carries it: "en/12@<build>").
    build = _build_id(made)
    files: dict[str, bytes] = {}
    for n, (name, name_of_global, key, data) in enumerate(made):
        files[name] = _script(name_of_global, key if isinstance(data, dict) else f"{key}@{build}",
                              {**data, "build": build} if isinstance(data, dict) else data)
        made[n] = ("", "", "", None)  # its script is made: the data need not wait for the rest
    return SearchFiles(files, handbook.lang, languages, page_langs)


def _build_id(made: Sequence[tuple[str, str, str, Any]]) -> str:
    """What one build's search data is, in 12 hex digits: the SHA-256 of ``json.dumps(made)`` (sorted keys,
    not ASCII-escaped), fed a file at a time so the whole handbook's text is never one string."""
    digest = hashlib.sha256(b"[")
    for n, item in enumerate(made):
        digest.update((", " if n else "").encode() + json.dumps(item, sort_keys=True, ensure_ascii=False).encode())
    digest.update(b"]")
    return digest.hexdigest()[:12]


def filter_options(handbook: Handbook) -> dict[str, list[tuple[str, str]]]:
    """The search page's filters: guide types and topics as (value, label)."""
    return {
        "types": [(name, t.plural) for name, t in handbook.types.items()],
        "topics": [(t.id, t.title) for t in sorted(handbook.topics.values(), key=lambda t: t.title.casefold())],
    }


def template_globals(files: SearchFiles, handbook: Handbook, *, page_url: str,
                     lang_of: Callable[[str], str] | None = None) -> dict[str, Any]:
    """What search-box.html and search-page.html need: where the files are, the filters, and
    ``lang_of(src_uri)``, the language whose index a page searches first (a page that is not indexed,
    such as a tree's search page: ``lang_of``, the site's answer)."""
    def first(src_uri: str) -> str:
        return files.page_langs.get(src_uri) or (lang_of(src_uri) if lang_of is not None else files.default)
    return {"lunr": LUNR_FILE, "code": CODE_FILE, "code_version": _code_version(), "page_url": page_url, "filters": filter_options(handbook),
            "default": files.default, "languages": files.languages, "lang_of": first}


@functools.cache
def _code_version() -> str:
    """The search code's own version (it changes only with this package), so a browser never runs a
    cached copy from another release."""
    return hashlib.sha256((Path(__file__).parent.parent / "templates" / CODE_FILE).read_bytes()).hexdigest()[:10]


def in_language(found: dict[str, Any], book: Handbook, *, page_url: str) -> dict[str, Any]:
    """``template_globals`` for a page of one language's tree: its own search page, the filters in its words."""
    return {**found, "page_url": page_url, "filters": filter_options(book)}


def indexed(src_uri: str, views: PageViews | None) -> bool:
    """Whether a page's text goes into the index: every page but the search pages themselves."""
    view = views.view(src_uri) if views is not None else None
    return src_uri != PAGE_SRC and getattr(view, "kind", "") != "search"


class SearchError(Exception):
    """Search cannot be written (e.g. the installed MkDocs has no lunr.js)."""


def write(files: SearchFiles, site_dir: Path, lunr_js: Path) -> None:
    """Write the index, the results and lunr.js (from the installed MkDocs: never a copy in the repository)."""
    try:
        lunr_text = lunr_js.read_bytes()
    except OSError as exc:
        raise SearchError(f"search needs lunr.js from the installed mkdocs package, but {lunr_js} cannot be read "
                          f"({exc.strerror}); reinstall mkdocs or set 'search: false' under the handbook plugin") from exc
    for name, data in {**files.files, LUNR_FILE: lunr_text}.items():
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
