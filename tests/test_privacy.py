"""No third-party requests: the source check, the scan of the built site, outbound links, the bundles."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from handbook_build import hrefs
from handbook_build.checks import privacy
from handbook_build.content.body import Body
from handbook_build.site import assets, scan


def problems_in(text: str, first_line: int = 10) -> list[str]:
    return [str(p) for p in sorted(privacy.check_body(Body(text, "content/tactics/x.md", first_line)))]


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def elements(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(path.read_text("utf-8"))
    return parser.found


# -- what counts as another host -----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://a.org/x.png", "http://a.org", "//cdn.a.org/x.js", " HTTPS://A.ORG/x",
                                 "\\\\a.org/x.js", "ht\ntps://a.org/x", "wss://a.org/socket"])
def test_absolute_and_protocol_relative_urls_are_foreign(url: str) -> None:
    assert hrefs.is_foreign(url)


@pytest.mark.parametrize("url", ["img/x.png", "../x.css", "/assets/x.js", "#top", "data:image/png;base64,AA",
                                 "mailto:a@b.org", "x.html?q=https://a.org", ""])
def test_local_and_inline_urls_are_not(url: str) -> None:
    assert not hrefs.is_foreign(url)


# -- the source check: a contributor's own text -------------------------------------------------------


def test_an_external_markdown_image_is_an_error_at_its_url() -> None:
    found = problems_in("Intro.\n\nSee ![A phone bank](https://example.org/p.jpg \"title\").\n")
    assert len(found) == 1
    assert found[0].startswith("content/tactics/x.md:12:21: error: the image https://example.org/p.jpg would be loaded "
                               "from another website (add the image to the repository")


def test_external_html_images_srcsets_and_reference_images_are_errors() -> None:
    found = problems_in('<img src="https://a.org/1.png" alt="one">\n'
                        '<img alt="two" srcset="2.png 1x, //cdn.a.org/2.png 2x">\n'
                        "![three][pic]\n\n[pic]: https://a.org/3.png\n")
    assert [f.split(": error: ")[0] for f in found] == ["content/tactics/x.md:10:6", "content/tactics/x.md:11:16",
                                                         "content/tactics/x.md:12:1"]
    assert "https://a.org/1.png" in found[0] and "//cdn.a.org/2.png" in found[1] and "https://a.org/3.png" in found[2]


def test_embeds_from_other_sites_are_errors() -> None:
    found = problems_in('<iframe src="https://www.youtube.com/embed/abc"></iframe>\n')
    assert found == ["content/tactics/x.md:10:9: error: the <iframe> https://www.youtube.com/embed/abc would be loaded "
                     "from another website (link to it instead (readers choose to follow a link), or add the file to the repository)"]


def test_a_missing_alt_text_is_an_error_at_the_image() -> None:
    found = problems_in("Text.\n  ![](images/a.png) and <img src=\"b.png\"> and ![  ](c.png)\n")
    assert [f.split(": error: ")[0] for f in found] == ["content/tactics/x.md:11:3", "content/tactics/x.md:11:25",
                                                         "content/tactics/x.md:11:47"]
    assert all("this image has no alt text" in f for f in found)


def test_code_and_links_are_left_alone() -> None:
    assert problems_in("`![](https://a.org/x.png)`\n\n```\n<img src=\"https://a.org/y.png\">\n```\n"
                       "[a link](https://a.org/page) and ![Logo](images/logo.png)\n<!-- ![](https://a.org/z.png) -->\n") == []


def test_handbook_check_reports_an_external_image_in_a_guide_and_in_another_page(mini) -> None:
    guide = mini.content / "tactics" / "phone-banking.md"
    lines = guide.read_text("utf-8").split("\n")
    guide.write_text("\n".join(lines + ["", "![Callers at work](https://example.org/callers.jpg)", ""]), "utf-8")
    image_line = len(lines) + 2
    index = mini.content / "index.md"
    index.write_text(index.read_text("utf-8") + '\n<img src="https://example.org/logo.png">\n', "utf-8")
    index_line = len(index.read_text("utf-8").split("\n")) - 1
    result = mini.check()
    assert result.returncode == 1
    assert (f"content/tactics/phone-banking.md:{image_line}:20: error: the image https://example.org/callers.jpg "
            "would be loaded from another website") in result.stdout
    assert f"content/index.md:{index_line}:6: error: the image https://example.org/logo.png" in result.stdout
    assert f"content/index.md:{index_line}:1: error: this image has no alt text" in result.stdout


# -- the real build ---------------------------------------------------------------------------------------


def test_a_build_with_a_contributors_external_image_fails_with_file_line_col(mini) -> None:
    guide = mini.content / "funding-models" / "house-parties.md"
    text = guide.read_text("utf-8")
    line = len(text.split("\n")) + 1
    guide.write_text(text + '\n<img src="https://images.example.org/party.jpg" alt="A house party">\n', "utf-8")
    result = mini.build()
    assert result.returncode != 0
    assert (f"content/funding-models/house-parties.md:{line}:6: error: the image https://images.example.org/party.jpg "
            "would be loaded from another website (add the image to the repository") in result.stderr
    assert "Traceback" not in result.stderr


def test_the_build_scans_its_output_and_fails_on_any_load_from_another_host(mini) -> None:
    # Not a contributor's text: a theme setting that adds a CDN script and stylesheet to every page.
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "extra_javascript:\n  - https://cdn.example.org/track.js\n"
                      "extra_css:\n  - https://fonts.example.org/font.css\n", "utf-8")
    result = mini.build(strict=False)  # a leak fails even a lenient build
    assert result.returncode != 0
    page = mini.site / "tactics" / "phone-banking" / "index.html"
    lines = page.read_text("utf-8").split("\n")
    script_line = next(i for i, text in enumerate(lines, 1) if "cdn.example.org/track.js" in text)
    column = lines[script_line - 1].index("https://cdn.example.org") + 1
    assert (f"site/tactics/phone-banking/index.html:{script_line}:{column}: error: <script src> would load "
            "https://cdn.example.org/track.js from another host") in result.stderr
    assert "<link href> would load https://fonts.example.org/font.css from another host" in result.stderr
    assert "would load files from other hosts" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_output_scan_reads_html_css_and_js() -> None:
    page = ('<html><head>\n<link rel="preconnect" href="https://fonts.gstatic.com">\n'
            '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">\n'
            '<script type="application/ld+json">{"@context": "https://schema.org"}</script>\n'
            "<style>\n  body { background: url('https://a.org/bg.png') }\n</style>\n"
            '<script>navigator.sendBeacon("https://stats.example.org/hit")</script>\n'
            '</head><body><a href="https://example.org/">a link is fine</a>\n'
            '<video poster="//a.org/p.jpg"></video></body></html>')
    found = [f"{p.location}: {p.severity}: {p.message}" for p in scan.scan_html(page, "site/x.html")]
    assert found == [
        "site/x.html:2:30: error: <link href> would load https://fonts.gstatic.com from another host",
        "site/x.html:6:22: error: <style> url() would load https://a.org/bg.png from another host",
        "site/x.html:8:19: error: script (sendBeacon) would load https://stats.example.org/hit from another host",
        "site/x.html:10:16: error: <video poster> would load //a.org/p.jpg from another host",
    ]
    css = [f"{p.location}: {p.severity}: {p.message}" for p in scan.scan_css("/* url(https://no.org) */\n@import 'https://b.org/x.css';\n", "a.css")]
    assert css == ["a.css:2:1: error: CSS @import would load https://b.org/x.css from another host"]
    js = [f"{p.location}: {p.severity}: {p.message}" for p in scan.scan_js('a();\nimport x from "https://esm.sh/x";\nimportScripts(`//c.org/w.js`)', "a.js")]
    assert js == ["a.js:3:1: error: script (importScripts) would load //c.org/w.js from another host",
                  "a.js:2:1: error: script (import) would load https://esm.sh/x from another host"]


def test_the_output_scan_sees_through_case_entities_and_backslashes() -> None:
    page = ('<HTML><HEAD><LINK REL="Stylesheet" HREF="&#47;&#47;evil.example/x.css">\n'
            '<!-- <img src="https://commented.example/x.png"> -->\n'
            '<P STYLE="background: URL(https://s.example/a.png)">\u0130 text <img alt="x" src="\\\\late.example/i.png"></P>\n'
            '<Script type="module">import "https://esm.example/m.js"</Script>')
    found = [f"{p.location}: {p.message}" for p in scan.scan_html(page, "x.html")]
    assert found == ["x.html:1:42: <link href> would load //evil.example/x.css from another host",
                     "x.html:3:23: <p style> url() would load https://s.example/a.png from another host",
                     "x.html:3:78: <img src> would load \\\\late.example/i.png from another host",
                     "x.html:4:23: script (import) would load https://esm.example/m.js from another host"]


def test_the_starter_site_loads_nothing_from_another_host(built_starter) -> None:
    site = built_starter.site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    assert scan.scan_site(site) == []
    for path in pages:
        relative = path.relative_to(site).as_posix()
        for tag, attrs in elements(path):
            for name, value in attrs.items():
                if not re.match(r"\s*(https?:)?//", value):
                    continue
                # Links a reader may follow, the licence (never fetched) and SVG namespaces only.
                allowed = (tag == "a" and name == "href") or (tag == "link" and attrs.get("rel") == "license" and name == "href") \
                    or (tag == "svg" and name == "xmlns")
                assert allowed, (relative, tag, name, value)
    text = "\n".join(p.read_text("utf-8") for p in [*pages, *site.rglob("*.css")])
    for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net", "google-analytics", "googletagmanager"):
        assert host not in text, host


def test_every_page_forbids_other_hosts_and_referrers_in_its_head(built_starter) -> None:
    for path in built_starter.site.rglob("*.html"):
        head = path.read_text("utf-8").split("</head>")[0]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert policy, path
        assert "default-src 'self' file: data: blob:" in policy.group(1)
        assert "https:" not in policy.group(1) and "*" not in policy.group(1)
        assert '<meta name="referrer" content="no-referrer">' in head


def test_every_page_needs_one_stylesheet_and_one_script(built_starter) -> None:
    site = built_starter.site
    for path in sorted(site.rglob("*.html")):
        found = elements(path)
        sheets = [a["href"] for t, a in found if t == "link" and "stylesheet" in a.get("rel", "").split()]
        scripts = [a["src"] for t, a in found if t == "script" and "src" in a]
        relative = path.relative_to(site).as_posix()
        assert len(sheets) == 1 and re.search(r"assets/handbook/handbook\.[0-9a-f]{10}\.css$", sheets[0]), (relative, sheets)
        assert len(scripts) == 1 and re.search(r"assets/handbook/handbook\.[0-9a-f]{10}\.js$", scripts[0]), (relative, scripts)
        for url in (sheets[0], scripts[0]):  # 404.html links from the site root: a server shows it at any depth
            assert (site / url.lstrip("/") if url.startswith("/") else path.parent / url).is_file(), (relative, url)
    bundle = next((site / "assets" / "handbook").glob("handbook.*.css")).read_text("utf-8")
    # Material's stylesheet first, ours after it (so ours win), each named once.
    names = re.findall(r"^/\* (assets/\S+) \*/$", bundle, re.MULTILINE)
    assert names[0].startswith("assets/stylesheets/main.") and "assets/handbook/credits.css" in names
    assert "sourceMappingURL" not in bundle
    # What went into the bundles (and Material's unused search) is not shipped again: a smaller offline zip.
    leftovers = [p.relative_to(site).as_posix() for p in (site / "assets").rglob("*")
                 if p.is_file() and (p.suffix == ".map" or "assets/stylesheets" in p.as_posix() or "assets/javascripts" in p.as_posix())]
    assert leftovers == []


def test_bundles_join_in_order_rebase_urls_and_refuse_imports() -> None:
    paths = ["assets/handbook/b.css", "assets/handbook/a.css", "assets/stylesheets/main.1.min.css",
             "assets/stylesheets/palette.2.min.css", "assets/handbook/sub/x.css", "assets/javascripts/bundle.3.min.js"]
    assert assets.pick(paths, kind="css") == ["assets/stylesheets/main.1.min.css", "assets/stylesheets/palette.2.min.css",
                                              "assets/handbook/a.css", "assets/handbook/b.css"]
    assert assets.pick(paths, kind="css", palette=False)[1] == "assets/handbook/a.css"
    made = assets.bundle([assets.Part("assets/stylesheets/main.1.min.css",
                                      '@charset "UTF-8";a{background:url(../images/x.png)}b{c:url("data:x")}\n'
                                      "/*# sourceMappingURL=main.1.min.css.map*/"),
                          assets.Part("assets/handbook/a.css", "a{color:red}")], kind="css")
    assert made.text.startswith('@charset "UTF-8";\n') and made.text.count("@charset") == 1
    assert 'url("../images/x.png")' in made.text and 'url("data:x")' in made.text and "sourceMappingURL" not in made.text
    assert made.text.index("url(") < made.text.index("color:red")
    assert re.fullmatch(r"assets/handbook/handbook\.[0-9a-f]{10}\.css", made.path)
    with pytest.raises(assets.BundleError, match="@import cannot be bundled"):
        assets.bundle([assets.Part("assets/handbook/x.css", "@import 'y.css';")], kind="css")
    js = assets.bundle([assets.Part("a.js", "var a = 1\n//# sourceMappingURL=a.js.map"), assets.Part("b.js", "(b)()")], kind="js")
    assert js.text == "/* a.js */\nvar a = 1\n;\n/* b.js */\n(b)()\n;\n"
    assert assets.unused(paths + ["assets/javascripts/workers/search.js", "assets/stylesheets/main.1.min.css.map"],
                         ["assets/stylesheets/main.1.min.css", "assets/handbook/a.css"], material_search=False) == [
        "assets/javascripts/workers/search.js", "assets/stylesheets/main.1.min.css", "assets/stylesheets/main.1.min.css.map"]


def test_every_link_to_another_site_on_the_starter_site_has_noopener_noreferrer(built_starter) -> None:
    outbound = 0
    for path in built_starter.site.rglob("*.html"):
        for tag, attrs in elements(path):
            if tag == "a" and re.match(r"\s*(https?:)?//", attrs.get("href", "")):
                outbound += 1
                assert {"noopener", "noreferrer"} <= set(attrs.get("rel", "").split()), (path.name, attrs)
    assert outbound > 100  # sources, licence links, the footer's credits


def test_outbound_links_in_guides_get_noopener_noreferrer(mini) -> None:
    guide = mini.content / "tactics" / "phone-banking.md"
    guide.write_text(guide.read_text("utf-8") + "\nRead [the study](https://example.org/study) or <https://example.org/b>, "
                     "and [[house-parties]] or [the topic](../topics/organising.md).\n", "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    page = (mini.site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")
    assert '<a href="https://example.org/study" rel="noopener noreferrer">the study</a>' in page
    assert '<a href="https://example.org/b" rel="noopener noreferrer">https://example.org/b</a>' in page
    internal = re.findall(r'<a [^>]*href="(?:\.\./)+(?:funding-models/house-parties|topics/organising)/"[^>]*>', page)
    assert internal and all("noreferrer" not in a for a in internal)
