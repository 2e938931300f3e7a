"""Where each thing lives on the site, as paths from the site root.

Templates turn these into links relative to the current page with MkDocs'
``url`` filter, so the site works from any host and from disk.
"""

from __future__ import annotations

from .model import Guide, GuideType

TOPICS = "topics/"


def guide_url(guide: Guide) -> str:
    folder, name = guide.path.rsplit("/", 1)
    return f"{folder}/{name[: -len('.md')]}/"


def guide_src(guide: Guide) -> str:
    """The guide's source path inside the content folder, as MkDocs knows it."""
    return guide.path


def type_url(gtype: GuideType) -> str:
    return f"{gtype.folder}/"


def type_src(gtype: GuideType) -> str:
    return f"{gtype.folder}/index.md"


def topic_url(topic_id: str) -> str:
    return f"{TOPICS}{topic_id}/"


def topic_src(topic_id: str) -> str:
    return f"{TOPICS}{topic_id}.md"


TOPICS_SRC = f"{TOPICS}index.md"
