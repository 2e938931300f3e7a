"""The lunr index of the search documents, in the compact form the browser expands.

The compact form keeps only what lunr needs to answer: the sorted terms
(front-coded) and, per field and document, the term numbers (as gaps) with
their scores. lunr's inverted index is exactly the transpose of those vectors,
so it is rebuilt by the browser in one pass instead of being downloaded twice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.index import Index
from lunr.stemmer import stemmer

from handbook_build.site import stemming
from handbook_build.site.stemming import Analyzer

FORMAT = 3
"""Bump when the compact format changes; search.js checks it."""

# (field, boost): a match in the title outranks one in the summary, which
# outranks topics, type and finally the body.
FIELDS: tuple[tuple[str, int], ...] = (("title", 10), ("summary", 5), ("topics", 3), ("type", 2), ("body", 1))

# Kinds of result that are not guides.
TOPIC = "topic"
PAGE = "page"

# Other pages (about, contributing) rank below a guide that matches as well.
PAGE_BOOST = 0.5
_FRONT_CODE_MAX = 35  # a shared prefix length is one base-36 digit


@dataclass(frozen=True)
class SearchDoc:
    url: str
    title: str
    summary: str
    type: str  # a guide type's name, or TOPIC / PAGE
    topics: tuple[str, ...] = ()
    body: str = ""
    lang: str = ""  # the language of its text ("": the handbook's)
    key: str = ""  # the same for a guide or page and its translations
    original: bool = True  # not a translation


def _fields_of(doc: SearchDoc, ref: int, terms: Analyzer) -> dict[str, Any]:
    kind = [doc.type] if doc.type not in (TOPIC, PAGE) else []
    return {"ref": str(ref), "title": terms.of_text(doc.title), "summary": terms.of_text(doc.summary),
            "topics": terms.of_values(doc.topics), "type": terms.of_values(kind), "body": terms.of_text(doc.body)}


class _Builder(Builder):
    """lunr.py's Builder given each field's finished terms (from a ``stemming.Analyzer``).

    ``add`` does the bookkeeping of ``Builder.add`` (term frequencies, field
    lengths, postings, term numbers in order of first use) without passing the
    terms through lunr's tokenizer again, which copies a metadata dict per
    word; scoring (``build``) is lunr.py's own. tests/test_search.py checks
    the result against ``Builder.add``.
    """

    def add(self, doc: dict[str, Any], attributes: dict[str, Any] | None = None) -> None:
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            terms: list[str] = doc[field_name]
            field_ref = str(FieldRef(doc_ref, field_name))
            counts = Counter(terms)  # in order of first use, as lunr numbers its terms
            self.field_term_frequencies[field_ref] = counts
            self.field_lengths[field_ref] = len(terms)
            for term in counts:
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = self.inverted_index[term] = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                posting[field_name][doc_ref] = {}  # no metadata: positions are not kept


def lunr_index(docs: Sequence[SearchDoc], builder: Builder | None = None, analyzer: Analyzer | None = None) -> Index:
    """lunr.py's index of ``docs``; a document's ref is its position in ``docs``.

    Words become terms with ``analyzer`` (lunr's English pipeline unless told).
    Only an English index stems queries itself (lunr.js: ``["stemmer"]``); for
    the others the browser hands lunr finished terms (see stemming.py).
    """
    builder = builder or _Builder()  # no pipeline of its own: it is given finished terms
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    terms = analyzer or stemming.LunrEnglish()
    if terms.kind == stemming.LUNR:
        builder.search_pipeline.add(stemmer)
    for ref, doc in enumerate(docs):
        builder.add(_fields_of(doc, ref, terms), {"boost": PAGE_BOOST if doc.type == PAGE else 1})
    return builder.build()


# lunr.py's BM25 parameters (its Builder's defaults), used by ``scored``.
K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Scored:
    """What the compact form needs of a lunr index: every term with its number in order of first use, and
    per field and document the (term number, score) pairs by term number."""

    terms: dict[str, int]
    vectors: dict[tuple[str, int], list[tuple[int, float]]]  # (field, ref) -> pairs


def scored(docs: Sequence[SearchDoc], analyzer: Analyzer) -> Scored:
    """The scores lunr.py's Builder.build gives ``docs``, worked out straight into plain lists.

    The same arithmetic in the same order as lunr.py's ``_create_field_vectors`` (BM25 with its k1 and b,
    field and document boosts, rounded to 3 places), without lunr.Vector's sorted insert per term, which
    is most of lunr.py's time, and without the Builder's postings (an empty dict per term, field and
    document: the build's largest holder of memory), of which BM25 needs only a count per term.
    tests/test_search.py keeps lunr.py as the oracle: the same term numbers, the same scores."""
    terms: dict[str, int] = {}  # numbered in order of first use, as lunr.py's Builder.add numbers them
    with_term: Counter[str] = Counter()  # how many (field, document) pairs hold the term
    frequencies: dict[tuple[str, int], Counter[str]] = {}
    lengths: dict[tuple[str, int], int] = {}
    boosts = []
    for ref, doc in enumerate(docs):
        boosts.append(PAGE_BOOST if doc.type == PAGE else 1)
        fields = _fields_of(doc, ref, analyzer)
        for name, _boost in FIELDS:
            counts = frequencies[(name, ref)] = Counter(fields[name])
            lengths[(name, ref)] = len(fields[name])
            for term in counts:
                terms.setdefault(term, len(terms))
                with_term[term] += 1
    totals: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    for (name, _ref), length in lengths.items():
        totals[name] += length
        counted[name] += 1
    average = {name: totals[name] / counted[name] for name in counted}
    idf: dict[str, float] = {}
    vectors: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for field_ref in list(frequencies):
        name, ref = field_ref
        length, field_boost, doc_boost = lengths[field_ref], dict(FIELDS)[name], boosts[ref]
        pairs = []
        for term, tf in frequencies.pop(field_ref).items():  # let go of each count once scored
            if term not in idf:
                idf[term] = math.log(1 + abs((len(docs) - with_term[term] + 0.5) / (with_term[term] + 0.5)))
            score = idf[term] * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / average[name])) + tf)
            score *= field_boost
            score *= doc_boost
            pairs.append((terms[term], round(score, 3)))
        vectors[field_ref] = sorted(pairs)
    return Scored(terms, vectors)


@dataclass(frozen=True)
class Levelled:
    """An index ready to encode: terms in JavaScript order, each field's score bounds, and per field
    and document the (term number, score level) pairs by term number."""

    analyzer: Analyzer
    terms: list[str]
    scales: list[list[float]]
    rows: list[list[list[tuple[int, int]]]]  # [field][ref]


def levelled(docs: Sequence[SearchDoc], lang: str = "en") -> Levelled:
    """The scores of ``docs`` (all in language ``lang``) as levels: one digit on a log scale between
    the field's ``scales`` bounds (steps of a few percent, plenty to rank by)."""
    analyzer = stemming.analyzer(lang)
    index = scored(docs, analyzer)
    ordered = sorted(index.terms, key=js_order)
    number = {index.terms[t]: n for n, t in enumerate(ordered)}
    scales: list[list[float]] = []
    rows: list[list[list[tuple[int, int]]]] = []
    for name, _boost in FIELDS:
        scored_rows = [sorted((number[term], score) for term, score in index.vectors.pop((name, ref), ()))
                       for ref in range(len(docs))]
        scores = [score for row in scored_rows for _, score in row] or [1.0]
        scale = _Scale(min(scores), max(scores))
        scales.append([scale.low, scale.high])
        rows.append([[(term, scale.level(score)) for term, score in row] for row in scored_rows])
    return Levelled(analyzer, ordered, scales, rows)


def compact_index(docs: Sequence[SearchDoc], lang: str = "en") -> dict[str, Any]:
    """The lunr index of ``docs`` (all in language ``lang``) in one piece (search_shards.py cuts it up
    for the site; tests read this whole form).

    ``vectors[field][ref]`` is a string of (term gap, score level) pairs: the
    gap is a number in ``_DIGITS``, the level one digit (``levelled``).
    """
    index = levelled(docs, lang)
    return {
        "format": FORMAT,
        "fields": [name for name, _ in FIELDS],
        "scales": index.scales,
        "terms": front_code(index.terms),
        "vectors": [[encode_pairs(row) for row in rows] for rows in index.rows],
        "lang": lang,
        "analyzer": index.analyzer.kind,
        **index.analyzer.browser_data(),
    }


# Printable ASCII that needs no escaping in a JSON string: 92 characters.
_DIGITS = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"\\')
_LEVELS = 64  # a score level is one of the first 64 digits
_FINAL = 60  # a gap ends with one of the first 60 digits...
_MORE = len(_DIGITS) - _FINAL  # ...after any number of the other 32, most significant first


class _Scale:
    """Scores between low and high as levels 0..63, evenly spaced on a log scale."""

    def __init__(self, low: float, high: float) -> None:
        self.low = round(max(low, 0.001), 3)
        self.high = round(max(high, self.low), 3)
        self._step = math.log(self.high / self.low) / (_LEVELS - 1) if self.high > self.low else 0.0
        self._levels: dict[float, int] = {}  # lunr rounds scores to 3 decimals: they repeat a lot

    def level(self, score: float) -> int:
        if score not in self._levels:
            raw = math.log(max(score, self.low) / self.low) / self._step if self._step else 0
            self._levels[score] = min(_LEVELS - 1, max(0, round(raw)))
        return self._levels[score]


def _encode_gap(gap: int) -> str:
    out = [_DIGITS[gap % _FINAL]]
    gap //= _FINAL
    while gap:
        out.append(_DIGITS[_FINAL + gap % _MORE])
        gap //= _MORE
    return "".join(reversed(out))


def encode_pairs(row: Sequence[tuple[int, int]]) -> str:
    """(number, level) pairs by number as one string: each number as its gap from the one before."""
    out: list[str] = []
    previous = -1
    for number, level in row:
        out.append(_encode_gap(number - previous - 1))
        out.append(_DIGITS[level])
        previous = number
    return "".join(out)


def js_order(term: str) -> bytes:
    """JavaScript compares strings by UTF-16 code units; lunr.js needs its terms in that order."""
    return term.encode("utf-16-be")


def front_code(terms: Sequence[str]) -> str:
    """Sorted terms as one string: each is the length it shares with the one
    before (one base-36 digit) followed by the rest, separated by spaces.
    Terms never hold spaces: lunr splits text on them and ours are slugs."""
    out: list[str] = []
    previous = ""
    for term in terms:
        shared = 0
        limit = min(len(term), len(previous), _FRONT_CODE_MAX)
        while shared < limit and term[shared] == previous[shared]:
            shared += 1
        out.append(_BASE36[shared] + term[shared:])
        previous = term
    return " ".join(out)


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


