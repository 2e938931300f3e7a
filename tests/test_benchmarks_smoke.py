"""The benchmark still works: its handbook is valid and the harness runs end to end.

Not a timed test: nothing here asserts how fast anything is (speed lives in
benchmarks/results); it asserts that the numbers get produced.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BIN, CHROMIUM, ROOT, need

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_size_and_seed_give_the_same_files(tmp_path: Path) -> None:
    first = generate.generate(tmp_path / "a", 20)
    generate.generate(tmp_path / "b", 20)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert first["query_hits"], "the search query must be in at least one guide"
    other = generate.generate(tmp_path / "c", 20, seed=7)
    assert _files(tmp_path / "c" / "content") != _files(tmp_path / "a" / "content")
    assert other["n"] == 20


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


def test_languages_add_a_translation_of_every_guide_and_leave_the_originals_alone(tmp_path: Path) -> None:
    manifest = generate.generate(tmp_path / "a", 20, languages=["en", "sv", "de"])
    generate.generate(tmp_path / "b", 20, languages=["en", "sv", "de"])
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert manifest["languages"] == ["en", "sv", "de"]
    # The same N and seed in one language: the same originals, byte for byte (only topics.yml gains translations).
    generate.generate(tmp_path / "one", 20)
    one, many = _files(tmp_path / "one" / "content"), _files(tmp_path / "a" / "content")
    assert {k: v for k, v in many.items() if k in one and k != "topics.yml"} == {k: v for k, v in one.items() if k != "topics.yml"}
    for relative in (p for paths in manifest["guides"].values() for p in paths):
        original = _front_matter(tmp_path / "a" / "content" / relative)
        for lang in ("sv", "de"):
            translated = _front_matter(tmp_path / "a" / "content" / relative.replace(".md", f".{lang}.md"))
            assert translated["lang"] == lang and translated["translated_from"] == original["updated"], (relative, lang)
            assert translated["title"] != original["title"] and 20 <= len(translated["summary"]) <= 300
    assert {"index.sv.md", "about.de.md"} <= set(many)
    plugins = generate._repo_config(tmp_path / "a")["plugins"]
    handbook = next(p["handbook"] for p in plugins if isinstance(p, dict) and "handbook" in p)
    assert handbook["languages"] == {"en": "English", "sv": "Svenska", "de": "Deutsch"}
    for topic in yaml.safe_load(many["topics.yml"]).values():
        assert set(topic["translations"]) == {"sv", "de"} and all(t["title"] for t in topic["translations"].values())


def test_a_translated_handbook_passes_handbook_check(tmp_path: Path) -> None:
    # Swedish has interface strings; a language without them would add one warning that is not about the guides.
    generate.generate(tmp_path / "h", 20, languages=["en", "sv"])
    result = subprocess.run([str(BIN / "handbook"), "check", "-f", "mkdocs.yml"], cwd=tmp_path / "h",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checked 40 guide file(s): no problems." in result.stderr, result.stderr[-2000:]


def test_the_generated_handbook_passes_handbook_check(tmp_path: Path) -> None:
    manifest = generate.generate(tmp_path / "h", 20)
    assert {k: len(v) for k, v in manifest["guides"].items()} == {"tactic": 9, "funding-model": 5, "case-study": 6}
    result = subprocess.run([str(BIN / "handbook"), "check", "-f", "mkdocs.yml"], cwd=tmp_path / "h",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checked 20 guide file(s): no problems." in result.stderr
    # What the generator promises about each guide: length, a table, lists, links.
    for relative in (p for paths in manifest["guides"].values() for p in paths):
        text = (tmp_path / "h" / "content" / relative).read_text("utf-8")
        body = text.split("\n---\n", 1)[1]
        assert 600 <= len(body.split()) <= 1300, relative
        assert "\n|---|---|---|\n" in body and "\n- " in body and "\n1. **" in body and "[[" in body, relative


@pytest.mark.slow
@pytest.mark.browser
def test_the_harness_runs_end_to_end_and_writes_a_table(tmp_path: Path) -> None:
    need(CHROMIUM is not None, "Debian's chromium is not installed")
    results = tmp_path / "results"
    # --quick: one run, one serve edit, Zensical only if its venv is already there (never installed by a test).
    # The PDF and languages rows at the harness's smallest size (3 guides): the PDF's layout is most of their cost.
    cmd = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--sizes", "20", "--pdf-size", "3",
           "--languages-size", "3", "--work", str(tmp_path / "work"), "--results", str(results), "--browser-timeout", "30"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)  # a guard against a hang, not a timing
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| N | measure | ours | reference | ratio | CPU ratio | target | met |" in done.stdout
    data = json.loads((results / "latest.json").read_text("utf-8"))
    size = data["sizes"][0]
    assert size["n"] == 20
    # Every build ran and was timed; a failed build would be a broken benchmark, not a slow one.
    for key in ("build_ours", "build_material", "build_floor", "check"):
        assert size[key]["failed"] is None, (key, size[key]["failed"])
        assert size[key]["median_s"] > 0, key
    assert size["median_guide_page_bytes"]["ours"] > 0
    assert size["median_guide_page_bytes"]["material"] > 0
    # Both searches produced a first result in the browser, with the bytes counted.
    for who in ("ours", "material"):
        runs = size["browser"].get(who)
        assert runs, (who, size["browser_missing"])
        assert runs[0]["ms"] > 0 and runs[0]["all_bytes"] >= runs[0]["search_bytes"] > 0, runs
    pdf = data["pdf"]
    assert pdf["weasyprint"]["median_s"] > 0 and pdf["weasyprint"]["peak_rss_bytes"] > 0
    assert pdf["missing"] is None and pdf["build_with_pdf"]["failed"] is None, pdf
    assert pdf["ours_pdf_s"] is not None and pdf["pdf_bytes"]["ours"] > 0
    langs = data["languages"]
    assert langs["n"] == 3 and langs["languages"] == ["en", "sv", "de"]
    for key in ("build_one_language", "build_all_languages"):
        assert langs[key]["failed"] is None and langs[key]["median_s"] > 0, (key, langs[key]["failed"])
    assert langs["site_bytes"]["many"] > langs["site_bytes"]["one"] > 0
    measures = {row["measure"] for row in data["rows"]}
    assert "cold build: 3 languages vs 1 language (ours)" in measures
    assert "median guide page HTML: ours vs Material" in measures
    assert (results / "latest.md").read_text("utf-8").count("\n| 20 |") >= 15
    # Issue 22's rows: each has our number, or says why not.
    for key in ("check_cold", "check_file", "check_file_cold", "warm_build_ours"):
        assert size[key]["failed"] is None and size[key]["median_s"] > 0, (key, size[key]["failed"])
    assert size["serve_edit"]["failed"] is None and len(size["serve_edit"]["runs_s"]) == 1, size["serve_edit"]
    assert size["serve_edit"]["median_s"] > 0 and size["serve_edit"]["startup_s"] > 0
    if size["zensical_skipped"] is None:  # its venv exists: then it must have built, cold and warm
        for key in ("build_zensical", "warm_build_zensical"):
            assert size[key]["failed"] is None and size[key]["median_s"] > 0, (key, size[key]["failed"])
    else:
        assert "not installed" in size["zensical_skipped"]
    assert pdf["warm_missing"] is None and pdf["warm_pdf_logged_s"][0] > 0 and pdf["ours_pdf_logged_s"][0] > 0, pdf
    by_measure = {row["measure"]: row for row in data["rows"]}
    for measure in ("cold build, no PDF: ours vs Zensical (`zensical build --clean`)",
                    "warm `handbook build --no-pdf`, one guide changed: ours vs Zensical",
                    "`handbook serve`: edit one guide → changed page served",
                    "`handbook check` (warm cache)", "`handbook check` (cold: .cache/ deleted)",
                    "`handbook check FILE` (warm cache)", "`handbook check FILE` (cold: .cache/ deleted)",
                    "PDF after one guide changed vs cold (the plugin's 'Wrote ….pdf … in X s')"):
        row = by_measure[measure]
        assert row["ours"] not in ("n/a", ""), row
        reference_missing = row["reference"] in ("n/a", "not run")
        assert not reference_missing or row["note"], row  # n/a says why
