"""Our PDF (WeasyPrint, with its chapter cache) against Typst on the same synthetic handbook (issue 22, item 5).

    .venv/bin/python benchmarks/typst_compare.py              # 500 guides
    .venv/bin/python benchmarks/typst_compare.py --size 100

Generates the handbook (benchmarks/generate.py) into WORK/typstN/ and measures,
each run in a fresh wrapper process (run.measure: wall, CPU user+sys, peak RSS):

- ours: `mkdocs build` with the PDF minus the same build without it, cold
  (.cache/handbook/ deleted), then again after one guide's body changed; the
  plugin's own "Wrote handbook.pdf: N pages in X s" figure beside it. The
  zines and the EPUB are switched off in a copy of mkdocs.yml, so the PDF
  step is handbook.pdf alone;
- Typst: the same book (handbook_build.pdf.assemble, the same bodies as
  print HTML) converted to Typst markup (typst_book.py, in our venv), then
  compiled by the PyPI `typst` package in a venv of its own under WORK
  (live.own_venv; Typst is no dependency of the package), with the DejaVu
  fonts' folder as font_paths; cold, and again after the same edit (Typst
  keeps no layout between runs, so that is a full compile).

Then renders matching pages of both PDFs (pdftoppm -r 60) side by side into
--results (benchmarks/results/typst/) and writes latest.md and latest.json there.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import live  # noqa: E402
import run  # noqa: E402

TYPST = "typst==0.15.*"
FONTS = Path("/usr/share/fonts/truetype/dejavu")  # where fonts-dejavu-core puts the families pdf.css names
PDF_ONLY = "mkdocs-pdf-only.yml"
# Compiles in the Typst venv: nothing of ours is imported there.
COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root='/', font_paths=[sys.argv[3]], ignore_system_fonts=True)"


def pdf_only_config(project: Path) -> Path:
    """A copy of the project's mkdocs.yml with the zines and the EPUB off: the PDF step makes handbook.pdf alone."""
    text = (project / "mkdocs.yml").read_text("utf-8")
    anchor = "      license: CC-BY-SA-4.0\n"
    if anchor not in text:
        raise SystemExit(f"{project}/mkdocs.yml: no '{anchor.strip()}' line under the handbook plugin to add options after")
    target = project / PDF_ONLY
    target.write_text(text.replace(anchor, anchor + "      zines: false\n      epub: false\n"), "utf-8")
    return target


# -- converting (run as `typst_compare.py convert PROJECT OUT`, so it is measured like the rest) ---------------


def convert(project: Path, out: Path) -> int:
    """Write the project's book as Typst markup to ``out``."""
    from mkdocs.config import load_config
    from typst_book import book_markup

    from handbook_build import checks
    from handbook_build.content.schema import Schema
    from handbook_build.pdf import assemble
    from handbook_build.pdf.bodies import BodyRenderer
    from handbook_build.pdf.colours import theme_colours

    config = load_config(str(project / "mkdocs.yml"))
    content = project / "content"
    handbook, _ = checks.load_and_check(content, Schema.load())
    book = assemble(handbook, title=config["site_name"], subtitle=config["site_description"] or "",
                    licence_id="CC-BY-SA-4.0", content_dir=content)
    renderer = BodyRenderer(book, content, extensions=[e for e in config["markdown_extensions"] if isinstance(e, str)],
                            extension_configs=config["mdx_configs"])
    colours = theme_colours([run.ROOT / "handbook_build" / "templates"])
    out.write_text(book_markup(book, renderer, content, {t: colours.get(t, "#c63b2b") for t in handbook.types}),
                   "utf-8")
    return 0


# -- measuring -------------------------------------------------------------------------------------------


def figures(runs: run.Runs) -> dict[str, Any]:
    return {"wall_s": runs.median, "cpu_s": runs.cpu_median, "peak_rss_bytes": runs.peak_median, "failed": runs.failed}


def logged(log: Path) -> dict[str, float] | None:
    found = run.PDF_LOG_LINE.search(log.read_text(errors="replace")) if log.exists() else None
    return {"pages": int(found.group(1)), "seconds": float(found.group(2))} if found else None


def measure_ours(work: Path, edits: live.Edits, logs: Path) -> dict[str, Any]:
    mkdocs = str(run.BIN / "mkdocs")
    config = pdf_only_config(work).name
    result: dict[str, Any] = {}
    for name, pdf, before in (("cold_without_pdf", "false", run.fresh_cache(work, work / "site-nopdf")),
                              ("cold_with_pdf", "true", run.fresh_cache(work, work / "site-pdf")),
                              ("warm_with_pdf", "true", edits.edit),
                              ("warm_without_pdf", "false", edits.edit)):
        runs = run.Runs()
        run.say(f"  ours: {name}")
        site = "site-pdf" if pdf == "true" else "site-nopdf"
        run.measure([mkdocs, "build", "-f", config, "-d", site], runs, cwd=work, env={"HANDBOOK_PDF": pdf},
                    log=logs / f"{name}.log", before=before)
        result[name] = figures(runs) | {"logged": logged(logs / f"{name}.log")}
    return result


def measure_typst(work: Path, python: Path, edits: live.Edits, logs: Path) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in ("cold", "after_one_guide_changed"):
        if name != "cold":
            edits.edit()
        convert_runs, compile_runs = run.Runs(), run.Runs()
        run.say(f"  typst: {name}")
        run.measure([sys.executable, __file__, "convert", str(work), str(work / "book.typ")], convert_runs, cwd=work,
                    log=logs / f"typst-convert-{name}.log")
        run.measure([str(python), "-c", COMPILE, str(work / "book.typ"), str(work / "typst.pdf"), str(FONTS)], compile_runs,
                    cwd=work, log=logs / f"typst-compile-{name}.log")
        result[name] = {"convert": figures(convert_runs), "compile": figures(compile_runs)}
    return result


# -- looking ---------------------------------------------------------------------------------------------


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def first_page(pages: list[str], *needles: str, after: int = 0) -> int | None:
    """The 1-based number of the first page after ``after`` holding every needle (whitespace squeezed)."""
    wanted = [" ".join(n.split()) for n in needles]
    return next((k + 1 for k, page in enumerate(pages) if k >= after and all(w in page for w in wanted)), None)


def side_by_side(left: Path, right: Path, target: Path) -> None:
    from PIL import Image

    with Image.open(left) as a, Image.open(right) as b:
        joined = Image.new("RGB", (a.width + b.width + 12, max(a.height, b.height)), "white")
        joined.paste(a, (0, 0))
        joined.paste(b, (a.width + 12, 0))
        joined.convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(target, optimize=True)


def render(pdf: Path, page: int, stem: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
                   check=True)
    return stem.with_suffix(".png")


def compare_pages(ours: Path, typst: Path, samples: dict[str, tuple[str, str]], results: Path, work: Path) -> dict[str, Any]:
    """For each sample (text on a guide's first page, then text on the page wanted, at or after it),
    that page in each PDF, side by side in one PNG."""
    pages = {"weasyprint": page_texts(ours), "typst": page_texts(typst)}
    shown: dict[str, Any] = {}
    for name, (start, wanted) in samples.items():
        found: dict[str, int | None] = {}
        for who, texts in pages.items():
            begin = first_page(texts, start, after=3) if start else 1  # after the cover and the contents' first page
            found[who] = begin if not wanted or begin is None else first_page(texts, wanted, after=begin - 1)
        shown[name] = found
        if found["weasyprint"] is None or found["typst"] is None:
            continue
        left = render(ours, found["weasyprint"], work / f"{name}-weasyprint")
        right = render(typst, found["typst"], work / f"{name}-typst")
        side_by_side(left, right, results / f"{name}.png")
    return shown


def _unescape(markup: str) -> str:
    return re.sub(r"\\(.)", r"\1", markup)


def samples_for(typ: str) -> dict[str, tuple[str, str]]:
    """The pages compared, each found by text in both PDFs: the cover, the contents' first page, the first
    guide's first page, the first table of a guide and the first list of a guide."""
    guides = [g for g in typ.split("#guide(")[1:]]
    summaries = [json.loads('"' + m.group(1) + '"') for g in guides if (m := re.search(r'#summary\("((?:[^"\\]|\\.)*)"\)', g))]
    table = next(((i, m.group(1)) for i, g in enumerate(guides) if (m := re.search(r"table\.header\(\[#strong\[(.*?)\]\]", g))), None)
    listed = next(((i, m.group(1)) for i, g in enumerate(guides) if i > 0  # a page other than the first guide's
                   and (m := re.search(r"\n[-+] ([A-Za-z][^#\\\[\]\n]{20,60}?) ", g))), None)  # plain words, no markup
    samples = {"title": ("", ""), "contents": ("", "Contents"), "guide-first-page": (summaries[0][:60], "")}
    if table:
        samples["guide-with-table"] = (summaries[table[0]][:60], _unescape(table[1]))
    if listed:
        samples["guide-with-list"] = (summaries[listed[0]][:60], _unescape(listed[1]))
    return samples


def earlier_ours(results: Path, size: int) -> dict[str, Any]:
    """Our figures from the last full run at the same size (for --skip-ours), else none."""
    try:
        data = json.loads((results / "latest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return dict(data.get("ours") or {}) if data.get("guides") == size else {}


# -- the table -------------------------------------------------------------------------------------------


def table(data: dict[str, Any]) -> str:
    """The figures as Markdown: wall, CPU (user+sys, the steadier figure on a shared machine) and peak RSS."""
    def cell(value: float | None, unit: str) -> str:
        return "n/a" if value is None else f"{value / 1e6:,.0f} MB" if unit == "MB" else f"{value:.1f} s"

    def minus(a: dict[str, Any], b: dict[str, Any], key: str) -> float | None:
        return None if a.get(key) is None or b.get(key) is None else max(0.0, a[key] - b[key])

    rows = ["| engine, run | wall | CPU | peak RSS | note |", "|---|---|---|---|---|"]
    ours = data["ours"]
    for name, with_pdf, without in (("cold", "cold_with_pdf", "cold_without_pdf"),
                                    ("one guide changed", "warm_with_pdf", "warm_without_pdf")):
        if with_pdf not in ours:
            continue
        w, wo = ours[with_pdf], ours[without]
        log = w.get("logged") or {}
        rows.append(f"| WeasyPrint (ours, cache), {name}: PDF build − build | {cell(minus(w, wo, 'wall_s'), 's')} | "
                    f"{cell(minus(w, wo, 'cpu_s'), 's')} | {cell(w['peak_rss_bytes'], 'MB')} (whole build) | "
                    f"plugin's figure {log.get('seconds', 'n/a')} s wall, {log.get('pages', '?')} pages |")
    for name, runs in data["typst_runs"].items():
        conv, comp = runs["convert"], runs["compile"]
        both = {k: None if conv[k] is None or comp[k] is None else conv[k] + comp[k] for k in ("wall_s", "cpu_s")}
        rows.append(f"| Typst {data['typst']}, {name.replace('_', ' ')}: convert + compile | {cell(both['wall_s'], 's')} | "
                    f"{cell(both['cpu_s'], 's')} | {cell(comp['peak_rss_bytes'], 'MB')} (compile) | "
                    f"compile alone {cell(comp['cpu_s'], 's')} CPU; convert {cell(conv['cpu_s'], 's')} CPU, "
                    f"{cell(conv['peak_rss_bytes'], 'MB')} |")
    pages, size = data.get("pdf_pages", {}), data.get("pdf_bytes", {})
    return "\n".join([*rows, "", f"Pages: WeasyPrint {pages.get('weasyprint')}, Typst {pages.get('typst')}; "
                       f"file size: WeasyPrint {cell(size.get('weasyprint'), 'MB')}, Typst {cell(size.get('typst'), 'MB')}. "
                       f"Load average (1, 5, 15 min) before {data['load_average']['before']}, after {data['load_average']['after']}."])


# -- the run ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["convert"]:
        return convert(Path(argv[1]), Path(argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--size", type=int, default=500, help="guides in the handbook (default 500)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--work", type=Path, default=HERE / "work", help="where the handbook and the Typst venv go")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "typst", help="where the PNGs and latest.* go")
    parser.add_argument("--skip-ours", action="store_true",
                        help="only Typst, on the handbook and our PDF already in WORK; our figures are kept from latest.json")
    args = parser.parse_args(argv)
    work = args.work.resolve() / f"typst{args.size}"
    python, why = live.own_venv(args.work.resolve() / "typst-venv", TYPST, "python", install=True)
    if python is None:
        raise SystemExit(f"Typst: {why}")
    version = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('typst'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    if not args.skip_ours:
        run.say(f"== {args.size} guides: generating {work}")
        shutil.rmtree(work, ignore_errors=True)
        generate.generate(work, args.size, seed=args.seed)
    manifest = json.loads((work / "benchmark.json").read_text("utf-8"))
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    guide = manifest["guides"]["tactic"][len(manifest["guides"]["tactic"]) // 2]
    edits = live.Edits(work / "content" / guide, tag=f"typst{args.size}")
    load = {"before": Path("/proc/loadavg").read_text().split()[:3]}
    try:
        ours = measure_ours(work, edits, logs) if not args.skip_ours else earlier_ours(args.results, args.size)
        edits.restore()  # Typst's cold run converts the handbook as generated, as ours did
        typst = measure_typst(work, python, edits, logs)
    finally:
        edits.restore()
    load["after"] = Path("/proc/loadavg").read_text().split()[:3]
    args.results.mkdir(parents=True, exist_ok=True)
    pdfs = {"weasyprint": work / "site-pdf" / "handbook.pdf", "typst": work / "typst.pdf"}
    pages = compare_pages(pdfs["weasyprint"], pdfs["typst"], samples_for((work / "book.typ").read_text("utf-8")),
                          args.results, work)
    data = {"command": "python benchmarks/typst_compare.py " + " ".join(argv), "environment": run.environment(),
            "typst": version, "guides": args.size, "load_average": load, "ours": ours, "typst_runs": typst,
            "pages": pages, "pdf_pages": {who: len(page_texts(p)) - 1 for who, p in pdfs.items() if p.exists()},
            "pdf_bytes": {who: p.stat().st_size for who, p in pdfs.items() if p.exists()}}
    (args.results / "latest.json").write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    text = table(data)
    (args.results / "latest.md").write_text(f"{args.size} guides, `{data['command']}`\n\n{text}\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
