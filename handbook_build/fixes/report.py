"""What ``--fix`` and ``--diff`` print."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from handbook_build.fixes import FileFix


def diff(fixes: Iterable[FileFix]) -> str:
    """A unified diff of every planned fix (line endings shown as they are in the file)."""
    parts = []
    for fix in fixes:
        before = fix.raw.decode("utf-8").splitlines(keepends=True)
        after = fix.fixed.decode("utf-8").splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, fromfile=f"a/{fix.shown}", tofile=f"b/{fix.shown}")
        parts.append("".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines))
    return "".join(parts).rstrip("\n")
