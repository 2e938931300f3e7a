"""The handbook's colours: the brand colour and one colour per guide type, light and dark.

The theme's stylesheet (templates/assets/handbook/theme.css and handbook.css)
holds the defaults as CSS variables. A handbook brands its own site with the
plugin's ``colours`` option::

    plugins:
      - handbook:
          colours: {primary: "#1b5e20", tactic: "#6a1b9a"}

Each key is ``primary``, ``link``, ``hero`` or a guide type's name, with ``-dark``
for the dark scheme (``primary-dark``, ``tactic-dark``). Values are hex colours. They
become a small ``<style>`` in every page's head (partials/handbook/head.html),
after the stylesheet, so they win. A type's colour is used as text on its tint
and as the background of white badge text, so pick one with 4.5:1 contrast
against white; ``contrast`` tells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The brand: brick red, from the cover of the PDF book; white text on it is 6.7:1.
PRIMARY = "#a8321f"
PRIMARY_DARK = "#8f2a1a"

# key -> the CSS variables it sets (light scheme; "-dark" keys set the same in the dark scheme).
_VARIABLES: dict[str, tuple[str, ...]] = {
    "primary": ("--md-primary-fg-color", "--md-primary-fg-color--dark"),
    "link": ("--md-typeset-a-color", "--hb-link"),
    "hero": ("--hb-hero",),
}
_BOTH = frozenset({"primary", "hero"})  # backgrounds of white text: one colour serves both schemes unless told
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_KEY = re.compile(r"[a-z][a-z0-9-]*")
DARK = '[data-md-color-scheme="slate"]'


class PaletteError(ValueError):
    """A ``colours`` entry that is not a known key with a hex colour."""


@dataclass(frozen=True)
class Colour:
    key: str  # e.g. "tactic" or "tactic-dark"
    value: str  # "#rrggbb"

    @property
    def dark(self) -> bool:
        return self.key.endswith("-dark")

    @property
    def name(self) -> str:
        return self.key.removesuffix("-dark")


def read(colours: Mapping[str, object] | None, types: Iterable[str]) -> list[Colour]:
    """The ``colours`` option checked: every key known, every value a hex colour; else PaletteError."""
    known = set(_VARIABLES) | set(types)
    out: list[Colour] = []
    for key, value in sorted((colours or {}).items()):
        name = str(key).removesuffix("-dark")
        if not _KEY.fullmatch(str(key)) or name not in known:
            raise PaletteError(f"colours: {key!r} is not a colour the handbook uses; use one of "
                               f"{', '.join(sorted(known))} (add -dark for the dark scheme)")
        if not isinstance(value, str) or not _HEX.fullmatch(value.strip()):
            raise PaletteError(f"colours: {key}: {value!r} is not a hex colour; write it as \"#1b5e20\" (in quotes: "
                               f"YAML reads # as a comment)")
        out.append(Colour(str(key), _long(value.strip())))
    return out


def css(colours: Iterable[Colour]) -> str:
    """The CSS that sets the chosen colours over the theme's defaults ("" when none are chosen)."""
    colours = list(colours)
    given = {c.key for c in colours}
    light: list[str] = []
    dark: list[str] = []
    for colour in colours:
        names = _VARIABLES.get(colour.name) or (f"--hb-{colour.name}",)
        (dark if colour.dark else light).extend(f"{variable}:{colour.value}" for variable in names)
        if colour.name in _BOTH and not colour.dark and f"{colour.name}-dark" not in given:
            dark.extend(f"{variable}:{colour.value}" for variable in names)  # white text on it in both schemes
    rules = []
    if light:
        rules.append(f':root,[data-md-color-scheme="default"]{{{";".join(light)}}}')
    if dark:
        rules.append(f"{DARK}{{{';'.join(dark)}}}")
    return "\n".join(rules)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (1 to 21)."""
    first, second = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (first + 0.05) / (second + 0.05)


def _long(value: str) -> str:
    value = value.lower()
    return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value


def _luminance(value: str) -> float:
    value = _long(value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
