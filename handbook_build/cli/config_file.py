"""The handbook's mkdocs.yml, read by MkDocs' own ``load_config``, as the core's Settings.

MkDocs resolves what a hand-written reader would get wrong: ``!ENV`` tags,
``INHERIT`` from a base file, paths relative to the config file, the plugin's
typed options. What goes wrong comes back as one line (ConfigError), never as a
traceback or MkDocs' own log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs import exceptions
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from handbook_build.mkdocs_plugin.config import HandbookConfig
from handbook_build.mkdocs_plugin.settings import settings_of
from handbook_build.settings import Settings


class ConfigError(Exception):
    """mkdocs.yml cannot be used; the message is one line that says where and why."""


def load(config_file: Path) -> tuple[Settings, list[str]]:
    """The settings of the handbook configured in ``config_file``, and MkDocs' warnings about it (one line each)."""
    with _mkdocs_log() as records:
        try:
            config = load_config(config_file=str(config_file))
        except (exceptions.MkDocsException, OSError) as exc:  # Abort and ConfigurationError are MkDocsExceptions
            said = [r.getMessage() for r in records if r.levelno >= logging.ERROR] or [str(exc)]
            raise ConfigError(f"{config_file}: {_one_line('; '.join(said))}") from exc
    warnings = [f"{config_file}: {_one_line(r.getMessage())}" for r in records if r.levelno == logging.WARNING]
    return settings_of(config, _options(config)), warnings


def _options(config: MkDocsConfig) -> HandbookConfig:
    plugin = config.plugins.get("handbook")
    if plugin is not None and isinstance(plugin.config, HandbookConfig):
        return plugin.config
    options = HandbookConfig()  # no `handbook` in plugins: its defaults (the checks still apply)
    options.load_dict({})
    options.validate()
    return options


def _one_line(text: str) -> str:
    return " ".join(text.split())


@contextmanager
def _mkdocs_log() -> Iterator[list[logging.LogRecord]]:
    """MkDocs' log records while the config loads, kept instead of printed."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("mkdocs")
    handler, propagate = Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
