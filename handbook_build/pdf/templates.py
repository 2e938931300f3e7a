"""The book's HTML, from overridable Jinja templates in the theme's ``pdf/`` folder.

A handbook can restyle its PDF by putting its own ``pdf/<name>.html`` or
``pdf/pdf.css`` in its theme folder (MkDocs' ``custom_dir``): the first
theme folder that has the file wins, as for the site's own templates.

Their words are marked for translation (``{% trans %}``, ``_()``) and come
from the site's gettext catalogues (``site/i18n.py``) in the language of
the book being rendered (``handbook_lang`` in the context, as on the site).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from handbook_build.pdf import colours, words
from handbook_build.pdf.book import BACK, CONTENTS, INDEX, INTRO, LICENCE, Book
from handbook_build.site import i18n

STYLESHEET = "pdf.css"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not strftime: the locale of the build machine must not change the book
ANCHORS = {"CONTENTS": CONTENTS, "INTRO": INTRO, "LICENCE": LICENCE, "INDEX": INDEX, "BACK": BACK}


class TemplateError(Exception):
    """The theme has no PDF templates, or one of them is broken."""


def pdf_dirs(theme_dirs: Iterable[Path]) -> list[Path]:
    """The ``pdf/`` folders of the theme folders, in the order they override each other."""
    return [Path(d) / "pdf" for d in theme_dirs if (Path(d) / "pdf").is_dir()]


def find(theme_dirs: Iterable[Path], name: str) -> Path:
    for folder in pdf_dirs(theme_dirs):
        if (folder / name).is_file():
            return folder / name
    raise TemplateError(f"no theme folder has pdf/{name} (looked in: {', '.join(str(d) for d in theme_dirs) or 'none'})")


def environment(theme_dirs: Iterable[Path]) -> Environment:
    theme_dirs = list(theme_dirs)
    folders = pdf_dirs(theme_dirs)
    if not folders:
        raise TemplateError("none of the theme folders has a pdf/ folder with the book's templates")
    env = Environment(loader=FileSystemLoader([str(f) for f in folders]), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    i18n.install(env)  # _() and {% trans %} in the book's language; hb_language_name
    env.filters["long_date"] = _long_date
    env.filters["bare_url"] = bare_url
    env.filters["join_names"] = _join_names
    env.globals["anchors"] = ANCHORS
    env.globals["type_colours"] = colours.theme_colours(theme_dirs)  # the site's colour per guide type (book.html)
    return env


def environment_over(theme_dirs: Iterable[Path], folder: str, holds: str) -> Environment:
    """The PDF's environment looking in the theme's ``folder``/ first (epub/, zine/), then in its pdf/
    folders: guide.html and licence.html are shared. ``holds`` names those templates in the error."""
    dirs = [Path(d) for d in theme_dirs]
    folders = [d / sub for sub in (folder, "pdf") for d in dirs if (d / sub).is_dir()]
    if not any(f.name == folder for f in folders):
        raise TemplateError(f"none of the theme folders has a {folder}/ folder with {holds}")
    env = environment(dirs)
    env.loader = FileSystemLoader([str(f) for f in folders])
    return env


def render(env: Environment, template: str, book: Book, part: str, *, labels: Mapping[str, str] | None = None,
           **context: Any) -> str:
    """One part of the book as an HTML document.

    ``labels`` maps anchors to the printed page numbers known so far; an
    anchor without one is counted by WeasyPrint inside this part.
    """
    known = dict(labels or {})
    page_label: Callable[[str], str] = lambda anchor: known.get(anchor, "")
    page_suffix: Callable[[str], str] = lambda anchor: words.page_suffix(book.lang, known[anchor]) if anchor in known else ""
    return env.get_template(template).render(book=book, part=part, page_label=page_label, page_suffix=page_suffix,
                                             **{i18n.CONTEXT_KEY: book.lang}, **context)


@pass_context
def _long_date(context: Context, value: str | dt.date) -> str:
    """A date as the book's language writes it: the site's own format (Babel), so web and paper agree."""
    return i18n.format_date(value, str(context.get(i18n.CONTEXT_KEY) or i18n.SOURCE_LANG))


@pass_context
def _join_names(context: Context, names: Iterable[str]) -> str:
    return words.names(str(context.get(i18n.CONTEXT_KEY) or i18n.SOURCE_LANG), names)


def long_date(value: str | dt.date) -> str:
    """2026-11-21 -> 21 November 2026 (the same in every locale's PDF reader)."""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def bare_url(url: str | None) -> str:
    """An address as people read it aloud: no https://, no trailing slash."""
    if not url:
        return ""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
    return url.rstrip("/")
