"""What a piece of CSS would fetch: every URL in it, read by tinycss2 as a browser reads it.

A stylesheet, a ``<style>`` block, a ``style=""`` attribute or an SVG
presentation attribute (``fill="url(...)"``) all go through ``loads``. The
tokenizer decodes escapes, so ``u\\72l(``, ``\\75 rl(`` and ``https\\:\\/\\/``
are the ``url(https://`` they stand for; functions that take a URL written as
a string (``image-set("...")``, ``@import "..."``) are read too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

# Functions whose string arguments are URLs (their url() arguments are found anyway).
URL_STRING_FUNCTIONS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"})


@dataclass(frozen=True)
class Load:
    """A URL the CSS would fetch, how it is written (``url()``, ``@import``, ``image-set()``) and where."""

    url: str
    how: str
    line: int  # 1-based, in the text given
    column: int  # 1-based


def could_load(css: str) -> bool:
    """A cheap first look: fetching needs url(), a function or @import."""
    return "(" in css or "@" in css


def loads(css: str) -> Iterator[Load]:
    """Every URL in ``css`` that a browser would fetch (stylesheet, block contents or one value)."""
    if could_load(css):
        yield from _walk(tinycss2.parse_component_value_list(css, skip_comments=True))


def _walk(tokens: Iterable[ast.Node], function: ast.FunctionBlock | None = None) -> Iterator[Load]:
    name = function.lower_name if function is not None else None
    skip_to_semicolon = False
    expecting_import = False
    at_keyword: ast.AtKeywordToken | None = None
    for token in tokens:
        if isinstance(token, (ast.WhitespaceToken, ast.Comment)):
            continue
        if skip_to_semicolon:  # @namespace url(...) names a namespace; nothing is fetched
            skip_to_semicolon = not (isinstance(token, ast.LiteralToken) and token.value == ";")
            continue
        importing, expecting_import = expecting_import, False
        if isinstance(token, ast.AtKeywordToken):
            skip_to_semicolon = token.lower_value == "namespace"
            expecting_import = token.lower_value == "import"
            at_keyword = token
        elif isinstance(token, ast.URLToken):
            yield Load(token.value, "@import" if importing else "url()", token.source_line, token.source_column)
        elif isinstance(token, ast.StringToken):
            if importing and at_keyword is not None:
                yield Load(token.value, "@import", at_keyword.source_line, at_keyword.source_column)
            elif function is not None and name in URL_STRING_FUNCTIONS:
                # url("...") and src("...") are reported where they start, like url(...); in a list, the string
                at = function if name in ("url", "src") else token
                yield Load(token.value, f"{name}()", at.source_line, at.source_column)
        elif isinstance(token, ast.FunctionBlock):
            if token.lower_name == "url" and importing:
                yield from (Load(u.url, "@import", u.line, u.column) for u in _walk(token.arguments, token))
            else:
                yield from _walk(token.arguments, token)
        elif isinstance(token, (ast.SquareBracketsBlock, ast.ParenthesesBlock, ast.CurlyBracketsBlock)):
            yield from _walk(token.content)


def place(load: Load, line: int, column: int) -> tuple[int, int]:
    """Where ``load`` is in a file in which the CSS text starts at (line, column)."""
    if load.line == 1:
        return line, column + load.column - 1
    return line + load.line - 1, load.column
