"""Throwaway converter: Open Source Guides (github/opensource.guide) -> a handbook fixture.

    python tools/convert_opensource_guides.py PATH-TO-CHECKOUT tests/fixtures/real-corpus [--commit SHA]

What it reads (and nothing else): from PATH-TO-CHECKOUT, a checkout or a
``git archive`` export of https://github.com/github/opensource.guide, it reads
the English articles ``_articles/*.md`` (the translations in the language
sub-folders are skipped), the images those articles' bodies point at under
``assets/images/``, and the "Permissions" section of ``notices.md`` (licences of
third-party screenshots, copied into LICENSE.md). It fetches nothing: no
network access at all. The commit recorded in LICENSE.md is ``--commit``, or
``git -C PATH-TO-CHECKOUT rev-parse HEAD`` when the checkout is a git work tree.

What it writes under the output folder, replacing what was there:

- ``mkdocs.yml`` in the shape of tests/fixtures/mini/mkdocs.yml (same
  ``custom_dir`` line, so the test conftest can rewrite it);
- ``content/index.md`` and ``content/topics.yml`` (a handful of topics);
- ``content/tactics/<slug>.md`` per article: our front matter (see
  /work/shared/CONTENT-MODEL.md) in place of Jekyll's, and the body AS IT IS:
  HTML checkbox checklists, root-absolute ``/assets/`` and ``/slug/`` links,
  avatars from avatars.githubusercontent.com, all kept, because the point of
  the fixture is to show the tool handling real-world mistakes;
- ``content/assets/images/...``: the body images that exist and are at most
  200 KB (the larger ones stay referenced but missing, another real mistake);
- ``LICENSE.md`` (CC-BY-4.0 notice, source, commit, what was changed) and
  ``README.md``.

Liquid: Jekyll tags ``{% ... %}`` and ``{{ ... }}`` cannot render in MkDocs,
so they are removed from the body (the English articles had none when this
was written; the count removed is printed).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCE_REPO = "https://github.com/github/opensource.guide"
SITE = "https://opensource.guide"
DEFAULT_AUTHORS = ["Open Source Guides contributors"]
MAX_IMAGE_BYTES = 200 * 1024
MAX_TOTAL_BYTES = 3 * 1024 * 1024
SUMMARY_MAX = 300

# Jekyll front matter: the file starts with a '---' line and the block ends at the next one.
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# Markdown images and <img src>, root-absolute under /assets/images/.
IMAGE_REF = re.compile(r"""(?:\]\(|src=["'])(/assets/images/[^)"'\s]+)""")

# Our vocabulary, in our own words. Ids avoid the guides' slugs.
TOPICS: dict[str, dict[str, str]] = {
    "contributing": {"title": "Contributing",
                     "description": "Taking part in a project someone else started."},
    "launching": {"title": "Launching",
                  "description": "Getting a new project ready for other people and finding them."},
    "community": {"title": "Community",
                  "description": "Welcoming people, setting norms and keeping the group healthy."},
    "maintaining": {"title": "Maintaining",
                    "description": "Day-to-day care of a project: process, measurement, safety and rest."},
    "governance": {"title": "Governance",
                   "description": "Who decides what, and how those rules are written down."},
    "money-and-law": {"title": "Money and law",
                      "description": "Licences, contracts and paying for the work."},
}

# The articles carry no topics; picked by hand from each slug.
TOPICS_BY_SLUG: dict[str, list[str]] = {
    "how-to-contribute": ["contributing"],
    "starting-a-project": ["launching"],
    "finding-users": ["launching", "community"],
    "building-community": ["community"],
    "best-practices": ["maintaining"],
    "leadership-and-governance": ["governance", "community"],
    "getting-paid": ["money-and-law"],
    "code-of-conduct": ["community", "governance"],
    "metrics": ["maintaining"],
    "legal": ["money-and-law"],
    "maintaining-balance-for-open-source-maintainers": ["maintaining"],
    "security-best-practices-for-your-project": ["maintaining"],
    "accessibility-best-practices-for-your-project": ["maintaining", "community"],
}
FALLBACK_TOPICS = ["maintaining"]

MKDOCS_YML = """\
site_name: Open Source Guides (real corpus)
docs_dir: content
site_dir: site
theme:
  name: material
  custom_dir: ../../../theme
  language: en
  font: false
plugins:
  - handbook:
      pdf: !ENV [HANDBOOK_PDF, false]
markdown_extensions:
  - toc
  - tables
  - attr_list
"""

INDEX_MD = """\
---
title: Open Source Guides (real corpus)
---

# Open Source Guides (real corpus)

The English Open Source Guides, converted unchanged apart from their front
matter, to test the handbook tool on real content. See LICENSE.md beside
mkdocs.yml for the source and licence.
"""


@dataclass(frozen=True)
class Article:
    slug: str
    meta: dict[str, object]
    body: str


def clip(text: str, limit: int = SUMMARY_MAX) -> str:
    """Collapse whitespace and cut at the last word boundary that fits, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


def read_article(path: Path) -> Article:
    text = path.read_text("utf-8")
    match = FRONT_MATTER.match(text)
    if match is None:
        raise SystemExit(f"{path}: no Jekyll front matter")
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise SystemExit(f"{path}: front matter is not a mapping")
    return Article(slug=path.stem, meta=meta, body=text[match.end():])


def authors_of(meta: dict[str, object]) -> list[str]:
    """The article's own contributor list when it has one (none did when this was written)."""
    for key in ("authors", "contributors"):
        value = meta.get(key)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return [str(v) for v in value]
    return list(DEFAULT_AUTHORS)


def front_matter(article: Article) -> dict[str, object]:
    title = " ".join(str(article.meta.get("title", article.slug)).split())
    return {
        "title": title,
        "type": "tactic",
        "summary": clip(str(article.meta.get("description", title))),
        "topics": TOPICS_BY_SLUG.get(article.slug, FALLBACK_TOPICS),
        "authors": authors_of(article.meta),
        "license": "CC-BY-4.0",
        "difficulty": "beginner",
        "sources": [{"title": f"{title} (Open Source Guides)", "url": f"{SITE}/{article.slug}/"}],
    }


def strip_liquid(body: str) -> tuple[str, int]:
    return LIQUID.subn("", body)


def dump_yaml(data: object) -> str:
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000))


def copy_images(checkout: Path, content: Path, bodies: list[str]) -> tuple[list[str], list[str]]:
    """Copy the body images that exist and are small; return (copied, skipped-with-reason)."""
    copied: list[str] = []
    skipped: list[str] = []
    refs = sorted({ref for body in bodies for ref in IMAGE_REF.findall(body)})
    for ref in refs:
        source = checkout / ref.lstrip("/")
        if not source.is_file():
            skipped.append(f"{ref} (not in the checkout)")
            continue
        size = source.stat().st_size
        if size > MAX_IMAGE_BYTES:
            skipped.append(f"{ref} ({size} bytes, over {MAX_IMAGE_BYTES})")
            continue
        target = content / ref.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(ref)
    return copied, skipped


def permissions_section(checkout: Path) -> str:
    """The 'Permissions' section of notices.md (third-party screenshot licences), verbatim."""
    notices = checkout / "notices.md"
    if not notices.is_file():
        return ""
    text = notices.read_text("utf-8")
    start = text.find("## Permissions")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return text[start: end if end > 0 else len(text)].strip() + "\n"


def licence_md(commit: str, permissions: str) -> str:
    parts = [
        "# Licence of this fixture\n",
        "The articles under content/tactics/ and the images under content/assets/images/ come from",
        f"Open Source Guides, {SOURCE_REPO}, at commit {commit}.\n",
        "The upstream README says: \"Content is released under CC-BY-4.0\"",
        "(https://creativecommons.org/licenses/by/4.0/), and its notices.md says: \"Content is copyright ©",
        "Open Source Guides authors, released under CC-BY-4.0\". Code samples in the content are CC0-1.0",
        "there. The full licence text is at https://creativecommons.org/licenses/by/4.0/legalcode.\n",
        "Content based on github.com/github/opensource.guide used under the CC-BY-4.0 license.\n",
        "Converted by tools/convert_opensource_guides.py; changes: front matter added, Liquid removed.",
        "The bodies are otherwise unchanged. Images over 200 KB were not copied.\n",
        "The licence gives no warranty (section 5 of CC-BY-4.0) and grants no trademark rights.",
        "The mkdocs.yml, index.md, topics.yml and README.md files are the handbook project's own.\n",
    ]
    if permissions:
        parts += ["The upstream notices for third-party screenshots, quoted from its notices.md:\n",
                  permissions.replace("## Permissions", "## Permissions (upstream notices.md)", 1)]
    return "\n".join(parts)


README_MD = """\
# real-corpus: a real public guide collection

The English Open Source Guides (https://opensource.guide), turned into
a handbook by `tools/convert_opensource_guides.py`. Only the front matter is
ours; every body is as upstream wrote it, with HTML `<input type="checkbox">`
checklists, root-absolute links such as `/how-to-contribute/` and
`/assets/images/...`, avatars from avatars.githubusercontent.com and a few
images left out for size. It exists to show what `handbook check` says about
real content that was not written for this tool. Licence: see LICENSE.md.

Regenerate from a checkout of github/opensource.guide:

    python tools/convert_opensource_guides.py PATH-TO-CHECKOUT tests/fixtures/real-corpus
"""


def head_commit(checkout: Path) -> str:
    try:
        done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown (pass --commit)"
    return done.stdout.strip()


def total_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def convert(checkout: Path, out: Path, commit: str) -> int:
    articles = [read_article(path) for path in sorted((checkout / "_articles").glob("*.md"))]
    if not articles:
        print(f"error: no _articles/*.md under {checkout}", file=sys.stderr)
        return 1
    for generated in ("content", "mkdocs.yml", "LICENSE.md", "README.md"):
        target = out / generated
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    content = out / "content"
    (content / "tactics").mkdir(parents=True)
    (out / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (content / "index.md").write_text(INDEX_MD, "utf-8")
    (content / "topics.yml").write_text(dump_yaml(TOPICS), "utf-8")

    bodies: list[str] = []
    removed = 0
    for article in articles:
        body, count = strip_liquid(article.body)
        removed += count
        bodies.append(body)
        text = f"---\n{dump_yaml(front_matter(article))}---\n{body}"
        (content / "tactics" / f"{article.slug}.md").write_text(text, "utf-8")
        if article.slug not in TOPICS_BY_SLUG:
            print(f"note: {article.slug}: no topic mapping, used {FALLBACK_TOPICS}")

    copied, skipped = copy_images(checkout, content, bodies)
    (out / "LICENSE.md").write_text(licence_md(commit, permissions_section(checkout)), "utf-8")
    (out / "README.md").write_text(README_MD, "utf-8")

    size = total_size(out)
    print(f"{len(articles)} articles, {removed} Liquid tags removed, {len(copied)} images copied")
    for line in skipped:
        print(f"skipped image {line}")
    print(f"fixture size: {size} bytes")
    if size > MAX_TOTAL_BYTES:
        print(f"error: fixture is over {MAX_TOTAL_BYTES} bytes", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("checkout", type=Path, help="a checkout or export of github/opensource.guide")
    parser.add_argument("out", type=Path, help="the fixture folder to (re)write")
    parser.add_argument("--commit", help="the upstream commit converted (default: the checkout's HEAD)")
    args = parser.parse_args(argv)
    commit = args.commit or head_commit(args.checkout)
    return convert(args.checkout, args.out, commit)


if __name__ == "__main__":
    sys.exit(main())
