"""Small adapters between MkDocs' objects and the core, so the hooks in plugin.py stay short.

Each takes what MkDocs gives a hook and hands plain data to a core module
(site/assets.py, markdown/sanitize.py); none holds state.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from handbook_build import licences
from handbook_build.content.cache import FOLDER as CACHE_FOLDER
from handbook_build.content.model import Handbook
from handbook_build.markdown import sanitize
from handbook_build.site import assets, palette
from handbook_build.site.pages import Pages


def title_html(page: Page) -> str | None:
    """The title of a page without one in its meta, as HTML (None: the home page, whose <title> is
    the site name): its first heading as the rendered table of contents has it (already HTML),
    else MkDocs' title from the nav or the file name (text). Public Page API only."""
    if page.is_homepage or page.title is None:
        return None
    first = next(iter(page.toc), None)
    return first.title if first is not None and first.level == 1 else str(sanitize.escape(page.title))


def theme_files(files: Files, config: MkDocsConfig) -> dict[str, File]:
    """The files MkDocs copies from the theme folders (Material's, ours, a custom_dir), by path."""
    theme_dirs = {os.path.normpath(d) for d in config.theme.dirs}  # MkDocs gives a theme's files its folder as src_dir
    return {f.src_uri: f for f in files if f.generated_by is None and f.abs_src_path and f.src_dir and os.path.normpath(f.src_dir) in theme_dirs}


def bundle_assets(files: Files, config: MkDocsConfig) -> dict[str, str]:
    """Material's CSS and ours as one file, Material's JS and ours as another (assets.py); the parts
    no page loads any more are left out of the site. Returns "css"/"js" -> the bundle's path."""
    theme = theme_files(files, config)
    bundles: dict[str, str] = {}
    bundled: list[str] = []
    try:
        for kind in ("css", "js"):
            chosen = assets.pick(theme, kind=kind, palette=bool(config.theme.get("palette")))
            made = assets.bundle([assets.Part(p, theme[p].content_string) for p in chosen], kind=kind)
            files.append(File.generated(config, made.path, content=made.text))
            bundles[kind] = made.path
            bundled.extend(chosen)
    except assets.BundleError as exc:
        raise PluginError(str(exc)) from exc
    for path in assets.unused(theme, bundled, material_search="material/search" in config.plugins or "search" in config.plugins):
        files.remove(theme[path])
    return bundles


def palette_css(colours: dict[str, object], types: list[str]) -> str:
    """The `colours` option as CSS for every page's head (site/palette.py); a wrong entry stops the build."""
    try:
        return palette.css(palette.read(colours, types))
    except palette.PaletteError as exc:
        raise PluginError(f"mkdocs.yml: plugins: handbook: {exc}") from exc


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def cache_dir(config: MkDocsConfig) -> Path:
    """.cache/handbook/ beside mkdocs.yml: what a build keeps for the next one (safe to delete)."""
    return Path(config.config_file_path or ".").parent / CACHE_FOLDER


def add_templates(config: MkDocsConfig) -> None:
    """Our templates sit right after the handbook's own ``custom_dir`` (which still overrides any of them)
    and before Material's: a handbook's mkdocs.yml needs only ``theme: material`` and ``plugins: [handbook]``."""
    dirs = config.theme.dirs
    if str(TEMPLATES) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))


def credit(licensing: licences.Licensing | None, pages: Pages | None, handbook: Handbook | None, page: Page,
           config: MkDocsConfig) -> licences.Credit | None:
    """The page's licence credit line (licences.py): a guide's own authors and licence, else the handbook's."""
    if licensing is None or pages is None or handbook is None:
        return None
    guide = pages.guide_for(page.file.src_uri)
    home = page.is_homepage or getattr(pages.view(page.file.src_uri), "kind", "") == "landing"  # every tree's home
    title = config.site_name if home else sanitize.plain(page.title or config.site_name)  # not the nav's "Home" ("Start")
    return licensing.credit(title=title, description=sanitize.plain(page.meta.get("description") or config.site_description or "") or None,
                            lang=guide.lang if guide else handbook.lang, url=page.canonical_url if config.site_url else None, guide=guide)
