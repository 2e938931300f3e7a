"""The ``handbook`` command: check, build, serve, new, schema, stats."""

from handbook_build.cli.main import main

__all__ = ["main"]
