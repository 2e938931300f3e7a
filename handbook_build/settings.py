"""The handful of settings the core needs, read without loading MkDocs.

``handbook check`` must answer in well under a second, so it reads
mkdocs.yml as plain YAML (ignoring MkDocs' ``!!python`` and ``!ENV`` tags)
instead of building a full MkDocs configuration. The plugin builds the same
object from its validated Config.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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

    @classmethod
    def from_mkdocs_yml(cls, config_file: Path) -> Settings:
        config_file = Path(config_file)
        try:
            raw = yaml.load(config_file.read_text("utf-8"), Loader=_TolerantLoader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsError(f"{config_file}: cannot read the configuration: {exc}") from exc
        root = config_file.parent
        options = _plugin_options(raw.get("plugins"))
        theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
        schema = options.get("schema")
        return cls(
            root=root,
            content_dir=root / str(raw.get("docs_dir", "docs")),
            site_dir=root / str(raw.get("site_dir", "site")),
            schema_file=root / schema if schema else None,
            lang=str(theme.get("language", "en")),
            license=str(options.get("license", DEFAULT_LICENSE)),
            site_name=str(raw.get("site_name", cls.site_name)),
            site_url=raw.get("site_url"),
            pdf=bool(options.get("pdf", True)),
        )


class SettingsError(Exception):
    pass


def _plugin_options(plugins: Any) -> dict[str, Any]:
    for entry in plugins or []:
        if isinstance(entry, dict) and "handbook" in entry:
            return entry["handbook"] or {}
    return {}


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml while ignoring tags we do not need to understand."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
