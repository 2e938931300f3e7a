"""The MkDocs plugin: short hooks that hand the work to the core."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mkdocs
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from handbook_build import checks, licences
from handbook_build.checks import paths, translations
from handbook_build.content import origin
from handbook_build.content.model import Handbook
from handbook_build.content.root import TOPICS_FILE, ContentRoot
from handbook_build.content.schema import Schema, SchemaError
from handbook_build.content.translations import version_in
from handbook_build.formats.downloads import ZINES, offers
from handbook_build.markdown import checklists, sanitize
from handbook_build.markdown.outbound import OutboundLinkExtension
from handbook_build.markdown.wikilinks import WikiLinkExtension
from handbook_build.mkdocs_plugin import adapters, carry, language_tree, page_reuse, wayfinding
from handbook_build.mkdocs_plugin.config import HandbookConfig
from handbook_build.mkdocs_plugin.settings import settings_of
from handbook_build.problems import ProblemList, Severity
from handbook_build.settings import Settings
from handbook_build.site import (
    drafts,
    export,
    i18n,
    localized,
    not_found,
    offline,
    preview,
    publishing,
    reference_doc,
    reproducible,
    urls,
)
from handbook_build.site.pages import Pages, downloads

if TYPE_CHECKING:  # search (lunr, Snowball) and the site scan (tinycss2) load in the hooks that use them:
    from handbook_build.site import search  # `handbook check` loads this module with mkdocs.yml and needs neither

log = get_plugin_logger(__name__)
OUR_TEMPLATES = ("partials/handbook/", "handbook/")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.problems = ProblemList()
        self.settings: Settings | None = None
        self.schema: Schema | None = None
        self.pages: Pages | None = None
        self.navs: dict[str, Any] = {}  # the navigation of each language's tree (language_tree.py)
        self._current_src: str | None = None  # the page whose Markdown is being converted
        self.epoch = 0  # the build's date (reproducible.py): passed where needed, never put in os.environ
        self.serving = False  # `mkdocs serve`: show problems on the page, keep broken guides
        self.licensing: licences.Licensing | None = None
        self.site_urls = urls.SiteUrls()
        self.bundles: dict[str, str] = {}  # "css"/"js" -> the one bundle's path (assets.py)
        self.links: dict[str, str | None] = {}  # footer links: licence, contributing, offline
        self.search: search.SearchFiles | None = None  # the index and results, written after the build
        self.search_globals: dict[str, Any] | None = None  # what search's templates get (search.template_globals)
        self.pdf_path: str | None = None  # the PDF's path in the site ("handbook.pdf"), once written
        self.books: dict[str, Any] = {}  # lang -> the handbook as a book (pdf.Book), assembled once per build
        self.unpublished: set[str] = set()  # content paths the site leaves out (drafts, withheld, outside links)
        self.opened: frozenset[str] = frozenset()  # the drafts a draft preview shows (drafts.py)
        self.feedback = drafts.Feedback(None)  # where their readers comment
        self.current_in_nav = wayfinding.CurrentInNav()  # a guide's type index is current in the nav
        self.withheld: dict[str, publishing.Withheld] = {}  # files left out of the site, and why (publishing.py)
        self.reuse = page_reuse.Reuse(None, "")  # pages unchanged since the last build (page_reuse.py); off until on_files

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        try:
            self.schema = Schema.load(Path(self.config.schema) if self.config.schema else None)
        except SchemaError as exc:
            raise PluginError(str(exc)) from exc
        self.settings = settings_of(config, self.config)  # the same Settings `handbook check` reads
        config.markdown_extensions.append(WikiLinkExtension(self._resolve_wikilink))  # type: ignore[arg-type]
        config.markdown_extensions.append(OutboundLinkExtension())  # type: ignore[arg-type]
        checklists.enable(config.markdown_extensions, config.mdx_configs)  # `- [ ] item`: boxes a reader can tick
        config.markdown_extensions.append(sanitize.SanitizeExtension())  # type: ignore[arg-type]  # last: sees the final HTML
        try:
            self.licensing = licences.Licensing.create(self.config.license, config.site_name, config.site_author)
        except ValueError as exc:
            raise PluginError(f"{config.config_file_path}: plugins: handbook: license: {exc}") from exc
        self.site_urls = urls.SiteUrls(bool(config.use_directory_urls))
        adapters.add_templates(config)  # ours right after the handbook's custom_dir
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.settings is None or self.schema is None:
            return None
        self.handbook, self.problems = checks.load_and_check(self.settings.content_dir, self.schema, lang=self.settings.lang,
                                                    license=self.settings.license, languages=self.settings.languages,
                                                    cache_root=self.settings.root)  # unchanged files from .cache/handbook/
        self.epoch = reproducible.build_epoch(self.handbook, os.environ)  # from the content, never the clock
        self.books = {}  # a new build (serve rebuilds) assembles its books anew
        self._report(strict=bool(config.strict))
        self._open_drafts(config)  # after the checks: a draft preview publishes drafts from here on
        self.unpublished = unpublished = self._unpublished()  # worked out once; the books leave them out too
        # MkDocs follows folder symlinks: never publish what one brings in from outside (paths.py reports it).
        unpublished |= paths.leaving(config.docs_dir, ((f.src_uri, f.abs_src_path) for f in files
                                                        if f.abs_src_path and f.src_dir == config.docs_dir))
        for file in list(files):
            if file.src_uri in unpublished or file.src_uri == TOPICS_FILE:
                files.remove(file)
        self.pages = self._language_pages(files, config)  # every page in every language's tree
        self.bundles = adapters.bundle_assets(files, config)  # Material's CSS/JS and ours, one file each
        carry.drop_template_files(files, config)  # pdf/, epub/, zine/: templates for files the build writes
        self.links = {"licence": self.site_urls.licence_url(),
                      "contributing": self.site_urls.page_url(urls.CONTRIBUTING_SRC) if files.get_file_from_path(urls.CONTRIBUTING_SRC) else None,
                      "offline": offline.ZIP_NAME if self._zip_wanted() else None, "zines": ZINES if self.config.zines and self.settings.pdf and not self.serving else None}  # print: with the PDF
        self.reuse = page_reuse.start(config, files, self.handbook, ours=self, on=self.config.cache, root=self.settings.root, serving=self.serving,
                                      epoch=self.epoch, unpublished=sorted(unpublished), opened=sorted(self.opened), links=self.links, bundles=self.bundles,
                                      schema=self.schema.raw, problems=[str(p) for p in self.problems] if self.serving else [])
        return files

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """While serving, we read each page's source: a file saved wrongly (not UTF-8, too big, gone)
        becomes a placeholder page with its problems, never an error that stops the preview (preview.py)."""
        file = page.file
        if not self.serving or self.settings is None or not file.abs_src_path or file.src_dir != config.docs_dir:
            return None
        shown = ContentRoot.at(self.settings.content_dir).show(file.src_uri)
        text, found = preview.read_source(Path(file.abs_src_path), shown, self.problems.for_path(shown), content_dir=Path(config.docs_dir))
        for problem in found:
            log.error(str(problem))
        self.problems.extend(found)
        return text

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.pages is None:
            return None
        self._current_src = page.file.src_uri
        markdown = language_tree.relink(markdown, self.pages.lang_of(page.file.src_uri), self.pages.languages)
        markdown = language_tree.rehome(markdown, page.file, config.docs_dir, files)  # images reached from sv/...
        guide = self.pages.guide_for(page.file.src_uri)
        if guide is not None:
            page.meta.setdefault("description", guide.summary)  # <meta name=description>
        page.update_date = reproducible.page_day(guide.updated if guide else None, self.epoch)  # sitemap lastmod
        view = self.pages.view(page.file.src_uri)
        if view is not None and view.hide:
            page.meta.setdefault("hide", list(view.hide))  # Material's sidebars, e.g. no empty toc beside card grids
        if self.schema is not None and self.handbook is not None:
            markdown = reference_doc.expand(markdown, self.schema, self.handbook.topics)
        return "" if self.reuse.before_render(page, markdown) else markdown  # "": reused, nothing to convert

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        # Our partials escape everything by default; Material's templates keep their own rules.
        env.autoescape = lambda name: name is not None and name.startswith(OUR_TEMPLATES)
        i18n.install(env)  # {% trans %} and _() in the page's language (site/i18n.py)
        env.filters["hb_fact"] = localized.fact_filter
        env.filters["hb_shown"] = localized.shown_filter  # a guide as the page's language shows it
        env.filters["hb_source"] = export.source_href  # a guide's Markdown in the site ("Download source")
        env.filters["hb_origin"] = origin.of  # where an adapted guide came from
        # Material prints page titles and descriptions unescaped; from here on they are HTML (sanitize.plain: text).
        for file in files.documentation_pages():
            if file.page is not None:
                sanitize.escape_meta(file.page.meta, title_html=adapters.title_html(file.page))
        env.globals["handbook_search"] = self._build_search(files)  # every page is rendered to HTML by now
        env.globals["handbook_palette"] = adapters.palette_css(self.config.colours, list(self.handbook.types) if self.handbook else [])
        self.reuse.plan_outputs(files, [env.globals["handbook_search"], env.globals["handbook_palette"]])  # a reused page may skip its template
        return env

    # MkDocs types the context as a closed TypedDict; ours adds keys, so it is a plain dict here.
    def on_page_context(self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any] | None:  # type: ignore[override]
        if self.pages is None:
            return None
        if (reused := self.reuse.output(page)) is not None:
            return {page_reuse.OUTPUT_KEY: reused}  # handbook/reused.html writes the page as it was
        context.update(self._language_context(page, config, nav))  # handbook, hb_urls, links, nav in the page's language
        context["handbook_page"] = self.pages.view(page.file.src_uri)
        wayfinding.extend_toc(page, context["handbook_page"])  # a guide's Related and Sources in its toc
        self.current_in_nav.mark(context["nav"], page, wayfinding.nav_source(context["handbook_page"], self.pages.languages))
        context["handbook_assets"] = self.bundles
        context["handbook_licensing"] = self.licensing
        context["handbook_credit"] = adapters.credit(self.licensing, self.pages, self.handbook, page, config)
        context["handbook_draft"] = self._draft_banner(page)  # partials/handbook/draft-banner.html
        if self.serving and self.settings is not None:  # partials/handbook/problems-banner.html
            shown = ContentRoot.at(self.settings.content_dir).show(page.file.src_uri)
            context["handbook_problems"] = self.problems.for_path(shown)
            context["handbook_problems_total"] = len(self.problems.sorted())
        return context

    def on_template_context(self, context: dict[str, Any], /, *, template_name: str, config: MkDocsConfig) -> dict[str, Any] | None:  # type: ignore[override]
        """Pages from the theme alone (404.html): the same bundles, footer and credits as every other page."""
        if self.pages is None or self.licensing is None or self.handbook is None:
            return None
        context.update(handbook=self.handbook, hb_urls=self.site_urls, handbook_lang=self.handbook.lang, handbook_assets=self.bundles, handbook_links=self.links,
                       handbook_licensing=self.licensing,
                       handbook_credit=self.licensing.credit(title=config.site_name, description=config.site_description, lang=self.handbook.lang))
        if template_name == "404.html":  # relative links without a site_url, no credit line (site/not_found.py)
            context.update(not_found.template_context((s for lang in self.pages.languages.codes for s in self.pages.sources(lang)), site_url=config.site_url))
        return context

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        html = publishing.without_foreign_images(html)  # reported at its line by the checks; never loaded
        return self.reuse.after_render(page, html, files)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> None:
        self.reuse.after_page(page, output)  # kept for the next build; its Markdown and HTML let go

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.pages is not None:
            self.navs = language_tree.navigations(nav, files, self.pages.languages)
        return nav

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        from handbook_build.formats import sizes
        from handbook_build.site import scan, search
        site = Path(config.site_dir)
        if (index := self.search) is not None:  # first: the privacy scan and the offline zip include it
            self.search = None  # let go once written: not held through the EPUB and the zip
            try:
                search.write(index, site, Path(mkdocs.__file__).parent / search.LUNR_IN_MKDOCS)
            except search.SearchError as exc:
                raise PluginError(str(exc)) from exc
        self._write_export(config)  # before the scan and the zip, which include it
        leaks = scan.scan_site(site, ContentRoot.at(site).shown, memo=adapters.cache_dir(config) / "scan.json" if self.config.cache else None)
        for problem in leaks:
            log.error(str(problem))
        if leaks and not self.serving:
            raise PluginError(f"{len(leaks)} place(s) in the built site would load files from other hosts (listed above)")
        if self.settings is not None and self.settings.pdf and self.handbook is not None:
            self._write_pdf(config)
        self._write_formats(config)  # the EPUB, the zines, the ZIM; every download's size into the pages
        if self._zip_wanted():  # last: the zip holds everything built before it
            offline.write_zip(site, environ=reproducible.as_environ(self.epoch))
            sizes.fill(site, [offline.ZIP_NAME])  # the zip's own size: on the site's pages, not on the zip's
        if reused := self.reuse.finish():
            log.info(reused)
        for line in publishing.summary(self.withheld):  # one line per withheld file, the end of the log
            log.warning(line)

    # -- helpers ----------------------------------------------------------------

    def _build_search(self, files: Files) -> dict[str, Any] | None:
        """The search index from every rendered page (search.py), and what templates need to load it."""
        if not self.config.search or self.handbook is None:
            return None
        from handbook_build.site import search
        texts = [search.PageText(f.src_uri, f.page.url, sanitize.plain(f.page.title or ""), self.reuse.text(f.page, search.text_of),
                                 sanitize.plain(str(f.page.meta.get("description") or "")))
                 for f in files.documentation_pages() if f.page is not None and search.indexed(f.src_uri, self.pages)]
        self.search = search.search_files(self.handbook, texts, views=self.pages)  # which language tree each page is in
        self.search_globals = search.template_globals(self.search, self.handbook, page_url=self.site_urls.page_url(search.PAGE_SRC),
                                                      lang_of=self.pages.lang_of if self.pages else None)
        return self.search_globals

    def _write_pdf(self, config: MkDocsConfig) -> None:
        """site/handbook.pdf, and site/handbook.<lang>.pdf for each other language of the handbook (handbook_build/pdf/)."""
        from handbook_build import pdf  # WeasyPrint is only imported by builds that make the PDF

        assert self.handbook is not None and self.settings is not None
        for lang in self.pages.languages.codes if self.pages else (self.handbook.lang,):
            book = self._book(config, lang)
            options = pdf.Options(target=Path(config.site_dir) / book.pdf_name, content_dir=Path(config.docs_dir),
                                  theme_dirs=tuple(Path(d) for d in config.theme.dirs), workers=self.config.pdf_workers,
                                  extensions=tuple(e for e in config.markdown_extensions if isinstance(e, str)),
                                  extension_configs=dict(config.mdx_configs), when=reproducible.moment(self.epoch),
                                  cache_dir=adapters.cache_dir(config) / "pdf" if self.config.cache else None)
            try:
                outcome = pdf.build_pdf(book, options, pdf.for_terminal(log.info))
            except pdf.PdfError as exc:
                raise PluginError(str(exc)) from exc
            for problem in outcome.problems:
                (log.error if problem.severity is Severity.ERROR else log.warning)(str(problem))
            for message in outcome.messages:
                log.info(f"WeasyPrint: {message}")
            log.info(f"Wrote {book.pdf_name}: {outcome.pages} pages in {outcome.seconds:.1f} s ({outcome.workers} processes, "
                     f"{outcome.from_cache} of {outcome.parts} parts from the cache)")
        self.pdf_path = pdf.PDF_NAME

    def _book(self, config: MkDocsConfig, lang: str) -> Any:  # pdf.Book: not imported here (WeasyPrint)
        """The handbook in ``lang`` as a book (pdf/book.py): what the PDF prints and the EPUB and zines hold."""
        from handbook_build import pdf  # WeasyPrint is only imported by builds that make the PDF

        assert self.handbook is not None
        if lang not in self.books:  # once per build: the PDF, the EPUB and the zines read the same book
            self.books[lang] = pdf.assemble(self.handbook, title=config.site_name, subtitle=config.site_description or "",
                                            licence_id=self.config.license, site_url=config.site_url or None,
                                            content_dir=Path(config.docs_dir), exclude=self.unpublished,
                                            intro=self.config.pdf_intro or "about.md",
                                            connections=self.pages.connections if self.pages else None,
                                            edition=reproducible.moment(self.epoch).date(), lang=lang)
        return self.books[lang]

    def _write_formats(self, config: MkDocsConfig) -> None:
        """An EPUB per language, as the PDFs; zines/ and handbook.zim in the handbook's language only (carry.py)."""
        if self.handbook is not None and not self.serving:
            langs = self.pages.languages.codes if self.pages and self.config.epub else (self.handbook.lang,)  # the default first
            wanted = self.config.epub or self.config.zim or bool(self.links.get("zines"))  # else no book to assemble
            carry.write(config, self.config, [self._book(config, lang) for lang in langs] if wanted else [], epoch=self.epoch, zines=bool(self.links.get("zines")))

    def _open_drafts(self, config: MkDocsConfig) -> None:
        """A draft preview (drafts.py): drafts are published in this build, each with a banner and a feedback link."""
        try:
            template = drafts.check_template(self.config.feedback_url) if self.config.feedback_url else drafts.default_template(config.repo_url)
        except ValueError as exc:
            raise PluginError(f"{config.config_file_path}: plugins: handbook: feedback_url: {exc}") from exc
        self.feedback = drafts.Feedback(template)
        if self.handbook is not None and drafts.wanted(self.config.drafts, os.environ):
            self.opened = drafts.open_for_comment(self.handbook)
            log.info(f"Draft preview: {len(self.opened)} draft(s) shown, each with a 'Draft: comments welcome' banner")

    def _draft_banner(self, page: Page) -> drafts.Banner | None:
        guide = self.pages.guide_for(page.file.src_uri) if self.pages else None
        return self.feedback.banner(guide) if guide is not None and guide.path in self.opened else None

    def _write_export(self, config: MkDocsConfig) -> None:
        """site/handbook.json, its schema and every published guide's Markdown source (export.py)."""
        if self.handbook is None or self.licensing is None or self.pages is None:
            return
        data = export.Export(self.handbook, self.licensing, site_url=config.site_url or None, description=config.site_description,
                             page_url=self.site_urls.guide_url, connections=self.pages.connections, opened=self.opened)
        export.write(Path(config.site_dir), Path(config.docs_dir), data)

    def _language_pages(self, files: Files, config: MkDocsConfig) -> Pages:
        assert self.handbook is not None and self.settings is not None
        hand = language_tree.hand_pages(files, self.handbook, config.docs_dir)
        carry = offers(epub=self.config.epub and not self.serving, zim=self.config.zim and not self.serving)  # formats/downloads.py
        pages = Pages(self.handbook, offer=downloads(pdf=self.settings.pdf, offline=self._zip_wanted()) + carry, hand_pages=hand, search=self.config.search,
                      languages=language_tree.declare(self.handbook, dict(self.config.languages), hand))
        language_tree.publish(files, config, pages, self.handbook)
        return pages

    def _language_context(self, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        """What a page's templates need to speak its language (the switcher, links into its tree, its nav)."""
        from handbook_build.site import search
        assert self.pages is not None and self.handbook is not None
        src, langs = page.file.src_uri, self.pages.languages
        lang = self.pages.lang_of(src)
        hb_urls = self.site_urls.for_lang(lang, langs)
        switcher = language_tree.switcher(self.pages, src, langs)
        for item in switcher:
            item["url"] = urls.page_url(str(item["src"]), directory_urls=self.site_urls.directory_urls)
        links = {**self.links, "licence": hb_urls.licence_url(),
                 "contributing": hb_urls.page_url(urls.CONTRIBUTING_SRC) if self.links.get("contributing") else None,
                 "translations": hb_urls.translations_url() if len(langs.codes) > 1 else None}
        return {"handbook": self.pages.books.get(lang, self.handbook), "hb_urls": hb_urls, "handbook_lang": lang,
                "handbook_links": links, "handbook_languages": switcher if len(switcher) > 1 else [],
                "handbook_material_lang": language_tree.material_language(lang, list(config.theme.dirs), str(config.theme.get("language", "en"))),
                "handbook_search": search.in_language(self.search_globals, self.pages.books.get(lang, self.handbook),  # its tree's search page
                                                       page_url=hb_urls.page_url(search.PAGE_SRC)) if self.search_globals else None,
                "nav": self.navs.get(lang, nav)}

    def _zip_wanted(self) -> bool:
        return self.config.offline_zip and not self.serving

    def _resolve_wikilink(self, slug: str) -> tuple[str, str] | None:
        """[[slug]] as a link to the guide's .md source, relative to the current page:
        MkDocs then turns it into a URL and checks it like any other link."""
        target = self.handbook.guide(slug) if self.handbook else None
        if target is None or target.draft or self._current_src is None:
            return None
        assert self.pages is not None
        lang = self.pages.lang_of(self._current_src)  # stay in the reader's language's tree
        shown = version_in(target, lang) or target
        return language_tree.wikilink_src(self._current_src, self.pages.languages.src_in(lang, target.path)), shown.title

    def _report(self, *, strict: bool) -> None:
        for problem in self.problems:
            noted = problem.code in translations.NOTED_IN_BUILD
            (log.error if problem.severity is Severity.ERROR else log.info if noted else log.warning)(str(problem))
        errors = self.problems.errors
        if errors and strict:
            raise PluginError(f"{len(errors)} problem(s) in the content; fix them and build again (run 'handbook check' for the list)")

    def _unpublished(self) -> set[str]:
        """Content paths not to publish: drafts, and files whose errors stop them from making a
        truthful page (publishing.py); a body's problems do not hide its guide."""
        assert self.handbook is not None
        assert self.settings is not None
        root = ContentRoot.at(self.settings.content_dir)
        self.withheld = publishing.withheld(self.problems, serving=self.serving)
        publishing.withhold(self.handbook, self.withheld)  # like drafts from here on: no list, link or search hit leads to them
        hidden = {root.relative(path) for path in self.withheld}
        hidden.update(g.path for g in self.handbook.all_files() if g.draft)
        return hidden
