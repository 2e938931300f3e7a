"""One colour per guide type, the same on paper as on the web.

The site's stylesheets are the one place the type colours are set: ``--hb-<type>``
custom properties on ``:root`` (templates/assets/handbook/*.css, which a handbook's
``custom_dir`` may override). The book reads them from the same theme folders and its
templates turn them into print rules (pdf/book.html), so a tactic is never teal online
and red on paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import tinycss2

ASSETS = Path("assets") / "handbook"


def theme_colours(theme_dirs: Iterable[Path]) -> dict[str, str]:
    """``{"tactic": "#00695c", ...}``: every ``--hb-*`` property the light scheme's ``:root`` sets, read from the
    theme's stylesheets in the order the site bundles them (a file of an earlier theme folder wins, as on the site)."""
    files: dict[str, Path] = {}
    for folder in reversed([Path(d) / ASSETS for d in theme_dirs]):
        for path in sorted(folder.glob("*.css")) if folder.is_dir() else ():
            files[path.name] = path  # the earlier folder (custom_dir) overrides a file of the same name
    return dict(_read(tuple(files[name] for name in sorted(files))))


@lru_cache(maxsize=8)
def _read(paths: tuple[Path, ...]) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for path in paths:
        rules = tinycss2.parse_stylesheet(path.read_text("utf-8"), skip_comments=True, skip_whitespace=True)
        for rule in rules:
            if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
                continue
            for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if decl.type == "declaration" and decl.name.startswith("--hb-"):
                    value = tinycss2.serialize(decl.value).strip()
                    if value.startswith("#") and "var(" not in value:
                        found[decl.name.removeprefix("--hb-")] = value
    return tuple(found.items())
