"""Nothing a contributor writes may make a reader's browser contact another host.

``check`` looks at the Markdown sources (guides and the other pages) for
images and embeds that would load from another website, and for images
without alt text, so the contributor gets file:line:col of their own text.
The built output is scanned too (``site.scan``): this is the early, precise half.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from handbook_build.content.body import Body
from handbook_build.content.model import Handbook
from handbook_build.hrefs import ATTRIBUTE, LOADING_ATTRS, LOADING_RELS, is_foreign, srcset_urls
from handbook_build.problems import Problem, error

if TYPE_CHECKING:
    from handbook_build.checks.memo import Bodies

HINT_IMAGE = ("add the image to the repository (e.g. an images/ folder beside the page) and link to it with a "
              "relative path, e.g. ![What it shows](images/photo.jpg): the handbook never makes readers' browsers "
              "contact another website")
HINT_EMBED = "link to it instead (readers choose to follow a link), or add the file to the repository"
HINT_ALT = ("describe what the image shows for readers who cannot see it, e.g. "
            "![Volunteers calling from a shared phone list](images/phone-bank.jpg)")

_ALT = r"(?P<alt>(?:[^\[\]\\\n]|\\.|\[[^\[\]\n]*\])*)"
_INLINE_IMAGE = re.compile(r"!\[" + _ALT + r"\]\(\s*(?:<(?P<angled>[^>\n]*)>|(?P<url>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))")
_REF_IMAGE = re.compile(r"!\[" + _ALT + r"\](?:\[(?P<ref>[^\]\n]*)\])?(?![(\[:])")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.MULTILINE)
_TAG = re.compile(r"<(?P<tag>img|iframe|video|audio|source|track|embed|object|script|link|input|image|use|frame)\b(?P<attrs>[^<>]*)>",
                  re.IGNORECASE)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_body(body: Body) -> Iterator[Problem]:
    """External images and embeds, and images without alt text, in one page body."""
    prose = body.prose
    definitions = {_label(m.group("label")): m.group("url") for m in _DEFINITION.finditer(prose)}
    inline_spans: list[tuple[int, int]] = []
    for match in _INLINE_IMAGE.finditer(prose):
        inline_spans.append((match.start(), match.end()))
        which = "angled" if match.group("angled") is not None else "url"
        yield from _image_problems(body, match.start(), match.group("alt"), match.group(which), match.start(which))
    for match in _REF_IMAGE.finditer(prose):
        if any(s <= match.start() < e for s, e in inline_spans):
            continue
        ref = match.group("ref") or match.group("alt")  # ![alt][] and ![alt] use the alt text as the label
        url = definitions.get(_label(ref))
        if url is None:
            continue  # not an image after all: just text in brackets
        yield from _image_problems(body, match.start(), match.group("alt"), url, None)
    for match in _TAG.finditer(prose):
        yield from _tag_problems(body, match)


def _image_problems(body: Body, start: int, alt: str, url: str, url_offset: int | None) -> Iterator[Problem]:
    if is_foreign(url):
        yield error(body.location(url_offset if url_offset is not None else start),
                    f"the image {url} would be loaded from another website", HINT_IMAGE, code="privacy")
    if not alt.strip():
        yield error(body.location(start), "this image has no alt text", HINT_ALT, code="alt-text")


def _tag_problems(body: Body, match: re.Match[str]) -> Iterator[Problem]:
    tag = match.group("tag").lower()
    attrs_start = match.start("attrs")
    attrs: dict[str, tuple[str, int]] = {}
    for attr in ATTRIBUTE.finditer(match.group("attrs")):
        value = next((v for v in attr.group("dq", "sq", "bare") if v is not None), None)
        attrs.setdefault(attr.group("name").lower(), (value or "", attrs_start + attr.start()))
    loading = LOADING_ATTRS.get(tag, ())
    if tag == "link":
        loading = ("href",) if set(attrs.get("rel", ("", 0))[0].lower().split()) & LOADING_RELS else ()
    for name in loading:
        if name not in attrs:
            continue
        value, offset = attrs[name]
        for url in srcset_urls(value) if name == "srcset" else [value]:
            if is_foreign(url):
                what = "image" if tag == "img" else f"<{tag}>"
                yield error(body.location(offset), f"the {what} {url} would be loaded from another website",
                            HINT_IMAGE if tag in ("img", "image") else HINT_EMBED, code="privacy")
    if tag == "img" and not attrs.get("alt", ("", 0))[0].strip():
        yield error(body.location(match.start()), "this image has no alt text",
                    'add alt="what the image shows" to the <img> tag', code="alt-text")


def check(handbook: Handbook, memo: Bodies | None = None) -> Iterator[Problem]:
    """The guides' bodies, then every other Markdown page in the content folder (not in hidden folders)."""
    def found(body: Body) -> Iterable[Problem]:
        return check_body(body) if memo is None else memo.problems("privacy", body, check_body)

    for guide in handbook.all_files():
        yield from found(guide.body_view)
    for page in handbook.pages:
        if not any(part.startswith(".") for part in page.path.split("/")[:-1]):
            yield from found(page.body_view)
