"""handbook_build: build a movement handbook as a website and a PDF.

The core (model, schema, loader, references, links, search, pdf, licence) is
plain Python on plain data; ``plugin`` and ``config`` adapt it to MkDocs.
"""

__version__ = "0.1.0"
