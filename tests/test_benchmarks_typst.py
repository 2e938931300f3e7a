"""benchmarks/typst_book.py: our book's guides as Typst markup, for the Typst comparison (issue 22, item 5).

The markup is checked as text, not compiled: Typst is no dependency of the
package or its tests (benchmarks/typst_compare.py installs it in a venv of its
own), so nothing here needs it and nothing is skipped without it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate
import typst_book
import typst_compare

BODY = """
<h2 id="guide-x--what-it-is">What it is</h2>
<p>Pay <em>$5</em> for #1 of <strong>*every*</strong> [box]; see <a class="wikilink guide-ref" href="#guide-other--how">Other</a><span class="guide-no">7</span>,
<a href="https://example.org/a?b=1">a site</a>, <a href="#guide-gone">a guide not in the book</a> and <code>x = "1"</code>.</p>
<ul>
<li>First
<ul><li>Nested</li></ul>
</li>
<li>- not a list</li>
</ul>
<ol><li><strong>Step.</strong> Do it.</li></ol>
<table><thead><tr><th>Tool</th><th>When</th></tr></thead><tbody><tr><td>Cart</td><td>Monday</td></tr></tbody></table>
<blockquote><p>Quoted words</p></blockquote>
<pre><code>line one
line "two"</code></pre>
"""


def test_a_body_becomes_typst_markup_with_its_structure_and_words() -> None:
    markup = typst_book.Converter(ROOT, {"guide-other"}).blocks(typst_book.parse_html(BODY))
    assert "=== What it is" in markup  # a body's h2 under the guide's own heading (level 2)
    assert "Pay #emph[\\$5] for \\#1 of #strong[\\*every\\*] \\[box\\];" in markup  # Typst's own characters escaped
    assert '#link(label("guide-other"))[Other]#super[7]' in markup  # a section of a guide: its guide's label
    assert '#link("https://example.org/a?b=1")[a site]' in markup
    assert "a guide not in the book and" in markup  # no label to link to: the words stay, the link goes
    assert '#raw("x = \\"1\\"")' in markup
    assert "- First\n\n  - Nested\n- \\- not a list" in markup  # nesting by indentation; a leading dash escaped
    assert "+ #strong[Step.] Do it." in markup
    assert "#table(columns: (1fr,) * 2, align: left, table.header([#strong[Tool]], [#strong[When]]), [Cart], [Monday])" in markup
    assert "#quote(block: true)[Quoted words]" in markup
    assert '#raw(block: true, "line one\\nline \\"two\\"")' in markup
    assert "<" not in re.sub(r"<guide-[a-z-]+>", "", markup.replace('"', "")), "no HTML left over"


def test_the_generated_handbook_becomes_one_document_with_every_guide_once(tmp_path: Path) -> None:
    manifest = generate.generate(tmp_path / "h", 12)
    out = tmp_path / "book.typ"
    assert typst_compare.convert(tmp_path / "h", out) == 0
    markup = out.read_text("utf-8")
    slugs = [Path(p).stem for paths in manifest["guides"].values() for p in paths]
    labels = re.findall(r"\) <(guide-[a-z0-9-]+)>\n", markup)
    assert sorted(labels) == sorted(f"guide-{s}" for s in slugs)  # each guide a labelled heading, once
    assert set(re.findall(r'label\("([^"]+)"\)', markup)) <= set(labels)  # every link lands on a guide of the book
    assert markup.count("#opener(") == len([t for t, paths in manifest["guides"].items() if paths])
    assert 'set text(font: "DejaVu Serif"' in markup  # the book's own fonts
    assert "<p>" not in markup and "</" not in markup
