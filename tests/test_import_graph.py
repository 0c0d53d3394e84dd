"""The import graph of tea/: no cycles, and lower layers never import higher ones.

Every module of tea/ is parsed with ``ast`` (nothing is imported) and every ``import`` and
``from ... import`` statement counts, at module level or inside a function. ``from X import n``
is an edge to ``X.n`` when that is a module of tea, otherwise to ``X``; ``import a.b`` is an edge
to ``a.b``. Layers, low to high, as DESIGN.md's "Rules that keep the house simple" states them:
foundation -> process/costing/finance -> config -> chain -> optimize -> analysis -> report -> cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[1] / "tea"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("tea.units", "tea.money", "tea.elements", "tea.streams", "tea.errors",
                    "tea.tables", "tea.data")),
    ("process/costing/finance", ("tea.process", "tea.costing", "tea.finance")),
    ("config", ("tea.config",)),
    ("chain", ("tea.chain",)),
    ("optimize", ("tea.optimize",)),
    ("analysis", ("tea.analysis",)),
    ("report", ("tea.report",)),
    ("cli", ("tea.cli", "tea.cli_checks", "tea.cli_sweep", "tea.cli_study")),
]
"""(layer, module prefixes), low to high. The root package ``tea`` (its ``__version__``) is
foundation."""

ALLOWED: dict[tuple[str, str], str] = {
}
"""Imports allowed for now although they go up a layer or close a cycle: (importer prefix,
imported prefix) -> reason. They are left out of both checks; each must still occur."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _known(name: str, known: set[str]) -> str | None:
    """The longest prefix of ``name`` that is a module of tea (None outside tea)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The tea modules ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [_known(a.name, known) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else _known(base, known)
                       for a in node.names]
        else:
            continue
        out.update(t for t in targets if t and t != name)
    return out


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> int | None:
    if module == "tea":
        return 0
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(_matches(module, p) for p in prefixes):
            return rank
    return None


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path back to its start) per strongly connected component (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    cycles = []
    for comp in components:
        start = min(comp)
        path, seen = [start], {start}
        while True:  # walk inside the component until we return to a module seen
            nxt = sorted(w for w in graph[path[-1]] if w in comp)
            back = [w for w in nxt if w == start]
            w = back[0] if back else next((w for w in nxt if w not in seen), nxt[0])
            if w in seen:
                cycles.append(path[path.index(w):] + [w])
                break
            path.append(w)
            seen.add(w)
    return cycles


def test_every_module_has_a_layer():
    missing = sorted(m for m in modules() if layer_of(m) is None)
    assert not missing, f"modules without a layer (add them to LAYERS): {missing}"


def _allowed(importer: str, imported: str) -> tuple[str, str] | None:
    for key in ALLOWED:
        if _matches(importer, key[0]) and _matches(imported, key[1]):
            return key
    return None


def test_no_import_cycles():
    graph = {v: {w for w in ws if not _allowed(v, w)} for v, ws in import_graph().items()}
    cycles = find_cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_lower_layers_never_import_higher_ones():
    bad = []
    for importer, targets in sorted(import_graph().items()):
        for imported in sorted(targets):
            lo, hi = layer_of(importer), layer_of(imported)
            if lo is None or hi is None or hi <= lo or _allowed(importer, imported):
                continue
            bad.append(f"{importer} ({LAYERS[lo][0]}) imports {imported} ({LAYERS[hi][0]})")
    assert not bad, "layering violations:\n" + "\n".join(bad)


def test_allowed_exceptions_still_occur():
    edges = [(v, w) for v, ws in import_graph().items() for w in ws]
    stale = sorted(k for k in ALLOWED if not any(_allowed(v, w) == k for v, w in edges))
    assert not stale, f"allowed exceptions no longer needed (remove them): {stale}"


def test_cycle_finder_names_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
