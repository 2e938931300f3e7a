"""Words to index terms, one analyzer per language, and what the browser needs to do the same.

- English keeps lunr's own pipeline (trimmer, stop word filter, Porter stemmer):
  lunr.js has the same stemmer, so the browser stems a query exactly as the
  index was built, and an English index is byte for byte what it always was.
- A language that the Snowball project covers (Swedish, German, French ...)
  is stemmed with ``snowballstemmer`` (pure Python, no downloads) and filtered
  with a short stop word list written for this project (``STOP_WORDS``; a
  language without one keeps all its words). There is no Snowball in the
  browser, so the analyzer records every surface form it met whose stem
  differs from it: the index ships that map (see ``forms_code``).
- Chinese and Japanese have no spaces between words: runs of Han and kana are
  cut into overlapping character pairs (a lone character stays whole), the
  common way to make such text searchable without a dictionary.
- Any other language is lower-cased and trimmed only.

Words are split as lunr splits them (whitespace and hyphens) and trimmed as
lunr's trimmer does, so the browser can split a query the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

import snowballstemmer
from lunr import get_default_builder
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS

# What each index tells the browser about its words (search.js switches on it).
LUNR = "lunr"
SNOWBALL = "snowball"
BIGRAM = "bigram"
PLAIN = "plain"

# A language tag's first part to its Snowball algorithm (English is lunr's, above).
SNOWBALL_LANGUAGES = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian", "no": "norwegian",
    "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
BIGRAM_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu"})

# Short lists of the commonest function words (articles, pronouns, conjunctions,
# prepositions, auxiliaries), written for this project. Kept short on purpose: a
# word left in costs a little index; a content word taken out can never be found.
_NORDIC_NO = "alle andre at av da de dei den denne der det dette du eg ein eit eller en er et for fra har hun hva hvor i ikke inn jeg kan man med men meg mot nå når og om på seg si sin skal som så til ut var ved vi vil være"
STOP_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "sv": "alla allt andra att av blev bli blir de dem den denna deras dess det detta dig din ditt du där efter eller "
          "en er ett från för ha hade han har hans hon honom hur här i icke in inom inte jag kan man med men mig min "
          "mitt mot mycket ni nu när och om oss på så sig sin sina sitt ska skulle som till under upp ut utan vad var "
          "vara varit vi vid vilken vilket vår åt än är över",
    "da": "af alle andre at blev blive bliver da de dem den denne der deres det dette dig din du efter eller en er et "
          "for fra ham han hans har havde hende hun hvad hvis hvor i ikke ind jeg kan man med meget men mig min mod "
          "ned nu når og om op os over på se sig sin skal som så til ud under var være vi vil",
    "nb": _NORDIC_NO, "nn": _NORDIC_NO, "no": _NORDIC_NO,
    "de": "aber als am an auch auf aus bei bin bis das dass dem den der des die doch du durch ein eine einem einen "
          "einer eines er es für hat hatte ich ihr im in ist ja kann man mit nach nicht noch nur oder sein sich sie "
          "sind so um und uns von vor war wenn wie wir wird zu zum zur über",
    "nl": "aan al als bij dan dat de der deze die dit door een en er had heb heeft het hij hoe ik in is je kan maar "
          "me met mij na naar niet nog nu of om omdat ons ook op over te tot u uit van voor was wat we wel wie wij "
          "worden wordt zal ze zich zij zijn zo",
    "fr": "au aux avec ce ces cette dans de des du elle en est et eux il ils je la le les leur lui ma mais me même "
          "mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu "
          "un une vos votre vous été être",
    "es": "a al como con de del el ella ellas ellos en entre era es esta este esto fue ha han hay la las le les lo "
          "los me mi muy más no nos o para pero por que se si sin sobre su sus también te tu un una y ya él",
    "it": "a ad al alla alle che chi ci con da dal dalla dei del della di e ed era gli ha hanno i il in io la le lei "
          "li lo loro lui ma mi ne nei nel nella noi non o per più quella quello questa questo se si sono su sua suo "
          "tra un una uno è",
    "pt": "a ao aos as com como da das de do dos e ela elas ele eles em entre era essa esse esta este eu foi há isso "
          "já lhe mais mas me meu minha muito na nas no nos não o os ou para pela pelo por que se sem seu sua são "
          "também te um uma você é",
}.items()}

# Han (with compatibility forms and extension A/B), the kana, and half-width katakana,
# as a character class both Python and JavaScript (with the u flag) read the same way.
CJK_CLASS = r"\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2fa1f}"
_CJK_RUN = re.compile("([" + CJK_CLASS.replace(r"\u{20000}", "\U00020000").replace(r"\u{2fa1f}", "\U0002fa1f") + "]+)")
_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]+")
_TRIM = re.compile(r"^\W*?([^\W]+)\W*?$")  # lunr's trimmer: a word between non-word characters
_WORDS = re.compile(r"\w+")


def base_language(tag: str) -> str:
    """"pt-BR" -> "pt", "zh_Hant" -> "zh"."""
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]


def trim(word: str) -> str:
    match = _TRIM.match(word)
    return match.group(1) if match else word


class Analyzer:
    """Lower-cased, trimmed words; no stemming, no stop words."""

    kind: ClassVar[str] = PLAIN

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._cache: dict[str, str | None] = {}

    def term(self, word: str) -> str | None:
        """A lower-cased word's index term (None for a stop word), computed once per distinct word."""
        if word not in self._cache:
            self._cache[word] = self._term(word)
        return self._cache[word]

    def _term(self, word: str) -> str | None:
        return trim(word) or None

    def of_text(self, text: str) -> list[str]:
        return [t for w in _SEPARATORS.split(text.lower()) if w and (t := self.term(w)) is not None]

    def of_values(self, values: Iterable[str]) -> list[str]:
        # Kept whole: `topics:distributed-organising` and `type:case-study` are one term each.
        return [v.lower() for v in values if v]

    def browser_data(self) -> dict[str, str]:
        """What search.js needs, besides the index, to turn a query into the same terms."""
        return {}


class LunrEnglish(Analyzer):
    """lunr's own English pipeline, exactly as lunr.py's default builder runs it."""

    kind = LUNR

    def __init__(self, lang: str = "en") -> None:
        super().__init__(lang)
        self._pipeline = get_default_builder().pipeline

    def _term(self, word: str) -> str | None:
        tokens = self._pipeline.run([Token(word)])
        return str(tokens[0]) if tokens else None

    def of_values(self, values: Iterable[str]) -> list[str]:
        return [t for v in values if (t := self.term(v.lower())) is not None]


class Snowball(Analyzer):
    """A Snowball stemmer and a stop word list; remembers each form whose stem differs."""

    kind = SNOWBALL

    def __init__(self, lang: str, algorithm: str) -> None:
        super().__init__(lang)
        self._stemmer = snowballstemmer.stemmer(algorithm)
        self.stop_words = STOP_WORDS.get(base_language(lang), frozenset())
        self.forms: dict[str, str] = {}

    def _term(self, word: str) -> str | None:
        form = trim(word)
        if not form or form in self.stop_words:
            return None
        stem: str = self._stemmer.stemWord(form)
        if stem != form:
            self.forms[form] = stem
        return stem

    def browser_data(self) -> dict[str, str]:
        return {"forms": forms_code(self.forms, self.stop_words)}


class Bigrams(Analyzer):
    """Chinese and Japanese: Han and kana runs as overlapping pairs, other words whole."""

    kind = BIGRAM

    def of_text(self, text: str) -> list[str]:
        out: list[str] = []
        for word in _WORDS.findall(text.lower()):
            for n, part in enumerate(_CJK_RUN.split(word)):
                if not part:
                    continue
                if n % 2 == 0 or len(part) == 1:  # a word of another script, or a lone character
                    out.append(part)
                else:
                    out.extend(part[i:i + 2] for i in range(len(part) - 1))
        return out

    def browser_data(self) -> dict[str, str]:
        return {"cjk": CJK_CLASS}


def analyzer(lang: str) -> Analyzer:
    """A fresh analyzer for a language tag (fresh: a Snowball one collects the forms it meets)."""
    base = base_language(lang)
    if base == "en":
        return LunrEnglish(lang)
    if base in BIGRAM_LANGUAGES:
        return Bigrams(lang)
    if base in SNOWBALL_LANGUAGES:
        return Snowball(lang, SNOWBALL_LANGUAGES[base])
    return Analyzer(lang)


# -- the forms map, as the browser reads it ------------------------------------------------------

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_MAX = len(_BASE36) - 1


def forms_code(forms: dict[str, str], stop_words: Iterable[str] = ()) -> str:
    """Each form and its stem (a stop word's stem is empty), as one string.

    Forms are sorted and front-coded like the term list: one base-36 digit for
    the length shared with the form before, then the rest. The stem follows as
    a separate item: one base-36 digit for how many characters to cut from the
    end of the form, then what to add ("organiserar" -> "organiser" is "2").
    A form whose stem cannot be written so (more than 35 characters cut) is
    left out: the browser's prefix rule still finds its stem.
    """
    entries = {**forms, **{w: "" for w in stop_words}}
    out: list[str] = []
    previous = ""
    for form in sorted(entries, key=lambda w: w.encode("utf-16-be")):
        stem = entries[form]
        common = _shared(form, stem, len(form))
        cut = len(form) - common
        if cut > _MAX:
            continue
        shared = _shared(form, previous, _MAX)
        out.append(_BASE36[shared] + form[shared:])
        out.append(_BASE36[cut] + stem[common:])
        previous = form
    return " ".join(out)


def _shared(a: str, b: str, limit: int) -> int:
    n, top = 0, min(len(a), len(b), limit)
    while n < top and a[n] == b[n]:
        n += 1
    return n


def decode_forms(code: str) -> dict[str, str]:
    """The inverse of ``forms_code`` (search.js does the same)."""
    out: dict[str, str] = {}
    items = code.split(" ") if code else []
    previous = ""
    for i in range(0, len(items), 2):
        form = previous[: int(items[i][0], 36)] + items[i][1:]
        stem_item = items[i + 1]
        out[form] = form[: len(form) - int(stem_item[0], 36)] + stem_item[1:]
        previous = form
    return out
