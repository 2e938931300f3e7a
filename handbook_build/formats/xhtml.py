"""HTML made by our templates and Markdown, read into a tree and written back as XHTML.

E-readers want XML (EPUB content documents are XHTML): every element closed,
no HTML entities, attributes quoted. Rather than hope the templates and the
Markdown extensions all write XML, the HTML is read with tinyhtml5 (the HTML5
parser WeasyPrint uses) into an ElementTree, changed where needed (links that
cross files, images), and serialised by ElementTree, which only writes XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import tinyhtml5

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"  # epub:type
SVG = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"

ET.register_namespace("epub", OPS)
ET.register_namespace("svg", SVG)


def tag(name: str) -> str:
    """HTML elements are kept without a namespace in the tree; ``serialise`` declares XHTML's on the root."""
    return name


def parse(html: str) -> ET.Element:
    """A whole HTML document as a tree (HTML elements without a namespace, SVG and MathML with theirs)."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    for el in root.iter():
        if "epub:type" in el.attrib:  # the parser keeps it as a plain attribute name
            el.set(EPUB_TYPE, el.attrib.pop("epub:type"))
    return root


def to_xml(root: ET.Element) -> str:
    """A tree as XML text, for the cache or another process; ``from_xml`` gives the same tree back."""
    return ET.tostring(root, encoding="unicode")


def from_xml(text: str) -> ET.Element:
    """What ``to_xml`` wrote, read by expat (in C: much faster than parsing the HTML again); comments kept."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True, insert_pis=True))
    parser.feed(text)
    return parser.close()


def serialise(root: ET.Element, lang: str) -> bytes:
    """The tree as an XHTML file (XML declaration, HTML5 doctype, the language twice as EPUB asks)."""
    root.set("xmlns", XHTML)  # ElementTree's default_namespace refuses plain attribute names
    root.set("lang", lang)
    for el in root.iter():  # a guide's text in another language (a fallback) says so both ways too
        if el.get("lang"):
            el.set(XML_LANG, el.get("lang", ""))
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + body + "\n").encode("utf-8")


def elements(root: ET.Element, name: str) -> Iterator[ET.Element]:
    yield from root.iter(tag(name))


def ids(root: ET.Element) -> set[str]:
    return {el.get("id", "") for el in root.iter() if el.get("id")}


def links(root: ET.Element, fix: Callable[[str], str | None]) -> None:
    """Every ``<a href>``: ``fix(href)`` gives the new address, or None to keep the words and drop the link."""
    parents = {child: parent for parent in root.iter() for child in parent}
    for el in list(elements(root, "a")):
        href = el.get("href")
        if href is None:
            continue
        new = fix(href)
        if new is None:
            unlink(el, parents)
        elif new != href:
            el.set("href", new)


def unlink(el: ET.Element, parents: dict[ET.Element, ET.Element] | None = None) -> None:
    """An ``<a>`` becomes a ``<span>`` with the same words (a dead link on paper or in a book is worse than none)."""
    classes = " ".join(filter(None, [el.get("class"), "unlinked"]))
    el.attrib.clear()
    el.tag = tag("span")
    el.set("class", classes)


def text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def remove(el: ET.Element, parents: dict[ET.Element, ET.Element]) -> None:
    """Take an element out of its parent, keeping the text that followed it."""
    parent = parents.get(el)
    if parent is None:
        return
    index = list(parent).index(el)
    if el.tail:
        if index > 0:
            before = parent[index - 1]
            before.tail = (before.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
