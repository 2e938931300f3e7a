"""The handbook as a book: handbook.pdf, made with WeasyPrint from the same guides as the site.

Plain Python on plain data, no MkDocs: ``assemble`` turns a loaded
``Handbook`` into a ``Book`` (what goes in, in which order, numbered), and
``build_pdf`` lays it out in parallel parts and joins them (see ``build``).
"""

from handbook_build.pdf.assembly import assemble
from handbook_build.pdf.book import PDF_NAME, Book
from handbook_build.pdf.build import Options, Outcome, PdfError, build_pdf, default_workers
from handbook_build.pdf.cache import FOLDER as CACHE_FOLDER
from handbook_build.pdf.progress import for_terminal

__all__ = ["CACHE_FOLDER", "PDF_NAME", "Book", "Options", "Outcome", "PdfError", "assemble", "build_pdf", "default_workers", "for_terminal"]
