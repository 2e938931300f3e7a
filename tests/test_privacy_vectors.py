"""The built-site scan against what a hostile pull request or a careless theme sends.

Each vector is a file the site could ship (stylesheet, page, SVG, script) and
the loads from another host the scan must report in it, at their file:line.
CSS is read by tinycss2, so escapes (``u\\72l(``) decode as in a browser; HTML
and SVG by the standard library's parser, so entities and comments do too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import Project
from handbook_build.site import scan

E = "https://evil.example"

# (id, file name, text, [(line, URL reported)]); an empty list: nothing may be reported.
VECTORS: list[tuple[str, str, str, list[tuple[int, str]]]] = [
    # -- stylesheets: the four of issue #23, then the rest of CSS's ways to fetch ----------------
    ("css-escaped-u", "a.css", f"p {{ color: red }}\na{{background:u\\72l({E}/a.png)}}", [(2, f"{E}/a.png")]),
    ("css-escaped-u-space", "a.css", f"a{{background:\\75 rl({E}/a.png)}}", [(1, f"{E}/a.png")]),
    ("css-image-set-string", "a.css", f'a{{\n  background-image:image-set("{E}/b.png" 1x)}}', [(2, f"{E}/b.png")]),
    ("css-escaped-slashes", "a.css", "\n\na{background:url(https\\:\\/\\/evil.example/c.png)}", [(3, f"{E}/c.png")]),
    ("css-webkit-image-set-url", "a.css", f"a{{b:-webkit-image-set(url({E}/1.png) 1x, url(2.png) 2x)}}", [(1, f"{E}/1.png")]),
    ("css-webkit-image-set-string", "a.css", f'a{{b:-webkit-image-set("x.png" 1x,\n "{E}/2.png" 2x)}}', [(2, f"{E}/2.png")]),
    ("css-import-string", "a.css", f'@charset "utf-8";\n@import "{E}/i.css";', [(2, f"{E}/i.css")]),
    ("css-import-url", "a.css", "@import url(//evil.example/i.css) screen;", [(1, "//evil.example/i.css")]),
    ("css-import-escaped-string", "a.css", "@import 'ht\\74ps://evil.example/e.css';", [(1, f"{E}/e.css")]),
    ("css-font-face-src", "a.css", f'@font-face {{\n  font-family: X;\n  src: url({E}/f.woff2) format("woff2");\n}}', [(3, f"{E}/f.woff2")]),
    ("css-font-face-protocol-relative", "a.css", '@font-face{src:local(X),\nurl("//evil.example/f.woff")}', [(2, "//evil.example/f.woff")]),
    ("css-cross-fade-url", "a.css", f"a{{b:cross-fade(url({E}/x.png), url(y.png), 50%)}}", [(1, f"{E}/x.png")]),
    ("css-cross-fade-string", "a.css", f'a{{b:-webkit-cross-fade("{E}/x.png", "y.png", 50%)}}', [(1, f"{E}/x.png")]),
    ("css-image-function", "a.css", f'a{{b:image("{E}/i.png")}}', [(1, f"{E}/i.png")]),
    ("css-upper-case", "a.css", 'A{B:URL( "HTTPS://EVIL.EXAMPLE/U.PNG" )}', [(1, "HTTPS://EVIL.EXAMPLE/U.PNG")]),
    ("css-backslash-host", "a.css", 'a{b:url("\\5c\\5c evil.example/x.png")}', [(1, "\\\\evil.example/x.png")]),
    ("css-escaped-tab", "a.css", "a{b:url(ht\\9 tps://evil.example/t.png)}", [(1, "ht\ttps://evil.example/t.png")]),
    ("css-scheme-without-slashes", "a.css", "a{b:url(https:evil.example/a.png)}", [(1, "https:evil.example/a.png")]),
    ("css-in-comment", "a.css", f"/* a{{b:url({E}/c.png)}} */ a{{}}", []),
    ("css-string-is-text", "a.css", f'a::after{{content:"{E}/not-fetched"}}', []),
    ("css-namespace", "a.css", "@namespace svg url(http://www.w3.org/2000/svg);\nsvg|a{b:c}", []),
    ("css-relative-and-data", "a.css", "a{b:url(img/a.png);c:url(data:image/png;base64,AAAA);d:url(#m)}", []),
    # -- HTML pages -------------------------------------------------------------------------------
    ("html-style-block", "p.html", f"<html><head>\n<style>\n a{{b:u\\72l({E}/s.png)}}\n</style>", [(3, f"{E}/s.png")]),
    ("html-style-attribute", "p.html", f'<p>\n<span style="background:\\75 rl({E}/a.png)">x</span>', [(2, f"{E}/a.png")]),
    ("html-srcset", "p.html", f'<img alt="" src="a.png"\n srcset="a.png 1x, {E}/b.png 2x">', [(2, f"{E}/b.png")]),
    ("html-source-srcset", "p.html", f'<picture>\n<source srcset="{E}/a.webp">\n</picture>', [(2, f"{E}/a.webp")]),
    ("html-poster", "p.html", '<video\n\n poster="//evil.example/p.jpg"></video>', [(3, "//evil.example/p.jpg")]),
    ("html-object-data", "p.html", f'<object data="{E}/o.swf"></object>', [(1, f"{E}/o.swf")]),
    ("html-formaction", "p.html", f'<form>\n<button formaction="{E}/collect">Send</button></form>', [(2, f"{E}/collect")]),
    ("html-input-formaction", "p.html", f'<form><input type="submit"\n formaction="{E}/collect"></form>', [(2, f"{E}/collect")]),
    ("html-meta-refresh", "p.html", f'<head>\n<meta http-equiv="Refresh" content="0; URL=\'{E}/away\'">', [(2, f"{E}/away")]),
    ("html-preconnect", "p.html", '<link rel="preconnect" href="https://fonts.evil.example">', [(1, "https://fonts.evil.example")]),
    ("html-dns-prefetch", "p.html", '<link rel="dns-prefetch"\n href="//evil.example">', [(2, "//evil.example")]),
    ("html-prefetch", "p.html", f'<link rel=prefetch href={E}/next.html>', [(1, f"{E}/next.html")]),
    ("html-preload", "p.html", f'<link as="image"\n rel="preload"\n href="{E}/hero.png">', [(3, f"{E}/hero.png")]),
    ("html-protocol-relative", "p.html", '<p>x</p>\n<img alt="x" src="//evil.example/i.png">', [(2, "//evil.example/i.png")]),
    ("html-entities", "p.html", '<img alt="x" src="&#104;ttps&colon;&#47;&#47;evil.example/e.png">', [(1, f"{E}/e.png")]),
    ("html-ping", "p.html", f'<a href="page.html" ping="{E}/count">a page</a>', [(1, f"{E}/count")]),
    ("html-inline-svg-image", "p.html", f'<p>x</p>\n<svg><image href="{E}/i.png"/></svg>', [(2, f"{E}/i.png")]),
    ("html-inline-svg-fill", "p.html", f'<svg>\n<rect fill="url({E}/p.svg#p)"/></svg>', [(2, f"{E}/p.svg#p")]),
    ("html-scheme-without-slashes", "p.html", '<p>\n<img alt="x" src="https:evil.example/i.png">', [(2, "https:evil.example/i.png")]),
    ("html-tab-in-scheme", "p.html", '<img alt="x" src="ht&#9;tps:/&#10;/evil.example/t.png">', [(1, "ht\ttps:/\n/evil.example/t.png")]),
    ("html-comment", "p.html", f'<!-- <img src="{E}/c.png"> -->\n<p>x</p>', []),
    ("html-links-are-not-loads", "p.html", f'<a href="{E}/">a link</a>\n<link rel="license" href="{E}/l">', []),
    ("html-data-script", "p.html", f'<script type="application/ld+json">{{"url": "{E}/"}}</script>', []),
    # -- SVG files (content/assets/ ships as is) ----------------------------------------------------
    ("svg-image-xlink", "d.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
                                 f'  <image xlink:href="{E}/d.png" width="10" height="10"/>\n</svg>', [(2, f"{E}/d.png")]),
    ("svg-use", "d.svg", f'<svg xmlns="http://www.w3.org/2000/svg">\n<use href="{E}/sprite.svg#i"/></svg>', [(2, f"{E}/sprite.svg#i")]),
    ("svg-feimage", "d.svg", '<svg><filter id="f">\n<feImage href="//evil.example/f.png"/></filter></svg>', [(2, "//evil.example/f.png")]),
    ("svg-pattern", "d.svg", f'<svg>\n<pattern id="p" xlink:href="{E}/p.svg#p"/></svg>', [(2, f"{E}/p.svg#p")]),
    ("svg-style", "d.svg", f'<svg>\n<style>\nrect {{ fill: url({E}/g.svg#g) }}\n</style></svg>', [(3, f"{E}/g.svg#g")]),
    ("svg-style-cdata-import", "d.svg", f'<svg><style><![CDATA[\n@import url({E}/a.css);\n]]></style></svg>', [(2, f"{E}/a.css")]),
    ("svg-style-attribute", "d.svg", f"<svg>\n<rect style=\"fill:url('{E}/a.svg#a')\"/></svg>", [(2, f"{E}/a.svg#a")]),
    ("svg-local-references", "d.svg", '<svg><linearGradient id="a"/><rect fill="url(#a)"/>'
                                      '<use href="#a"/><a href="https://example.org/">a link</a></svg>', []),
    # -- script --------------------------------------------------------------------------------------
    ("js-fetch", "s.js", f'let a = 1;\nfetch("{E}/api")', [(2, f"{E}/api")]),
    ("js-scheme-without-slashes", "s.js", 'let a = 1;\nfetch("https:evil.example/api")', [(2, "https:evil.example/api")]),
    ("html-script-scheme-without-slashes", "p.html", '<p>x</p>\n<script>fetch("https:evil.example/api")</script>', [(2, "https:evil.example/api")]),
]


@pytest.mark.parametrize(("name", "text", "expected"), [v[1:] for v in VECTORS], ids=[v[0] for v in VECTORS])
def test_each_load_from_another_host_is_reported_at_its_line(name: str, text: str, expected: list[tuple[int, str]]) -> None:
    path = f"site/assets/{name}"
    problems = scan.scan_file(name, text, path)
    found = [(p.location.path, p.location.line) for p in problems]
    assert found == [(path, line) for line, _ in expected], [str(p) for p in problems]
    for problem, (_, url) in zip(problems, expected):
        assert f" would load {url} from another host" in problem.message
        assert problem.code == "privacy" and problem.location.column is not None


def test_there_are_enough_vectors() -> None:
    assert len(VECTORS) >= 40
    assert len({v[0] for v in VECTORS}) == len(VECTORS)


def test_columns_point_at_the_url_in_css_in_style_blocks_and_in_attributes() -> None:
    css = scan.scan_file("a.css", f"a {{\n  b: u\\72l({E}/a.png) }}", "a.css")
    assert [str(p.location) for p in css] == ["a.css:2:6"]  # where u\72l( starts
    page = scan.scan_file("p.html", f'<p>\n  <span style="x:1;b:\\75 rl({E}/a.png)">x</span>\n<style>\n\n  a{{b:image-set("{E}/b.png" 1x)}}</style>', "p.html")
    assert [str(p.location) for p in page] == ["p.html:2:22", "p.html:5:17"]  # at \\75 rl( and at the string
    svg = scan.scan_file("d.svg", f'<svg>\n  <image xlink:href="{E}/d.png"/></svg>', "d.svg")
    assert [str(p.location) for p in svg] == ["d.svg:2:22"]  # the value, after the quote


def test_the_site_scan_reads_svg_and_css_files_and_names_each(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "d.svg").write_text(f'<svg>\n<image xlink:href="{E}/d.png"/></svg>', "utf-8")
    (site / "extra.css").write_text("a{b:url(https\\:\\/\\/evil.example/c.png)}", "utf-8")
    (site / "ok.svg").write_text('<svg><use href="#a"/></svg>', "utf-8")
    (site / "index.html").write_text('<p><img alt="a drawing" src="assets/d.svg"></p>', "utf-8")
    found = sorted(str(p.location) for p in scan.scan_site(site, "site"))
    assert found == ["site/assets/d.svg:2:20", "site/extra.css:1:5"]


@pytest.mark.slow
def test_a_strict_build_fails_on_a_handbook_stylesheet_and_an_svg_that_load_from_another_host(mini: Project) -> None:
    mini.write("extra.css", "p { color: #333 }\n"
                            f"a {{ background: u\\72l({E}/a.png) }}\n"
                            f'b {{ background-image: image-set("{E}/b.png" 1x) }}\n'
                            "i { background: url(https\\:\\/\\/evil.example/c.png) }\n")
    mini.write("assets/d.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
                               f'<image xlink:href="{E}/d.png" width="1" height="1"/>\n</svg>\n')
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "extra_css:\n  - extra.css\n", "utf-8")
    result = mini.build()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if "would load" in line]
    assert any(f"site/assets/d.svg:2:20: error: <image xlink:href> would load {E}/d.png" in line for line in problems), result.stderr
    for line, url in ((2, f"{E}/a.png"), (3, f"{E}/b.png"), (4, f"{E}/c.png")):
        assert any(f"site/extra.css:{line}:" in text and f"would load {url} from another host" in text for text in problems), (url, result.stderr)
    shutil.rmtree(mini.site, ignore_errors=True)
