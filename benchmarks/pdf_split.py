"""PDF: split-and-merge against one pass, on one handbook (run under /usr/bin/time -v for max RSS).

    .venv/bin/python benchmarks/pdf_split.py split|one [CONTENT] [--workers N]

``split`` is what a build does (runs of guides laid out by worker processes,
joined with pypdf); ``one`` lays out every guide in one WeasyPrint document in
one process (the contents, index and folio glyphs are still their own small
parts, and the join still runs: what one pass would replace is the layout).
Prints one line: mode, pages, wall seconds, parts, workers and the largest worker's RSS
(time -v only sees the main process).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook_build import checks  # noqa: E402
from handbook_build.content.schema import Schema  # noqa: E402
from handbook_build.pdf import Options, assemble, build_pdf  # noqa: E402
from handbook_build.pdf.build import RUN_CHARS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["split", "one"])
    parser.add_argument("content", nargs="?", type=Path, default=ROOT / "content")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    handbook, _ = checks.load_and_check(args.content, Schema.load())
    book = assemble(handbook, title="Benchmark", licence_id="CC-BY-SA-4.0", content_dir=args.content)
    with tempfile.TemporaryDirectory() as tmp:
        options = Options(target=Path(tmp) / "handbook.pdf", content_dir=args.content,
                          theme_dirs=(ROOT / "handbook_build" / "templates",),
                          workers=1 if args.mode == "one" else args.workers,
                          run_chars=10**12 if args.mode == "one" else RUN_CHARS)
        started = time.perf_counter()
        outcome = build_pdf(book, options)
        print(f"{args.mode} pages={outcome.pages} wall={time.perf_counter() - started:.1f}s parts={outcome.parts} "
              f"workers={outcome.workers} worker_max_rss={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}MB")


if __name__ == "__main__":
    main()
