"""The package's shape: layers whose imports point down, no cycles, pure layers free of
Sphinx, mechanisms named in their own modules only, modules and functions of readable size.

The layers and what each may import are the same table the contributor's guide draws
(``sphinx_llmarch._layers.LAYERS``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_llmarch._layers import LAYERS, layer_of
from sphinx_llmarch.mechanisms import REGISTRY, FeedForward, Mixer, PositionScheme

from .conftest import REPO

PACKAGE = REPO / "sphinx_llmarch"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 400
MAX_FUNCTION = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, anywhere in it (functions and
    ``TYPE_CHECKING`` blocks included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("sphinx_llmarch")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("sphinx_llmarch"):
                continue
            for alias in node.names:  # 'from . import attention' imports a module
                sub = f"{base}.{alias.name}"
                found.add(
                    sub if (REPO / sub.replace(".", "/")).with_suffix(".py").exists() else base
                )
    return found - {name}


GRAPH = {module_name(p): imports(p) for p in MODULES}


def test_the_import_graph_has_no_cycle() -> None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


def test_every_import_between_layers_points_down() -> None:
    wrong = [
        f"{a} ({layer_of(a)}) imports {b} ({layer_of(b)})"
        for a, targets in GRAPH.items()
        for b in targets
        if layer_of(a) != layer_of(b) and layer_of(b) not in LAYERS[layer_of(a)].imports
    ]
    assert wrong == []


def test_every_module_belongs_to_a_layer() -> None:
    assert all(layer_of(name) in LAYERS for name in GRAPH)


def test_the_pure_layers_load_neither_sphinx_nor_docutils() -> None:
    pure = [name for name in GRAPH if LAYERS[layer_of(name)].pure and not name.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for name in {pure!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "sphinx_llmarch.cli" in pure  # the command line stays quick to start


def _literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def _kinds() -> dict[str, Path]:
    """Every registered kind, and the module that defines it."""
    found: dict[str, Path] = {}
    for base in (Mixer, FeedForward, PositionScheme):
        for kind in REGISTRY.kinds(base):
            module = sys.modules[REGISTRY.lookup(base, kind).__module__]
            found[kind] = Path(str(module.__file__))
    return found


def test_each_kind_is_named_in_its_own_module_only() -> None:
    kinds = _kinds()
    assert {"gated_deltanet", "mla", "moe", "rope"} <= set(kinds)
    literals = {path: _literals(path) for path in MODULES}
    elsewhere = sorted(
        f"'{kind}' in {path.relative_to(REPO)}"
        for kind, home in kinds.items()
        for path, strings in literals.items()
        if kind in strings and path != home
    )
    assert elsewhere == []


def test_modules_are_of_readable_size() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert [str(p.relative_to(REPO)) for p, n in sizes.items() if n > MAX_LINES] == []


def test_long_functions_say_why() -> None:
    """A function over the limit carries a comment on its first line saying why."""
    long = []
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION and "# long:" not in lines[node.lineno - 1]:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({length})")
    assert long == []
