"""``handbook import``: adapt a guide from another handbook, keeping where it came from.

The guide is written into our content folder with an ``origin`` block (the
other handbook, its licence, its authors, the day and version imported). The
original's licence must fit ours; topics we do not have are mapped; links and
references to guides we do not have are dropped or rewritten, each one listed.
Nothing is ever overwritten. ``--check-updates`` shows, as a diff, what changed
upstream since, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import yaml

from handbook_build import checks, licences
from handbook_build.checks.origin import why_not
from handbook_build.cli import atomic
from handbook_build.cli.upstream import Upstream, UpstreamError, open_source, version_of
from handbook_build.content import origin, source
from handbook_build.content.body import Body
from handbook_build.content.model import SLUG_PATTERN, Handbook
from handbook_build.content.root import ContentRoot
from handbook_build.content.schema import Schema
from handbook_build.problems import FORMATTERS, did_you_mean
from handbook_build.settings import Settings

_SLUG = re.compile(SLUG_PATTERN)
_WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
# The fields a copy does not keep: the adaptation is under our licence (the original's is in `origin`),
# and a translation's date belongs to the other handbook.
_DROPPED = ("license", "translated_from", "draft", "origin")

SettingsLoader = Callable[[Path], "tuple[Settings, Schema]"]


class ImportRefused(click.ClickException):
    """Nothing was written: the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message}; nothing was written")


def command(load_settings: SettingsLoader, config_option: Callable[[Any], Any]) -> click.Command:
    @click.command(name="import")
    @click.argument("source_path", metavar="SOURCE")
    @click.argument("slug", required=False)
    @click.option("--as", "new_slug", metavar="NEW-SLUG", help="Save it under another slug (file name) here.")
    @click.option("--topic", "topic_map", multiple=True, metavar="OLD=NEW",
                  help="Use our topic NEW where the guide has OLD (repeat for several).")
    @click.option("--check-updates", is_flag=True,
                  help="Compare the guides imported from SOURCE with it now and show what changed upstream (writes nothing).")
    @config_option
    def import_command(source_path: str, slug: str | None, new_slug: str | None, topic_map: tuple[str, ...],
                       check_updates: bool, config_file: Path) -> None:
        """Adapt guide SLUG from another handbook built with this toolkit.

        SOURCE is that handbook's built site folder, its offline zip
        (handbook-offline.zip) or its handbook.json with sources/ beside it;
        nothing is downloaded. The guide keeps an `origin` block that credits
        the original; its licence must fit this handbook's. It never
        overwrites a file.
        """
        settings, schema = load_settings(config_file)
        try:
            upstream = open_source(source_path)
        except UpstreamError as exc:
            raise click.ClickException(str(exc)) from exc
        handbook, _ = checks.load_and_check(settings.content_dir, schema, lang=settings.lang, license=settings.license)
        if check_updates:
            sys.exit(_check_updates(upstream, handbook, settings, slug))
        if slug is None:
            raise click.UsageError("give the slug of the guide to import, e.g. handbook import ../other/site phone-banking")
        _import(upstream, slug, new_slug, topic_map, handbook, settings, schema)

    return import_command


# -- importing ------------------------------------------------------------------------


def _import(upstream: Upstream, slug: str, new_slug: str | None, topic_map: tuple[str, ...], handbook: Handbook,
            settings: Settings, schema: Schema) -> None:
    theirs = upstream.guides.get(slug)
    if theirs is None:
        hint = did_you_mean(slug, upstream.guides) or f"its guides are: {', '.join(sorted(upstream.guides)) or 'none'}"
        raise ImportRefused(f"{upstream.name} has no published guide '{slug}' ({hint})")
    _check_licence(theirs, upstream, settings.license)
    target_slug = new_slug or slug
    gtype = schema.types.get(str(theirs["type"]))
    if gtype is None:
        raise ImportRefused(f"'{slug}' is a {theirs['type']} guide, a type this handbook does not have "
                            f"(its types: {', '.join(schema.types)})")
    if not _SLUG.match(target_slug) or not 3 <= len(target_slug) <= 80:
        raise ImportRefused(f"'{target_slug}' is not a valid slug (3-80 lowercase letters, digits and single hyphens)")
    target = settings.content_dir / gtype.folder / f"{target_slug}.md"
    shown = ContentRoot.at(target).shown
    if target_slug in handbook.guides or target.exists():
        raise ImportRefused(f"this handbook already has a guide '{target_slug}' ({shown}); "
                            f"import it under another name with --as {target_slug}-2")
    raw = upstream.source(theirs)
    parsed, problems = source.parse(raw, theirs["source"])
    if parsed is None or parsed.meta is None or not isinstance(parsed.meta.data, dict):
        detail = "; ".join(str(p) for p in problems) or "it has no front matter"
        raise ImportRefused(f"cannot read {upstream.where}: {theirs['source']}: {detail}")
    meta = {k: v for k, v in parsed.meta.data.items() if k not in _DROPPED}
    notes: list[str] = []
    meta["topics"] = _map_topics(list(theirs["topics"]), handbook, topic_map, notes)
    _drop_references(meta, gtype.references, handbook, notes)
    body = _rewrite_links(parsed.body, upstream, handbook, {slug: target_slug}, notes)
    today = dt.date.today().isoformat()
    meta["origin"] = origin.Origin(handbook=upstream.name, url=upstream.url, guide_url=upstream.guide_url(theirs),
                                   title=str(theirs["title"]), slug=slug, version=version_of(raw),
                                   license=str(theirs["license"]), authors=tuple(theirs["authors"]), imported=today).as_data()
    text = _compose(meta, body)
    _refuse_invalid(text, shown, gtype.name, schema, handbook)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic.write_new_text(target, text, newline=atomic.newline_of(target.parent))
    except FileExistsError as exc:
        raise ImportRefused(f"{shown} appeared meanwhile; it was left as it is") from exc
    click.echo(f"Wrote {shown}: '{theirs['title']}' from {upstream.name}, by {licences.join_names(theirs['authors'])}, "
               f"{theirs['license']}")
    for note in notes:
        click.echo(f"  - {note}")
    _, found = checks.load_and_check(settings.content_dir, schema, lang=settings.lang, license=settings.license, only=[target])
    if found.errors or found.warnings:
        click.echo("The checker sees these problems in the copy; fix them before publishing it:")
        click.echo(FORMATTERS["text"](found))
    click.echo(f"Next: read it through, adapt it to your readers, then: handbook check {shown}")


def _check_licence(theirs: dict[str, Any], upstream: Upstream, ours_id: str) -> None:
    ours = licences.find(ours_id)
    their = licences.find(str(theirs["license"]))
    if ours is None:
        raise ImportRefused(f"this handbook's licence '{ours_id}' is not one this toolkit knows")
    if their is None:
        raise ImportRefused(f"'{theirs['slug']}' is under '{theirs['license']}', a licence this toolkit does not know, "
                            "so it cannot tell whether you may adapt it")
    if not ours.allows(their):
        raise ImportRefused(f"'{theirs['slug']}' from {upstream.name} is licensed {their.spdx} ({their.name}), "
                            f"which this handbook's licence {ours.spdx} cannot take: {why_not(their, ours)}. "
                            f"Ask its authors ({licences.join_names(theirs['authors'])}) for a licence this handbook allows "
                            f"({licences.join_names((x.spdx for x in licences.compatible(ours)), 'or')})")


def _map_topics(topics: list[str], handbook: Handbook, topic_map: tuple[str, ...], notes: list[str]) -> list[str]:
    mapping: dict[str, str] = {}
    for item in topic_map:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.UsageError(f"--topic {item}: write it as OLD=NEW, e.g. --topic campaigning=organising")
        if new.strip() not in handbook.topics:
            hint = did_you_mean(new.strip(), handbook.topics) or f"the topics here are: {', '.join(sorted(handbook.topics))}"
            raise click.UsageError(f"--topic {item}: this handbook has no topic '{new.strip()}' ({hint})")
        mapping[old.strip()] = new.strip()
    missing = [t for t in topics if t not in handbook.topics and t not in mapping]
    if missing and sys.stdin.isatty():
        for topic in missing:
            mapping[topic] = click.prompt(f"This handbook has no topic '{topic}'. Use which of ours instead?",
                                          type=click.Choice(sorted(handbook.topics)))
    elif missing:
        choices = ", ".join(sorted(handbook.topics))
        raise ImportRefused("the guide's topic(s) " + ", ".join(f"'{t}'" for t in missing) + " do not exist here; map each with "
                            + " ".join(f"--topic {t}=<ours>" for t in missing) + f" (our topics: {choices})")
    result: list[str] = []
    for topic in topics:
        chosen = mapping.get(topic, topic)
        if chosen != topic:
            notes.append(f"topic '{topic}' is '{chosen}' here")
        if chosen not in result:
            result.append(chosen)
    return result


def _drop_references(meta: dict[str, Any], specs: tuple, handbook: Handbook, notes: list[str]) -> None:
    """Keep references (related, a case study's tactics ...) to guides we have; drop and list the rest."""
    for spec in specs:
        values = meta.get(spec.field)
        if not isinstance(values, list):
            continue
        kept = []
        for item in values:
            slug = item.get("slug") if isinstance(item, dict) else item
            if isinstance(slug, str) and slug in handbook.guides:
                kept.append(item)
            else:
                notes.append(f"dropped '{slug}' from '{spec.field}': no such guide here")
        if kept:
            meta[spec.field] = kept
        else:
            meta.pop(spec.field)


def _rewrite_links(body: str, upstream: Upstream, handbook: Handbook, renamed: dict[str, str], notes: list[str]) -> str:
    """[[slug]] links to guides we do not have become links to the original (or plain words)."""
    prose = Body(body, "", 1).prose  # the checker's view: [[...]] inside code is not a link
    out, last = [], 0
    for match in _WIKILINK.finditer(prose):
        slug, text = match.group(1).strip(), match.group(2)
        line = body.count("\n", 0, match.start()) + 1
        if slug in renamed and renamed[slug] != slug:
            new = f"[[{renamed[slug]}|{text.strip()}]]" if text else f"[[{renamed[slug]}]]"
        elif slug in handbook.guides or slug in renamed:
            continue
        else:
            theirs = upstream.guides.get(slug)
            words = text.strip() if text else str(theirs["title"]) if theirs else slug
            url = upstream.guide_url(theirs) if theirs else None
            new = f"[{words}]({url})" if url else words
            notes.append(f"body line {line}: [[{slug}]] is not a guide here; now "
                         + (f"a link to it in {upstream.name}" if url else "plain text"))
        out.append(body[last:match.start()] + new)
        last = match.end()
    return "".join(out) + body[last:]


def _compose(meta: dict[str, Any], body: str) -> str:
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return f"---\n{front}---\n{body if body.startswith(chr(10)) else chr(10) + body}"


def _refuse_invalid(text: str, shown: str, type_name: str, schema: Schema, handbook: Handbook) -> None:
    parsed, problems = source.split(text, shown)
    if parsed is not None and parsed.meta is not None:
        problems = problems + schema.validate(parsed.meta, type_name, handbook.topics)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ImportRefused("the copy would not pass this handbook's schema:\n" + "\n".join(f"  {p}" for p in errors))


# -- what changed upstream ----------------------------------------------------------------


def _check_updates(upstream: Upstream, handbook: Handbook, settings: Settings, only: str | None) -> int:
    """Print a diff for every guide imported from ``upstream`` that changed there; 1 if any did."""
    ours = [(g, origin.of(g)) for g in handbook.guides.values()]
    mine = [(g, o) for g, o in ours if o is not None and o.handbook == upstream.name and (only is None or g.slug == only)]
    if not mine:
        raise click.ClickException(f"no guide here was imported from {upstream.name}" + (f" as '{only}'" if only else ""))
    changed = 0
    for guide, came in mine:
        theirs = upstream.guides.get(came.slug or guide.slug)
        if theirs is None:
            click.echo(f"{guide.shown_path}: '{came.slug or guide.slug}' is no longer published in {upstream.name}")
            changed += 1
            continue
        raw = upstream.source(theirs)
        if came.version == version_of(raw):
            click.echo(f"{guide.shown_path}: up to date with {upstream.name}")
            continue
        changed += 1
        parsed, _ = source.parse(raw, theirs["source"])
        upstream_body = _rewrite_links(parsed.body if parsed else raw.decode("utf-8", "replace"), upstream, handbook,
                                       {came.slug or guide.slug: guide.slug}, [])
        click.echo(f"{guide.shown_path}: changed in {upstream.name} since it was imported on {came.imported}"
                   + (f" (licence now {theirs['license']}, was {came.license})" if theirs["license"] != came.license else ""))
        for line in _fields_changed(came, theirs):
            click.echo(f"  {line}")
        diff = difflib.unified_diff(guide.body.splitlines(keepends=True), upstream_body.splitlines(keepends=True),
                                    fromfile=f"{guide.shown_path} (here)", tofile=f"{upstream.name}: {theirs['source']} (now)")
        click.echo("".join(diff), nl=False)
    click.echo(f"{changed} of {len(mine)} imported guide(s) changed upstream; nothing was written.", err=True)
    return 1 if changed else 0


def _fields_changed(came: origin.Origin, theirs: dict[str, Any]) -> list[str]:
    lines = []
    if came.title and came.title != theirs["title"]:
        lines.append(f"title now: {theirs['title']}")
    if list(came.authors) != list(theirs["authors"]):
        lines.append(f"authors now: {licences.join_names(theirs['authors'])}")
    return lines

