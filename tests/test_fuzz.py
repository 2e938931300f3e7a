"""Generated guides thrown at the loader, the checks and the renderer: they answer with problems or
pass, never raise, never hang, and never write anywhere.

Hypothesis builds front matter from a YAML-ish grammar (anchors, tags, flow
collections, deep nesting, huge and odd strings), bodies from Markdown and
hostile HTML fragments, and plain random bytes and unicode. The deadline
catches a hang (each example gets seconds, not milliseconds); speed lives in
benchmarks/.

Bounded for CI: a few hundred examples in all, derandomized (the same examples
on every run). Maintainers run it longer, with fresh random examples, by
setting how many examples each property gets:

    HANDBOOK_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DOOR_KNOCKING, FIXTURES
from handbook_build import checks
from handbook_build.checks import html
from handbook_build.content import source
from handbook_build.content.body import Body
from handbook_build.content.schema import Schema
from handbook_build.markdown import sanitize
from handbook_build.markdown.outbound import OutboundLinkExtension
from handbook_build.markdown.wikilinks import WikiLinkExtension
from handbook_build.problems import Problem, ProblemList

SCHEMA = Schema.load()
HANG = dt.timedelta(seconds=10)  # far beyond any honest example: only a hang trips it


LONG_RUN = int(os.environ.get("HANDBOOK_FUZZ_EXAMPLES", "0") or 0)  # per property; 0: the bounded CI run


def fuzz(examples: int, *, long_run_cap: int | None = None) -> settings:
    """``examples`` in CI (derandomized: the same ones each run); HANDBOOK_FUZZ_EXAMPLES random ones when set."""
    long_run = min(LONG_RUN, long_run_cap) if LONG_RUN and long_run_cap else LONG_RUN
    return settings(max_examples=long_run or examples, derandomize=not long_run, deadline=HANG, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- front matter ---------------------------------------------------------------------------------

KEYS = st.one_of(
    st.sampled_from(["title", "type", "summary", "topics", "authors", "related", "difficulty", "time_to_prepare",
                     "updated", "sources", "draft", "lang", "license", "when", "where", "tactics", "<<", "? x",
                     "- x", "&a key", "*a", "!!str key", "'quoted: key'", "\"k\\u0000\"", "", "title "]),
    st.text(max_size=12),
)
ODD_SCALARS = st.sampled_from([
    "true", "no", "null", "~", "2024-13-45", "2024-02-30", "2024-01-01T25:61:00", "&a x", "*a", "*undefined",
    "!!binary aGk=", "!!python/name:os.system", "!!python/object/apply:os.system ['id']", "!!set {a, b}",
    "!!timestamp x", "!ENV HOME", "[", "{", "'unclosed", "\"unclosed", "|", ">", "\t", "@x", "`x", "%YAML 1.1",
    "---", "...", "0x1F", "1e400", "-.inf", ".nan", "0o777", "1_000", "<img src=x onerror=alert(1)>",
    "[a, [b, {c: d}]]", "{a: [1, 2], b: {c: d}}", "&a [x, *a]", "? complex\n: key", "\"\\ud800\"", "'\u202e'",
])
SCALARS = st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), ODD_SCALARS,
                    st.text(alphabet=st.characters(codec="utf-8"), max_size=30))


@st.composite
def nested(draw) -> str:
    depth = draw(st.integers(1, 200))
    kind = draw(st.sampled_from(["[", "{a: ", "- "]))
    if kind == "[":
        return "[" * depth + "x" + "]" * draw(st.integers(0, depth))
    if kind == "{a: ":
        return "{a: " * depth + "x" + "}" * draw(st.integers(0, depth))
    return "\n" + "".join("  " * i + "- \n" for i in range(depth))


VALUES = st.one_of(SCALARS.map(str), nested(), st.lists(SCALARS.map(str), max_size=5).map(
    lambda items: "\n" + "\n".join(f"  - {i}" for i in items)))
INDENTS = st.sampled_from(["", "", "", " ", "  ", "    "])
HUGE = st.sampled_from([100, 5_000, 40_000])


@st.composite
def front_matter(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        lines.append(f"{draw(INDENTS)}{draw(KEYS)}: {draw(VALUES)}")
    if draw(st.booleans()):
        lines.append("huge: " + "x" * draw(HUGE))
    if draw(st.booleans()):  # an anchor and aliases to it, the shape of "billion laughs"
        lines.append("a: &a [lol, lol, lol]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]")
    return "\n".join(lines)


VALID = DOOR_KNOCKING

# -- bodies ---------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![a](data:image/png;base64,AA)",
    "<a href=\"jav&#x61;script:x\">y</a>", "<iframe srcdoc=\"<script>x</script>\">", "<svg onload=x>", "</svg>",
    "<style>", "</style>", "<form>", "<input>", "```", "```html\n<script>x</script>\n```", "~~~", "`", "``", "<!--", "-->",
    "[[phone-banking]]", "[[nope|x]]", "[[", "]]", "{: onclick=\"x\" }", "{: .class #id }", "![a](b.png)", "[x](../../x.md)",
    "[x](/etc/passwd)", "[x](file:///x)", "[x](phone-bankin.md)", "[r]: vbscript:x", "<https://example.org>", "\\<b>",
    "<b>", "</b>", "<kbd>x</kbd>", "<![ x ]>", "<!DOCTYPE html>", "<?php x ?>", "&#0;", "&#x110000;", "&lt;", "<", ">",
    "\r\n", "\r", "\n\n", "    indented\n", "- item\n", "1. item\n", "| a | b |\n|---|---|\n", "# Heading\n", "\ufeff",
    "\u202e", "\x00", "\x0b", "\ud7ff", "&", "*", "_", "[", "]", "(", ")", "{", "}", "!", "\\",
])
BODIES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40).map("".join)


def _assert_problems(found: object, path: str | None = None) -> None:
    problems = list(found)  # type: ignore[call-overload]
    for problem in problems:
        assert isinstance(problem, Problem)
        assert "Traceback" not in str(problem)
        if path is not None:
            assert problem.location.path == path


# -- source.parse ----------------------------------------------------------------------------------


@fuzz(80)
@given(front=front_matter(), body=BODIES, crlf=st.booleans(), bom=st.booleans())
def test_parse_answers_every_generated_guide(front: str, body: str, crlf: bool, bom: bool) -> None:
    text = f"---\n{front}\n---\n{body}"
    if crlf:
        text = text.replace("\n", "\r\n")
    raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass")
    src, problems = source.parse(raw, "content/tactics/x.md")
    _assert_problems(problems, "content/tactics/x.md")
    assert src is not None or problems


@fuzz(60)
@given(raw=st.one_of(st.binary(max_size=4096), st.binary(max_size=512).map(lambda b: b"---\n" + b + b"\n---\n" + b)))
def test_parse_answers_random_bytes(raw: bytes) -> None:
    src, problems = source.parse(raw, "content/tactics/x.md")
    _assert_problems(problems, "content/tactics/x.md")


@fuzz(40)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_parse_answers_random_unicode(text: str) -> None:
    src, problems = source.parse(text.encode("utf-8"), "x.md")
    _assert_problems(problems, "x.md")


# -- loader.load on a content folder ---------------------------------------------------------------

NAMES = st.sampled_from(["tactics/door-knocking.md", "tactics/door-knocking.sv.md", "tactics/Door_Knocking.md",
                         "tactics/search.md", "funding-models/door-knocking.md", "case-studies/x.md", "tactics/a/b.md",
                         "tactics/door-knocking.EN.md", "about.md", "notes/page.md", "tactics/phone-banking.xx-y.md"])


@st.composite
def guide_files(draw) -> list[tuple[str, bytes]]:
    files = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(NAMES)
        kind = draw(st.sampled_from(["generated", "valid-front", "bytes"]))
        if kind == "bytes":
            content = draw(st.binary(max_size=1024))
        else:
            front = VALID if kind == "valid-front" else draw(front_matter())
            content = f"---\n{front}\n---\n{draw(BODIES)}".encode("utf-8", "surrogatepass")
        files.append((name, content))
    return files


@fuzz(30)
@given(files=guide_files())
def test_load_answers_every_generated_handbook(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(FIXTURES / "mini" / "content", content)
        for name, data in files:
            (content / name).parent.mkdir(parents=True, exist_ok=True)
            (content / name).write_bytes(data)
        handbook, problems = checks.load_and_check(content, SCHEMA)
        assert isinstance(problems, ProblemList)
        _assert_problems(problems)
        assert "phone-banking" in handbook.guides  # one broken guide never costs the others


def _state(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for folders and links): what a run must leave as it was."""
    return {p.relative_to(folder).as_posix(): (None if p.is_dir() or p.is_symlink() else p.read_bytes())
            for p in sorted(folder.rglob("*"))}


def _assert_placed(problem: Problem, content: Path) -> None:
    """A problem names a file (or folder) in the content folder, and a line and column that exist in it."""
    place = Path(problem.location.path)
    place = place if place.is_absolute() else Path.cwd() / place
    assert place.resolve(strict=False).is_relative_to(content.resolve()) or place.is_relative_to(content), str(problem)
    assert os.path.lexists(place), str(problem)
    line, column = problem.location.line, problem.location.column
    if line is None:  # the whole file ("whole file" on the banner)
        assert column is None, str(problem)
        return
    assert line >= 1 and (column is None or column >= 1), str(problem)
    if place.is_file() and not place.is_symlink():
        raw = place.read_bytes()
        lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        assert line <= lines, f"{problem} (the file has {lines} lines)"


def _render(body: str, resolve) -> str:
    md = markdown.Markdown(extensions=["toc", "tables", "attr_list", WikiLinkExtension(resolve), OutboundLinkExtension(),
                                       sanitize.SanitizeExtension()])
    return md.convert(body)


@fuzz(60)
@given(files=guide_files())
def test_loader_checks_and_renderer_place_every_problem_and_write_nothing(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = root / "content"
        shutil.copytree(FIXTURES / "mini" / "content", content)
        for name, data in files:
            (content / name).parent.mkdir(parents=True, exist_ok=True)
            (content / name).write_bytes(data)
        before = _state(root)
        handbook, problems = checks.load_and_check(content, SCHEMA)
        for problem in problems:
            _assert_placed(problem, content)

        def resolve(slug: str) -> tuple[str, str] | None:
            target = handbook.guide(slug)
            return (f"../{slug}/", target.title) if target is not None else None

        for body in handbook.bodies():
            assert _audit(_render(body.text, resolve)) == [], body.path
        assert _state(root) == before, "loading, checking or rendering wrote a file"


BUILD_NAMES = st.sampled_from(["tactics/fuzzed.md", "tactics/fuzzed.sv.md", "funding-models/fuzzed-model.md",
                               "case-studies/fuzzed-case.md", "notes/fuzzed-page.md", "fuzzed-page.md"])
VALID_PAGES = ("tactics/phone-banking/index.html", "funding-models/house-parties/index.html", "case-studies/the-big-call/index.html")


@st.composite
def build_files(draw) -> list[tuple[str, bytes]]:
    files = []
    for name in draw(st.lists(BUILD_NAMES, min_size=1, max_size=3, unique=True)):
        kind = draw(st.sampled_from(["generated", "valid-front", "bytes"]))
        if kind == "bytes":
            files.append((name, draw(st.binary(max_size=512))))
        else:
            front = VALID.replace("Door knocking", "Fuzzed") if kind == "valid-front" else draw(front_matter())
            files.append((name, f"---\n{front}\n---\n{draw(BODIES)}".encode("utf-8", "surrogatepass")))
    return files


@pytest.mark.slow
@fuzz(4, long_run_cap=100)  # a whole site build per example
@given(files=build_files())
def test_a_non_strict_build_publishes_every_valid_guide_and_writes_only_its_site(files: list[tuple[str, bytes]]) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mini"
        shutil.copytree(FIXTURES / "mini", root, ignore=shutil.ignore_patterns("site"))
        for name, data in files:
            (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / name).write_bytes(data)
        before = _state(root)
        old = os.environ.get("HANDBOOK_PDF")
        os.environ["HANDBOOK_PDF"] = "false"
        try:
            build(load_config(str(root / "mkdocs.yml"), strict=False))
        finally:
            os.environ.pop("HANDBOOK_PDF") if old is None else os.environ.__setitem__("HANDBOOK_PDF", old)
        for page in VALID_PAGES:
            assert (root / "site" / page).is_file(), page
        after = _state(root)
        # Besides its site, a build writes only into its cache folder (.cache/handbook/, kept.py): the content
        # cache, the kept pages, the scan's and the formats' entries; the contributor's files are untouched.
        written = {k for k in after if k not in before}
        assert {k.split("/")[0] for k in written} <= {"site", ".cache"}
        assert {k for k in written if k.startswith(".cache") and k != ".cache" and not k.startswith(".cache/handbook")} == set()
        assert ".cache/handbook/content.json" in written and ".cache/handbook/.gitignore" in written
        assert {k: v for k, v in after.items() if k in before} == before


# -- rendering ---------------------------------------------------------------------------------------

_BAD_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "meta", "base", "link"})


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BAD_TAGS:
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style" and not (value or "").startswith("text-align"):
                self.bad.append(f"{tag} {name}")
            if name in ("href", "src") and sanitize.scheme(value or "") not in (None, "http", "https", "mailto", "tel"):
                self.bad.append(f"{tag} {name}={value}")


def _audit(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.bad


@fuzz(60)
@given(body=BODIES)
def test_rendering_any_body_leaves_nothing_that_runs(body: str) -> None:
    md = markdown.Markdown(extensions=["toc", "tables", "attr_list", "admonition", "footnotes", sanitize.SanitizeExtension()])
    assert _audit(md.convert(body)) == []
    _assert_problems(html.check_body(Body(body, "content/x.md", 1)), "content/x.md")


# -- the checker and the sanitiser agree --------------------------------------------------------------

ATTRS = st.sampled_from(['title="t"', 'class="c"', 'id="i"', 'href="https://example.org/"', 'href="page.md"',
                         'href="javascript:x()"', 'href="JAVA&#x09;SCRIPT:x()"', 'href="data:text/html,x"',
                         'href="mailto:a@example.org"', 'src="door.png"', 'src="data:image/png;base64,AA"', 'alt="a"',
                         'onclick="x()"', 'onerror="x()"', 'style="color: red"', 'target="_blank"', 'data-x="1"',
                         'width="3"', 'lang="sv"', 'open'])
ELEMENTS = st.sampled_from(["p", "span", "b", "em", "kbd", "a", "img", "div", "details", "summary", "sup", "abbr",
                            "script", "style", "iframe", "object", "form", "input", "button", "video", "marquee", "font"])


ATTR_LISTS = st.lists(ATTRS, max_size=3).map(lambda found: " ".join(dict.fromkeys(found)))  # no attribute twice
WORDS = st.sampled_from(["word", "two words", "x"])


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(parts: tuple[str, str, list[str]]) -> str:
        tag, attrs, inner = parts
        opening = f"<{tag}{' ' + attrs if attrs else ''}>"
        return opening if tag in ("img", "input") else f"{opening}{' '.join(inner)}</{tag}>"
    return st.tuples(ELEMENTS, ATTR_LISTS, st.lists(children, max_size=3)).map(build)


HTML_FRAGMENTS = st.recursive(WORDS, _element, max_leaves=8).filter(lambda f: f.startswith("<"))


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if data.strip():
            self.events.append(" ".join(data.split()))


# html5ever with everything allowed: the tree a browser builds (it repairs <p> in <p> and the like).
_BROWSER = nh3.Cleaner(tags={*sanitize.TAGS, "script", "style", "iframe", "object", "form", "input", "button", "video",
                             "marquee", "font"},
                       clean_content_tags=set(), attributes={"*": {a.split("=")[0] for a in ATTRS.elements}},
                       url_schemes={"http", "https", "mailto", "tel", "javascript", "data", "vbscript"},
                       link_rel=None, strip_comments=False)


def _tree(html: str) -> list:
    tree = _Tree()
    tree.feed(_BROWSER.clean(html))
    tree.close()
    return tree.events


@fuzz(60)
@given(pieces=st.lists(HTML_FRAGMENTS, min_size=1, max_size=4), block=st.booleans())
def test_the_checker_reports_exactly_when_the_sanitiser_changes_the_page(pieces: list[str], block: bool) -> None:
    body = ("\n\n" if block else " and ").join(pieces) + "\n"
    problems = list(html.check_body(Body(body, "content/x.md", 1)))
    plain = markdown.Markdown().convert(body)
    cleaned = markdown.Markdown(extensions=[sanitize.SanitizeExtension()]).convert(body)
    changed = _tree(cleaned) != _tree(plain)
    assert bool(problems) == changed, ([str(p) for p in problems], plain, cleaned)
