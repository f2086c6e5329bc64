"""The tree reads as the pipeline: each step imports only the steps before it, no import cycles
(hidden behind a function-level import or not), and no private name crosses a module."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pingxing"

#: the steps in the order data flows; a module may import its own step and those before it
LAYERS = [
    {"version", "errors", "problems", "catalogue", "places", "cells", "rounding", "periods", "storage"},  # shared by all
    {"scheme"},
    {"record"},
    {"issue"},
    {"intake"},
    {"survey"},  # (a survey export is read with intake's checks, as a returned form is)
    {"validate"},
    {"rate"},
    {"publish"},
    {"engine"},
    {"pipeline"},
    {"api", "cli", "__init__"},
]


def modules_of(pkg: Path) -> dict[str, Path]:
    def name(path: Path) -> str:
        parts = list(path.relative_to(pkg.parent).with_suffix("").parts)
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    return {name(p): p for p in sorted(pkg.rglob("*.py"))}


def _step(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(module: str) -> int:
    step = _step(module)
    return next(i for i, layer in enumerate(LAYERS) if step in layer)


def imports(module: str, modules: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(imported module of the package, names taken from it, line) for every import, those inside
    functions too."""
    path = modules[module]
    root = module.split(".")[0]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == root]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root:
                continue
            names = [a.name for a in node.names]
            out += [(f"{target}.{n}", [], node.lineno) for n in names if f"{target}.{n}" in modules]
            rest = [n for n in names if f"{target}.{n}" not in modules]
            if rest:
                out.append((target, rest, node.lineno))
    return out


def backward_imports(modules: dict[str, Path]) -> list[str]:
    return [f"{module} imports {target} (line {line})" for module in modules
            for target, _, line in imports(module, modules) if target in modules and _layer(target) > _layer(module)]


def private_imports(modules: dict[str, Path]) -> list[str]:
    return [f"{module} takes {n} from {target} (line {line})" for module in modules
            for target, names, line in imports(module, modules)
            for n in names if n.startswith("_") and not n.startswith("__")]


def cycles(modules: dict[str, Path]) -> list[list[str]]:
    graph = {m: sorted({t for t, _, _ in imports(m, modules) if t in modules and t != m}) for m in modules}
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in graph[m]:
            if state.get(t) == 1:
                found.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


def test_every_module_is_in_a_step() -> None:
    assert not [m for m in modules_of(PKG) if not any(_step(m) in layer for layer in LAYERS)]


def test_each_step_imports_only_the_steps_before_it() -> None:
    assert not backward_imports(modules_of(PKG))


def test_no_private_name_is_imported_from_another_module() -> None:
    assert not private_imports(modules_of(PKG))


def test_there_is_no_import_cycle() -> None:
    assert not cycles(modules_of(PKG))


def test_the_checks_catch_a_hidden_cycle_a_backward_import_and_a_private_name(tmp_path: Path) -> None:
    pkg = tmp_path / "pingxing"
    for folder in ("", "rate", "scheme"):
        (pkg / folder).mkdir(exist_ok=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "scheme" / "model.py").write_text("def load():\n    from pingxing.rate.rating import _total\n")
    (pkg / "rate" / "rating.py").write_text("from pingxing.scheme import model\n\n_total = 1\n")
    modules = modules_of(pkg)
    assert cycles(modules) == [["pingxing.rate.rating", "pingxing.scheme.model", "pingxing.rate.rating"]]
    assert backward_imports(modules) == ["pingxing.scheme.model imports pingxing.rate.rating (line 2)"]
    assert private_imports(modules) == ["pingxing.scheme.model takes _total from pingxing.rate.rating (line 2)"]
