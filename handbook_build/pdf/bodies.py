"""Guide bodies as HTML for print: the same Markdown as the site, with links that stay in the book.

The site turns ``[[slug]]`` and ``../tactics/x.md`` into links between web
pages; in the PDF they must jump to another place in the same document.
``PrintLinksExtension`` is a Markdown treeprocessor that, per body:

- gives every id a per-guide prefix (``guide-<slug>--what-it-is``): every
  guide has a "What it is" section, and the book is one namespace of anchors;
- turns links to other guides (wiki links and relative ``.md`` links, with
  their ``#section``) into ``#guide-<slug>`` anchors and adds the guide's
  number for readers of paper;
- turns links to other pages of the site into web links when the site has
  an address, and into plain text when it has none (a dead link on paper is
  worse than none);
- points images at files in the content folder, and turns an image that is
  missing or lives on another website into a visible note and a Problem with
  the file and line of the image in its source.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from handbook_build.content.body import Body
from handbook_build.content.targets import targets
from handbook_build.markdown import sanitize
from handbook_build.markdown.checklists import ChecklistExtension  # `- [ ]` items: empty boxes on paper
from handbook_build.markdown.wikilinks import WikiLinkExtension
from handbook_build.pdf.book import INTRO, Book, guide_anchor
from handbook_build.problems import Location, Problem, warning
from handbook_build.site import i18n

# MkDocs always renders with these; the site's own list comes on top.
BASE_EXTENSIONS = ("toc", "tables", "fenced_code")
# Site-only decorations that make no sense on paper.
PRINT_OVERRIDES: dict[str, dict[str, Any]] = {"toc": {"permalink": False, "anchorlink": False}}
EXTERNAL_SCHEMES = ("http:", "https:", "mailto:", "tel:")


@dataclass
class Source:
    """The body being converted: whose it is, where links are relative to, what went wrong."""

    prefix: str  # for its ids: "guide-<slug>--"
    path: str  # relative to the content folder
    body: Body
    problems: list[Problem] = field(default_factory=list)


class BodyRenderer:
    """Markdown -> print HTML for every body of one book (one instance per process)."""

    def __init__(self, book: Book, content_dir: Path, extensions: Iterable[str] = (),
                 extension_configs: dict[str, dict[str, Any]] | None = None) -> None:
        self.book = book
        self.content_dir = Path(content_dir)
        names = list(dict.fromkeys([*BASE_EXTENSIONS, *extensions]))
        configs = {name: dict((extension_configs or {}).get(name) or {}) for name in names}
        for name, override in PRINT_OVERRIDES.items():
            if name in configs:
                configs[name].update(override)
        self._links = PrintLinksExtension(self)
        self.md = Markdown(
            extensions=[*names, WikiLinkExtension(self._resolve), self._links, ChecklistExtension(site=False),
                        sanitize.SanitizeExtension()],
            extension_configs={k: v for k, v in configs.items() if v},
        )
        self.current: Source | None = None

    def guide(self, slug: str) -> tuple[str, list[Problem]]:
        sheet = self.book.sheet(slug)
        assert sheet is not None
        return self._convert(Source(guide_anchor(slug) + "--", sheet.path, Body(sheet.body, sheet.shown_path, sheet.body_line)))

    def intro(self) -> tuple[str, list[Problem]]:
        page = self.book.intro
        assert page is not None
        return self._convert(Source(INTRO + "--", page.path, Body(page.body, page.shown_path, page.body_line)))

    def _convert(self, source: Source) -> tuple[str, list[Problem]]:
        self.current = source
        try:
            html = self.md.reset().convert(source.body.text)
        finally:
            self.current = None
        return html, source.problems

    def _resolve(self, slug: str) -> tuple[str, str] | None:
        sheet = self.book.sheet(slug)
        return ("#" + sheet.anchor, sheet.title) if sheet else None


class PrintLinksExtension(Extension):
    def __init__(self, renderer: BodyRenderer) -> None:
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md: Markdown) -> None:
        # After toc (5) and attr_list (8) have set ids, before the tree is serialised.
        md.treeprocessors.register(_PrintLinks(md, self.renderer), "handbook_print_links", 1)


class _PrintLinks(Treeprocessor):
    def __init__(self, md: Markdown, renderer: BodyRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        source = self.renderer.current
        if source is None:
            return
        self.source = source
        self.book = self.renderer.book
        self._image_at: dict[str, int] | None = None
        self.parents = {child: parent for parent in root.iter() for child in parent}
        for el in list(root.iter()):
            if el.get("id"):
                el.set("id", source.prefix + el.get("id", ""))
            if el.tag == "a" and el.get("href") is not None:
                self._link(el)
            elif el.tag == "img":
                self._image(el)

    # -- links --------------------------------------------------------------------------------

    def _link(self, el: etree.Element) -> None:
        href = el.get("href", "").strip()
        if href.startswith("#"):
            target = href[1:]
            sheet = self.book.sheet(target.removeprefix("guide-")) if target.startswith("guide-") else None
            if sheet is not None and "wikilink" in (el.get("class") or ""):
                self._to_guide(el, sheet.slug, "")
            else:
                el.set("href", "#" + self.source.prefix + target)
            return
        if href.lower().startswith(EXTERNAL_SCHEMES) or href.startswith("//"):
            el.set("class", _classes(el, "external"))
            return
        path, _, fragment = href.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(self.source.path), unquote(path)))
        if path.endswith("/"):
            resolved = resolved + ".md"  # a link written as the page's address
        sheet = self.book.sheet_at(resolved)
        if sheet is not None:
            self._to_guide(el, sheet.slug, fragment)
        elif self.book.intro is not None and self.book.base_path(resolved) == self.book.intro.path:
            el.set("href", f"#{INTRO}--{fragment}" if fragment else f"#{INTRO}")
        elif (web := self.book.web_url(resolved) if resolved.endswith(".md") else self._file_url(resolved)) is not None:
            el.set("href", web + (f"#{fragment}" if fragment else ""))
            el.set("class", _classes(el, "external"))
        else:
            _unlink(el)

    def _file_url(self, resolved: str) -> str | None:
        return self.book.site_url + resolved if self.book.site_url else None

    def _to_guide(self, el: etree.Element, slug: str, fragment: str) -> None:
        sheet = self.book.sheet(slug)
        assert sheet is not None
        el.set("href", "#" + sheet.anchor + (f"--{fragment}" if fragment else ""))
        el.set("class", _classes(el, "guide-ref"))
        # The number tells a reader of paper where to turn. Beside the link, not in it:
        # WeasyPrint makes a link annotation for every box inside a link.
        number = etree.Element("span", {"class": "guide-no"})
        number.text = str(sheet.number)
        parent = self.parents.get(el)
        if parent is None:
            return
        parent.insert(list(parent).index(el) + 1, number)
        number.tail, el.tail = el.tail, None

    # -- images -------------------------------------------------------------------------------

    def _image(self, el: etree.Element) -> None:
        src = el.get("src", "").strip()
        if src.startswith("data:"):
            return  # the sanitiser decides about data: URLs
        if src.startswith("//") or src.lower().startswith(("http:", "https:", "ftp:")):
            self._missing(el, src, f"the image {src} is on another website; the PDF only uses files from the content folder",
                          "download it into the content folder and link to it with a relative path")
            return
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(self.source.path), unquote(src.split("#", 1)[0].split("?", 1)[0])))
        file = self.renderer.content_dir / resolved
        if resolved.startswith("../") or resolved == ".." or posixpath.isabs(resolved):
            self._missing(el, src, f"the image {src} is outside the content folder", "keep images inside the content folder")
        elif not file.is_file():
            self._missing(el, src, f"the image {src} does not exist, so the PDF shows a note in its place",
                          "add the file or fix the path (it is relative to this guide's file)")
        else:
            el.set("src", resolved)  # relative to the content folder, the base URL of every part

    def _missing(self, el: etree.Element, src: str, message: str, hint: str) -> None:
        self.source.problems.append(warning(self._where(src), message, hint, code="pdf"))
        alt = el.get("alt") or posixpath.basename(src) or src
        el.attrib.clear()
        el.tag = "span"
        el.set("class", "missing-image")
        note = etree.SubElement(el, "b", {"class": "missing-image__note"})  # in the book's language
        note.text = i18n.gettext(self.book.lang, "Image not included: ")
        note.tail = alt

    def _where(self, src: str) -> Location:
        if self._image_at is None:
            self._image_at = {}
            for target in targets(self.source.body):
                if target.what == "image":
                    self._image_at.setdefault(target.url.strip(), target.offset)
        offset = self._image_at.get(src)
        body = self.source.body
        return body.location(offset) if offset is not None else Location(body.path, body.first_line)


def _classes(el: etree.Element, extra: str) -> str:
    return " ".join(filter(None, [el.get("class"), extra]))


def _unlink(el: etree.Element) -> None:
    keep = el.get("class")
    el.attrib.clear()
    el.tag = "span"
    el.set("class", _classes_of(keep, "unlinked"))


def _classes_of(existing: str | None, extra: str) -> str:
    return " ".join(filter(None, [existing, extra]))
