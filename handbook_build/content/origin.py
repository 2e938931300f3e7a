"""Where a guide adapted from another handbook came from: its ``origin`` block.

``handbook import`` writes the block; the schema checks its shape; the guide
page and the licence page credit it ("Adapted from … by …, licensed …").
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook_build.content.model import Guide
from handbook_build.licences import Licence, find, join_names

FIELD = "origin"


@dataclass(frozen=True)
class Origin:
    handbook: str  # the source handbook's name
    license: str  # the original guide's licence (SPDX id)
    authors: tuple[str, ...]
    imported: str  # YYYY-MM-DD
    url: str | None = None  # the source handbook's home page
    guide_url: str | None = None  # the original guide's page
    title: str | None = None  # the original guide's title
    slug: str | None = None  # its slug in the source handbook (``handbook import --check-updates`` finds it by this)
    version: str | None = None  # sha256:<hex> of the original's Markdown file as imported

    @property
    def licence(self) -> Licence | None:
        return find(self.license)

    @property
    def authors_text(self) -> str:
        return join_names(self.authors)

    def as_data(self) -> dict[str, object]:
        """The block as front matter writes it (keys in the documented order, empty ones left out)."""
        data: dict[str, object] = {"handbook": self.handbook, "url": self.url, "guide_url": self.guide_url,
                                   "title": self.title, "slug": self.slug, "version": self.version, "license": self.license, "authors": list(self.authors),
                                   "imported": self.imported}
        return {k: v for k, v in data.items() if v is not None}


def of(guide: Guide | None) -> Origin | None:
    """The guide's origin, if it has a readable one (a broken block is the checker's to report)."""
    if guide is None or not isinstance(guide.meta.data, dict):
        return None
    raw = guide.meta.data.get(FIELD)
    if not isinstance(raw, dict):
        return None
    handbook, licence, imported = raw.get("handbook"), raw.get("license"), raw.get("imported")
    authors = raw.get("authors")
    if not (isinstance(handbook, str) and isinstance(licence, str) and isinstance(imported, str)
            and isinstance(authors, list) and authors):
        return None
    return Origin(handbook=handbook, license=licence, authors=tuple(str(a) for a in authors), imported=imported,
                  url=_web(raw.get("url")), guide_url=_web(raw.get("guide_url")), title=_text(raw.get("title")),
                  slug=_text(raw.get("slug")), version=_text(raw.get("version")))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _web(value: object) -> str | None:
    """Only a web address becomes a link (the schema reports anything else; a preview still shows the page)."""
    text = _text(value)
    return text if text and text.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in text) else None
