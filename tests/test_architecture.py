"""The shape of the package, kept so by tests: noun packages, no import cycles, a core without MkDocs.

The imports are read from the source with ``ast`` (every import, also the ones
inside functions, which is where cycles hide), so a cycle fails here even when
Python would happen to resolve it at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "handbook_build"
# The only places that may import MkDocs: the plugin, and the command line (it loads mkdocs.yml with MkDocs' own loader).
MKDOCS_IMPORTERS = ("handbook_build.mkdocs_plugin", "handbook_build.cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The handbook_build modules this module imports, anywhere in its body."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # "from pkg import module"
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_package_has_noun_packages() -> None:
    for package in ("content", "checks", "markdown", "site", "pdf", "cli", "mkdocs_plugin"):
        assert f"handbook_build.{package}" in MODULES, package
    top = sorted(n for n in MODULES if n.count(".") == 1 and MODULES[n].name != "__init__.py")
    assert len(top) <= 6, f"flat modules at the top are back: {top}"


def test_no_import_cycles() -> None:
    # A package importing its own submodules (façades like checks/__init__) is not a cycle through them.
    def edges(name: str) -> set[str]:
        return {m for m in GRAPH[name] if not (MODULES[name].name == "__init__.py" and m.startswith(name + "."))
                and not (MODULES[m].name == "__init__.py" and name.startswith(m + "."))}

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(edges(name)):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


@pytest.mark.parametrize("order", ["sorted", "reversed"])
def test_every_module_imports_in_any_order(order: str) -> None:
    names = sorted(MODULES) if order == "sorted" else sorted(MODULES, reverse=True)
    code = "import importlib\n" + "".join(f"importlib.import_module({n!r})\n" for n in names)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# One interpreter loads the other packages ours import (MkDocs, WeasyPrint, ...), then forks a child per
# module of ours: each child starts with none of handbook_build loaded and imports that one module alone.
# The same check as a fresh interpreter per module, without paying for WeasyPrint 110 times.
ALONE = """
import importlib, os, sys, traceback
for other in sys.argv[2].split():
    try:
        importlib.import_module(other)
    except ImportError:
        pass  # an optional extra (libzim): the module that needs it says so itself
failed = 0
for name in sys.argv[1].split():
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            print(f"--- import {name} alone:", file=sys.stderr)
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    failed += os.waitpid(pid, 0)[1] != 0
sys.exit(1 if failed else 0)
"""


def test_each_module_imports_on_its_own() -> None:
    others = sorted({m for path in MODULES.values() for m in _all_imports(path)
                     if m.split(".")[0] not in sys.stdlib_module_names and not m.startswith("handbook_build")})
    assert "weasyprint" in others and "mkdocs.plugins" in others
    result = subprocess.run([sys.executable, "-c", ALONE, " ".join(sorted(MODULES)), " ".join(others)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "handbook_build" not in " ".join(others)


def test_the_core_imports_nothing_from_mkdocs() -> None:
    core = sorted(n for n in MODULES if not n.startswith(MKDOCS_IMPORTERS) and n != "handbook_build")
    assert len(core) > 30
    code = f"import sys, {', '.join(core)}; print(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    for name in core:  # and not even inside a function
        assert not {m for m in _all_imports(MODULES[name]) if m == "mkdocs" or m.startswith("mkdocs.")}, name


def _all_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_pdf_reads_content_and_site_views_only() -> None:
    for name in (n for n in MODULES if n.startswith("handbook_build.pdf")):
        for target in GRAPH[name]:
            assert not target.startswith(("handbook_build.checks", "handbook_build.cli", "handbook_build.mkdocs_plugin")), (name, target)


def test_modules_stay_small() -> None:
    long = {n: len(p.read_text("utf-8").splitlines()) for n, p in MODULES.items()}
    assert {n: c for n, c in long.items() if c > 400} == {}


def test_plugin_hooks_hand_over() -> None:
    tree = ast.parse((PACKAGE / "mkdocs_plugin" / "plugin.py").read_text("utf-8"))
    hooks = {f.name: f.end_lineno - f.lineno + 1 for f in ast.walk(tree)
             if isinstance(f, ast.FunctionDef) and f.name.startswith("on_") and f.end_lineno}
    assert len(hooks) >= 6
    assert {n: c for n, c in hooks.items() if c > 30} == {}
