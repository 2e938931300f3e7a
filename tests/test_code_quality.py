"""The code stays checked: ruff and mypy are clean, and the libraries whose internals we use are the versions we know.

These run the real tools as subprocesses (the venv's own ruff and mypy, from the
`test` extra), so `.ci/run` - which runs the README's test command verbatim - gates
on them without a step of its own.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_is_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "handbook_build", "tests")
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout}{result.stderr}"


def test_mypy_is_clean() -> None:
    result = _run(str(BIN / "mypy"))  # packages and options: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, f"mypy found errors:\n{result.stdout}{result.stderr}"


def _declared(*, optional: bool = False) -> dict[str, Requirement]:
    """The dependencies in pyproject.toml (with ``optional``, the extras' too: a module for an extra imports its package lazily)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = [r for group in project.get("optional-dependencies", {}).values() for r in group] if optional else []
    requirements = [Requirement(r) for r in [*project["dependencies"], *extras]]
    return {r.name.lower(): r for r in requirements}


# Packages whose internals (no public API exists) the code uses: bounded in pyproject.toml, and
# what we use is looked up here so that a new release that drops it fails here, not in a build.
BOUNDED = {
    "pypdf": ("pypdf", "PdfWriter", ("_add_object", "_replace_object", "_ID")),
    "lunr": ("lunr.builder", "Builder", ("_ref", "_fields", "_documents", "field_term_frequencies", "field_lengths",
                                         "inverted_index", "term_index", "document_count")),
    "fonttools": ("fontTools.ttLib", "TTFont", ()),
}


@pytest.mark.parametrize("name", sorted(BOUNDED))
def test_libraries_whose_internals_we_use_are_the_versions_we_know(name: str) -> None:
    requirement = _declared().get(name)
    assert requirement is not None, f"{name} is imported but not declared in pyproject.toml's dependencies"
    assert any(s.operator == "<" for s in requirement.specifier), f"{name} needs an upper bound: we use its internals"
    installed = version(name)
    assert requirement.specifier.contains(installed), (
        f"{name} {installed} is installed but pyproject.toml says {requirement}: a new major may have changed the "
        f"internals handbook_build uses ({BOUNDED[name]}); check them, then move the bound")


def test_the_internals_we_use_are_there() -> None:
    import importlib

    from fontTools.ttLib import getTableModule

    from handbook_build.site.search_index import SearchDoc, lunr_index

    for module_name, class_name, attributes in BOUNDED.values():
        cls = getattr(importlib.import_module(module_name), class_name)
        instance = cls() if class_name != "TTFont" else None
        for attribute in attributes:
            assert hasattr(instance if instance is not None else cls, attribute) or hasattr(cls, attribute), \
                f"{module_name}.{class_name}.{attribute} is gone: pin the library or move to its public API"
    assert hasattr(getTableModule("glyf"), "Glyph")
    index = lunr_index([SearchDoc("power-mapping/", "Power mapping", "Who decides", "tactic", body="allies and targets")])
    assert [r["ref"] for r in index.search("allies")] == ["0"]  # our Builder still builds an index lunr can search


def test_every_imported_package_is_declared() -> None:
    import ast

    stdlib = sys.stdlib_module_names
    imported: set[str] = set()
    for path in (ROOT / "handbook_build").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in stdlib and m not in {"handbook_build", "__future__"}}
    distribution = {"yaml": "pyyaml", "fontTools": "fonttools", "frontmatter": "python-frontmatter"}
    declared = set(_declared(optional=True))
    missing = sorted(m for m in third_party if distribution.get(m, m).lower() not in declared)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
