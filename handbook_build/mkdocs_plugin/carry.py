"""The plugin's side of the formats readers carry away (handbook_build/formats/): MkDocs' config in, files out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from handbook_build.formats.downloads import TEMPLATE_FOLDERS
from handbook_build.mkdocs_plugin import adapters
from handbook_build.mkdocs_plugin.config import HandbookConfig
from handbook_build.site import reproducible

if TYPE_CHECKING:  # the PDF's code imports WeasyPrint: only builds that write these files load it
    from handbook_build.pdf.book import Book

log = get_plugin_logger(__name__)


def drop_template_files(files: Files, config: MkDocsConfig) -> None:
    """The theme's pdf/, epub/ and zine/ folders hold templates, not files of the site."""
    for file in [f for src, f in adapters.theme_files(files, config).items() if src.startswith(TEMPLATE_FOLDERS)]:
        files.remove(file)


def write(config: MkDocsConfig, options: HandbookConfig, books: Sequence[Book], *, epoch: int, zines: bool) -> None:
    """An EPUB per book (handbook.epub, handbook.<lang>.epub), zines/ and handbook.zim from the first (the
    handbook's own language), then every download's size into the pages (formats/outputs.py).
    No books: no EPUB, zine or ZIM is wanted, only the sizes (without loading WeasyPrint for them)."""
    if not books:
        from handbook_build.formats import sizes
        sizes.fill(Path(config.site_dir))
        return
    from handbook_build.formats import outputs

    request = outputs.Request(Path(config.site_dir), Path(config.docs_dir), tuple(Path(d) for d in config.theme.dirs),
                              reproducible.moment(epoch), epub=options.epub, zines=zines, zim=options.zim,
                              extensions=tuple(e for e in config.markdown_extensions if isinstance(e, str)),
                              extension_configs=dict(config.mdx_configs), description=config.site_description or "",
                              publisher=config.site_author, cache_dir=adapters.cache_dir(config) / "epub" if options.cache else None,
                              zine_cache_dir=adapters.cache_dir(config) / "zines" if options.cache else None)
    try:
        outputs.write(books, request).tell(info=log.info, warning=log.warning, error=log.error)
    except outputs.OutputError as exc:
        raise PluginError(str(exc)) from exc
