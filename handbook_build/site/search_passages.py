"""Passages for search results: each page's text as sentences, so a result can show the
sentence that matched, its words marked, instead of always the summary.

Each page's sentences are a small script of their own,
``search-text/<lang>/<ref>.js`` (``ref``: the page's number in that language's
index). search.js loads them only for the results it shows, and only after
those results are on screen with their summaries: the bytes before the first
result do not change, and a search costs the text of the results a reader
sees, however big the handbook grows. Where a sentence holds more of the
query's terms than the summary, it replaces the summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from handbook_build.site.search_index import SearchDoc

TEXT_FOLDER = "assets/handbook/search-text"  # search-text/<lang>/<ref>.js
TEXT_GLOBAL = "handbookSearchText"
LONGEST = 400  # a longer sentence (a run-on list) is cut at a word boundary
SHORTEST = 4  # words: shorter lines (headings, table cells, captions) are no passage

# A sentence ends at . ! ? or … before a space, or at a CJK full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=[。！？])")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def text_file(lang: str, ref: int) -> str:
    return f"{TEXT_FOLDER}/{lang}/{ref}.js"


def sentences(text: str) -> list[str]:
    """The sentences of a page's text (search.text_of: one block per line) worth showing."""
    out: list[str] = []
    for block in text.split("\n"):
        for sentence in _SENTENCE_END.split(block.strip()):
            sentence = sentence.strip()
            long_enough = len(sentence.split()) >= SHORTEST or len(_CJK.findall(sentence)) >= 8
            if sentence and long_enough:
                out.append(_cut(sentence))
    return out


def _cut(sentence: str) -> str:
    if len(sentence) <= LONGEST:
        return sentence
    return sentence[:LONGEST].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def by_ref(docs: Sequence[SearchDoc]) -> dict[int, list[str]]:
    """The sentences of each document of a language's index, by ref (its position in ``docs``).
    A document without body text (a topic) has none: its summary is all it shows."""
    return {ref: found for ref, doc in enumerate(docs) if (found := sentences(doc.body))}
