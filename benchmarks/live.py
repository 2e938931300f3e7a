"""What people wait for after an edit, and Zensical, for benchmarks/run.py.

- ``edit``: append a sentence with a word of its own to one guide (what a
  contributor's one-guide change looks like to a build);
- ``serve_latency``: start ``handbook serve``, edit a guide, poll the page over
  HTTP until the word shows;
- ``own_venv``: a tool in a virtual environment of its own (Zensical, Typst);
- ``zensical``: Zensical (PyPI ``zensical``) in a virtual environment of its
  own, created once and reused.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A rebuild finished: MkDocs' own line, which `handbook serve` (MkDocs' serve) logs after each build.
BUILT_LINE = "Documentation built in"


class Edits:
    """One guide, edited again and again (each edit appends a sentence); ``restore`` puts it back."""

    def __init__(self, path: Path, tag: str) -> None:
        self.path, self.tag = path, tag
        self.original = path.read_text("utf-8")
        self.count = 0
        self.word = ""

    def edit(self) -> str:
        """Append a sentence with a word found nowhere else; return the word."""
        self.count += 1
        # Letters only, so no Markdown extension, stemmer or tokenizer splits or changes it.
        self.word = f"benchedit{self.tag}{'abcdefghij'[self.count % 10]}{'abcdefghij'[self.count // 10 % 10]}q"
        text = self.path.read_text("utf-8").rstrip("\n")
        self.path.write_text(f"{text}\n\nThis sentence was added by the benchmark: {self.word}.\n", "utf-8")
        return self.word

    def restore(self) -> None:
        self.path.write_text(self.original, "utf-8")


def shows(page: Path, word: str) -> bool:
    return page.is_file() and word in page.read_text("utf-8", errors="replace")


# -- handbook serve ------------------------------------------------------------------------------


@dataclass
class ServeResult:
    latencies: list[float] = field(default_factory=list)  # seconds from the write to the first response with the word
    startup: float | None = None  # seconds from start to the page first served (a full build)
    failed: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.latencies) if self.latencies and not self.failed else None

    def as_json(self) -> dict[str, Any]:
        return {"median_s": self.median, "runs_s": [round(s, 3) for s in self.latencies],
                "startup_s": None if self.startup is None else round(self.startup, 3), "failed": self.failed}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page's text, or None while the server does not answer with it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def serve_latency(cmd: list[str], cwd: Path, url_path: str, edits: Edits, repeats: int, log: Path,
                  env: dict[str, str], startup_timeout: float, edit_timeout: float) -> ServeResult:
    """Start the server ``cmd`` (with ``{port}`` in it), then time ``repeats`` edits until the page shows each."""
    result = ServeResult()
    port = free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    started = time.perf_counter()
    with open(log, "w") as out:
        # Its own process group, so stopping it stops whatever it started too.
        proc = subprocess.Popen([c.replace("{port}", str(port)) for c in cmd], cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while fetch(url) is None:
            if proc.poll() is not None:
                result.failed = f"the server exited ({proc.returncode}) before serving {url_path}: " + _tail(log)
                return result
            if time.perf_counter() - started > startup_timeout:
                result.failed = f"{url_path} not served within {startup_timeout:.0f} s of starting"
                return result
            time.sleep(0.1)
        result.startup = time.perf_counter() - started
        time.sleep(1.0)  # the file watcher starts with the server; give it a moment
        for _ in range(repeats):
            builds = _count(log)
            begun = time.perf_counter()
            word = edits.edit()
            while True:
                text = fetch(url)
                if text is not None and word in text:
                    result.latencies.append(time.perf_counter() - begun)
                    break
                if proc.poll() is not None:
                    result.failed = f"the server exited ({proc.returncode}) after an edit: " + _tail(log)
                    return result
                if time.perf_counter() - begun > edit_timeout:
                    result.failed = f"the edit did not show within {edit_timeout:.0f} s"
                    return result
                time.sleep(0.02)
            # Let the rebuild finish (its log line) before the next edit, so one edit's build is not
            # queued behind the last one's; a server that logs no such line gets a fixed pause.
            quiet = time.perf_counter() + edit_timeout
            while _count(log) <= builds and time.perf_counter() < quiet and BUILT_LINE in log.read_text(errors="replace"):
                time.sleep(0.1)
            time.sleep(1.0)
    finally:
        stop(proc)
    return result


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to its process group, as a person would stop it; harder only if it does not stop."""
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


def _count(log: Path) -> int:
    return log.read_text(errors="replace").count(BUILT_LINE) if log.exists() else 0


def _tail(log: Path) -> str:
    lines = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
    return " / ".join(lines[-3:])[-300:]


# -- Zensical --------------------------------------------------------------------------------------


def own_venv(venv: Path, requirement: str, exe: str, install: bool) -> tuple[Path | None, str]:
    """``venv/bin/exe`` from a virtual environment of its own holding ``requirement``, or None and why not.

    With ``install`` the venv is created and ``requirement`` installed with pip
    when ``exe`` is missing (once; later runs reuse it); without, only an
    existing one is used. A failed install leaves no venv behind, so the next
    run tries again rather than finding a half-made one.
    """
    path = venv / "bin" / exe
    if path.exists():
        return path, ""
    name = requirement.split("=")[0].strip()
    if not install:
        return None, f"not installed in {venv}"
    shutil.rmtree(venv, ignore_errors=True)
    steps = [[sys.executable, "-m", "venv", str(venv)], [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", requirement]]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            shutil.rmtree(venv, ignore_errors=True)
            return None, f"{' '.join(step[-3:])} took over 900 s"
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, f"could not install {name} ({' '.join(step[-3:])}): " + (lines[-1][:200] if lines else f"exit {done.returncode}")
    return (path, "") if path.exists() else (None, f"installing {requirement} made no {path}")


def zensical(venv: Path, install: bool) -> tuple[Path | None, str]:
    """The ``zensical`` command in ``venv`` (see ``own_venv``) and its version, or None and why not."""
    exe, why = own_venv(venv, "zensical", "zensical", install)
    if exe is None:
        return None, why + ("" if install else " (--quick does not install it; a default run does)")
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    if version.returncode != 0:
        return None, f"{exe} --version failed: {(version.stderr or version.stdout).strip()[:200]}"
    return exe, version.stdout.strip().split()[-1] if version.stdout.strip() else "?"
