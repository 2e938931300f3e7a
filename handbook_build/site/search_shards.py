"""The search index cut into shards, so the bytes a reader downloads before a result stop growing with the handbook.

A language's index is a small manifest (fields, score scales, analyzer, the
number of documents, where each shard starts) and shards the browser loads
as a query needs them. A shard is a run of consecutive terms in JavaScript
order with their postings (field, document, score level): a query word needs
the one shard whose range holds its term, a prefix the few whose ranges
touch it. Ranges, not a fixed key such as the first two letters, because
they keep every shard near one size in any script (Chinese character pairs
would make one tiny file per pair) and their count grows only with the index.

lunr scores a document as ``query · field vector / |query|``: a field vector
holding only the loaded terms gives the same product for the query's terms,
so a partial index ranks exactly as the whole one (tests/test_search_shards.py).
One thing is not the same: a typo (a word of five letters or more also
matches terms one edit away) is corrected only among the loaded terms, so a
typo in a word's first letters, which moves it to another shard, finds less.

Anything else that grows with the handbook is cut too: what results show, in
chunks of documents by number (loaded for the results on screen), and a
Snowball language's word forms, in runs of forms (loaded for the words typed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handbook_build.site import stemming
from handbook_build.site.search_index import FIELDS, FORMAT, SearchDoc, encode_pairs, front_code, js_order, levelled

# A shard closes once its terms and postings pass this many characters: about 18 KB gzip each
# (1,000 generated guides make 20 shards; 5,000 should make about 100). A query loads one to three. One very common term may make a
# larger shard of its own: a term is never split.
SHARD_CHARS = 40_000
STORE_CHUNK = 32  # documents per file of what results show (~250 characters each)
FORMS_CHUNK = 2_000  # word forms per file (a Snowball language)


@dataclass(frozen=True)
class Sharded:
    manifest: dict[str, Any]
    shards: list[list[Any]]  # [number of its first term, its terms front-coded, per term its postings]
    forms: list[list[str]]  # [forms_code of a run of forms]


def sharded_index(docs: Sequence[SearchDoc], lang: str = "en", limit: int = SHARD_CHARS,
                  forms_chunk: int = FORMS_CHUNK) -> Sharded:
    """The index of ``docs`` (all in language ``lang``) as a manifest and shards of about ``limit``
    characters (and, in a Snowball language, runs of ``forms_chunk`` word forms).

    A term's postings are one string per field, joined by spaces (never a
    digit): (document gap, score level) pairs as search_index encodes them."""
    index = levelled(docs, lang)
    postings: list[list[list[tuple[int, int]]]] = [[[] for _ in FIELDS] for _ in index.terms]
    for f, rows in enumerate(index.rows):
        for ref, row in enumerate(rows):
            for number, level in row:
                postings[number][f].append((ref, level))
    shards: list[list[Any]] = []
    starts: list[str] = []
    terms: list[str] = []
    encoded: list[str] = []
    size = 0
    for number, term in enumerate(index.terms):
        if terms and size >= limit:
            shards.append([number - len(terms), front_code(terms), *encoded])
            terms, encoded, size = [], [], 0
        if not terms:
            starts.append(term)
        text = " ".join(encode_pairs(field) for field in postings[number])
        postings[number] = []  # encoded: let go of the pairs
        terms.append(term)
        encoded.append(text)
        size += len(term) + len(text) + 4
    if terms:
        shards.append([len(index.terms) - len(terms), front_code(terms), *encoded])
    data = index.analyzer.browser_data()
    forms = _form_runs(index.analyzer, forms_chunk) if "forms" in data else []
    manifest = {
        "format": FORMAT,
        "fields": [name for name, _ in FIELDS],
        "scales": index.scales,
        "docs": len(docs),
        "shards": front_code(starts),
        "lang": lang,
        "analyzer": index.analyzer.kind,
        **{key: value for key, value in data.items() if key != "forms"},
        **({"forms": front_code([run[0] for run in forms])} if forms else {}),
    }
    return Sharded(manifest, shards, [[stemming.forms_code(dict(run[1]))] for run in forms])


def _form_runs(analyzer: stemming.Analyzer, size: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """A Snowball analyzer's forms and stop words (stem "") in JavaScript order, ``size`` at a time,
    each run with its first form (where the browser looks a word up)."""
    entries = {**getattr(analyzer, "forms", {}), **{w: "" for w in getattr(analyzer, "stop_words", ())}}
    ordered = sorted(entries, key=js_order)
    return [(ordered[n], [(form, entries[form]) for form in ordered[n:n + size]]) for n in range(0, len(ordered), size)]


def store_chunks(rows: Sequence[Any]) -> list[list[Any]]:
    """What results show, STORE_CHUNK documents a file: document n is in file n // STORE_CHUNK."""
    return [list(rows[n:n + STORE_CHUNK]) for n in range(0, len(rows), STORE_CHUNK)]
