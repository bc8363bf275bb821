"""The layout reads as the pipeline: each stage's folder imports only the model and the stages
before it, and no module imports, even lazily, one that imports it back.

Read from the source with `ast` (every import, inside functions too), so a new module is held to
the rule the day it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BUILDER = Path(__file__).resolve().parent.parent / "builder"

# The pipeline's order, bottom up. A module may import its own layer and the layers below it.
LAYERS = ["model", "load", "validate", "link", "derive", "outputs", "write", "pipeline", "preview", "cli"]
# Modules at the top of builder/ and the layer they belong to.
TOP = {"__init__": "model", "collector": "model", "forks": "model", "shelf": "model", "version": "model", "pipeline": "pipeline",
       "incremental": "pipeline", "rechecks": "pipeline", "record_pages": "pipeline", "__main__": "cli"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(BUILDER.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every builder module `path` imports, lazily or not."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
            found.update(name for name in [target, *names] if name in MODULES)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in MODULES)
    found.discard(module)
    return found


MODULES = {_module(path): path for path in BUILDER.rglob("*.py")}
GRAPH = {module: _imports(path) for module, path in MODULES.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "model"  # builder/__init__.py
    return TOP.get(parts[1], parts[1]) if len(parts) == 2 and parts[1] in TOP else parts[1]


def test_every_module_belongs_to_a_layer():
    assert {layer(m) for m in MODULES} <= set(LAYERS), sorted({layer(m) for m in MODULES} - set(LAYERS))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_nothing_imports_up_the_pipeline(module):
    rank = LAYERS.index(layer(module))
    upward = sorted(t for t in GRAPH[module] if LAYERS.index(layer(t)) > rank)
    assert not upward, f"{module} ({layer(module)}) imports later stages: {upward}"


def test_no_import_cycle():
    """Tarjan's strongly connected components over every import; a component of two or more is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_the_rule_sees_lazy_imports_and_packages():
    """The reader of imports itself: a lazy import inside a function and a module imported from its package count."""
    assert "builder.link.graph" in GRAPH["builder.pipeline"]
    assert any(t.startswith("builder.model") for t in GRAPH["builder.link.graph"])
    assert layer("builder.outputs.search.index") == "outputs" and layer("builder.incremental") == "pipeline"
