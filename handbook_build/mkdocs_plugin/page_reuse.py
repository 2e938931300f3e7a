"""Reusing unchanged pages from the last build (site/page_cache.py), in MkDocs' terms.

A page is reused when nothing it could show has changed: its own source, and
the facts every page shares (``shared_key``): the configuration, the theme,
the toolkit and the libraries that render, which files exist, every guide's
front matter and every hand-written page whole, the topics, what the build
leaves out, and, while serving, the problems the banners list. A body edit,
the usual change, leaves the shared facts alone: only its page is made again
(and the search index, the formats and the zip, which are made every time).

Reuse has two steps, as MkDocs has: the Markdown conversion (the page's HTML
body and what MkDocs learnt converting it, restored so link checks and the
search index see the page as if converted), then, once the search files are
known, the template (the whole page, written as it was).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from handbook_build import kept
from handbook_build.content.model import Handbook
from handbook_build.site import page_cache
from handbook_build.site.page_cache import Content, PageCache

log = get_plugin_logger(__name__)
REUSED_TEMPLATE = "handbook/reused.html"  # prints a reused page as it was written
OUTPUT_KEY = "handbook_reused_page"  # ... from this key of its context
RENDERING = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "babel", "pygments")
PAGE_EVENTS = ("on_pre_page", "on_page_read_source", "on_page_markdown", "on_page_content", "on_page_context",
               "on_post_page", "on_env", "on_template_context", "on_post_template", "on_nav")
NOT_SHOWN = {"site_dir", "strict", "dev_addr", "watch", "remote_branch", "remote_name"}  # never change a page


def start(config: MkDocsConfig, files: Files, handbook: Handbook, *, ours: object, on: bool, root: Path, **build: object) -> Reuse:
    """This build's reuse: off when the cache is (``on``), or when another plugin or hook works on pages
    (what it adds is not in any key here: its pages would come back stale)."""
    others = touching_pages(config, ours)
    if not on:
        return Reuse(None, "", alone=not others)
    if others:
        log.info(f"Pages are made afresh on every build: {', '.join(others)} also work(s) on pages, in ways "
                 "the page cache cannot see (the PDF, EPUB and scan caches still apply)")
        return Reuse(None, "", alone=False)
    return Reuse(root, shared_key(config, files, handbook, **build))


def touching_pages(config: MkDocsConfig, ours: object) -> list[str]:
    """The other plugins and hooks (mkdocs.yml ``hooks:``, modules) that handle a page event."""
    found = []
    for name, plugin in config.plugins.items():
        if plugin is ours:
            continue
        if isinstance(plugin, BasePlugin):
            touches = any(getattr(type(plugin), event, None) is not getattr(BasePlugin, event, None) for event in PAGE_EVENTS)
        else:
            touches = any(hasattr(plugin, event) for event in PAGE_EVENTS)
        if touches:
            found.append(name)
    return found


def shared_key(config: MkDocsConfig, files: Files, handbook: Handbook, **build: object) -> str:
    """What every page may show, as one digest: a change here makes every page again."""
    return page_cache.digest(
        page_cache.FORMAT, page_cache.toolkit_digest(), _versions(), _plain({k: v for k, v in config.items() if k not in NOT_SHOWN}),
        [_theme_dir(d) for d in config.theme.dirs], sorted(f.src_uri for f in files),
        sorted([g.path, g.lang, g.meta.data] for g in handbook.all_files()),
        sorted([p.path, None if p.meta is None else p.meta.data, p.body] for p in handbook.pages),
        sorted([t.id, t.title, t.description, t.translations] for t in handbook.topics.values()),
        _plain(build))


class Reuse:
    """One build's reuse of pages: which pages were reused, and the keys of the ones made afresh."""

    def __init__(self, root: Path | None, shared: str, *, alone: bool = True) -> None:
        self.cache = PageCache(root)  # None: the cache is off, every page is made again
        self.shared = shared
        self.alone = alone  # no other plugin or hook works on pages: a written page can be let go
        self.keys: dict[str, str] = {}  # src_uri -> the key of its content
        self.reused: dict[str, Content] = {}  # converted pages taken from the cache
        self.made: dict[str, Content] = {}  # converted pages made afresh, kept once their search text is known
        self.outputs: set[str] = set()  # the pages whose template is skipped: each read again when written
        self.output_keys: dict[str, str] = {}
        self._capture: _Capture | None = None

    def before_render(self, page: Page, markdown: str) -> bool:
        """True: the page's conversion is reused (convert nothing); False: convert it, and remember what it logs."""
        src = page.file.src_uri
        if "title" not in page.meta:  # its title comes from its first heading: only converting tells it
            return False
        key = self.keys[src] = page_cache.digest(self.shared, src, page.meta, markdown)
        found = self.cache.content(key)
        if found is not None:
            self.reused[src] = found
            return True
        self._capture = _Capture.start()
        return False

    def after_render(self, page: Page, html: str, files: Files) -> str:
        """The page's HTML body: the reused one (restored onto the page), or the new one (kept)."""
        src = page.file.src_uri
        found = self.reused.get(src)
        if found is None:
            logs = self._capture.stop() if self._capture else []
            self._capture = None
            if src in self.keys:
                self.made[src] = Content(html, _toc_tokens(page.toc), sorted(page.present_anchor_ids or ()), _links(page), logs)
            return html
        page.toc = get_toc(found.toc)  # type: ignore[arg-type]  # the tokens Python-Markdown's toc makes
        page.present_anchor_ids = set(found.anchors)
        page.links_to_anchors = {target: links for uri, links in found.links.items()
                                 if (target := files.get_file_from_path(uri)) is not None}
        for name, level, message in found.logs:  # a reused page warns as it did when it was made
            logging.getLogger(name).log(level, message)
        return found.html

    def text(self, page: Page, text_of: Callable[[str], str]) -> str:
        """The page's words for the search index: ``text_of`` its HTML body, unless kept with it."""
        src = page.file.src_uri
        kept = self.reused.get(src)
        if kept is not None and kept.text is not None:
            self.reused[src] = replace(kept, text=None)  # the search index holds it from here; not kept twice
            return kept.text
        text = text_of(page.content or "")
        if src in self.made:
            self.made[src] = replace(self.made[src], text=text)
        return text

    def plan_outputs(self, files: Files, late: object) -> None:
        """Once the search files are known (``late``): keep the pages converted afresh, and find
        which reused pages can skip their template."""
        for src, content in self.made.items():
            self.cache.put_content(self.keys[src], content)
        self.made.clear()  # written: their text and toc are not needed again (the HTML stays on the page)
        for file in files.documentation_pages():
            src = file.src_uri
            if src not in self.keys or file.page is None:
                continue
            key = self.output_keys[src] = page_cache.digest(self.keys[src], _plain(late))
            # Read to know it is whole, then let go: every page's output at once would be the build's peak.
            if src in self.reused and self.cache.output(key) is not None:
                self.outputs.add(src)
                file.page.meta["template"] = REUSED_TEMPLATE

    def output(self, page: Page) -> str | None:
        """The page as written, read again (plan_outputs only checked it); its template is already ours."""
        src = page.file.src_uri
        if src not in self.outputs:
            return None
        html = self.cache.output(self.output_keys[src])
        if html is None:  # checked whole moments ago: something removed or rewrote the cache during the build
            raise PluginError(f"the page cache changed during the build ({self.cache.folder}): build again")
        return html

    def after_page(self, page: Page, output: str) -> None:
        """A written page: its output kept for the next build, and, when no other plugin or hook may
        still read them, its Markdown and HTML let go (MkDocs reads neither after on_post_page: its
        anchor checks use what it learnt converting; held to the end they grew with the handbook)."""
        src = page.file.src_uri
        if src in self.output_keys and src not in self.outputs:
            self.cache.put_output(self.output_keys[src], output)
        if self.alone:
            page.title = page.title  # worked out from the Markdown: kept as it is for the nav of the pages still to come
            page.markdown = page.content = None

    def finish(self) -> str | None:
        """Forget what this build did not use; a line for the log (None: the cache is off)."""
        if self.cache.folder is None:
            return None
        if not self.output_keys:  # no search, no templates reached (on_env did not run): keep what was made
            for src, content in self.made.items():
                self.cache.put_content(self.keys[src], content)
        self.cache.prune()
        return f"{len(self.reused)} of {len(self.keys)} page(s) reused from the last build ({len(self.outputs)} written as they were)"


class _Capture(logging.Handler):
    """What MkDocs and the plugins log while one page is converted."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    @classmethod
    def start(cls) -> _Capture:
        capture = cls()
        logging.getLogger("mkdocs").addHandler(capture)
        return capture

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append((record.name, record.levelno, record.getMessage()))

    def stop(self) -> list[tuple[str, int, str]]:
        logging.getLogger("mkdocs").removeHandler(self)
        return self.records


def _toc_tokens(items: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)} for a in items]


def _links(page: Page) -> dict[str, dict[str, str]]:
    return {file.src_uri: dict(links) for file, links in (page.links_to_anchors or {}).items()}


def _theme_dir(folder: str) -> str:
    """A theme folder by its bytes; an installed theme (Material's) by its package's version, in _versions."""
    path = Path(folder)
    return "installed" if "site-packages" in path.parts or "dist-packages" in path.parts else page_cache.folder_digest(path)


def _versions() -> dict[str, str]:
    return kept.versions(RENDERING)


def _plain(value: Any) -> Any:
    """Configuration values as plain data; a plugin by its options, any other object by its type."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    config = getattr(value, "config", None)
    if isinstance(config, Mapping):
        return {"type": type(value).__qualname__, "config": _plain(config)}
    return type(value).__qualname__
