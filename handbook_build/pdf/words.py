"""The few sentences of the book written in Python, in the book's language.

They come from the same gettext catalogues as the site's partials
(``site/i18n.py``, whose ``PY_MESSAGES`` lists them for the translators'
check); in English they are exactly the sentences the book has always
printed, so the default language's PDF does not change.
"""

from __future__ import annotations

from collections.abc import Iterable

from handbook_build.licences import Licence, join_names
from handbook_build.site import i18n


def names(lang: str, authors: Iterable[str]) -> str:
    """Ana, Ben and Cleo; Ana, Ben och Cleo."""
    return join_names(authors, i18n.gettext(lang, "and"))


def attribution(lang: str, title: str, authors: Iterable[str], licence: Licence, site_name: str,
                url: str | None = None) -> str:
    """The credit line Creative Commons asks reusers for (licences.attribution), in ``lang``."""
    values = {"title": title, "authors": names(lang, authors), "site": site_name, "link": f" ({url})" if url else "",
              "licence": licence.short, "deed": licence.deed}
    terms = "dedicated to the public domain under" if licence.is_public_domain else "licensed under"
    if title == site_name:
        message = f'"%(title)s"%(link)s by %(authors)s, {terms} %(licence)s (%(deed)s)'
    else:
        message = f'"%(title)s" by %(authors)s, from %(site)s%(link)s, {terms} %(licence)s (%(deed)s)'
    return i18n.gettext(lang, message) % values


def page_suffix(lang: str, label: str) -> str:
    """' (page 12)' after a cross-reference, for readers of paper."""
    return " " + i18n.gettext(lang, "(page %(page)s)") % {"page": label}
