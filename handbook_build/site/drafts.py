"""Drafts open for comment: a preview build that shows ``draft: true`` guides with a feedback link.

A normal build leaves drafts out everywhere (pages, search, PDF, handbook.json,
sitemap). A draft preview (``handbook build --drafts``, the plugin's ``drafts:
true`` or HANDBOOK_DRAFTS=true) opens them: from then on the build treats them
as published, and each gets a "Draft: comments welcome" banner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from handbook_build.content.model import Guide, Handbook

ENV = "HANDBOOK_DRAFTS"
CORRECTION_FORM = "correction.yml"  # .github/ISSUE_TEMPLATE/: the "Correct a guide" form
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def wanted(option: bool, environ: Mapping[str, str]) -> bool:
    """The plugin option, unless HANDBOOK_DRAFTS says otherwise (what ``handbook build --drafts`` sets)."""
    value = environ.get(ENV)
    if value is None or value.strip().lower() not in _TRUE + _FALSE:
        return option
    return value.strip().lower() in _TRUE


def open_for_comment(handbook: Handbook) -> frozenset[str]:
    """Publish every draft in this build; returns their paths (the ones that get the banner).

    Called after the checks: a draft is still checked as a draft (links to it warn).
    """
    opened = [g for g in handbook.all_files() if g.draft]
    for guide in opened:
        assert isinstance(guide.meta.data, dict)  # `draft: true` was read from it
        guide.meta.data["draft"] = False
    return frozenset(g.path for g in opened)


def default_template(repo_url: str | None) -> str | None:
    """The repository's "Correct a guide" issue form, pre-filled with the guide (GitHub-style forges)."""
    if not repo_url or not repo_url.startswith(("https://", "http://")):
        return None
    return (f"{repo_url.rstrip('/')}/issues/new?template={CORRECTION_FORM}"
            "&title=Draft%20feedback%3A%20{title}&guide={title}%20%28{slug}%29")


def check_template(template: str) -> str:
    """A feedback template must be a web address or a mailto: (it becomes a link on the page)."""
    if not template.startswith(("https://", "http://", "mailto:")):
        raise ValueError(f"'{template}' is not a web address or a mailto: link "
                         "(e.g. https://example.org/feedback?page={slug} or mailto:drafts@example.org?subject={title})")
    return template


@dataclass(frozen=True)
class Banner:
    """What a draft's banner shows: where to comment, if anywhere."""

    feedback_url: str | None

    @property
    def by_email(self) -> bool:
        return bool(self.feedback_url and self.feedback_url.startswith("mailto:"))


@dataclass(frozen=True)
class Feedback:
    """Where readers of a draft preview send their comments."""

    template: str | None

    def url(self, guide: Guide) -> str | None:
        if self.template is None:
            return None
        return self.template.replace("{slug}", quote(guide.slug, safe="")).replace("{title}", quote(guide.title, safe=""))

    def banner(self, guide: Guide) -> Banner:
        return Banner(self.url(guide))
