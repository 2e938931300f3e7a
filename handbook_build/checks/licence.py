"""Each guide's own licence must be known and fit the handbook's (the rules live in ``licences``)."""

from __future__ import annotations

from collections.abc import Iterator

from handbook_build.checks import origin
from handbook_build.content.model import Handbook
from handbook_build.licences import compatible, find, join_names, unknown_hint
from handbook_build.problems import Location, Problem, error


def check(handbook: Handbook, handbook_licence: str, config_path: str = "mkdocs.yml") -> Iterator[Problem]:
    """Each guide's own ``license:`` must be known and fit the handbook's licence."""
    main = find(handbook_licence)
    if main is None:
        yield error(Location(config_path), f"the handbook licence '{handbook_licence}' is not a Creative Commons licence this toolkit knows",
                    unknown_hint(handbook_licence) + " (plugins: handbook: license: in mkdocs.yml)", code="licence")
        return
    for guide in handbook.all_files():
        own = (guide.meta.data or {}).get("license") if isinstance(guide.meta.data, dict) else None
        if own is None or not isinstance(own, str):
            continue  # absent: the handbook's licence; not text: the schema reports it
        where = guide.location("license")
        lic = find(own)
        if lic is None:
            yield error(where, f"unknown licence '{own}'", unknown_hint(own), code="licence")
        elif not main.allows(lic):
            fits = join_names((x.spdx for x in compatible(main)), "or")
            yield error(where, f"a {lic.spdx} guide cannot be published in a handbook under {main.spdx}: {origin.why_not(lic, main)}",
                        f"ask the authors to license it under {fits}, or leave the guide out", code="licence")
    yield from origin.check(handbook, main)  # adapted guides: the original's licence must fit too

