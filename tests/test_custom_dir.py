"""A handbook's own ``custom_dir`` still overrides any of our partials.

Our templates ship in the package and sit right after the handbook's
``custom_dir`` in the theme's search path: a Material user keeps the one
place they put their own overrides, and what they do not override stays ours.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import Project

# The card partial is imported as macros (card, facts, text_lang, link_row) by the type, topic and guide
# templates, so an override defines them all; it shows only what the test looks for.
CARD = """\
{%- macro card(guide, show_type=true, heading="h3", topic=none) -%}
<article class="our-own-card"><{{ heading }}>Our card: {{ guide.title }}</{{ heading }}></article>
{%- endmacro -%}
{%- macro facts(guide, gtype, class="hb-facts") -%}<p class="our-own-facts">facts of {{ guide.title }}</p>{%- endmacro -%}
{%- macro text_lang(guide, field) -%}{%- endmacro -%}
{%- macro link_row(guide, why=none, note=none) -%}<li class="our-own-link">{{ guide.title }}</li>{%- endmacro -%}
"""
FOOTER = '<footer class="our-own-footer">Published by the Exampletown tenants, with our own footer.</footer>\n'


@pytest.fixture
def overridden(mini: Project) -> Project:
    config_file = mini.root / "mkdocs.yml"
    text = config_file.read_text("utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1)
    config_file.write_text(text, "utf-8")
    assert yaml.safe_load(text.replace("!ENV", ""))["theme"]["custom_dir"] == "overrides"
    partials = mini.root / "overrides" / "partials" / "handbook"
    partials.mkdir(parents=True)
    (partials / "card.html").write_text(CARD, "utf-8")
    (partials / "footer.html").write_text(FOOTER, "utf-8")
    return mini


@pytest.mark.slow
def test_custom_dir_overrides_the_card_and_the_footer(overridden: Project) -> None:
    result = overridden.build()
    assert result.returncode == 0, result.stderr
    site = overridden.site

    # The type index lists its guides with the handbook's own card.
    tactics = (site / "tactics" / "index.html").read_text("utf-8")
    assert '<article class="our-own-card"><h2>Our card: Phone banking</h2></article>' in tactics
    assert "hb-card__summary" not in tactics, "our card still renders beside theirs"
    # The guide page is still ours, with their facts macro inside it.
    guide = (site / "tactics" / "phone-banking" / "index.html").read_text("utf-8")
    assert 'class="hb-guide-header__title"' in guide and "Phone banking" in guide
    assert '<p class="our-own-facts">facts of Phone banking</p>' in guide
    assert '<li class="our-own-link">House parties</li>' in guide  # Related, through their link_row

    # Every page has their footer instead of ours; the rest of each page is still ours.
    for page in ("index.html", "tactics/index.html", "tactics/phone-banking/index.html", "topics/index.html"):
        html = (site / page).read_text("utf-8")
        assert "Published by the Exampletown tenants, with our own footer." in html, page
        assert "Credits and reuse" not in html, page
        assert 'id="hb-content"' in html, f"{page} lost our main.html"
        assert re.search(r'<link rel="stylesheet" href="(\.\./)*assets/handbook/handbook\.[0-9a-f]+\.css">', html), page


@pytest.mark.slow
def test_without_custom_dir_the_card_and_footer_are_ours(built_mini: Project) -> None:
    """The same pages built without overrides show our card and footer: the test above can fail."""
    tactics = (built_mini.site / "tactics" / "index.html").read_text("utf-8")
    assert "hb-card__summary" in tactics and "our-own-card" not in tactics
    assert "Credits and reuse" in tactics
