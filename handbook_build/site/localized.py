"""The handbook's own words in one language: guide types, field labels, enum values, topics.

Their translations live in the data files themselves (the schema's type
``translations:`` and field ``x-translations:``, topics.yml's
``translations:``); each key falls back to the default language's text on its
own. A localized copy of the handbook is what a page's templates get as
``handbook``, so a template never has to know which language it is in.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from handbook_build.content.model import FieldSpec, Guide, GuideType, Handbook, ReferenceSpec, Topic
from handbook_build.content.translations import version_in
from handbook_build.site import i18n


def _field_words(spec: FieldSpec, lang: str) -> dict[str, Any]:
    words = (spec.schema.get("x-translations") or {}).get(lang)
    return words if isinstance(words, dict) else {}


def field(spec: FieldSpec, lang: str) -> FieldSpec:
    label = _field_words(spec, lang).get("label")
    return replace(spec, label=str(label)) if label else spec


def reference(ref: ReferenceSpec, fields: dict[str, FieldSpec], lang: str) -> ReferenceSpec:
    spec = fields.get(ref.field)
    if spec is None:
        return ref
    words = _field_words(spec, lang)
    return replace(ref, label=str(words.get("label") or ref.label), backlinks=str(words.get("backlinks") or ref.backlinks)
                   if ref.backlinks else None)


def guide_type(gtype: GuideType, lang: str) -> GuideType:
    words = gtype.translations.get(lang) or {}
    fields = tuple(field(f, lang) for f in gtype.fields)
    originals = {f.name: f for f in gtype.fields}
    by_name = {f.name: f for f in fields}
    return replace(gtype, label=words.get("label") or gtype.label, plural=words.get("plural") or gtype.plural,
                   description=words.get("description") or gtype.description, fields=fields,
                   key_facts=tuple(by_name[f.name] for f in gtype.key_facts),
                   references=tuple(reference(r, originals, lang) for r in gtype.references))


def topic(item: Topic, lang: str) -> Topic:
    words = item.translations.get(lang) or {}
    return replace(item, title=words.get("title") or item.title, description=words.get("description") or item.description)


def handbook(source: Handbook, lang: str) -> Handbook:
    """The same handbook (the same guides) with types and topics in ``lang``."""
    if lang == source.lang:
        return source
    return replace(source, types={k: guide_type(t, lang) for k, t in source.types.items()},
                   topics={k: topic(t, lang) for k, t in source.topics.items()})


def fact(value: object, spec: FieldSpec | None = None, lang: str = i18n.SOURCE_LANG) -> str:
    """A key fact as readers see it: yes/no, lists joined, enum words translated or capitalised."""
    if isinstance(value, bool):
        return i18n.gettext(lang, "Yes") if value else i18n.gettext(lang, "No")  # two literals: extractable
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if spec is not None and isinstance(value, str):
        values = _field_words(spec, lang).get("values") or {}
        if value in values:
            return str(values[value])
    text = _RANGE.sub("\u2013", str(value).replace("_", " "))  # 2012-2013 -> 2012\u20132013: a range takes an en dash
    return text[:1].upper() + text[1:] if text.islower() else text


# A hyphen between two numbers (or a number and a sum of money): $500-$50,000, 2012-2013, 5-15%.
_RANGE = re.compile(r"(?<=\d)-(?=[$\u00a3\u20ac\u00a5]?\d)")


@pass_context
def fact_filter(context: Context, value: object, spec: FieldSpec | None = None) -> str:
    """``{{ guide.get(f.name) | hb_fact(f) }}`` in the page's language."""
    return fact(value, spec, str(context.get(i18n.CONTEXT_KEY) or i18n.SOURCE_LANG))


@pass_context
def shown_filter(context: Context, guide: Guide) -> Guide:
    """``guide | hb_shown``: the version of a guide the page's language shows (its translation, else the original)."""
    original = guide.original or guide
    return version_in(original, str(context.get(i18n.CONTEXT_KEY) or original.lang)) or original
