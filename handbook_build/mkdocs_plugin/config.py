"""The plugin's options, as a typed MkDocs Config. Nothing else lives here."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from handbook_build.settings import DEFAULT_LICENSE


class HandbookConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (a plain Material build of the same Markdown)."""

    schema = c.Optional(c.File(exists=True))
    """A content schema file to use instead of the built-in one (paths relative to mkdocs.yml)."""

    license = c.Type(str, default=DEFAULT_LICENSE)
    """The handbook's licence, as an SPDX id. Guides may set a compatible one of their own."""

    pdf = c.Type(bool, default=True)
    """Write site/handbook.pdf. `handbook build --no-pdf` and `handbook serve` turn it off for quick previews."""

    pdf_workers = c.Type(int, default=0)
    """Processes that lay out the PDF side by side; 0: one per CPU core (handbook_build/pdf/build.py)."""

    pdf_intro = c.Optional(c.Type(str))
    """A page of the content folder printed after the PDF's contents as its introduction (default: about.md, if there is one)."""

    offline_zip = c.Type(bool, default=True)
    """Write site/handbook-offline.zip, the whole site to unpack and open from disk (not while serving)."""

    epub = c.Type(bool, default=True)
    """Write site/handbook.epub, the handbook as an e-book (handbook_build/formats/epub.py; not while serving)."""

    zines = c.Type(bool, default=True)
    """Write site/zines/<topic>.pdf (A4 sheets to fold and staple) and <topic>-read.pdf for every topic
    (formats/zine.py). Made with the PDF: off when `pdf` is off (`--no-pdf`, `handbook serve`)."""

    zim = c.Type(bool, default=False)
    """Write site/handbook.zim for Kiwix (formats/zim.py). Needs libzim: pip install 'handbook-build[zim]'.
    Off by default; `zim: !ENV [HANDBOOK_ZIM, false]` lets a build switch it on."""

    colours = c.Type(dict, default={})
    """The site's own colours over the theme's: {primary: "#1b5e20", tactic: "#6a1b9a", tactic-dark: "#ce93d8"}
    (keys: primary, link, hero and the guide types; "-dark" for the dark scheme; site/palette.py)."""

    cache = c.Type(bool, default=True)
    """Reuse what nothing has changed for since the last build: pages (mkdocs_plugin/page_reuse.py), the PDF's laid-out
    parts (pdf/cache.py) and zines' layouts (formats/zine.py), the EPUB's documents (formats/epub_cache.py) and the
    privacy scan's verdicts, all in .cache/handbook/ beside mkdocs.yml (safe to delete). Off: everything is made again
    on every build."""

    search = c.Type(bool, default=True)
    """The header search box, the search page and the prebuilt index (handbook_build/search.py)."""

    drafts = c.Type(bool, default=False)
    """A draft preview: include `draft: true` guides, each with a "Draft: comments welcome" banner
    (`handbook build --drafts`; HANDBOOK_DRAFTS=true|false overrides this). Never for the published site."""

    feedback_url = c.Optional(c.Type(str))
    """Where a draft's readers comment: a URL template with {slug} and {title} (URL-encoded), or a mailto:.
    Default: the repository's "Correct a guide" issue form (repo_url), pre-filled with the guide."""

    languages = c.Type(dict, default={})
    """The handbook's languages and the names readers choose them by ({en: English, sv: Svenska}); the site
    language and every language a translation uses are added (handbook_build/site/languages.py)."""
