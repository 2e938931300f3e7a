"""The floor: convert every Markdown file with plain Python-Markdown, nothing else.

    python benchmarks/floor.py PROJECT OUT

Reads PROJECT/content, parses each file's YAML front matter (every real tool
does), converts the body with the Markdown extensions listed in
PROJECT/mkdocs-material.yml (the same as our mkdocs.yml), and writes
OUT/<same path>.html in a bare HTML page; other files (images) are copied.
No theme, no nav, no search: the least work any Markdown site generator does.
Guides all sit one folder deep, so OUT/<folder>/<slug>.html finds its images
at ../images/ exactly as the source does.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

import markdown
import yaml

# libyaml when PyYAML has it: the floor does the least work possible.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def extensions(project: Path) -> tuple[list[str], dict[str, dict]]:
    config = yaml.safe_load((project / "mkdocs-material.yml").read_text("utf-8")) or {}
    names: list[str] = []
    options: dict[str, dict] = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, dict):
            for name, opts in entry.items():
                names.append(name)
                options[name] = opts or {}
        else:
            names.append(entry)
    return names, options


def convert(project: Path, out: Path) -> int:
    content = project / "content"
    names, options = extensions(project)
    md = markdown.Markdown(extensions=names, extension_configs=options)
    count = 0
    for path in sorted(content.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(content)
        if path.suffix != ".md":
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            continue
        text = path.read_text("utf-8")
        meta: dict = {}
        match = FRONT_MATTER.match(text)
        if match:
            meta = yaml.load(match.group(1), Loader=LOADER) or {}
            text = text[match.end():]
        body = md.reset().convert(text)
        title = html.escape(str(meta.get("title", relative.stem)))
        target = (out / relative).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>\n'
            f"<body><h1>{title}</h1>\n{body}\n</body></html>\n", "utf-8")
        count += 1
    return count


def combine(out: Path, folders: list[str], target: Path) -> int:
    """One HTML document holding every guide's floor page, for one plain WeasyPrint pass.

    ``target`` must sit one folder below ``out`` (e.g. OUT/combined/book.html)
    so the guides' ../images/ links still resolve.
    """
    parts = ['<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Handbook</title></head><body>']
    count = 0
    for folder in folders:
        for page in sorted((out / folder).glob("*.html")):
            text = page.read_text("utf-8")
            # Our own wrapper from convert(): take what sits between <body> and </body>.
            inner = text[text.index("<body>") + len("<body>"): text.rindex("</body>")]
            parts.append(f"<section>{inner}</section>")
            count += 1
    parts.append("</body></html>\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(parts), "utf-8")
    return count


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    project, out = Path(sys.argv[1]), Path(sys.argv[2])
    if out.exists():
        shutil.rmtree(out)
    count = convert(project, out)
    print(f"Converted {count} Markdown files to {out}")


if __name__ == "__main__":
    main()
