"""The raw-HTML policy: what the sanitiser removes, what it keeps, that it leaves the
handbook's own pages alone, and that the checker names everything it would remove."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from markupsafe import Markup

from conftest import FIXTURES, ROOT
from handbook_build.checks import html
from handbook_build.content.body import Body
from handbook_build.content.source import parse
from handbook_build.markdown import sanitize
from handbook_build.markdown.outbound import OutboundLinkExtension
from handbook_build.markdown.wikilinks import WikiLinkExtension

ATTACKS = [
    "<script>document.title='pwned'</script>",
    "<SCRIPT SRC=x.js></SCRIPT>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "<a href=\"javascript:document.title='pwned'\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"java\tscript:alert(1)\">x</a>",
    "<a href=\"java&#x0A;script:alert(1)\">x</a>",
    "<a href=\"jav&#x61;script:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\" alt=\"x\">",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=p><button>go</button></form>",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<style>body{display:none}</style>",
    "<p style=\"position:fixed;inset:0\">x</p>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<base href=\"https://evil.example/\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<a href=\"file:///etc/passwd\">x</a>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<!--><script>alert(1)</script>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<table><tr><td style=\"background:url(javascript:alert(1))\">x</td></tr></table>",
]
DANGEROUS = re.compile(r"<script|<style|<iframe|<object|<embed|<form|<input|<svg|<math|<meta|<base|<link|\son\w+\s*=|"
                       r"javascript:|vbscript:|data:|file:|style=\"(?!text-align)", re.IGNORECASE)


@pytest.mark.parametrize("html", ATTACKS)
def test_the_sanitiser_removes_every_attack(html: str) -> None:
    cleaned = sanitize.clean(html)
    assert not DANGEROUS.search(cleaned), cleaned


@pytest.mark.parametrize("html", [
    "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, then <abbr title=\"as soon as possible\">ASAP</abbr>.</p>",
    "<details open=\"\"><summary>More</summary><p>Hidden text</p></details>",
    "<p>H<sub>2</sub>O and x<sup>2</sup>, <mark>marked</mark>, <del>gone</del> <ins>new</ins></p>",
    '<p><a href="https://example.org/" rel="noopener noreferrer">web</a> <a href="mailto:a@example.org">mail</a> '
    '<a href="tel:+46123">phone</a> <a href="../tactics/x.html#how">page</a></p>',
    '<p><img src="images/door.png" alt="A door" width="300" height="200"></p>',
    '<table><thead><tr><th style="text-align: left;">a</th><th style="text-align: right;">b</th></tr></thead>'
    '<tbody><tr><td style="text-align: center;">1</td><td colspan="2">2</td></tr></tbody></table>',
    '<div class="admonition note"><p class="admonition-title">Note</p><p>Text</p></div>',
    '<h2 id="how-to-do-it">How to do it</h2>',
])
def test_the_sanitiser_keeps_ordinary_markup(html: str) -> None:
    assert sanitize.clean(html) == html


def _render(text: str, *extensions, sanitized: bool = True) -> str:
    chosen = ["toc", "tables", "attr_list", "admonition", "footnotes", *extensions]
    if sanitized:
        chosen.append(sanitize.SanitizeExtension())
    return markdown.Markdown(extensions=chosen).convert(text)


def test_rendering_cleans_markdown_links_attr_list_and_raw_html_together() -> None:
    html = _render("""Press <kbd>Ctrl</kbd> and <span onclick="alert(1)">this</span>.
{: onmouseover="alert(2)" }

[click](javascript:alert(3)) ![A logo](data:image/png;base64,AAAA) ![A door](door.png){ onerror="alert(4)" }

<div markdown="0" onclick="alert(5)">
<script>alert(6)</script>
</div>
""")
    assert "<kbd>Ctrl</kbd>" in html
    assert "<span>this</span>" in html
    assert '<a>click</a>' in html
    assert '<img alt="A logo">' in html and '<img alt="A door" src="door.png">' in html
    assert not DANGEROUS.search(html), html
    assert "alert" not in html


def test_the_extension_runs_after_every_other_postprocessor() -> None:
    md = markdown.Markdown(extensions=["footnotes", sanitize.SanitizeExtension()])
    assert list(md.postprocessors)[-1].__class__.__name__ == "_SanitizePostprocessor"


# -- the handbook's own pages pass through unchanged ------------------------------------------------


class _Tree(HTMLParser):
    """Start tags with their attributes and the text: what a reader's browser builds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("tag", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", " ".join(data.split())))


def _tree(html: str) -> list[tuple]:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.events


class _Tolerant(yaml.SafeLoader):
    pass


_Tolerant.add_multi_constructor("!", lambda loader, suffix, node: None)


def _site_extensions() -> list:
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Tolerant)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config.get("markdown_extensions", [])]
    return [*names, WikiLinkExtension(lambda slug: (f"../x/{slug}.md", slug.title())), OutboundLinkExtension()]


STARTER_PAGES = sorted((ROOT / "content").rglob("*.md"))


@pytest.mark.parametrize("path", STARTER_PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_starter_handbook_loses_nothing_to_the_sanitiser(path: Path) -> None:
    src, _ = parse(path.read_bytes(), path.name)
    body = src.body if src is not None else path.read_text("utf-8")
    plain = markdown.Markdown(extensions=_site_extensions()).convert(body)
    cleaned = markdown.Markdown(extensions=[*_site_extensions(), sanitize.SanitizeExtension()]).convert(body)
    assert _tree(cleaned) == _tree(plain)


# -- the checker names what the sanitiser removes -----------------------------------------------


def _corpus_bodies() -> list[tuple[str, str]]:
    expected = yaml.safe_load((FIXTURES / "broken" / "expected.yml").read_text("utf-8"))
    cases = []
    for name, lines in sorted(expected.items()):
        if any("removed" in line and "when the site is built" in line for line in lines):
            (file,) = (FIXTURES / "broken" / name).rglob("*.md")
            src, _ = parse(file.read_bytes(), file.name)
            cases.append((name, src.body))
    return cases


@pytest.mark.parametrize("name,body", _corpus_bodies(), ids=[n for n, _ in _corpus_bodies()])
def test_what_the_checker_reports_is_what_the_sanitiser_removes(name: str, body: str) -> None:
    plain = _render(body, sanitized=False)
    cleaned = _render(body)
    assert _tree(cleaned) != _tree(plain), f"{name}: the checker reports a removal that does not happen"
    assert not DANGEROUS.search(cleaned), cleaned
    assert "pwned" not in cleaned or "document.title" not in cleaned


@pytest.mark.parametrize("text", [
    "see <https://example.org> or <ana@example.org>",
    "`<script>alert(1)</script>` in code",
    "```html\n<script>alert(1)</script>\n```",
    "<!-- <script>alert(1)</script> -->",
    "    <script>indented code</script>",
    "x < 3 and y > 2",
    "<kbd>Ctrl</kbd> and <details><summary>More</summary>text</details>",
    "set {x=1} in braces",
])
def test_text_that_is_not_removed_is_not_reported(text: str) -> None:
    assert [str(p) for p in html.check_body(Body(text, "content/x.md", 1))] == []


def test_a_tag_that_markdown_keeps_as_html_is_reported_even_inside_a_sentence() -> None:
    # "<b and c>" is an element to Markdown and to browsers: its words vanish, so say so.
    (problem,) = html.check_body(Body("a <y and c> d", "content/x.md", 10))
    assert str(problem).startswith("content/x.md:10:3: error: <y> is not allowed in a guide")


def test_problems_point_at_the_attribute() -> None:
    body = Body("Text\n\n<p title=\"ok\" onclick=\"x()\" style=\"color: red\">hi</p>\n", "content/x.md", 9)
    assert [str(p).split(": error: ")[0] for p in html.check_body(body)] == ["content/x.md:11:15", "content/x.md:11:29"]


# -- front matter that Material prints --------------------------------------------------------------


def test_escape_meta_escapes_text_once_and_fills_in_a_heading_title() -> None:
    meta = {"title": 'Tom & "Jerry" <3', "description": "0;url=x\" http-equiv=\"refresh", "hide": ["toc"]}
    sanitize.escape_meta(meta)
    sanitize.escape_meta(meta)  # idempotent: the plugin may see a page twice while serving
    assert meta["title"] == Markup("Tom &amp; &#34;Jerry&#34; &lt;3")
    assert str(meta["description"]) == "0;url=x&#34; http-equiv=&#34;refresh"
    assert meta["hide"] == ["toc"]
    assert sanitize.plain(meta["title"]) == 'Tom & "Jerry" <3'
    headed: dict = {}
    sanitize.escape_meta(headed, title_html="A &lt;/title&gt; heading")
    # With a meta title Material prints it as it is, instead of through striptags (which unescapes).
    assert headed["title"] == Markup("A &lt;/title&gt; heading")
