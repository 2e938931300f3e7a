"""``handbook init``: start a new handbook in an empty or new folder.

The starter files are package data (``handbook_build/data/starter/``), so a
toolkit installed from a wheel can write them without this repository. Files
ending in ``.j2`` are Jinja templates filled with the handbook's name,
language and licence; a path part ``dot-x`` is written as ``.x`` (package data
globs skip dot files). Everything is rendered before anything is written, each
file is written atomically, and nothing that already exists is overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import click
import jinja2

import handbook_build
from handbook_build import checks, licences
from handbook_build.content.schema import Schema
from handbook_build.problems import FORMATTERS
from handbook_build.settings import DEFAULT_LICENSE

STARTER = Path(__file__).resolve().parent.parent / "data" / "starter"
# What makes a folder a handbook already: init never writes into one.
HANDBOOK_MARKERS = ("mkdocs.yml", "properdocs.yml", "content")
LANG_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # as the schema's `lang` field
MAX_NAME = 120


class InitError(Exception):
    pass


@dataclass(frozen=True)
class Answers:
    name: str
    lang: str
    licence: licences.Licence


def check_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InitError("the handbook needs a name, e.g. --name \"Tenants' Handbook\"")
    if len(name) > MAX_NAME:
        raise InitError(f"the name is {len(name)} characters long; keep it to {MAX_NAME}")
    return name


def check_lang(value: str) -> str:
    lang = value.strip()
    if not LANG_TAG.fullmatch(lang):
        raise InitError(f"'{value}' is not a language tag: give a BCP 47 tag such as en, sv or pt-BR")
    return lang


def check_licence(value: str) -> licences.Licence:
    found = licences.find(value)
    if found is None:
        raise InitError(f"unknown licence '{value}': {licences.unknown_hint(value)}")
    return found


def refusal(target: Path) -> str | None:
    """Why init must not write into ``target``, or None when it may."""
    if target.exists() and not target.is_dir():
        return f"{target} is a file, not a folder"
    present = [m for m in HANDBOOK_MARKERS if (target / m).exists()]
    if present:
        return (f"{target} already holds a handbook ({', '.join(present)} is there); nothing was written. "
                "Run handbook init in an empty or new folder, e.g. handbook init my-handbook")
    return None


def reuse_clause(licence: licences.Licence) -> str:
    """What the licence lets others do, as the end of a consent sentence in the issue form."""
    if licence.is_public_domain:
        return ", so anyone may copy and adapt it without asking"
    if licences.ND in licence.elements:
        return ", so others may copy and share it unchanged, with credit"
    if licences.NC in licence.elements:
        return ", so others may copy and adapt it with credit, but not for commercial use"
    return ", so others may copy and adapt it with credit"


def toolkit_version() -> str:
    try:
        return metadata.version("handbook-build")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return handbook_build.__version__


def render(answers: Answers, *, today: str, version: str) -> dict[PurePosixPath, str]:
    """Every starter file, by its path in the new handbook, with its text."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(STARTER)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML scalar
    licence = answers.licence
    others = [lic.short for lic in licences.compatible(licence) if lic.spdx != licence.spdx]
    context = {
        "name": answers.name,
        "lang": answers.lang,
        "licence": licence,
        "author": f"{answers.name} contributors",
        "description": f"Tactics, funding models and case studies, shared under {licence.short}.",
        "compatible": ", ".join(others),
        "reuse_clause": reuse_clause(licence),
        # The examples are in English; say so when the handbook is in another language.
        "example_lang": "" if answers.lang.split("-")[0] == "en" else "en",
        "today": today,
        "version": version,
    }
    files: dict[PurePosixPath, str] = {}
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = PurePosixPath(source.relative_to(STARTER).as_posix())
        target = PurePosixPath(*(("." + part[4:]) if part.startswith("dot-") else part for part in relative.parts))
        if target.suffix == ".j2":
            files[target.with_suffix("")] = env.get_template(relative.as_posix()).render(context)
        else:
            files[target] = source.read_text("utf-8")
    return files


@dataclass(frozen=True)
class Written:
    written: list[PurePosixPath]
    kept: list[PurePosixPath]  # already there: left as they were


def write(target: Path, files: dict[PurePosixPath, str]) -> Written:
    """Write each file through a temporary file and a rename, so none is ever half written;
    a file that already exists (a README of a fresh repository) is kept."""
    written, kept = [], []
    for relative, text in files.items():
        path = target / relative
        if path.exists():
            kept.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        written.append(relative)
    return Written(written, kept)


def create(target: Path, answers: Answers, *, today: str | None = None) -> Written:
    reason = refusal(target)
    if reason:
        raise InitError(reason)
    files = render(answers, today=today or dt.date.today().isoformat(), version=toolkit_version())
    target.mkdir(parents=True, exist_ok=True)
    return write(target, files)


# -- the command ------------------------------------------------------------------


def _ask(label: str, check, default: str | None = None):
    def proc(value: str):
        try:
            return check(value)
        except InitError as exc:
            raise click.BadParameter(str(exc)) from exc

    return click.prompt(label, default=default, value_proc=proc)


def _ask_licence() -> licences.Licence:
    options = list(licences.LICENCES.values())
    click.echo("Which licence do the guides come under? Others may reuse them on its terms.")
    for number, lic in enumerate(options, 1):
        click.echo(f"  {number}. {lic.spdx:<16} {lic.name}")

    def pick(answer: str) -> licences.Licence:
        answer = answer.strip()
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return options[int(answer) - 1]
        return check_licence(answer)

    return _ask("Licence (SPDX id or number)", pick, default=DEFAULT_LICENSE)


def _options(name: str | None, lang: str | None, licence_id: str | None, interactive: bool) -> Answers:
    try:
        chosen_name = check_name(name) if name is not None else None
        chosen_lang = check_lang(lang) if lang is not None else None
        chosen_licence = check_licence(licence_id) if licence_id is not None else None
    except InitError as exc:
        raise click.UsageError(str(exc)) from exc
    if chosen_name is None:
        if not interactive:
            raise click.UsageError('give the handbook\'s name, e.g. handbook init my-handbook --name "Tenants\' Handbook"')
        chosen_name = _ask("Name of the handbook", check_name)
    if chosen_lang is None:
        chosen_lang = _ask("Language of the handbook (a tag such as en, sv or pt-BR)", check_lang, default="en") if interactive else "en"
    if chosen_licence is None:
        chosen_licence = _ask_licence() if interactive else check_licence(DEFAULT_LICENSE)
    return Answers(chosen_name, chosen_lang, chosen_licence)


@click.command(name="init")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("."), required=False)
@click.option("--name", help="The handbook's name, shown on every page and the PDF's cover.")
@click.option("--lang", help="The handbook's language, a BCP 47 tag such as en, sv or pt-BR (default en).")
@click.option("--license", "licence_id", metavar="SPDX",
              help=f"The content's Creative Commons licence as an SPDX id (default {DEFAULT_LICENSE}).")
def init(directory: Path, name: str | None, lang: str | None, licence_id: str | None) -> None:
    """Start a new handbook in DIRECTORY (default: here), which must be empty or new.

    Writes mkdocs.yml, content/ with an example guide of each type, the GitHub
    workflow and forms, and a README. In a terminal it asks for the name,
    language and licence that are not given; it never overwrites a file.
    """
    reason = refusal(directory)
    if reason:  # before asking anything
        raise click.ClickException(reason)
    answers = _options(name, lang, licence_id, sys.stdin.isatty())
    try:
        result = create(directory, answers)
    except (InitError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    shown = "this folder" if directory.resolve() == Path.cwd().resolve() else f"{directory}{os.sep}"
    click.echo(f"Wrote a new handbook, \"{answers.name}\" ({answers.lang}, {answers.licence.short}), "
               f"to {shown} ({len(result.written)} files).")
    for relative in result.kept:
        click.echo(f"Kept your own {relative} (not overwritten).")
    _, problems = checks.load_and_check(directory / "content", Schema.load(), lang=answers.lang, license=answers.licence.spdx)
    if problems.errors:  # a starter that does not pass its own checks is our bug; say so plainly
        click.echo("The checker sees problems in the new handbook:", err=True)
        click.echo(FORMATTERS["text"](problems), err=True)
    click.echo("Next:")
    if shown != "this folder":
        click.echo(f"  cd {directory}")
    click.echo("  handbook check     check every guide")
    click.echo("  handbook serve     preview it at http://127.0.0.1:8000 as you edit")
    click.echo("  handbook build     the website and the PDF, in site/")
    click.echo('The three guides whose titles end in "(example)" show what a guide looks like; replace them with your own.')

