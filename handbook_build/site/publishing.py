"""What a non-strict build publishes: every guide that can be rendered truthfully.

A guide is withheld only when its front matter cannot make a page (missing
or mistyped fields, broken YAML, a file too big to render, a licence the
handbook cannot publish under). A problem in the body - HTML the sanitiser
removes, an absolute or broken link, an image from another website - does
not hide the guide: the page goes out with that part removed, and the
problem is still reported at its line. A strict build fails on every error
(the plugin's ``_report``), so none of this reaches CI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from handbook_build.content.model import Handbook
from handbook_build.hrefs import is_foreign
from handbook_build.problems import Problem, Severity

# Problems the page is rendered without: the part at fault is removed (sanitiser,
# ``without_foreign_images``) or is a link that leads nowhere; the rest is true.
BODY_CODES = frozenset({
    "html",  # markup the sanitiser removes
    "path",  # absolute, broken or outside links and images
    "privacy",  # images from another website (removed by without_foreign_images)
    "alt-text",  # an image without alt text: shown, but reported
    "wikilink",  # [[slug]] to a missing guide: rendered as plain text
    "reference",  # related/typed lists naming a missing guide: the link is left out
    "pdf",  # print-only problems
})
# Never withheld from the preview: a file too big or too tangled to render is shown as a
# placeholder page with its problems (preview.py), so its page still answers.
NEVER_RENDERED: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Withheld:
    path: str  # as shown, e.g. content/tactics/x.md
    reason: str  # the first problem that stops it, as printed

    def __str__(self) -> str:
        return f"{self.path}: not published: {self.reason}"


def withheld(problems: Iterable[Problem], *, serving: bool) -> dict[str, Withheld]:
    """Shown path -> why the file is left out of the site, for every file with a blocking error.

    While serving, only what cannot render at all is left out: the preview shows
    the rest with its problems on the page."""
    found: dict[str, Withheld] = {}
    for problem in problems:
        if problem.severity is not Severity.ERROR or problem.location.path in found:
            continue
        blocking = problem.code in NEVER_RENDERED if serving else problem.code not in BODY_CODES
        if blocking:
            where = f"line {problem.location.line}: " if problem.location.line else ""
            found[problem.location.path] = Withheld(problem.location.path, where + problem.message)
    return found


def withhold(handbook: Handbook, withheld: Mapping[str, Withheld]) -> None:
    """From here on the build treats each withheld guide file as a draft: the site's lists (type indexes,
    topics, the landing page), related links, wikilinks, search, the export and the PDF all leave drafts
    out, so none of them leads to a page that is not there. A withheld translation gives way to its
    original (the fallback); a withheld original takes its translations with it. Like a draft preview
    (drafts.py), this changes the build's own copy of the front matter, after the checks have run."""
    for guide in handbook.all_files():
        if guide.shown_path in withheld and isinstance(guide.meta.data, dict):
            guide.meta.data["draft"] = True


def summary(withheld: Mapping[str, Withheld]) -> list[str]:
    """One line per withheld file, for the end of the build."""
    return [str(item) for _, item in sorted(withheld.items())]


# -- images from another website -------------------------------------------------------------------


class _ForeignImages(HTMLParser):
    """Finds the source spans of <img> tags that would load from another host."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for index, char in enumerate(html):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.spans: list[tuple[int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img":
            return
        if not any(name in ("src", "srcset") and value and _loads_foreign(name, value) for name, value in attrs):
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        text = self.get_starttag_text() or ""
        self.spans.append((start, start + len(text)))


def _loads_foreign(name: str, value: str) -> bool:
    if name == "src":
        return is_foreign(value)
    return any(is_foreign(part.strip().split(" ")[0]) for part in value.split(",") if part.strip())


def without_foreign_images(html: str) -> str:
    """The page's HTML with every image from another website removed: it must never load.

    The check reports each one at its source line; the page keeps the rest."""
    if "<img" not in html:
        return html
    parser = _ForeignImages(html)
    parser.feed(html)
    parser.close()
    out, last = [], 0
    for start, end in parser.spans:
        out.append(html[last:start])
        last = end
    out.append(html[last:])
    return "".join(out)
