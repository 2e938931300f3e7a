"""[[slug]] links on plain data: where the scanner finds them (exact line and
column, never inside code), what the checker says about a broken one, and what
the Markdown extension renders. No MkDocs here; test_pages_build.py builds sites."""

from __future__ import annotations

import markdown
import pytest
import yaml

from handbook_build import checks
from handbook_build.checks import wikilinks as links
from handbook_build.content.body import Body
from handbook_build.content.schema import Schema
from handbook_build.markdown.wikilinks import WikiLinkExtension, scan

SCHEMA = Schema.load()
TOPICS = {"organising": {"title": "Organising", "description": "Bringing people together to act."}}


def found(text: str, first_line: int = 1) -> list[tuple[str, str | None, int | None, int | None]]:
    return [(l.slug, l.text, l.location.line, l.location.column) for l in scan(Body(text, "x.md", first_line))]


def test_links_are_found_at_their_exact_line_and_column() -> None:
    text = "Intro line.\n\nCall with [[phone-banking]], then [[house-parties|a party]].\n"
    assert found(text, first_line=10) == [
        ("phone-banking", None, 12, 11),
        ("house-parties", "a party", 12, 35),
    ]


def test_spaces_inside_the_brackets_are_trimmed() -> None:
    assert found("[[ phone-banking | the calls ]]") == [("phone-banking", "the calls", 1, 1)]


@pytest.mark.parametrize("text", [
    "Write `[[not-a-link]]` to link.",
    "Write ``a `[[not-a-link]]` b`` to link.",
    "```\n[[not-a-link]]\n```",
    "~~~markdown\nSee [[not-a-link|text]].\n~~~",
    "- a list\n\n    ```\n    [[not-a-link]]\n    ```",
    "A paragraph.\n\n    [[not-a-link]] in an indented code block\n\n    and more code",
    "<!-- [[not-a-link]] -->",
])
def test_code_spans_code_blocks_and_comments_are_left_alone(text: str) -> None:
    assert found(text) == []


def test_a_list_items_indented_paragraph_is_prose_not_code() -> None:
    assert found("- a list item\n\n    with [[a-real-link]] in its second paragraph") == [("a-real-link", None, 3, 10)]


def test_text_after_a_code_block_is_scanned_again() -> None:
    text = "```\n[[in-code]]\n```\n\nThen [[after-code]].\n\n    [[indented]]\nLazy [[after-indent]]."
    assert [slug for slug, *_ in found(text)] == ["after-code", "after-indent"]


# -- the checker ---------------------------------------------------------------------------


def write(tmp_path, path: str, meta: dict, body: str) -> None:
    file = tmp_path / "content" / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n{body}", "utf-8")


def tactic(slug: str, **extra) -> dict:
    return {"title": slug.replace("-", " ").capitalize(), "type": "tactic", "summary": "A tactic used by the link tests.",
            "topics": ["organising"], "authors": ["Test Author"], "difficulty": "beginner", **extra}


def load(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "topics.yml").write_text(yaml.safe_dump(TOPICS), "utf-8")
    return checks.load_and_check(tmp_path / "content", SCHEMA)


def test_an_unknown_slug_is_an_error_at_file_line_col_with_did_you_mean(tmp_path, monkeypatch) -> None:
    write(tmp_path, "tactics/phone-banking.md", tactic("phone-banking"), "\nIntro.\n\nSee `[[ok-in-code]]` and [[house-meetngs]].\n")
    write(tmp_path, "tactics/house-meetings.md", tactic("house-meetings"), "\nBody.\n")
    _, problems = load(tmp_path, monkeypatch)
    body_line = (tmp_path / "content/tactics/phone-banking.md").read_text().splitlines().index("See `[[ok-in-code]]` and [[house-meetngs]].") + 1
    assert [str(p) for p in problems] == [
        f"content/tactics/phone-banking.md:{body_line}:26: error: [[house-meetngs]] links to a guide that does not exist "
        "(did you mean 'house-meetings'?)"
    ]


def test_every_broken_link_in_every_file_is_reported_at_once(tmp_path, monkeypatch) -> None:
    write(tmp_path, "tactics/aaa-one.md", tactic("aaa-one"), "[[nowhere]] and [[aaa-two]]\n\n[[nowhere-else|x]]\n")
    write(tmp_path, "tactics/aaa-two.md", tactic("aaa-two"), "[[zzz-unknown]]\n")
    _, problems = load(tmp_path, monkeypatch)
    where = sorted((p.location.path, p.location.line, p.location.column) for p in problems.errors)
    one = 2 + len(yaml.safe_dump(tactic("aaa-one")).splitlines())  # the line after the closing ---
    two = 2 + len(yaml.safe_dump(tactic("aaa-two")).splitlines())
    assert where == [("content/tactics/aaa-one.md", one + 1, 1), ("content/tactics/aaa-one.md", one + 3, 1),
                     ("content/tactics/aaa-two.md", two + 1, 1)]


def test_a_link_to_a_draft_is_a_warning(tmp_path, monkeypatch) -> None:
    write(tmp_path, "tactics/phone-banking.md", tactic("phone-banking"), "See [[secret-plan]].\n")
    write(tmp_path, "tactics/secret-plan.md", tactic("secret-plan", draft=True), "Not yet.\n")
    _, problems = load(tmp_path, monkeypatch)
    assert problems.errors == []
    assert [p.message for p in problems.warnings] == ["[[secret-plan]] links to a draft, which is not published"]


def test_the_check_is_run_on_translations_too(tmp_path, monkeypatch) -> None:
    write(tmp_path, "tactics/phone-banking.md", tactic("phone-banking"), "Body.\n")
    write(tmp_path, "tactics/phone-banking.sv.md", {"title": "Telefonbank", "summary": "En svensk sammanfattning av guiden.",
                                                     "authors": ["Test Author"], "lang": "sv"}, "Se [[phone-bankng]].\n")
    handbook, problems = load(tmp_path, monkeypatch)
    assert [(p.location.path, p.hint) for p in problems.errors] == [
        ("content/tactics/phone-banking.sv.md", "did you mean 'phone-banking'?")]
    assert list(scan(links.body_of(handbook.guide("phone-banking").translations["sv"])))


# -- rendering -----------------------------------------------------------------------------


def render(text: str, extensions: tuple = ()) -> str:
    targets = {"phone-banking": ("../tactics/phone-banking.md", "Phone banking & <calls>")}
    md = markdown.Markdown(extensions=[*extensions, WikiLinkExtension(targets.get)])
    return md.convert(text)


def test_a_link_renders_with_the_guides_title_or_the_given_text() -> None:
    html = render("Try [[phone-banking]] or [[phone-banking|calling people]].")
    assert html == ('<p>Try <a class="wikilink" href="../tactics/phone-banking.md">Phone banking &amp; &lt;calls&gt;</a> '
                    'or <a class="wikilink" href="../tactics/phone-banking.md">calling people</a>.</p>')


def test_rendering_leaves_code_alone() -> None:
    html = render("`[[phone-banking]]`\n\n```\n[[phone-banking]]\n```\n\nText.\n\n    [[phone-banking]]\n",
                  extensions=("fenced_code",))
    assert 'class="wikilink"' not in html
    assert html.count("[[phone-banking]]") == 3


def test_a_title_is_shown_as_written_and_given_text_is_markdown_like_any_link_text() -> None:
    assert render("[[phone-banking]]").count("Phone banking &amp; &lt;calls&gt;") == 1
    assert "<em>calling</em> people</a>" in render("[[phone-banking|*calling* people]]")


def test_an_unknown_slug_renders_as_plain_words_not_a_dead_link() -> None:
    html = render("See [[nowhere]] and [[nowhere|that page]].")
    assert html == ('<p>See <span class="wikilink wikilink--missing">nowhere</span> and '
                    '<span class="wikilink wikilink--missing">that page</span>.</p>')
