"""The 404 page (templates/404.html): what its template needs beyond a theme page's context.

A server shows 404.html for a missing address at any depth. With a ``site_url`` MkDocs links it
from that address's path (absolute, right under a sub-path such as /repo/); without one MkDocs
would link it from the server's root, which is wrong under a sub-path and from disk. Then its
links are relative instead, and the page's script finds the site's root from the address,
knowing the site's top-level folders.
"""

from __future__ import annotations

from collections.abc import Iterable


def template_context(sources: Iterable[str], *, site_url: str | None) -> dict[str, object]:
    """Context for 404.html from the site's page sources: its top folders, relative links without a site_url,
    and no credit line (the page is not a work anyone reuses)."""
    folders = sorted({src.split("/")[0] for src in sources if "/" in src} | {"assets"})
    context: dict[str, object] = {"hb_site_folders": folders, "handbook_credit": None}
    if not site_url:
        context["base_url"] = "."  # MkDocs' url filter joins it with each path: ./assets/...
    return context
