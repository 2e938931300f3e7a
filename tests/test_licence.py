"""Creative Commons done right: compatible guide licences, credits on every page, the licence page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from handbook_build import licences as licence
from handbook_build.licences import LICENCES, Licensing, find

SA_HANDBOOK = LICENCES["CC-BY-SA-4.0"]


def line_of(path: Path, prefix: str) -> int:
    """1-based number of the first line starting with ``prefix``."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not in {path}")


def set_field(path: Path, after: str, line: str) -> int:
    """Insert ``line`` into the front matter after the line starting with ``after``; its line number."""
    lines = path.read_text("utf-8").split("\n")
    at = next(i for i, text in enumerate(lines) if text.startswith(after)) + 1
    lines.insert(at, line)
    path.write_text("\n".join(lines), "utf-8")
    return at + 1


def footer_text(page: str) -> str:
    match = re.search(r'<footer class="md-footer hb-footer">(.*?)</footer>', page, re.DOTALL)
    assert match, "no credits footer"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


# -- the licences and the compatibility rule ------------------------------------------------------


@pytest.mark.parametrize("spdx", ["CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0"])
def test_open_licences_fit_a_share_alike_handbook(spdx: str) -> None:
    assert SA_HANDBOOK.allows(LICENCES[spdx])


@pytest.mark.parametrize("spdx", ["CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0"])
def test_non_commercial_and_no_derivatives_never_fit_a_share_alike_handbook(spdx: str) -> None:
    assert not SA_HANDBOOK.allows(LICENCES[spdx])


def test_the_rule_for_other_handbook_licences() -> None:
    def fits(handbook: str) -> set[str]:
        return {lic.spdx for lic in licence.compatible(LICENCES[handbook])}

    assert fits("CC0-1.0") == {"CC0-1.0"}
    assert fits("CC-BY-4.0") == {"CC0-1.0", "CC-BY-4.0"}  # a BY-SA guide would add a condition
    assert fits("CC-BY-NC-SA-4.0") == {"CC0-1.0", "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"}  # not BY-SA
    assert fits("CC-BY-NC-ND-4.0") == {"CC0-1.0", "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0"}


def test_every_licence_links_its_official_legal_code_and_has_our_own_summary() -> None:
    for lic in LICENCES.values():
        assert lic.deed.startswith("https://creativecommons.org/") and lic.deed.endswith("/")
        assert lic.legal_code == lic.deed + "legalcode.en"
        assert len(lic.summary) > 80
        assert lic.short.startswith("CC") and lic.name.startswith("Creative Commons")
    assert LICENCES["CC-BY-SA-4.0"].name == "Creative Commons Attribution-ShareAlike 4.0 International"
    assert LICENCES["CC-BY-SA-4.0"].legal_code == "https://creativecommons.org/licenses/by-sa/4.0/legalcode.en"


def test_spdx_ids_are_matched_without_regard_to_case() -> None:
    assert find("cc-by-4.0") is LICENCES["CC-BY-4.0"]
    assert find(" CC0-1.0 ") is LICENCES["CC0-1.0"]
    assert find("CC-BY-SA-40") is None


def test_attribution_names_title_author_source_and_licence() -> None:
    line = licence.attribution("Power mapping", ["Ana", "Ben", "Cy"], SA_HANDBOOK, "The Handbook",
                               "https://example.org/tactics/power-mapping.html")
    assert line == ('"Power mapping" by Ana, Ben and Cy, from The Handbook (https://example.org/tactics/power-mapping.html), '
                    "licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)")
    assert "public domain" in licence.attribution("X", ["Ana"], LICENCES["CC0-1.0"], "The Handbook")


def test_an_unknown_handbook_licence_is_refused() -> None:
    with pytest.raises(ValueError, match="did you mean 'CC-BY-SA-4.0'"):
        Licensing.create("CC-BY-SA-4", "The Handbook")


# -- the check, with file:line ------------------------------------------------------------------


def test_a_non_commercial_guide_in_a_share_alike_handbook_is_a_problem_at_its_license_line(mini) -> None:
    guide = mini.content / "tactics" / "phone-banking.md"
    line = set_field(guide, "authors:", "license: CC-BY-NC-4.0")
    result = mini.check()
    assert result.returncode == 1
    assert (f"content/tactics/phone-banking.md:{line}:10: error: a CC-BY-NC-4.0 guide cannot be published in a "
            "handbook under CC-BY-SA-4.0") in result.stdout
    assert "NonCommercial" in result.stdout
    assert "CC0-1.0, CC-BY-4.0 or CC-BY-SA-4.0" in result.stdout


def test_an_unknown_guide_licence_suggests_the_nearest(mini) -> None:
    guide = mini.content / "funding-models" / "house-parties.md"
    line = set_field(guide, "authors:", "license: CC-BY-SA-40")
    result = mini.check()
    assert result.returncode == 1
    assert (f"content/funding-models/house-parties.md:{line}:10: error: unknown licence 'CC-BY-SA-40' "
            "(did you mean 'CC-BY-SA-4.0'?)") in result.stdout


def test_compatible_guide_licences_pass(mini) -> None:
    set_field(mini.content / "tactics" / "phone-banking.md", "authors:", "license: CC0-1.0")
    set_field(mini.content / "funding-models" / "house-parties.md", "authors:", "license: cc-by-4.0")
    result = mini.check()
    assert result.returncode == 0, result.stdout


def test_a_translation_with_its_own_incompatible_licence_is_reported_in_the_translation(mini) -> None:
    mini.write("tactics/phone-banking.sv.md", "---\ntitle: Telefonbank\nsummary: Att ringa supportrar organiserat och be dem agera.\n"
                                              "authors: [Sara Exempel]\nlicense: CC-BY-ND-4.0\n---\n\nText.\n")
    result = mini.check()
    assert "content/tactics/phone-banking.sv.md:5:10: error: a CC-BY-ND-4.0 guide cannot be published" in result.stdout
    assert "NoDerivatives" in result.stdout
    assert "phone-banking.md:" not in result.stdout  # the original inherits nothing from it


def test_a_real_build_with_a_non_commercial_guide_fails_at_the_license_line(mini) -> None:
    line = set_field(mini.content / "tactics" / "phone-banking.md", "authors:", "license: CC-BY-NC-4.0")
    result = mini.build()
    assert result.returncode != 0
    assert f"content/tactics/phone-banking.md:{line}:10: error: a CC-BY-NC-4.0 guide cannot be published" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_handbook_licence_stops_the_build_and_the_check_clearly(mini) -> None:
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - handbook:\n", "  - handbook:\n      license: CC-BY-SA\n"), "utf-8")
    built = mini.build()
    assert built.returncode != 0
    assert "license: unknown licence 'CC-BY-SA'" in built.stderr and "did you mean" in built.stderr
    assert "Traceback" not in built.stderr
    checked = mini.check()
    assert checked.returncode == 1
    assert "mkdocs.yml: error: the handbook licence 'CC-BY-SA' is not a Creative Commons licence" in checked.stdout


# -- what every built page carries -------------------------------------------------------------------


def test_every_built_page_has_the_licence_footer_with_its_own_authors(built_mini) -> None:
    site = built_mini.site
    authors = {"tactics/phone-banking/index.html": "Ana Example",
               "funding-models/house-parties/index.html": "Ben Example and Cy Example",
               "case-studies/the-big-call/index.html": "Dee Example"}
    pages = html_pages(site)
    assert len(pages) >= 10
    tools = {"licence/index.html", "search/index.html", "translations/index.html"}  # not works: no credit (defect 15)
    assert tools & {p.relative_to(site).as_posix() for p in pages} >= {"licence/index.html", "search/index.html"}
    for path in pages:
        relative = path.relative_to(site).as_posix()
        text = footer_text(path.read_text("utf-8"))
        if relative in tools:
            assert "written by" not in text and "credit it like this" not in text, (relative, text)
            assert "Licence and credits for every guide" in text, relative
            continue
        expected = authors.get(relative, "Movement Handbook contributors")
        assert f"written by {expected} and is shared under" in text, (relative, text)
        assert "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)" in text, relative
        assert f"by {expected}" in text.split("credit it like this:")[1], relative
        assert "licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)" in text, relative
        assert "Licence and credits for every guide" in text, relative


def test_a_guide_page_credits_its_title_and_authors_ready_to_copy(built_mini) -> None:
    page = (built_mini.site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")
    text = footer_text(page)
    assert ('"Phone banking" by Ana Example, from Mini Handbook, licensed under CC BY-SA 4.0 '
            "(https://creativecommons.org/licenses/by-sa/4.0/)") in text
    assert '<a class="hb-footer__licence-link" rel="license noopener noreferrer" href="https://creativecommons.org/licenses/by-sa/4.0/">' in page
    assert re.search(r'<a href="\.\./\.\./licence/">Licence and credits for every guide</a>', page)


def test_the_head_has_link_rel_license_and_json_ld(built_mini) -> None:
    page = (built_mini.site / "funding-models" / "house-parties" / "index.html").read_text("utf-8")
    head = page.split("</head>")[0]
    assert '<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">' in head
    data = json_ld(head)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["name"] == "House parties"
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert [a["name"] for a in data["author"]] == ["Ben Example", "Cy Example"]
    assert data["inLanguage"] == "en"
    assert data["description"] == "Supporters host a gathering at home and ask their friends to give."
    landing = json_ld((built_mini.site / "index.html").read_text("utf-8"))
    assert landing["@type"] == "WebPage" and landing["author"][0]["name"] == "Movement Handbook contributors"


def test_the_licence_page_lists_every_guide_with_authors_and_licence(built_mini) -> None:
    page = (built_mini.site / "licence" / "index.html").read_text("utf-8")
    rows = {html.unescape(re.sub(r"<[^>]+>", " ", row)).split()[0]: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL)[1:]}
    assert set(rows) == {"House", "Phone", "The"}
    assert rows["Phone"] == "Phone banking Tactic Ana Example CC BY-SA 4.0"
    assert rows["House"] == "House parties Funding model Ben Example and Cy Example CC BY-SA 4.0"
    assert rows["The"] == "The big call Case study Dee Example CC BY-SA 4.0"
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/legalcode.en"' in page
    assert LICENCES["CC-BY-SA-4.0"].summary in html.unescape(page)
    assert "How to credit a guide" in page


def test_a_guide_with_its_own_licence_shows_it_in_its_footer_and_on_the_licence_page(mini) -> None:
    set_field(mini.content / "tactics" / "phone-banking.md", "authors:", "license: CC-BY-4.0")
    config = mini.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: Mini Handbook\n",
                                                         "site_name: Mini Handbook\nsite_url: https://handbook.example.org/\n"
                                                         "site_author: The Mini Collective\n"), "utf-8")
    result = mini.build()
    assert result.returncode == 0, result.stderr
    guide = (mini.site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")
    text = footer_text(guide)
    assert "shared under Creative Commons Attribution 4.0 International (CC BY 4.0)" in text
    assert "The handbook as a whole is shared under CC BY-SA 4.0." in text
    # With a site_url the credit line says where the page lives.
    assert ('"Phone banking" by Ana Example, from Mini Handbook (https://handbook.example.org/tactics/phone-banking/), '
            "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)") in text
    assert '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">' in guide
    assert json_ld(guide)["url"] == "https://handbook.example.org/tactics/phone-banking/"
    # Pages that are not guides credit the site's author.
    assert "This page was written by The Mini Collective" in footer_text((mini.site / "index.html").read_text("utf-8"))
    listing = (mini.site / "licence" / "index.html").read_text("utf-8")
    assert re.search(r"Phone banking.*?Ana Example.*?CC BY 4\.0</a>", listing, re.DOTALL)


def test_the_landing_page_credits_the_handbook_by_its_name(built_starter) -> None:
    text = footer_text((built_starter.site / "index.html").read_text("utf-8"))
    assert ('"The Movement Handbook" by Movement Handbook contributors, licensed under CC BY-SA 4.0 '
            "(https://creativecommons.org/licenses/by-sa/4.0/)") in text
    assert "How to contribute" in text  # the handbook has a contributing guide
