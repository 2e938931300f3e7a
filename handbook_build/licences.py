"""Creative Commons licences, and which of them may sit in a handbook under another.

The handbook has one licence (an SPDX id set in the plugin config); a guide
may carry its own. A guide's licence fits the handbook's when everything the
handbook licence promises its readers is also allowed by the guide's licence.
The summaries below are our own short words; the legal code is what counts.

Plain data and plain Python: the checker, the plugin, the templates and the
PDF all read the same ``Licence`` values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from handbook_build.content.model import Guide, Handbook
from handbook_build.problems import did_you_mean

BY, SA, NC, ND = "BY", "SA", "NC", "ND"
DEFAULT_AUTHORS = "Movement Handbook contributors"


@dataclass(frozen=True)
class Licence:
    spdx: str  # e.g. "CC-BY-SA-4.0"
    short: str  # e.g. "CC BY-SA 4.0"
    name: str  # the licence's full title
    deed: str  # the human-readable summary page at Creative Commons
    legal_code: str  # the licence itself
    summary: str  # what it lets readers do, in our own words
    elements: frozenset[str]  # BY, SA, NC, ND; empty for CC0

    @property
    def is_public_domain(self) -> bool:
        return not self.elements

    def allows(self, guide_licence: Licence) -> bool:
        """May a guide under ``guide_licence`` be published in a handbook under this licence?

        Every condition the guide's licence sets must already be one the
        handbook's sets (so readers who follow the handbook's terms also
        follow the guide's); and a share-alike guide only fits a handbook
        under exactly the same terms, because adaptations of it must stay
        under its own licence.
        """
        if not guide_licence.elements <= self.elements:
            return False
        return SA not in guide_licence.elements or guide_licence.elements == self.elements


def _cc(code: str, name: str, summary: str) -> Licence:
    path = code.lower()
    return Licence(
        spdx=f"CC-{code}-4.0",
        short=f"CC {code} 4.0",
        name=f"Creative Commons {name} 4.0 International",
        deed=f"https://creativecommons.org/licenses/{path}/4.0/",
        legal_code=f"https://creativecommons.org/licenses/{path}/4.0/legalcode.en",
        summary=summary,
        elements=frozenset(code.split("-")),
    )


_CREDIT = "as long as you name the authors, link to the licence and say whether you changed anything"

LICENCES: dict[str, Licence] = {
    lic.spdx: lic
    for lic in (
        Licence(
            spdx="CC0-1.0",
            short="CC0 1.0",
            name="Creative Commons CC0 1.0 Universal (public domain dedication)",
            deed="https://creativecommons.org/publicdomain/zero/1.0/",
            legal_code="https://creativecommons.org/publicdomain/zero/1.0/legalcode.en",
            summary="The authors have given up their copyright as far as the law lets them: anyone may copy, "
                    "change and use the work for any purpose, without asking and without naming them "
                    "(naming them is still kind).",
            elements=frozenset(),
        ),
        _cc("BY", "Attribution",
            f"Anyone may copy, share, translate, adapt and build on the work, for any purpose, commercial or not, "
            f"{_CREDIT}."),
        _cc("BY-SA", "Attribution-ShareAlike",
            f"Anyone may copy, share, translate, adapt and build on the work, for any purpose, commercial or not, "
            f"{_CREDIT}; whatever you make from it must be shared under this same licence, so it stays open "
            f"for the next group too."),
        _cc("BY-NC", "Attribution-NonCommercial",
            f"Anyone may copy, share and adapt the work for non-commercial purposes, {_CREDIT}. "
            f"Selling it or using it mainly for commercial advantage needs the authors' permission."),
        _cc("BY-NC-SA", "Attribution-NonCommercial-ShareAlike",
            f"Anyone may copy, share and adapt the work for non-commercial purposes, {_CREDIT}; whatever you "
            f"make from it must be shared under this same licence."),
        _cc("BY-ND", "Attribution-NoDerivatives",
            "Anyone may copy and share the work unchanged, for any purpose, commercial or not, as long as you name "
            "the authors and link to the licence. Sharing a changed or translated version needs the authors' "
            "permission."),
        _cc("BY-NC-ND", "Attribution-NonCommercial-NoDerivatives",
            "Anyone may copy and share the work unchanged for non-commercial purposes, as long as you name the "
            "authors and link to the licence. Sharing a changed version, or any commercial use, needs the "
            "authors' permission."),
    )
}

_BY_FOLDED = {spdx.casefold(): lic for spdx, lic in LICENCES.items()}


def find(spdx: str) -> Licence | None:
    """The licence with this SPDX id (SPDX ids are case-insensitive), or None."""
    return _BY_FOLDED.get(spdx.strip().casefold()) if isinstance(spdx, str) else None


def compatible(handbook: Licence) -> list[Licence]:
    """The licences a guide may carry in a handbook under ``handbook``, in table order."""
    return [lic for lic in LICENCES.values() if handbook.allows(lic)]


def unknown_hint(value: object) -> str:
    return did_you_mean(value, LICENCES) or "use the SPDX id of a Creative Commons licence: " + ", ".join(LICENCES)


# -- credits: what each page says about who wrote it and how to reuse it -----------


@dataclass(frozen=True)
class Credit:
    """Authorship and licence of one page: the footer, <link rel=license> and JSON-LD."""

    title: str
    authors: tuple[str, ...]
    licence: Licence
    attribution: str  # a ready-to-copy line
    metadata: dict[str, object] = field(hash=False)  # schema.org JSON-LD

    @property
    def authors_text(self) -> str:
        return join_names(self.authors)

    @property
    def json_ld(self) -> str:
        # "</" cannot end the <script> element early once "<" is escaped.
        return json.dumps(self.metadata, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


@dataclass(frozen=True)
class Licensing:
    """The handbook's licence and how it credits its pages."""

    licence: Licence
    site_name: str
    site_authors: tuple[str, ...] = (DEFAULT_AUTHORS,)

    @classmethod
    def create(cls, spdx: str, site_name: str, site_author: str | None = None) -> Licensing:
        licence = find(spdx)
        if licence is None:
            raise ValueError(f"unknown licence '{spdx}': {unknown_hint(spdx)}")
        return cls(licence, site_name, (site_author,) if site_author else (DEFAULT_AUTHORS,))

    def licence_of(self, guide: Guide) -> Licence:
        # An unknown or incompatible guide licence is an error and the guide is not published.
        return find(guide.license or "") or self.licence

    def credit(self, *, title: str, description: str | None, lang: str, url: str | None = None,
               guide: Guide | None = None) -> Credit:
        authors = tuple(guide.authors) if guide is not None and guide.authors else self.site_authors
        licence = self.licence_of(guide) if guide is not None else self.licence
        if guide is not None:
            title = guide.title
        line = attribution(title, authors, licence, self.site_name, url)
        metadata: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "Article" if guide is not None else "WebPage",
            "name": title,
            "inLanguage": lang,
            "license": licence.deed,
            "author": [{"@type": "Person" if guide is not None else "Organization", "name": a} for a in authors],
            "isPartOf": {"@type": "CreativeWork", "name": self.site_name, "license": self.licence.deed},
        }
        if guide is not None:
            metadata["headline"] = title
            if guide.updated:
                metadata["dateModified"] = guide.updated
        if description:
            metadata["description"] = description
        if url:
            metadata["url"] = url
        return Credit(title, authors, licence, line, metadata)

    def authors_of(self, guide: Guide) -> str:
        return join_names(guide.authors or self.site_authors)

    def attribution_for(self, guide: Guide, url: str | None = None) -> str:
        return attribution(guide.title, guide.authors or self.site_authors, self.licence_of(guide), self.site_name, url)

    def compatible(self) -> list[Licence]:
        """The licences a guide may carry in this handbook."""
        return compatible(self.licence)

    def rows(self, handbook: Handbook) -> list[tuple[Guide, Licence]]:
        """Every published guide file (translations included) with its licence, by title."""
        pages = [g for original in handbook.published() for g in (original, *original.translations.values()) if not g.draft]
        return [(g, self.licence_of(g)) for g in sorted(pages, key=lambda g: (g.title.casefold(), g.lang))]


def join_names(names: Iterable[str], conjunction: str = "and") -> str:
    names = list(names)
    if len(names) <= 2:
        return f" {conjunction} ".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def attribution(title: str, authors: Iterable[str], licence: Licence, site_name: str, url: str | None = None) -> str:
    """Title, author, source and licence, the way Creative Commons asks reusers to credit."""
    link = f" ({url})" if url else ""
    terms = (f"dedicated to the public domain under {licence.short} ({licence.deed})" if licence.is_public_domain
             else f"licensed under {licence.short} ({licence.deed})")
    if title == site_name:
        return f'"{title}"{link} by {join_names(authors)}, {terms}'
    return f'"{title}" by {join_names(authors)}, from {site_name}{link}, {terms}'
