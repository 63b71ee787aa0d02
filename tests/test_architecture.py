"""The dependency rule of docs/ARCHITECTURE.md, read from the code's own imports (lazy ones included).

Layers, bottom to top: core ← records ← inputs ← rules ← engine ← run ← domains ← report ← the command line.
A module may import its own layer and the layers below; a domain only itself and the layers below (the list
in checker/domains/__init__.py is the one place that names them all); and no modules import each other in a
circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "checker"
LAYERS = ["core", "records", "inputs", "rules", "engine", "run", "domains", "report", "app"]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Checker modules `module` imports anywhere in its code (resolved to the module, not the name)."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        found.update(n for n in names if n == "checker" or n.startswith("checker."))
    return found & known


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return 0  # checker/__init__.py holds only the version
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else LAYERS.index("app")


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) - {name} for name, path in modules.items()}


def test_no_module_imports_a_layer_above_its_own():
    upward = [(a, b) for a, targets in _graph().items() for b in targets if _layer(b) > _layer(a)]
    assert upward == []


def test_a_domain_imports_no_other_domain():
    crossing = []
    for a, targets in _graph().items():
        parts = a.split(".")
        if len(parts) >= 3 and parts[1] == "domains":
            for b in targets:
                other = b.split(".")
                if len(other) >= 3 and other[1] == "domains" and other[2] != parts[2]:
                    crossing.append((a, b))
    assert crossing == []


def test_no_import_cycle():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_graph_is_read_at_all():
    graph = _graph()
    assert "checker.run.pipeline" in graph and "checker.run.process" in graph["checker.run.pipeline"]
    assert _layer("checker.domains.subsidy.outcome") > _layer("checker.run.process") > _layer("checker.rules.book")
