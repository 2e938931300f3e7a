"""Markdown checklists (``- [ ] item``) as real, labelled checkboxes that survive the sanitiser.

pymdownx.tasklist turns ``- [ ]`` into ``<label><input type=checkbox></label> text``.
The sanitiser removes every ``<input>`` (a guide must not collect data), and its
label holds only the box, so the text would not name it. So:

1. ``_TaskItems`` (a treeprocessor, after inline parsing) rewrites each task item
   into markers made of elements the allow-list keeps::

       <span class="hb-task"><span class="hb-task-box [hb-task-box--checked]"></span> item text</span>

2. the sanitiser runs over the page as usual;
3. on the site, ``_RestoreBoxes`` (a postprocessor after the sanitiser) turns the
   markers into ``<label class="hb-task"><input type="checkbox" class="hb-task-box"> item text</label>``:
   a real checkbox named by its text, operable by keyboard. Only these exact
   marker elements become inputs, and only as a bare ``type="checkbox"``
   (with ``checked`` for ``- [x]``): no other input can reach a page.

In print (the PDF) the markers stay, and pdf.css draws them as empty boxes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from typing import Any

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

TASKLIST = "pymdownx.tasklist"
TASKLIST_CONFIG = {"custom_checkbox": True, "clickable_checkbox": True}
TASK = "hb-task"
BOX = "hb-task-box"
CHECKED = "hb-task-box--checked"
# Python-Markdown's placeholder for stashed raw HTML; tasklist stashes its checkbox there.
_PLACEHOLDER = re.compile("^" + util.HTML_PLACEHOLDER.replace("%s", r"(\d+)"))
# Where the item's own words end: a nested list or another block belongs to the item, not to its label.
_BLOCKS = frozenset({"ul", "ol", "p", "div", "blockquote", "pre", "table", "dl", "hr", "figure", "details",
                     "h1", "h2", "h3", "h4", "h5", "h6"})


class _TaskItems(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for item in root.iter("li"):
            if "task-list-item" not in (item.get("class") or "").split():
                continue
            holder = item
            first = next(iter(item), None)
            if not (item.text or "").strip() and first is not None and first.tag == "p":
                holder = first  # a loose list: the box is in the item's first paragraph
            found = _PLACEHOLDER.match(holder.text or "")
            stash = self.md.htmlStash.rawHtmlBlocks
            if found is None or int(found.group(1)) >= len(stash) or 'type="checkbox"' not in str(stash[int(found.group(1))]):
                continue
            checked = " checked" in str(stash[int(found.group(1))])
            holder.text = holder.text[found.end():] if holder.text else None  # tasklist's own box is not used
            _mark(holder, checked)


def _mark(holder: etree.Element, checked: bool) -> None:
    """Move the item's own words (up to its first block, e.g. a nested list) into the marker."""
    task = etree.Element("span", {"class": TASK})
    marker = etree.SubElement(task, "span", {"class": f"{BOX} {CHECKED}" if checked else BOX})
    marker.tail = " " + (holder.text or "").lstrip()
    for child in list(holder):
        if child.tag in _BLOCKS:
            break
        holder.remove(child)
        task.append(child)
    holder.text = None
    holder.insert(0, task)


class _RestoreBoxes(Postprocessor):
    def run(self, text: str) -> str:
        return restore_boxes(text) if BOX in text else text


def restore_boxes(html: str) -> str:
    """The sanitised markers as labelled checkboxes (see the module docstring)."""
    rewriter = _Rewriter(html)
    rewriter.feed(html)
    rewriter.close()
    return rewriter.result()


class _Rewriter(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.starts = [0] + [i + 1 for i, c in enumerate(html) if c == "\n"]
        self.edits: list[tuple[int, int, str]] = []
        self.stack: list[str] = []  # for every open <span>: what its end tag becomes

    def _here(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        start = self._here()
        raw = self.get_starttag_text() or ""
        classes = dict(attrs).get("class") or ""
        if attrs == [("class", TASK)]:
            self.edits.append((start, start + len(raw), f'<label class="{TASK}">'))
            self.stack.append("</label>")
        elif attrs in ([("class", BOX)], [("class", f"{BOX} {CHECKED}")]):
            box = f'<input type="checkbox" class="{BOX}"{" checked" if CHECKED in classes else ""}>'
            self.edits.append((start, start + len(raw), box))
            self.stack.append("")  # its end tag goes: an input is empty
        else:
            self.stack.append("</span>")

    def handle_endtag(self, tag: str) -> None:
        if tag != "span" or not self.stack:
            return
        start = self._here()
        replacement = self.stack.pop()
        if replacement != "</span>":
            self.edits.append((start, start + len("</span>"), replacement))

    def result(self) -> str:
        out, last = [], 0
        for start, end, text in sorted(self.edits):
            if self.html[start:end].lower().startswith(("<span", "</span")):
                out.append(self.html[last:start])
                out.append(text)
                last = end
        out.append(self.html[last:])
        return "".join(out)


class ChecklistExtension(Extension):
    """``site=True``: the markers become checkboxes after the sanitiser; False (print): they stay."""

    def __init__(self, *, site: bool = True) -> None:
        super().__init__()
        self.site = site

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_TaskItems(md), "handbook_checklists", 15)  # after inline (20), tasklist (25)
        if self.site:
            md.postprocessors.register(_RestoreBoxes(md), "handbook_checkboxes", 0)  # after the sanitiser (1)


def enable(extensions: list[Any], configs: dict[str, dict[str, Any]]) -> None:  # names and Extension objects, as MkDocs keeps them
    """Checklists in every handbook: pymdownx.tasklist unless the mkdocs.yml has it, and our boxes."""
    if TASKLIST not in extensions:
        extensions.append(TASKLIST)
        configs.setdefault(TASKLIST, dict(TASKLIST_CONFIG))
    extensions.append(ChecklistExtension())
