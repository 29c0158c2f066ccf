"""pyproject.toml declares what evalkit imports, and imports what it declares."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys

from helpers import REPO

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: Extras that are tools for developers, not imported by the package.
TOOL_EXTRAS = {"dev"}
FIRST_PARTY = {"evalkit", "benchmarks", "__future__"}


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)).lower()


def _imports() -> dict[str, set[str]]:
    """Top-level third-party module -> files of evalkit/ importing it (in functions too)."""
    found: dict[str, set[str]] = {}
    for path in (REPO / "evalkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                # benchmarks/: the source checkout's own folder (evalkit bench)
                if top in sys.stdlib_module_names or top in FIRST_PARTY:
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(REPO)))
    return found


@functools.cache
def _packages() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _distributions(module: str) -> set[str]:
    dists = _packages().get(module) or [module]
    return {_name(d) for d in dists}


def test_every_import_is_declared():
    declared = {_name(r) for r in PYPROJECT["dependencies"]}
    for extra, reqs in PYPROJECT["optional-dependencies"].items():
        if extra not in TOOL_EXTRAS:
            declared |= {_name(r) for r in reqs}
    missing = {
        module: sorted(files)
        for module, files in _imports().items()
        if not _distributions(module) & declared
    }
    assert not missing, f"imported but not declared: {missing}"


def test_every_declared_dependency_is_imported():
    imported = set().union(*(_distributions(m) for m in _imports()))
    unused = [
        r
        for extra, reqs in [
            ("core", PYPROJECT["dependencies"]),
            *PYPROJECT["optional-dependencies"].items(),
        ]
        if extra not in TOOL_EXTRAS
        for r in reqs
        if _name(r) not in imported
    ]
    assert not unused, f"declared but never imported by evalkit/: {unused}"


def test_no_dependency_is_listed_twice():
    for extra, reqs in [
        ("core", PYPROJECT["dependencies"]),
        *PYPROJECT["optional-dependencies"].items(),
    ]:
        names = [_name(r) for r in reqs]
        assert len(names) == len(set(names)), (extra, names)
