"""No import cycle among the data modules, counting imports inside functions too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "evalkit"
DATA = ("evalkit.paper", "evalkit.dataset", "evalkit.extract", "evalkit.digests")


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph(*, typing_imports: bool = True) -> dict[str, set[str]]:
    """Module -> the evalkit modules it imports, imports inside functions included;
    without ``typing_imports``, those under ``if TYPE_CHECKING:`` (never run) are left out."""
    modules = {_module(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = set()
        if not typing_imports:
            typing_only = {
                id(sub)
                for node in ast.walk(tree)
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                for sub in ast.walk(node)
            }
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from pkg import module`` depends on that module (as pylint counts it)
                for a in node.names:
                    sub = f"{node.module}.{a.name}"
                    deps.add(sub if sub in modules else node.module)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for dep in graph.get(node, ()):
            if dep == start:
                return [*path, dep]
            if dep not in seen:
                seen.add(dep)
                stack.append((dep, [*path, dep]))
    return None


def test_no_import_cycle_through_the_data_modules():
    graph = _graph()
    for name in sorted(graph):
        if name.startswith(DATA):
            assert _cycle_from(graph, name) is None, " -> ".join(_cycle_from(graph, name) or [])


def test_the_paper_record_module_is_a_leaf():
    graph = _graph()
    assert graph["evalkit.paper"] == {"evalkit.errors"} and graph["evalkit.errors"] == set()


def test_one_paper_shape():
    from evalkit import dataset, paper
    from evalkit.digests import model

    assert dataset.Paper is paper.Paper
    assert dataset.LANGS is paper.LANGS is model.LANGS
    assert dataset.TEXT_FIELDS is paper.TEXT_FIELDS
    entry_fields = set(model.Entry.__dataclass_fields__) - {"file", "format", "line"}
    paper_fields = set(paper.Paper.__dataclass_fields__) - {"id", "week_start", "week_end"}
    assert entry_fields == paper_fields  # an entry is a paper before its id


def test_no_import_cycle_anywhere_in_evalkit():
    """Every module, imports inside functions counted (issue: one shape per concept)."""
    graph = _graph(typing_imports=False)
    cycles = [c for name in sorted(graph) if (c := _cycle_from(graph, name))]
    assert not cycles, "; ".join(" -> ".join(c) for c in cycles[:5])
