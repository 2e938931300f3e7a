"""The checks that need the whole handbook, run by the loader in this order.

A feature adds its check here; each takes the loaded handbook and the
context it needs, and returns problems (never raises for content mistakes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from . import licence, links, paths, privacy, references, sanitize
from .model import Handbook
from .problems import Problem


@dataclass(frozen=True)
class CheckContext:
    topics_path: str  # topics.yml as shown to the contributor
    content_dir: str  # the content folder on disk
    license: str  # the handbook's licence (SPDX id)


Check = Callable[[Handbook, CheckContext], Iterable[Problem]]

CHECKS: list[Check] = [
    lambda handbook, ctx: references.check(handbook, ctx.topics_path),
    lambda handbook, ctx: links.check(handbook),
    lambda handbook, ctx: licence.check(handbook, ctx.license),
    lambda handbook, ctx: privacy.check(handbook, ctx.content_dir),
    lambda handbook, ctx: sanitize.check(paths.bodies(handbook, ctx.content_dir)),
    lambda handbook, ctx: paths.check(handbook, ctx.content_dir),
]


def run(handbook: Handbook, context: CheckContext) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(handbook, context))
    return problems
