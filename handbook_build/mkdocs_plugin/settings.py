"""The core's Settings from a validated MkDocs config: one function for the plugin and the command line."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from handbook_build.mkdocs_plugin.config import HandbookConfig
from handbook_build.settings import Settings


def settings_of(config: MkDocsConfig, options: HandbookConfig) -> Settings:
    """MkDocs has made the paths absolute (relative to mkdocs.yml) and resolved ``!ENV`` and ``INHERIT``."""
    return Settings(
        root=Path(config.config_file_path or ".").parent,
        content_dir=Path(config.docs_dir),
        site_dir=Path(config.site_dir),
        schema_file=Path(options.schema) if options.schema else None,
        lang=str(config.theme.get("language", "en")),
        license=options.license,
        site_name=config.site_name,
        site_url=config.site_url,
        pdf=options.pdf,
        languages=tuple(str(lang) for lang in options.languages),
    )
