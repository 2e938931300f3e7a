"""The files this package adds to the site, by name, and how the landing page offers them.

Kept apart from the writers (epub.py imports the PDF's code, and so WeasyPrint): the plugin reads
these on every build, also the quick ones that make none of the files.
"""

from __future__ import annotations

from handbook_build.site.pages import Download, book_file

EPUB_NAME = "handbook.epub"  # the handbook's own language; handbook.<lang>.epub for each other (epub_file)
ZIM_NAME = "handbook.zim"
ZINES = "zines/"  # zines/<topic>.pdf to print, zines/<topic>-read.pdf to read
ZIM_INSTALL_HINT = "pip install 'handbook-build[zim]'"

# Theme folders that hold templates for these files (and the PDF's), not files for the site:
# MkDocs would copy what is not .html in them into every site and offline zip.
TEMPLATE_FOLDERS = ("pdf/", "epub/", "zine/")


def zim_available() -> bool:
    try:
        import libzim.writer  # noqa: F401
    except ImportError:
        return False
    return True


def epub_file(lang: str, default: str) -> str:
    """The e-book in ``lang``: handbook.epub, handbook.sv.epub (named like the PDFs)."""
    return book_file(EPUB_NAME, lang, default)


def offers(*, epub: bool, zim: bool) -> tuple[Download, ...]:
    """The landing page's "Take it with you" entries for these files (words in English, translated with the
    site's catalogues like the others). The zines are offered on each topic page."""
    offered = []
    if epub:
        offered.append(Download(EPUB_NAME, "The handbook as an e-book (EPUB)",
                                "For e-readers and reading apps on phones: text that fits any screen, with a contents list.",
                                per_language=True))  # each language's home offers its own
    if zim and zim_available():
        offered.append(Download(ZIM_NAME, "The handbook for Kiwix (ZIM)",
                                "For Kiwix apps, offline libraries and school servers: the whole site with its own search."))
    return tuple(offered)
