"""A guide's ``origin`` block: the original's licence must be known and fit the handbook's.

The schema checks the block's shape (required keys, ``imported`` a real
YYYY-MM-DD date); this checks what needs the handbook's licence.
"""

from __future__ import annotations

from collections.abc import Iterator

from handbook_build.content.model import Handbook
from handbook_build.licences import NC, ND, SA, Licence, compatible, find, join_names, unknown_hint
from handbook_build.problems import Problem, error

FIELD = "origin"


def check(handbook: Handbook, main: Licence) -> Iterator[Problem]:
    for guide in handbook.all_files():
        block = guide.meta.data.get(FIELD) if isinstance(guide.meta.data, dict) else None
        if not isinstance(block, dict):
            continue  # absent, or the schema reports its shape
        own = block.get("license")
        if isinstance(own, str):
            where = guide.location(FIELD, "license")
            lic = find(own)
            if lic is None:
                yield error(where, f"unknown licence '{own}' in 'origin'", unknown_hint(own), code="origin")
            elif not main.allows(lic):
                fits = join_names((x.spdx for x in compatible(main)), "or")
                yield error(where, f"the original guide is {lic.spdx}, which a handbook under {main.spdx} cannot publish "
                                   f"adapted: {why_not(lic, main)}",
                            f"only guides under {fits} can be adapted here; remove this guide", code="origin")


def why_not(guide: Licence, handbook: Licence) -> str:
    """Why a guide under ``guide`` cannot sit in a handbook under ``handbook``, in a few words."""
    extra = guide.elements - handbook.elements
    if NC in extra:
        return f"its NonCommercial (NC) condition forbids the commercial reuse that {handbook.short} allows"
    if ND in extra:
        return f"its NoDerivatives (ND) condition forbids the changes and translations that {handbook.short} allows"
    if SA in extra:
        return f"its ShareAlike (SA) condition adds a term that {handbook.short} does not have"
    return f"ShareAlike means adaptations of it must stay under {guide.short}, not {handbook.short}"
