"""Markdown checklists: `- [ ] item` becomes a labelled checkbox a reader can tick, kept on their device."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest

from conftest import FIXTURES, Project, foreign_requests
from handbook_build.markdown.checklists import TASKLIST, TASKLIST_CONFIG, ChecklistExtension
from handbook_build.markdown.sanitize import SanitizeExtension

SOURCE = """- [ ] Book the *room*
- [x] Print the [agenda](agenda.md)
    - [ ] Nested item

<input type="text" name="who"> <input type="checkbox"> raw box
<span class="hb-task-box" title="x"></span>
"""


def _render(site: bool) -> str:
    md = markdown.Markdown(extensions=[TASKLIST, ChecklistExtension(site=site), SanitizeExtension()],
                           extension_configs={TASKLIST: TASKLIST_CONFIG})
    return md.convert(SOURCE)


def test_task_items_become_labelled_checkboxes_and_no_other_input_survives() -> None:
    html = _render(site=True)
    assert '<label class="hb-task"><input type="checkbox" class="hb-task-box"> Book the <em>room</em></label>' in html
    assert '<input type="checkbox" class="hb-task-box" checked> Print the <a href="agenda.md">agenda</a></label><ul' in html
    assert "Nested item</label>" in html
    inputs = re.findall(r"<input[^>]*>", html)
    assert len(inputs) == 3  # the raw text field and raw checkbox are removed; the forged marker stays a span
    assert all(i.startswith('<input type="checkbox" class="hb-task-box"') for i in inputs)
    assert '<span class="hb-task-box" title="x"></span>' in html


def test_print_keeps_empty_boxes_for_every_item() -> None:
    html = _render(site=False)
    assert "<input" not in html
    assert len(re.findall(r'<span class="hb-task-box(?: hb-task-box--checked)?"></span>', html)) == 3
    css = (Path(__file__).resolve().parent.parent / "handbook_build/templates/pdf/pdf.css").read_text("utf-8")
    assert re.search(r"\.hb-task-box \{[^}]*border:", css)


@pytest.fixture(scope="module")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> Project:
    target = tmp_path_factory.mktemp("checklists") / "corpus"
    shutil.copytree(FIXTURES / "checklist-corpus", target, ignore=shutil.ignore_patterns("site"))
    project = Project(target)
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.slow
def test_the_page_has_checkboxes_the_note_and_the_script(built_corpus: Project) -> None:
    html = (built_corpus.site / "tactics" / "safety-plan.html").read_text("utf-8")
    assert html.count('type="checkbox" class="hb-task-box"') == 3
    assert "data-hb-checklist-note" in html and "Clear my ticks" in html
    assert "nothing is sent anywhere" in html
    script = next((built_corpus.site / "assets" / "handbook").glob("handbook.*.js")).read_text("utf-8")
    assert "handbook-ticks:" in script
    plain = (built_corpus.site / "tactics" / "sign-in-table.html").read_text("utf-8")
    assert "data-hb-checklist-note" not in plain  # no checklist, no note


@pytest.mark.slow
@pytest.mark.browser
def test_ticks_survive_a_reload_from_disk_and_the_control_clears_them(built_corpus: Project, page, axe_source) -> None:
    url = (built_corpus.site / "tactics" / "safety-plan.html").as_uri()
    page.goto(url)
    boxes = page.locator(".md-content input.hb-task-box")
    assert boxes.count() == 3
    assert page.locator("[data-hb-checklist-note]").is_visible()
    page.get_by_label("Name one person to watch the door.").focus()
    page.keyboard.press("Space")  # a real checkbox: the keyboard ticks it
    page.get_by_label("Check that the fire exit opens.").uncheck()
    page.reload()
    page.wait_for_load_state("load")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, False]
    page.get_by_role("button", name="Clear my ticks").click()
    assert [boxes.nth(i).is_checked() for i in range(3)] == [False, False, True]  # back to what the guide says
    assert page.locator("[data-hb-checklist-note] [role=status]").inner_text() == "Your ticks on this page are cleared."
    page.reload()
    page.wait_for_load_state("load")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [False, False, True]
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}" for v in result["violations"]]
    assert found == []
    assert foreign_requests(page) == []


@pytest.mark.slow
@pytest.mark.browser
def test_ticks_print(built_corpus: Project, page) -> None:
    page.goto((built_corpus.site / "tactics" / "safety-plan.html").as_uri())
    page.get_by_label("Find out who knows first aid.").check()
    page.emulate_media(media="print")
    assert page.get_by_label("Find out who knows first aid.").is_visible()
    assert page.get_by_label("Find out who knows first aid.").is_checked()
    assert not page.locator("[data-hb-checklist-note]").is_visible()  # the control is for the screen
