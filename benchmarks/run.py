"""Measure our build against stock MkDocs Material on the same synthetic handbook.

    .venv/bin/python benchmarks/run.py                       # 100, 1,000, 5,000 guides; PDF at 500
    .venv/bin/python benchmarks/run.py --sizes 100,1000 --repeats 3
    .venv/bin/python benchmarks/run.py --quick               # a rough look in a minute or two

For each size N it generates the handbook (benchmarks/generate.py) into
benchmarks/work/nN/ and measures, each run in a fresh subprocess and
interleaved (ours, Material, floor, ours, ...) so a noisy machine hurts all
three alike:

- our full build without PDF (HANDBOOK_PDF=false mkdocs build, our mkdocs.yml);
- stock Material over the same content (mkdocs-material.yml: theme material,
  its default nav and `search` plugin, our plugin off); skipped above
  --material-max (quadratic: every page carries the whole nav);
- the floor: plain Python-Markdown over the same files (benchmarks/floor.py);
- `handbook check`;
- site size, median guide page, and in headless Chromium: the gzip bytes a
  reader downloads before the first result of a fixed query, and the time
  from navigation start to that first result.

At --languages-size guides it measures our build of the handbook with every
guide translated into each of --languages against our build of the same
guides in the site's language only (interleaved, as above).

At --pdf-size guides it also measures our PDF (the PDF build minus the same
build without PDF) against one plain WeasyPrint pass over the floor HTML of
all guides concatenated into one document.

Prints a Markdown table and writes results/latest.md and latest.json.
Medians of --repeats runs; peak RSS is ru_maxrss of the measured process
tree (getrusage(RUSAGE_CHILDREN) in a fresh wrapper per run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
import generate  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
KB = 1000  # sizes in SI units: 1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes
MB = 1000 * 1000

# What the browser benchmark types into and waits for. Material's are its
# documented search components; ours come from theme/partials/handbook/search-box.html.
SEARCH_UI = {
    "material": {"input": 'input[data-md-component="search-query"]', "result": ".md-search-result__item"},
    "ours": {"input": "[data-handbook-search-input]", "result": "[data-handbook-search-result]"},
}
# A request counts as "search" when its path names search or lunr (see README: what is counted).
SEARCH_WORDS = ("search", "lunr")
PDF_LOG_LINE = re.compile(r"Wrote \S+\.pdf: (\d+) pages in ([\d.]+) s")

WRAPPER = r"""
import json, os, resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
PAGE = os.sysconf("SC_PAGE_SIZE")

def memory(pid, rss):
    # PSS: each page shared between processes (libraries, the interpreter) counts once in the sum.
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss

def tree_memory(root):
    # The process and all its descendants (a PDF build may start worker processes).
    parent, rss = {}, {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parent[int(name)], rss[int(name)] = int(fields[1]), int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += memory(pid, rss.get(pid, 0))
        todo += [c for c, p in parent.items() if p == pid]
    return total

start = time.perf_counter()
proc = subprocess.Popen(cmd)
tree_peak = 0
while True:
    try:
        code = proc.wait(timeout=0.05)
        break
    except subprocess.TimeoutExpired:
        tree_peak = max(tree_peak, tree_memory(proc.pid))
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:  # ru_maxrss: the largest single process of the tree, in KiB
    json.dump({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_kib": usage.ru_maxrss,
               "tree_peak": tree_peak, "returncode": code}, f)
"""


# -- measuring one command ---------------------------------------------------------


@dataclass
class Runs:
    """Repeated runs of one command: wall seconds, CPU seconds and peak RSS (bytes) per run."""

    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)  # memory of the whole process tree at its highest
    largest: list[int] = field(default_factory=list)  # ru_maxrss: the largest single process
    failed: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed is None and bool(self.seconds)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.ok else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.ok else None

    @property
    def peak_median(self) -> float | None:
        return statistics.median(self.peak) if self.ok else None

    def as_json(self) -> dict[str, Any]:
        return {"median_s": self.median, "runs_s": [round(s, 3) for s in self.seconds],
                "median_cpu_s": self.cpu_median, "runs_cpu_s": [round(s, 3) for s in self.cpu],
                "peak_rss_bytes": self.peak_median, "runs_peak_rss_bytes": self.peak,
                "runs_largest_process_rss_bytes": self.largest, "failed": self.failed}


def measure(cmd: list[str], runs: Runs, *, cwd: Path, env: dict[str, str] | None = None, log: Path,
            before: Callable[[], None] | None = None) -> None:
    """Run ``cmd`` once in a fresh wrapper process; add its time and peak RSS to ``runs``."""
    if runs.failed:
        return
    if before:
        before()
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as result, open(log, "w") as out:
        wrapper = subprocess.run([sys.executable, "-c", WRAPPER, result.name, *cmd], cwd=cwd, env=full_env,
                                 stdout=out, stderr=subprocess.STDOUT)
        text = Path(result.name).read_text()
    Path(result.name).unlink()
    if wrapper.returncode != 0 or not text:  # e.g. the command does not exist
        runs.failed = f"could not run {cmd[0]}: see {log}"
        say(f"    FAILED: {runs.failed}")
        return
    data = json.loads(text)
    if data["returncode"] != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        runs.failed = f"exit {data['returncode']}: " + " / ".join(tail)[-300:]
        say(f"    FAILED ({' '.join(cmd[:3])} ...): {runs.failed}")
        return
    runs.seconds.append(data["seconds"])
    runs.cpu.append(data["cpu"])
    # The whole tree's peak (sum of PSS, sampled every 50 ms), never less than its largest single process's RSS.
    runs.peak.append(max(data["peak_kib"] * 1024, data["tree_peak"]))
    runs.largest.append(data["peak_kib"] * 1024)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fresh(path: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(path, ignore_errors=True)


def cold_pdf(work: Path) -> Callable[[], None]:
    """No site and no PDF layout cache: every run lays the whole book out (the warm PDF is measured apart)."""
    def clean() -> None:
        for path in (work / "site-pdf", work / ".cache" / "handbook" / "pdf"):
            shutil.rmtree(path, ignore_errors=True)
    return clean


# -- sizes ---------------------------------------------------------------------------


def tree_size(path: Path) -> int | None:
    if not path.is_dir():
        return None
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def page_path(source: str, directory_urls: bool) -> str:
    """Where MkDocs writes the page of ``source`` (e.g. tactics/x.md), from the site root."""
    stem = Path(source).with_suffix("").as_posix()
    return f"{stem}/index.html" if directory_urls else f"{stem}.html"


def median_page(site: Path, manifest: dict, who: str) -> float | None:
    directory_urls = manifest["use_directory_urls"][who]
    pages = [site / page_path(g, directory_urls) for paths in manifest["guides"].values() for g in paths]
    sizes = [p.stat().st_size for p in pages if p.is_file()]
    return statistics.median(sizes) if sizes else None


@functools.cache
def gzip_size(path: Path) -> int:
    # Level 6: what web servers use by default.
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


# -- the browser: load a guide page, type the query, wait for the first result -------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


FIRST_RESULT_SCRIPT = """
(() => {
  const selector = %s;
  const seen = () => {
    const el = document.querySelector(selector);
    return el && el.getClientRects().length > 0;
  };
  const observer = new MutationObserver(() => {
    if (window.__firstResult === undefined && seen()) {
      // Absolute time, so a search box that opens a search page is still timed from the first navigation.
      window.__firstResult = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
})();
"""


@dataclass
class BrowserRun:
    ms: float  # navigation start to the first result
    load_ms: float  # navigation start to the end of the load event, when the query is typed
    search_bytes: int  # gzip bytes of requests whose path names search or lunr
    all_bytes: int  # gzip bytes of every request from navigation to first result
    search_files: list[str]


def browser_search(browser: Any, base: str, root: Path, site: str, url_path: str, query: str,
                   ui: dict[str, str], timeout_s: float) -> BrowserRun | str:
    """One cold page load + query; returns the measurement or why there is none."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []

    # Recorded from events, not a route handler: routing would hold every request until Python answers.
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.add_init_script(FIRST_RESULT_SCRIPT % json.dumps(ui["result"]))
        page.goto(f"{base}/{site}/{url_path}", wait_until="load", timeout=timeout_s * 1000)
        origin = float(page.evaluate("performance.timeOrigin"))
        load_ms = float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        box = page.locator(ui["input"]).first
        if box.count() == 0:
            return f"no search box ({ui['input']}) on the page"
        box.click(timeout=5000)
        page.keyboard.type(query)
        # Poll from outside the page: the time itself was taken inside it by the observer, and
        # page.evaluate is not subject to the page's Content-Security-Policy (wait_for_function is).
        deadline = time.monotonic() + timeout_s
        found: float | None = None
        while found is None:
            try:
                found = page.evaluate("window.__firstResult")
            except Exception as exc:  # Playwright's errors: report them as n/a, never crash the run
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                if "context was destroyed" not in message:  # else the box opened a search page: keep waiting there
                    return f"no result ({ui['result']}): {message[:160]}"
            if found is None:
                if time.monotonic() > deadline:
                    return f"no result ({ui['result']}) within {timeout_s:.0f} s"
                page.wait_for_timeout(20)  # lets Playwright handle its events meanwhile, unlike time.sleep
        ms = float(found) - origin
        seen = [url for url in requests if url.startswith(base)]
    finally:
        context.close()
    files = []
    for url in dict.fromkeys(seen):
        path = unquote(urlparse(url).path)
        local = root / path.lstrip("/")
        if local.is_dir():
            local = local / "index.html"
        if local.is_file():
            files.append(local)
    search = [f for f in files if any(w in f.relative_to(root / site).as_posix().lower() for w in SEARCH_WORDS)
              and f.suffix != ".html"]
    return BrowserRun(ms, load_ms, sum(gzip_size(f) for f in search), sum(gzip_size(f) for f in files),
                      [f.relative_to(root / site).as_posix() for f in search])


def launch_browser() -> tuple[Any, Any] | str:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed"
    manager = sync_playwright().start()
    browser = manager.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              # Nothing from other hosts, for either site: every name but the local server's fails to resolve.
              "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
    return manager, browser


# -- one size ----------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    ours: Runs = field(default_factory=Runs)
    material: Runs = field(default_factory=Runs)
    floor: Runs = field(default_factory=Runs)
    check: Runs = field(default_factory=Runs)
    material_skipped: str | None = None
    site_bytes: dict[str, int | None] = field(default_factory=dict)
    page_bytes: dict[str, float | None] = field(default_factory=dict)
    browser: dict[str, list[BrowserRun]] = field(default_factory=dict)
    browser_missing: dict[str, str] = field(default_factory=dict)

    def browser_median(self, who: str, attr: str) -> float | None:
        runs = self.browser.get(who) or []
        return statistics.median(getattr(r, attr) for r in runs) if runs else None

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "build_ours": self.ours.as_json(), "build_material": self.material.as_json(), "build_floor": self.floor.as_json(),
            "check": self.check.as_json(), "material_skipped": self.material_skipped,
            "site_bytes": self.site_bytes, "median_guide_page_bytes": self.page_bytes,
            "browser": {who: [asdict(r) for r in runs] for who, runs in self.browser.items()},
            "browser_missing": self.browser_missing,
        }


def run_size(n: int, args: argparse.Namespace, browser: Any) -> SizeResult:
    work = args.work / f"n{n}"
    say(f"== {n} guides: generating {work}")
    manifest = generate.generate(work, n, seed=args.seed)
    logs = work / "logs"
    logs.mkdir()
    result = SizeResult(n)
    with_material = n <= args.material_max
    if not with_material:
        result.material_skipped = f"not run above {args.material_max} guides (--material-max)"
    mkdocs = str(BIN / "mkdocs")
    for r in range(1, args.repeats + 1):
        say(f"  run {r}/{args.repeats}: check, ours, " + ("Material, " if with_material else "") + "floor")
        measure([str(BIN / "handbook"), "check", "-f", "mkdocs.yml"], result.check, cwd=work, log=logs / f"check-{r}.log")
        measure([mkdocs, "build", "-f", "mkdocs.yml", "-d", "site-ours"], result.ours, cwd=work,
                env={"HANDBOOK_PDF": "false"}, log=logs / f"ours-{r}.log", before=fresh(work / "site-ours"))
        if with_material:
            measure([mkdocs, "build", "-f", "mkdocs-material.yml", "-d", "site-material"], result.material, cwd=work,
                    log=logs / f"material-{r}.log", before=fresh(work / "site-material"))
        measure([sys.executable, str(HERE / "floor.py"), ".", "floor"], result.floor, cwd=work,
                log=logs / f"floor-{r}.log", before=fresh(work / "floor"))
    sites = {"ours": "site-ours", "material": "site-material"}
    for who, site in sites.items():
        ok = (result.ours if who == "ours" else result.material).ok
        result.site_bytes[who] = tree_size(work / site) if ok else None
        result.page_bytes[who] = median_page(work / site, manifest, who) if ok else None
    result.site_bytes["floor"] = tree_size(work / "floor") if result.floor.ok else None
    if browser is None or isinstance(browser, str):
        result.browser_missing = {who: browser or "--no-browser" for who in sites}
        return result
    guide = manifest["guides"]["tactic"][len(manifest["guides"]["tactic"]) // 2]
    server, base = serve(work)
    try:
        for r in range(1, args.repeats + 1):
            for who, site in sites.items():
                if who in result.browser_missing or not (result.ours if who == "ours" else result.material).ok:
                    skipped = who == "material" and result.material_skipped
                    result.browser_missing.setdefault(who, "Material not run" if skipped else "site not built")
                    continue
                url = page_path(guide, manifest["use_directory_urls"][who]).removesuffix("index.html")
                say(f"  browser {r}/{args.repeats}: {who}, query '{manifest['query']}' on {url}")
                try:
                    got = browser_search(browser, base, work, site, url, manifest["query"], SEARCH_UI[who], args.browser_timeout)
                except Exception as exc:  # a page that never loads, a box that cannot be clicked: n/a, not a crash
                    got = f"browser error: {(str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]}"
                if isinstance(got, str):
                    say(f"    n/a: {got}")
                    result.browser_missing[who] = got
                    result.browser.pop(who, None)
                else:
                    result.browser.setdefault(who, []).append(got)
    finally:
        server.shutdown()
    return result


# -- languages -----------------------------------------------------------------------------


@dataclass
class LanguagesResult:
    n: int
    languages: list[str]
    one: Runs = field(default_factory=Runs)  # our build, the site's language only
    many: Runs = field(default_factory=Runs)  # the same guides, each translated into every other language
    site_bytes: dict[str, int | None] = field(default_factory=dict)

    @property
    def failed(self) -> str | None:
        return self.one.failed or self.many.failed

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n, "languages": self.languages, "build_one_language": self.one.as_json(),
                "build_all_languages": self.many.as_json(), "site_bytes": self.site_bytes}


def run_languages(n: int, args: argparse.Namespace) -> LanguagesResult:
    work = args.work / f"languages{n}"
    shutil.rmtree(work, ignore_errors=True)
    say(f"== {n} guides x {len(args.languages)} languages ({', '.join(args.languages)}) vs 1: generating {work}")
    # The same seed: the originals of both projects are the same files; only the translations differ.
    projects = {"one": work / "one", "many": work / "many"}
    generate.generate(projects["one"], n, seed=args.seed)
    manifest = generate.generate(projects["many"], n, seed=args.seed, languages=args.languages)
    logs = work / "logs"
    logs.mkdir()
    result = LanguagesResult(n, manifest.get("languages", args.languages))
    runs = {"one": result.one, "many": result.many}
    # Untimed: warms each project's content cache, as `handbook check` does before our build in the other rows.
    for who, project in projects.items():
        measure([str(BIN / "handbook"), "check", "-f", "mkdocs.yml"], Runs(), cwd=project, log=logs / f"check-{who}.log")
    mkdocs = str(BIN / "mkdocs")
    for r in range(1, args.repeats + 1):
        say(f"  run {r}/{args.repeats}: ours in 1 language, ours in {len(result.languages)} languages")
        for who, project in projects.items():
            measure([mkdocs, "build", "-f", "mkdocs.yml", "-d", "site-ours"], runs[who], cwd=project,
                    env={"HANDBOOK_PDF": "false"}, log=logs / f"ours-{who}-{r}.log", before=fresh(project / "site-ours"))
    # A build that left out a language's pages would look fast: count it as failed.
    for lang in result.languages[1:]:
        if result.many.ok and not (projects["many"] / "site-ours" / lang / "index.html").is_file():
            result.many.failed = f"the build wrote no {lang}/ pages"
    result.site_bytes = {who: tree_size(project / "site-ours") if runs[who].ok else None for who, project in projects.items()}
    return result


# -- the PDF -------------------------------------------------------------------------------


@dataclass
class PdfResult:
    n: int
    ours_without: Runs = field(default_factory=Runs)
    ours_with: Runs = field(default_factory=Runs)
    weasyprint: Runs = field(default_factory=Runs)
    missing: str | None = None
    pdf_bytes: dict[str, int | None] = field(default_factory=dict)
    logged_seconds: list[float] = field(default_factory=list)  # "Wrote handbook.pdf: ... in X s" per run

    @property
    def ours_pdf_seconds(self) -> float | None:
        if self.missing or not (self.ours_with.ok and self.ours_without.ok):
            return None
        return max(0.0, self.ours_with.median - self.ours_without.median)  # type: ignore[operator]

    @property
    def ours_pdf_cpu(self) -> float | None:
        if self.ours_pdf_seconds is None:
            return None
        return max(0.0, self.ours_with.cpu_median - self.ours_without.cpu_median)  # type: ignore[operator]

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n, "build_without_pdf": self.ours_without.as_json(), "build_with_pdf": self.ours_with.as_json(),
                "ours_pdf_s": self.ours_pdf_seconds, "ours_pdf_cpu_s": self.ours_pdf_cpu, "weasyprint": self.weasyprint.as_json(), "missing": self.missing,
                "pdf_bytes": self.pdf_bytes, "ours_pdf_logged_s": self.logged_seconds}


def run_pdf(n: int, args: argparse.Namespace) -> PdfResult:
    work = args.work / f"pdf{n}"
    say(f"== PDF at {n} guides: generating {work}")
    manifest = generate.generate(work, n, seed=args.seed)
    logs = work / "logs"
    logs.mkdir()
    result = PdfResult(n)
    # One untimed floor conversion gives the plain HTML for the reference pass.
    floor.convert(work, work / "floor")
    book = work / "floor" / "combined" / "book.html"
    floor.combine(work / "floor", [Path(p).parent.as_posix() for p in (v[0] for v in manifest["guides"].values() if v)], book)
    if not (ROOT / "handbook_build" / "pdf").exists():
        result.missing = "handbook_build/pdf/ does not exist yet"
    mkdocs = str(BIN / "mkdocs")
    for r in range(1, args.pdf_repeats + 1):
        say(f"  run {r}/{args.pdf_repeats}: ours without PDF, ours with PDF, one WeasyPrint pass")
        if not result.missing:
            measure([mkdocs, "build", "-f", "mkdocs.yml", "-d", "site-nopdf"], result.ours_without, cwd=work,
                    env={"HANDBOOK_PDF": "false"}, log=logs / f"nopdf-{r}.log", before=fresh(work / "site-nopdf"))
            measure([mkdocs, "build", "-f", "mkdocs.yml", "-d", "site-pdf"], result.ours_with, cwd=work,
                    env={"HANDBOOK_PDF": "true"}, log=logs / f"pdf-{r}.log", before=cold_pdf(work))
            if result.ours_with.ok and not list((work / "site-pdf").rglob("*.pdf")):
                result.missing = "the PDF build wrote no .pdf file"
        measure([str(BIN / "weasyprint"), str(book), str(work / "reference.pdf")], result.weasyprint, cwd=work,
                log=logs / f"weasyprint-{r}.log")
    # The plugin's own account of the PDF step, kept beside the difference of the two builds.
    logged = [float(m.group(2)) for r in range(1, args.pdf_repeats + 1) if (logs / f"pdf-{r}.log").exists()
              for m in [PDF_LOG_LINE.search((logs / f"pdf-{r}.log").read_text(errors="replace"))] if m]
    result.logged_seconds = logged
    pdfs = sorted((work / "site-pdf").rglob("*.pdf"))
    result.pdf_bytes = {"ours": pdfs[0].stat().st_size if pdfs else None,
                        "weasyprint": (work / "reference.pdf").stat().st_size if (work / "reference.pdf").exists() else None}
    return result


# -- the table -----------------------------------------------------------------------------


@dataclass
class Row:
    n: int | None
    measure: str
    ours: str
    reference: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""
    cpu_ratio: float | None = None  # the same ratio in CPU seconds (user+sys), steadier on a busy machine

    def cells(self) -> list[str]:
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}x"
        cpu = "—" if self.cpu_ratio is None else f"{self.cpu_ratio:.2f}x"
        met = {True: "yes", False: "**NO**", None: "—" if self.target == "—" else "n/a"}[self.met]
        n = "—" if self.n is None else f"{self.n:,}"
        return [n, self.measure, self.ours, self.reference, ratio, cpu, self.target, met + (f" ({self.note})" if self.note else "")]


def secs(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


def size(v: float | None) -> str:
    if v is None:
        return "n/a"
    return f"{v / MB:.1f} MB" if v >= MB else f"{v / KB:.1f} KB"


def ms(v: float | None) -> str:
    return "n/a" if v is None else f"{v:,.0f} ms"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def labelled(value: str, who: str) -> str:
    return value if value == "n/a" else f"{value} {who}"


def rows_for(results: list[SizeResult], pdf: PdfResult | None, langs: LanguagesResult | None = None) -> list[Row]:
    rows: list[Row] = []
    by_n = {r.n: r for r in results}
    for r in results:
        mat = r.material.median
        mat_text = r.material_skipped and "not run" or secs(mat)
        at_1000 = r.n == 1000
        target = "≤ 0.33x" if at_1000 else "—"
        q = ratio(r.ours.median, mat)
        rows.append(Row(r.n, "full build, no PDF: ours vs stock Material", secs(r.ours.median), mat_text, q, target,
                        None if not at_1000 or q is None else q <= 0.33, r.material_skipped and "Material skipped" or "",
                        ratio(r.ours.cpu_median, r.material.cpu_median)))
        q = ratio(r.ours.median, r.floor.median)
        rows.append(Row(r.n, "full build vs plain Python-Markdown (floor)", secs(r.ours.median), secs(r.floor.median), q,
                        "≤ 2.5x" if at_1000 else "—", None if not at_1000 or q is None else q <= 2.5,
                        cpu_ratio=ratio(r.ours.cpu_median, r.floor.cpu_median)))
        rows.append(Row(r.n, "build peak memory: ours vs Material", size(r.ours.peak_median),
                        r.material_skipped and "not run" or size(r.material.peak_median),
                        ratio(r.ours.peak_median, r.material.peak_median), "—", None))
        rows.append(Row(r.n, "total site size: ours vs Material", size(r.site_bytes.get("ours")),
                        r.material_skipped and "not run" or size(r.site_bytes.get("material")),
                        ratio(r.site_bytes.get("ours"), r.site_bytes.get("material")), "—", None))
        page = r.page_bytes.get("ours")
        rows.append(Row(r.n, "median guide page HTML: ours vs Material", size(page),
                        r.material_skipped and "not run" or size(r.page_bytes.get("material")),
                        ratio(page, r.page_bytes.get("material")), "≤ 40 KB", None if page is None else page <= 40 * KB))
        why = r.browser_missing.get("ours") or r.browser_missing.get("material") or ""
        ab, am = r.browser_median("ours", "all_bytes"), r.browser_median("material", "all_bytes")
        q = ratio(ab, am)
        rows.append(Row(r.n, "search: gzip bytes downloaded before the first result (everything)", size(ab), size(am), q,
                        "≤ 1.0x", None if q is None else q <= 1.0, why if q is None else ""))
        sb, mb = r.browser_median("ours", "search_bytes"), r.browser_median("material", "search_bytes")
        rows.append(Row(r.n, "… of which files named search/lunr", size(sb), size(mb), ratio(sb, mb), "—", None))
        tb, tm = r.browser_median("ours", "ms"), r.browser_median("material", "ms")
        q = ratio(tb, tm)
        rows.append(Row(r.n, "page load to first result (headless Chromium)", ms(tb), ms(tm), q, "≤ 0.25x",
                        None if q is None else q <= 0.25, why if q is None else ""))
        c = r.check.median
        rows.append(Row(r.n, "`handbook check`", secs(c), "—", None, "≤ 2 s" if at_1000 else "—",
                        None if not at_1000 or c is None else c <= 2.0, r.check.failed and "check failed" or ""))
    if 1000 in by_n and 5000 in by_n:
        q = ratio(by_n[5000].ours.median, by_n[1000].ours.median)
        rows.append(Row(5000, "full build: 5,000 vs 1,000 guides (ours)", secs(by_n[5000].ours.median),
                        secs(by_n[1000].ours.median), q, "≤ 5.5x", None if q is None else q <= 5.5,
                        cpu_ratio=ratio(by_n[5000].ours.cpu_median, by_n[1000].ours.cpu_median)))
    if langs is not None:
        at_1000 = langs.n == 1000
        q = ratio(langs.many.median, langs.one.median)
        rows.append(Row(langs.n, f"full build: {len(langs.languages)} languages vs 1 language (ours)", secs(langs.many.median),
                        secs(langs.one.median), q, "≤ 3.5x" if at_1000 else "—", None if not at_1000 or q is None else q <= 3.5,
                        langs.failed and f"build failed: {langs.failed[:120]}" or "",
                        ratio(langs.many.cpu_median, langs.one.cpu_median)))
    if pdf is not None:
        at_500 = pdf.n == 500
        ours_s = pdf.ours_pdf_seconds
        q = ratio(ours_s, pdf.weasyprint.median)
        failed = pdf.ours_with.failed or pdf.ours_without.failed
        note = pdf.missing or (failed and f"our build failed: {failed[:120]}") or ("" if at_500 else "target is at 500 guides")
        rows.append(Row(pdf.n, "PDF time: ours (PDF build − build) vs one plain WeasyPrint pass", secs(ours_s),
                        secs(pdf.weasyprint.median), q, "≤ 0.55x", None if q is None or not at_500 else q <= 0.55, note,
                        ratio(pdf.ours_pdf_cpu, pdf.weasyprint.cpu_median)))
        peak = None if pdf.missing else pdf.ours_with.peak_median
        rows.append(Row(pdf.n, "PDF peak memory: our PDF build vs WeasyPrint pass", size(peak), size(pdf.weasyprint.peak_median),
                        ratio(peak, pdf.weasyprint.peak_median), "≤ 500 MB",
                        None if peak is None or not at_500 else peak <= 500 * MB, note))
    return rows


def table(rows: list[Row]) -> str:
    head = ["N", "measure", "ours", "reference", "ratio", "CPU ratio", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    # The build runs the working tree (an editable install): say when it differs from the commit.
    changed = git("status", "--porcelain", "--", "handbook_build", "theme", "mkdocs.yml", "pyproject.toml")
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": (git("rev-parse", "--short", "HEAD") or None),
        "uncommitted_changes": bool(changed),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "packages": {p: version(p) for p in ("mkdocs", "mkdocs-material", "markdown", "weasyprint", "lunr", "playwright")},
    }


def report(args: argparse.Namespace, results: list[SizeResult], pdf: PdfResult | None, command: str,
           env: dict[str, Any], langs: LanguagesResult | None = None) -> str:
    rows = rows_for(results, pdf, langs)
    dirty = " (with uncommitted changes to the build)" if env["uncommitted_changes"] else ""
    text = "\n".join([
        f"Measured from {env['date']} at commit {env['commit']}{dirty} on {env['cpus']} CPUs, Python {env['python']}, "
        f"MkDocs {env['packages']['mkdocs']}, Material {env['packages']['mkdocs-material']}, "
        f"WeasyPrint {env['packages']['weasyprint']}; medians of {args.repeats} runs (PDF: {args.pdf_repeats}).",
        f"Reproduce: `{command}`",
        "",
        table(rows),
        "",
    ])
    if args.results:
        args.results.mkdir(parents=True, exist_ok=True)
        (args.results / "latest.md").write_text(text, "utf-8")
        data = {
            "command": command, "environment": env,
            "settings": {"sizes": args.sizes, "repeats": args.repeats, "pdf_size": args.pdf_size,
                         "pdf_repeats": args.pdf_repeats, "material_max": args.material_max, "seed": args.seed,
                         "languages_size": args.languages_size, "languages": args.languages},
            "rows": [asdict(row) for row in rows],
            "sizes": [r.as_json() for r in results],
            "pdf": pdf.as_json() if pdf else None,
            "languages": langs.as_json() if langs else None,
        }
        (args.results / "latest.json").write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    return text


# -- command line ---------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--sizes", default=None, help="comma-separated guide counts (default 100,1000,5000)")
    parser.add_argument("--repeats", type=int, default=None, help="runs per measurement; medians are reported (default 3)")
    parser.add_argument("--pdf-size", type=int, default=None, help="guides in the PDF benchmark; 0 skips it (default 500)")
    parser.add_argument("--pdf-repeats", type=int, default=None, help="runs per PDF measurement (default: --repeats)")
    parser.add_argument("--material-max", type=int, default=2000,
                        help="largest N to build with stock Material, which grows quadratically (default 2000)")
    parser.add_argument("--languages-size", type=int, default=None,
                        help="guides in the languages benchmark (every guide translated); 0 skips it (default 1000)")
    parser.add_argument("--languages", default="en,sv,de",
                        help="the languages of that benchmark, the site's first (default en,sv,de)")
    parser.add_argument("--quick", action="store_true",
                        help="20 and 100 guides, one run, PDF at 50, languages at 20; results in the work folder")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium measurements")
    parser.add_argument("--browser-timeout", type=float, default=120.0, help="seconds to wait for a first search result")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--work", type=Path, default=HERE / "work", help="where projects are generated and built")
    parser.add_argument("--results", type=Path, default=None,
                        help="where latest.md and latest.json go (default benchmarks/results; with --quick the work folder)")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in (args.sizes or ("20,100" if args.quick else "100,1000,5000")).split(",") if s.strip()]
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.pdf_size = args.pdf_size if args.pdf_size is not None else (50 if args.quick else 500)
    args.pdf_repeats = args.pdf_repeats or args.repeats
    args.languages_size = args.languages_size if args.languages_size is not None else (20 if args.quick else 1000)
    try:
        args.languages = generate.parse_languages(args.languages)
    except ValueError as exc:
        parser.error(str(exc))
    site = generate.site_language()
    if args.languages_size and (args.languages[:1] != [site] or len(set(args.languages)) < 2):
        parser.error(f"--languages must start with the site's language ({site}) and name at least one other")
    args.results = args.results or (args.work / "results" if args.quick else HERE / "results")
    args.work = args.work.resolve()
    if any(n < 3 for n in args.sizes) or args.repeats < 1 or 0 < args.languages_size < 3:
        parser.error("sizes (and --languages-size, unless 0) must be at least 3 and --repeats at least 1")
    content = (ROOT / "content").resolve()
    if args.work == content or content in args.work.parents:
        parser.error("the work folder may not be inside content/")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    args.work.mkdir(parents=True, exist_ok=True)
    env = environment()  # at the start: what was measured, not what the tree holds by the end
    launched = "--no-browser" if args.no_browser else launch_browser()
    browser = launched[1] if isinstance(launched, tuple) else launched
    started = time.perf_counter()
    try:
        results = [run_size(n, args, browser) for n in args.sizes]
    finally:
        if isinstance(launched, tuple):
            launched[1].close()
            launched[0].stop()
    langs = run_languages(args.languages_size, args) if args.languages_size else None
    pdf = run_pdf(args.pdf_size, args) if args.pdf_size else None
    text = report(args, results, pdf, command.strip(), env, langs)
    print(text)
    say(f"Done in {time.perf_counter() - started:.0f} s; wrote {args.results}/latest.md and latest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
