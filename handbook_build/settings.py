"""The handful of settings the core needs, as plain data.

The command line (cli/config_file.py) and the plugin both make them from
mkdocs.yml as MkDocs itself loads it (mkdocs_plugin/settings.py), so ``!ENV``,
``INHERIT`` and relative paths mean the same in ``handbook check`` as in a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_LICENSE = "CC-BY-SA-4.0"


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder holding mkdocs.yml
    content_dir: Path
    site_dir: Path
    schema_file: Path | None
    lang: str = "en"
    license: str = DEFAULT_LICENSE
    site_name: str = "The Movement Handbook"
    site_url: str | None = None
    pdf: bool = True
    languages: tuple[str, ...] = ()  # the languages mkdocs.yml lists (plugins: handbook: languages), translated or not
