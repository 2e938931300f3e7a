"""The MkDocs plugin: short hooks that hand the work to the core."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files

from . import loader
from .config import HandbookConfig
from .model import Handbook
from .problems import ProblemList, Severity
from .schema import Schema, SchemaError
from .settings import Settings

log = get_plugin_logger(__name__)


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.problems = ProblemList()
        self.settings: Settings | None = None
        self.schema: Schema | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        try:
            self.schema = Schema.load(Path(self.config.schema) if self.config.schema else None)
        except SchemaError as exc:
            raise PluginError(str(exc)) from exc
        root = Path(config.config_file_path or ".").parent
        self.settings = Settings(
            root=root,
            content_dir=Path(config.docs_dir),
            site_dir=Path(config.site_dir),
            schema_file=Path(self.config.schema) if self.config.schema else None,
            lang=str(config.theme.get("language", "en")),
            license=self.config.license,
            site_name=config.site_name,
            site_url=config.site_url,
            pdf=self.config.pdf,
        )
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.settings is None or self.schema is None:
            return None
        self.handbook, self.problems = loader.load(self.settings.content_dir, self.schema, lang=self.settings.lang)
        self._report(strict=bool(config.strict))
        unpublished = self._unpublished()
        for file in list(files):
            if file.src_uri in unpublished or file.src_uri == loader.TOPICS_FILE:
                files.remove(file)
        return files

    # -- helpers ----------------------------------------------------------------

    def _report(self, *, strict: bool) -> None:
        for problem in self.problems:
            (log.error if problem.severity is Severity.ERROR else log.warning)(str(problem))
        errors = self.problems.errors
        if errors and strict:
            raise PluginError(f"{len(errors)} problem(s) in the content; fix them and build again (run 'handbook check' for the list)")

    def _unpublished(self) -> set[str]:
        """Content paths not to publish: drafts, and guides with errors (listed above)."""
        assert self.handbook is not None
        assert self.settings is not None
        root = loader.ContentRoot.at(self.settings.content_dir)
        hidden = {root.relative(p.location.path) for p in self.problems.errors}
        hidden.update(g.path for g in self.handbook.all_files() if g.draft)
        return hidden
