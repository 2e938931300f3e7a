"""The ``handbook`` command: check, build, serve, new, schema, stats."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from handbook_build import checks
from handbook_build.cli import atomic, importer, scaffold, translations
from handbook_build.cli import config_file as config_file_module
from handbook_build.cli.init import init as init_command
from handbook_build.content import loader
from handbook_build.content.model import GuideType, Handbook
from handbook_build.content.schema import Schema, SchemaError
from handbook_build.problems import FORMATTERS, ProblemList, did_you_mean
from handbook_build.settings import Settings

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material 9.7+ prints a banner otherwise

config_option = click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
    show_default=True, help="The handbook's mkdocs.yml.",
)


def _settings(config_file: Path) -> tuple[Settings, Schema]:
    """mkdocs.yml as MkDocs loads it (config_file.py): a broken one is one line, not a traceback."""
    try:
        settings, warnings = config_file_module.load(config_file)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        return settings, Schema.load(settings.schema_file)
    except (config_file_module.ConfigError, SchemaError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="handbook-build")
def main() -> None:
    """Check, build and preview a movement handbook."""


main.add_command(importer.command(_settings, config_option))  # handbook import (importer.py)


main.add_command(init_command)
main.add_command(translations.command(_settings, config_option))  # handbook translations (translations.py)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_option
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True,
              help="text for people, github for pull-request annotations, json for tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--fix", is_flag=True, help="First rewrite in place the problems that have exactly one right answer, and list them.")
@click.option("--diff", "show_diff", is_flag=True, help="Show what --fix would change, as a diff; write nothing.")
def check(paths: tuple[Path, ...], config_file: Path, fmt: str, strict: bool, fix: bool, show_diff: bool) -> None:
    """Check guides without building the site.

    With PATHS, report only the problems of those files, exactly as the whole
    check reports them: references to other guides are still checked (the
    other files are known from .cache/handbook/ while unchanged, else read).
    """
    settings, schema = _settings(config_file)
    if fix or show_diff:  # cli/fix.py; then the problems left are reported as usual
        from handbook_build.cli import fix as fixing

        if fixing.run(settings.content_dir, schema, paths or None, write=not show_diff, to_stderr=fmt != "text") and show_diff:
            sys.exit(1)
        if show_diff:
            return
    handbook, problems = checks.load_and_check(settings.content_dir, schema, lang=settings.lang, license=settings.license, only=paths or None,
                                               languages=settings.languages, cache_root=settings.root)  # .cache/handbook/
    report(problems, fmt)
    if fmt == "text":
        count = len(paths) if paths else handbook.files_read
        click.echo(_summary(count, problems), err=True)
    if problems.errors or (strict and problems.warnings):
        sys.exit(1)


def report(problems: ProblemList, fmt: str) -> None:
    text = FORMATTERS[fmt](problems)
    if text and text != "[]" or fmt == "json":
        click.echo(text)


def _summary(count: int, problems: ProblemList) -> str:
    errors, warnings = len(problems.errors), len(problems.warnings)
    if not errors and not warnings:
        return f"Checked {count} guide file(s): no problems."
    return f"Checked {count} guide file(s): {errors} error(s), {warnings} warning(s)."


@main.command()
@config_option
@click.option("--no-pdf", is_flag=True, help="Skip the PDF (quick local preview; CI always builds it).")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site.")
@click.option("--drafts", is_flag=True, help="A draft preview: include draft guides, each with a 'comments welcome' banner. Never publish it.")
def build(config_file: Path, no_pdf: bool, site_dir: Path | None, drafts: bool) -> None:
    """Build the website and the PDF, strictly: any warning fails the build.

    The site is built in a folder beside the old one and swapped in when complete:
    a failed or interrupted build leaves the previous site as it was.
    """
    final = site_dir or _settings(config_file)[0].site_dir
    with atomic.building(final) as partial:
        try:
            _run_mkdocs(["build", "--strict", "--config-file", str(config_file), "--site-dir", str(partial)],
                        pdf=not no_pdf, drafts=drafts)
        except SystemExit as exc:  # MkDocs always exits; only a clean exit swaps the new site in
            if exc.code not in (0, None):
                raise


@main.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--pdf", is_flag=True, help="Also build the PDF on every change (slow).")
@click.option("--drafts", is_flag=True, help="Also show draft guides, each with a 'comments welcome' banner.")
def serve(config_file: Path, dev_addr: str, pdf: bool, drafts: bool) -> None:
    """Preview the handbook, rebuilding as you edit. Problems show on the page."""
    _run_mkdocs(["serve", "--config-file", str(config_file), "--dev-addr", dev_addr], pdf=pdf, drafts=drafts)


def _run_mkdocs(args: list[str], *, pdf: bool, drafts: bool = False) -> None:
    from mkdocs.__main__ import cli as mkdocs_cli  # only the commands that render need MkDocs

    os.environ["HANDBOOK_PDF"] = "true" if pdf else "false"
    if drafts:
        os.environ["HANDBOOK_DRAFTS"] = "true"  # the plugin's drafts option, for this run (site/drafts.py)
    mkdocs_cli.main(args=args, prog_name="handbook", standalone_mode=True)


@main.command()
@click.argument("type_name", metavar="TYPE", required=False)
@click.argument("title", required=False)
@config_option
@click.option("--topic", "topics", multiple=True, help="A topic id from topics.yml (repeat for several).")
@click.option("--author", "authors", multiple=True, help="Your name as you want it credited (repeat for several).")
@click.option("--slug", help="The file name without .md (made from the title if not given).")
def new(type_name: str | None, title: str | None, config_file: Path, topics: tuple[str, ...], authors: tuple[str, ...], slug: str | None) -> None:
    """Start a new guide: writes a skeleton that already passes the checker.

    In a terminal it asks for what is missing (type, title, topics, your
    name); otherwise give TYPE, TITLE and at least one --topic. It never
    overwrites a file.
    """
    settings, schema = _settings(config_file)
    handbook, _ = loader.load(settings.content_dir, schema, lang=settings.lang)
    interactive = sys.stdin.isatty()
    gtype = _new_guide_type(schema, type_name, interactive)
    if title is None:
        if not interactive:
            raise click.UsageError('give the guide\'s title, e.g. handbook new tactic "Phone banking" --topic ...')
        title = click.prompt("Title", value_proc=lambda v: _title(gtype, v))
    problem = scaffold.title_problem(gtype, title)
    if problem:  # before anything is asked or written
        raise click.UsageError(f"{problem}; nothing was written")
    chosen = list(topics) or (_ask_topics(handbook) if interactive else [])
    if not chosen:
        raise click.UsageError("give at least one --topic: " + ", ".join(sorted(handbook.topics)))
    unknown = [t for t in chosen if t not in handbook.topics]
    if unknown:
        hints = "; ".join(f"'{t}' ({did_you_mean(t, handbook.topics) or 'not in topics.yml'})" for t in unknown)
        raise click.UsageError(f"unknown topic(s) {hints}; the topics are: {', '.join(sorted(handbook.topics))}")
    names = list(authors) or ([click.prompt("Your name, as it should be credited", value_proc=_not_blank)] if interactive else [])
    today = dt.date.today().isoformat()
    while True:
        try:
            made = scaffold.create(settings.content_dir, gtype, title, topics=chosen, authors=names or ["Your name"],
                                   today=today, slug=slug)
            break
        except scaffold.ScaffoldError as exc:
            if not interactive:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"{exc}", err=True)
            slug = click.prompt("File name for the guide (lowercase letters, digits and hyphens, without .md)",
                                value_proc=_not_blank)
    shown = loader.ContentRoot.at(made.path).shown
    click.echo(f"Wrote {shown}")
    _, problems = checks.load_and_check(settings.content_dir, schema, lang=settings.lang, license=settings.license, only=[made.path])
    if problems.errors:
        click.echo("The checker already sees these problems; fix them first:")
        click.echo(FORMATTERS["text"](problems))
    click.echo("Next:")
    if not names:
        click.echo("  - put your name in 'authors' (it says \"Your name\")")
    click.echo("  - replace the summary and the text under each heading with your own words")
    click.echo(f"  - check it:    handbook check {shown}")
    click.echo(f"  - preview it:  handbook serve   then open http://127.0.0.1:8000 and go to {gtype.plural}")
    click.echo("  - share it: open a pull request (or paste it into a 'New guide' issue)")


def _title(gtype: GuideType, value: str) -> str:
    value = _not_blank(value)
    problem = scaffold.title_problem(gtype, value)
    if problem:
        raise click.BadParameter(problem)
    return value


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise click.BadParameter("please type something")
    return value


def _new_guide_type(schema: Schema, type_name: str | None, interactive: bool) -> GuideType:
    names = list(schema.types)
    if type_name is None:
        if not interactive:
            raise click.UsageError(f"give the guide type: one of {', '.join(names)}")
        click.echo("What kind of guide is it?")
        for number, gtype in enumerate(schema.types.values(), 1):
            click.echo(f"  {number}. {gtype.name:<14} {gtype.description}")
        type_name = click.prompt("Type (name or number)", value_proc=lambda v: _pick_type(v, names))
    if type_name not in schema.types:
        hint = did_you_mean(type_name, names) or f"use one of {', '.join(names)}"
        raise click.UsageError(f"unknown guide type '{type_name}': {hint}")
    return schema.types[type_name]


def _pick_type(answer: str, names: list[str]) -> str:
    answer = answer.strip()
    if answer.isdigit() and 1 <= int(answer) <= len(names):
        return names[int(answer) - 1]
    if answer in names:
        return answer
    raise click.BadParameter(did_you_mean(answer, names) or f"type one of {', '.join(names)}, or its number")


def _ask_topics(handbook: Handbook) -> list[str]:
    ids = sorted(handbook.topics)
    click.echo("Which topics does it belong to? Pick one or more:")
    for number, topic_id in enumerate(ids, 1):
        click.echo(f"  {number:>2}. {topic_id:<24} {handbook.topics[topic_id].description}")

    def pick(answer: str) -> list[str]:
        chosen: list[str] = []
        for item in (a.strip() for a in answer.replace(" ", ",").split(",")):
            if not item:
                continue
            topic = ids[int(item) - 1] if item.isdigit() and 1 <= int(item) <= len(ids) else item
            if topic not in handbook.topics:
                raise click.BadParameter(f"unknown topic '{item}'" + (f": {did_you_mean(item, ids)}" if did_you_mean(item, ids) else ""))
            if topic not in chosen:
                chosen.append(topic)
        if not chosen:
            raise click.BadParameter("pick at least one topic")
        return chosen

    return click.prompt("Topics (names or numbers, separated by commas)", value_proc=pick)


@main.command(name="schema")
@config_option
def schema_command(config_file: Path) -> None:
    """Print the JSON Schema of guide front matter (for editors and other tools)."""
    settings, schema = _settings(config_file)
    handbook, _ = loader.load(settings.content_dir, schema, lang=settings.lang)
    click.echo(json.dumps(schema.document(handbook.topics), indent=2, ensure_ascii=False))


@main.command()
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
@click.option("--oldest", type=click.IntRange(min=1), default=5, show_default=True, help="How many of the oldest guides to list.")
def stats(config_file: Path, fmt: str, oldest: int) -> None:
    """Where the handbook needs work: guides per type and topic, orphans,
    guides without sources, the oldest `updated` dates and drafts."""
    from rich.console import Console  # only this command draws tables

    from handbook_build.cli import stats as stats_module

    settings, schema = _settings(config_file)
    handbook, problems = checks.load_and_check(settings.content_dir, schema, lang=settings.lang, license=settings.license)
    facts = stats_module.compute(handbook)
    if fmt == "json":
        click.echo(json.dumps(stats_module.as_json(facts), indent=2, ensure_ascii=False))
    else:
        stats_module.render(facts, Console(), oldest=oldest)
    if problems.errors:
        click.echo(f"Note: {len(problems.errors)} error(s) in the content; run 'handbook check' for the list.", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
