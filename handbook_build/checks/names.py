"""File names every contributor can check out: none that Windows reserves for a device.

Windows cannot create ``con.md``, ``Aux.sv.md`` or ``nul.png`` (the name before the
first dot counts, whatever its case): a checkout there fails. Names that differ
only in case are ``paths.check_case``.
"""

from __future__ import annotations

from collections.abc import Iterator

from handbook_build.content.model import Handbook
from handbook_build.problems import Location, Problem, error

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)
HINT = "rename it: con, prn, aux, nul, com1-com9 and lpt1-lpt9 (with any extension, in any case) cannot be used on Windows"


def windows_reserved(name: str) -> bool:
    """True for a file name Windows refuses, whatever its case or extension: 'con.md', 'Aux.sv.md', 'nul'."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def check(handbook: Handbook) -> Iterator[Problem]:
    tree = handbook.tree
    if tree is None:
        return
    for relative in sorted({*tree.files, *tree.folders}):
        name = relative.rsplit("/", 1)[-1]
        if windows_reserved(name):
            device = name.split(".", 1)[0]
            yield error(Location(tree.show(relative)), f"'{name}' cannot be checked out on Windows, where '{device}' is a device name",
                        HINT, code="slug")
