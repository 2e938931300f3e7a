"""The handbook as Typst markup, for benchmarks/typst_compare.py (benchmark code, not part of the package).

The book is the one our PDF prints: ``handbook_build.pdf.assemble`` gives the
chapters and guides in book order, and ``BodyRenderer`` the print HTML of
each body (the same Markdown extensions, links between guides already turned
into ``#guide-<slug>`` anchors). That HTML is read back with the standard
library's HTMLParser into an element tree and written out as Typst markup.

The template (``TEMPLATE``) approximates pdf.css: A4, the same margins, the
DejaVu families, a red cover, chapter openers in the chapter's colour, a
kicker with the guide's number, a tinted fact card, running heads (chapter
left, guide right) and page numbers at the foot, a table of contents.
"""

from __future__ import annotations

import html.parser
import xml.etree.ElementTree as etree
from pathlib import Path

from handbook_build.pdf.bodies import BodyRenderer
from handbook_build.pdf.book import Book, GuideRef, Sheet

# Void elements never get an end tag in HTML.
VOID = {"img", "br", "hr", "input", "meta", "link", "col", "source", "wbr"}
# Characters with a meaning in Typst markup; a backslash makes each literal.
SPECIAL = set("\\#*_`$<>@[]~=-+/")  # quotes are left: smarty has made them typographic already
HEADING_SHIFT = 1  # a body's h2 is a level-3 heading: level 1 is a chapter, level 2 a guide

TEMPLATE = r"""
#let red = rgb("#c63b2b")
#let ink = rgb("#1d2129")
#let muted = rgb("#5d6470")
#set document(title: TITLE)
#set text(font: "DejaVu Serif", size: 10pt, fill: ink, lang: LANG, hyphenate: false)
#set par(leading: 0.8em, spacing: 2.6mm + 0.8em, justify: false)
#show heading: set text(font: "DejaVu Sans")
#show heading.where(level: 1): set text(size: 34pt)
#show heading.where(level: 2): it => block(above: 3mm, below: 3mm, text(size: 24pt, stretch: 87.5%, it.body))
#show heading.where(level: 3): set text(fill: red)
#show heading.where(level: 3): it => block(above: 7mm, below: 3mm, text(size: 13pt, it.body))
#show heading.where(level: 4): it => block(above: 5mm, below: 1.5mm, text(size: 10.5pt, it.body))
#show heading.where(level: 5): it => block(above: 4mm, below: 1mm, text(size: 9.5pt, it.body))
#show raw: set text(font: "DejaVu Sans Mono", size: 8.5pt)
#show link: set text(fill: ink)
#show outline.entry.where(level: 1): it => block(above: 5mm, text(font: "DejaVu Sans", weight: "bold", size: 10.5pt, it))
#show outline.entry.where(level: 2): set text(size: 9.5pt)
#set list(indent: 1.5mm, body-indent: 3mm, spacing: 1mm + 0.8em)
#set enum(indent: 1mm, body-indent: 2mm, spacing: 1mm + 0.8em)
#set table(stroke: (x, y) => (bottom: if y == 0 { 0.5mm + ink } else { 0.25mm + rgb("#ddd5c7") }), inset: 1.6mm)
#show table: set text(font: "DejaVu Sans", size: 8.5pt)
#show quote.where(block: true): it => block(inset: (left: 4mm), stroke: (left: 0.6mm + rgb("#ddd5c7")), it.body)

#let last(target) = {
  let found = query(selector(target).before(here()))
  if found.len() > 0 { found.last().value } else { none }
}
// As pdf.css's string(..., first-except): no running head on the page where a guide starts.
#let head = context {
  let starts = query(heading.where(level: 2)).filter(h => h.location().page() == here().page())
  if starts.len() == 0 {
    set text(font: "DejaVu Sans", size: 7.5pt, fill: muted)
    grid(columns: (1fr, auto), align: (left + bottom, right + bottom),
      text(size: 7pt, weight: "bold", tracking: 0.12em, fill: rgb("#8a8f98"), upper(last(<chapter>))), last(<running>))
  }
}
#set page(paper: "a4", margin: (top: 26mm, right: 26mm, bottom: 28mm, left: 26mm),
  header: head, header-ascent: 4mm,
  numbering: "i", footer: context align(center, text(font: "DejaVu Sans", size: 8pt, counter(page).display(page.numbering))),
  footer-descent: 14mm - 28mm / 2)

#let cover(title, subtitle) = page(margin: 20mm, fill: red, header: none, footer: none, {
  set text(fill: white, font: "DejaVu Sans")
  v(40mm)
  text(size: 9pt, weight: "bold", tracking: 0.22em, upper("A handbook for organisers"))
  v(5mm)
  text(size: 44pt, weight: "bold", stretch: 87.5%, par(leading: 0.2em, title))
  v(6mm)
  block(width: 130mm, text(size: 13pt, subtitle))
})
#let opener(no, title, description, colour, count) = page(margin: 24mm, fill: colour, header: none, footer: none, {
  set text(fill: white, font: "DejaVu Sans")
  v(60mm)
  text(size: 9pt, weight: "bold", tracking: 0.22em, upper("Chapter " + str(no)))
  v(4mm)
  [#heading(level: 1, title) #metadata(title) <chapter>]
  v(8mm)
  block(width: 120mm, text(font: "DejaVu Serif", size: 15pt, description))
  v(14mm)
  block(width: 120mm, stroke: (top: 0.35mm + white), inset: (top: 3mm), text(size: 9pt, count))
})
#let kicker(no, label, colour) = text(font: "DejaVu Sans", size: 7.5pt, weight: "bold", tracking: 0.14em, fill: colour,
  box(fill: colour, inset: (x: 2mm, y: 1mm), radius: 1.2mm, text(fill: white, str(no))) + h(2.5mm) + upper(label))
#let card(colour, ..rows) = block(width: 100%, fill: rgb("#f6f2ea"), stroke: (left: 1mm + colour), inset: 3mm, below: 7mm,
  breakable: false, {
  set text(font: "DejaVu Sans", size: 8.5pt)
  grid(columns: (33mm, 1fr), row-gutter: 3.2mm,
    ..rows.pos().map(((k, v)) => (text(size: 6.5pt, weight: "bold", tracking: 0.12em, fill: muted, upper(k)), v)).flatten())
})
#let guide(no, label, colour) = {
  pagebreak(weak: true)
  kicker(no, label, colour)
  v(3mm)
}
#let summary(text-) = block(above: 3mm, below: 5mm, text(size: 12pt, fill: rgb("#3d434d"), text-))
"""


class _TreeBuilder(html.parser.HTMLParser):
    """HTML fragment -> an ElementTree element (entities decoded, void elements closed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = etree.Element("div")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = etree.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):  # tolerate an unclosed inner element
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_html(text: str) -> etree.Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def escape(text: str) -> str:
    """Plain text as Typst markup: special characters escaped, runs of whitespace one space."""
    return "".join("\\" + c if c in SPECIAL else c for c in " ".join(text.split()))


def string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _spaced(text: str) -> str:
    """Like ``escape``, keeping one leading and trailing space where the text had them."""
    if not text:
        return ""
    core = escape(text)
    if not core:
        return " "
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


class Converter:
    """Print HTML of one book's bodies -> Typst markup; links to guides become links to their labels."""

    def __init__(self, content_dir: Path, labels: set[str]) -> None:
        self.content_dir = content_dir.resolve()
        self.labels = labels

    # -- inline ------------------------------------------------------------------------

    def inline(self, el: etree.Element) -> str:
        out = [_spaced(el.text or "")]
        for child in el:
            out.append(self.inline_element(child))
            out.append(_spaced(child.tail or ""))
        return "".join(out)

    def inline_element(self, el: etree.Element) -> str:
        tag, inner = el.tag, (lambda: self.inline(el).strip())
        if tag in ("strong", "b"):
            return f"#strong[{inner()}]"
        if tag in ("em", "i"):
            return f"#emph[{inner()}]"
        if tag == "code":
            return f"#raw({string(''.join(el.itertext()))})"
        if tag == "a":
            return self.link(el, inner())
        if tag == "br":
            return "\\\n"
        if tag == "sup":
            return f"#super[{inner()}]"
        if tag == "img":
            return self.image(el)
        if tag == "span" and "hb-task-box" in el.get("class", ""):
            return "☐ "
        if tag == "span" and "guide-no" in el.get("class", ""):  # a guide's number after a link to it
            return f"#super[{inner()}]"
        return self.inline(el)

    def link(self, el: etree.Element, text: str) -> str:
        href = el.get("href", "")
        if href.startswith("#"):
            label = href[1:].split("--")[0]  # a guide's section: its guide (the Typst book labels guides only)
            return f"#link(label({string(label)}))[{text}]" if label in self.labels else text
        if href.startswith(("http:", "https:", "mailto:")):
            return f"#link({string(href)})[{text}]"
        return text

    def image(self, el: etree.Element) -> str:
        path = (self.content_dir / el.get("src", "")).resolve()
        if not path.is_file():
            return f"[{escape(el.get('alt', 'image'))}]"
        return f"#box(image({string(path.as_posix())}, alt: {string(el.get('alt', ''))}, width: 60%))"

    # -- blocks ------------------------------------------------------------------------

    def blocks(self, el: etree.Element, indent: str = "") -> str:
        """The children of ``el`` as block markup (loose text and inline children as a paragraph)."""
        out: list[str] = []
        loose: list[str] = [_spaced(el.text or "")]
        for child in el:
            if child.tag in INLINE:
                loose += [self.inline_element(child), _spaced(child.tail or "")]
                continue
            if "".join(loose).strip():
                out.append("".join(loose).strip())
            out.append(self.block(child, indent))
            loose = [_spaced(child.tail or "")]
        if "".join(loose).strip():
            out.append("".join(loose).strip())
        return ("\n\n" + indent).join(b for b in out if b)

    def block(self, el: etree.Element, indent: str) -> str:
        tag = el.tag
        if tag == "p":
            return self.inline(el).strip()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = min(int(tag[1]) + HEADING_SHIFT, 6)
            return "=" * level + " " + self.inline(el).strip()
        if tag in ("ul", "ol"):
            mark = "-" if tag == "ul" else "+"
            items = [f"{mark} " + self.blocks(li, indent + "  ") for li in el if li.tag == "li"]
            return ("\n" + indent).join(items)
        if tag == "blockquote":
            return f"#quote(block: true)[{self.blocks(el, indent)}]"
        if tag == "pre":
            return f"#raw(block: true, {string(''.join(el.itertext()).rstrip())})"
        if tag == "table":
            return self.table(el)
        if tag == "hr":
            return "#line(length: 100%, stroke: 0.25mm)"
        return self.blocks(el, indent)  # div, section, footnotes, dl and the like: their content

    def table(self, el: etree.Element) -> str:
        head = [c for part in el if part.tag == "thead" for row in part for c in row]
        body = [list(row) for part in el if part.tag in ("tbody", "tr") for row in ([part] if part.tag == "tr" else part)]
        columns = max([len(head), *(len(r) for r in body)], default=1)
        cells = [f"table.header({', '.join(f'[#strong[{self.inline(c).strip()}]]' for c in head)})"] if head else []
        cells += [f"[{self.inline(c).strip()}]" for row in body for c in row]
        return f"#table(columns: (1fr,) * {columns}, align: left, {', '.join(cells)})"


INLINE = {"a", "strong", "b", "em", "i", "code", "br", "sup", "span", "img", "abbr", "del", "ins", "mark", "small", "sub"}


def book_markup(book: Book, renderer: BodyRenderer, content_dir: Path, colours: dict[str, str] | None = None) -> str:
    """The whole book as one Typst document: cover, contents, introduction, one opener per chapter, its guides."""
    labels = {s.anchor for c in book.chapters for s in c.sheets}
    conv = Converter(content_dir, labels)
    parts = [TEMPLATE.replace("TITLE", string(book.title)).replace("LANG", string(book.lang)),
             f"#cover({string(book.title)}, {string(book.subtitle)})",
             "#page(header: none, outline(title: [Contents], depth: 2, indent: 4mm))"]
    if book.intro is not None:
        html, _ = renderer.intro()
        parts.append(conv.blocks(parse_html(html)))
    for chapter in book.chapters:
        colour = (colours or {}).get(chapter.type_name, "#c63b2b")
        first, last = chapter.sheets[0].number, chapter.sheets[-1].number
        if chapter.number == 1:  # front matter in roman numerals, the chapters from 1, as in the WeasyPrint book
            parts.append('#set page(numbering: "1")\n#counter(page).update(1)')
        parts.append(f"#opener({chapter.number}, {string(chapter.title)}, {string(chapter.description or '')}, "
                     f"rgb({string(colour)}), {string(f'{len(chapter.sheets)} guides, numbered {first}–{last}')})")
        for sheet in chapter.sheets:
            parts.append(guide_markup(sheet, renderer, conv, colour))
    if book.index:
        parts.append(index_markup(book))
    return "\n\n".join(parts) + "\n"


def ref(r: GuideRef, conv: Converter) -> str:
    """A list item linking to a guide of the book, with its number (and why, when given), as pdf.css's links lists."""
    why = f" — {escape(r.why)}" if r.why else ""
    return f"- #link(label({string(r.anchor)}))[{escape(r.title)}] #super[{r.number}]{why}"


def index_markup(book: Book) -> str:
    """The topic index: each topic, then its guides with their numbers and the pages they start on."""
    out = ['#page(header: none)[\n#heading(level: 1, outlined: true)[Topic index]']
    for entry in book.index:
        out.append(f"\n#block(above: 5mm, below: 2mm, text(font: \"DejaVu Sans\", weight: \"bold\", {string(entry.topic.title)}))")
        out += [f"#text(size: 9pt)[#super[{r.number}] #link(label({string(r.anchor)}))[{escape(r.title)}] #box(width: 1fr, repeat[.])"
                f" #context counter(page).display(at: label({string(r.anchor)}))]\\" for r in entry.refs]
    return "\n".join(out) + "\n]"


def guide_markup(sheet: Sheet, renderer: BodyRenderer, conv: Converter, colour: str) -> str:
    """One guide: kicker, title (labelled, with its running head), summary, fact card, body, related guides, credit;
    headings in the colour of its type, as in pdf.css."""
    html, _ = renderer.guide(sheet.slug)
    rows = [("Topics", ", ".join(t.title for t in sheet.topics))] if sheet.topics else []
    rows += [(f.label, f.value) for f in sheet.facts]
    rows.append(("Written by", ", ".join(sheet.authors)))
    card = f"#card(rgb({string(colour)}), " + ", ".join(f"({string(k)}, {string(v)})" for k, v in rows) + ")"
    lists = [("Related guides", [ref(r, conv) for r in sheet.related if r.anchor in conv.labels]),
             *((g.title, [ref(r, conv) for r in g.refs if r.anchor in conv.labels]) for g in sheet.groups),
             ("Sources", [f"+ #link({string(src.url)})[{escape(src.title)}]" for src in sheet.sources])]
    foot = "".join(f"\n\n=== {escape(title)}\n\n" + "\n".join(items) for title, items in lists if items)
    return (f"#[\n#show heading.where(level: 3): set text(fill: rgb({string(colour)}))\n"
            f"#guide({sheet.number}, {string(sheet.type_label)}, rgb({string(colour)}))\n"
            f"#heading(level: 2, {string(sheet.title)}) <{sheet.anchor}>\n"
            f"#metadata({string(f'{sheet.number} · {sheet.title}')}) <running>\n"
            f"#summary({string(sheet.summary)})\n\n{card}\n\n{conv.blocks(parse_html(html))}{foot}\n\n"
            f"#text(size: 7.5pt, fill: muted, font: \"DejaVu Sans\", {string(sheet.attribution)})\n]")
