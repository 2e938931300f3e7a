"""``handbook check --fix`` and ``--diff``: the fixes (handbook_build/fixes/) for a terminal."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from handbook_build import fixes
from handbook_build.content.schema import Schema
from handbook_build.fixes import files, report


def run(content_dir: Path, schema: Schema, paths: Iterable[Path] | None, *, write: bool, to_stderr: bool = False) -> int:
    """Plan the fixes; write them (``write``) or print them as a diff. Returns how many were made (or would be)."""
    planned = fixes.plan(content_dir, schema, paths)
    count = sum(len(f.changes) for f in planned)
    if not write:
        text = report.diff(planned)
        if text:
            click.echo(text)
        click.echo(f"--diff: {count} fix(es) in {len(planned)} file(s) would be made; nothing was written.", err=True)
        return count
    made = 0
    for planned_fix in planned:
        try:
            files.write(planned_fix.path, planned_fix.fixed, raw=planned_fix.raw, mtime_ns=planned_fix.mtime_ns)
        except files.ChangedMeanwhile as exc:
            click.echo(f"{planned_fix.shown}: not fixed: {exc}", err=True)
            continue
        except OSError as exc:
            click.echo(f"{planned_fix.shown}: not fixed: cannot write the file ({exc.strerror})", err=True)
            continue
        for change in planned_fix.changes:
            click.echo(str(change), err=to_stderr)
        made += len(planned_fix.changes)
    files_fixed = len({c.shown for f in planned for c in f.changes}) if made else 0
    click.echo(f"Made {made} fix(es) in {files_fixed} file(s)." if made else "Nothing to fix automatically.", err=True)
    return made
