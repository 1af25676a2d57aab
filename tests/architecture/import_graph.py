"""The import graph between the top-level modules and packages of `accompagnement`.

Built with grimp from the source: imports inside functions count, imports under
`if TYPE_CHECKING:` do not (they run for the type checker only; a model names another package's
model there for a relationship annotation, resolved by name by SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp

PACKAGE = "accompagnement"


def build_graph() -> grimp.ImportGraph:
    """Return the module import graph of the application package, read from source."""
    return grimp.build_graph(PACKAGE, exclude_type_checking_imports=True, cache_dir=None)


def package_edges(graph: grimp.ImportGraph, package: str = PACKAGE) -> dict[str, set[str]]:
    """Map each top-level child of `package` to the top-level children it imports."""
    children = sorted(graph.find_children(package))
    edges: dict[str, set[str]] = {child: set() for child in children}
    for module in graph.modules:
        source = _top(module, package)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _top(imported, package)
            if target is not None and target != source:
                edges[source].add(target)
    return edges


def _top(module: str, package: str) -> str | None:
    parts = module.split(".")
    if parts[0] != package or len(parts) < 2:
        return None
    return f"{package}.{parts[1]}"


def cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one node, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)
