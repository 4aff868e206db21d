"""The shape of the code: data flows one way (engine → derivations → renderers and drawings →
networks → the homework application), no module imports another that imports it back, every module
says what lives in it and stays short, and every public name is importable.

Imports are read from the source (every ``import`` statement, also those inside functions), so a
lazy import that closes a cycle is found too.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn", "homework")
ENGINE = {"autograd.value", "autograd.ops", "autograd.graph", "autograd.gradcheck", "autograd.replay",
          "autograd.replay.batch", "autograd.replay.numpy_math", "autograd.replay.program", "autograd.replay.progress",
          "autograd.replay.rows", "autograd.replay.steps", "autograd.replay.leaves",
          "autograd.errors", "autograd.slots", "autograd.coerce", "autograd.chain_rule", "autograd.nary",
          "autograd.rule", "autograd.scalar_math"}
LONGEST_MODULE = 300  # lines; a longer module says why in its docstring ("longer than ...: because ...")


def _modules(packages=PACKAGES) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()
# the benchmarks are held to the same docstrings and lengths, though no package imports them
EVERY_MODULE = _modules(PACKAGES + ("benchmarks",))


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, anywhere in its source (package inits resolved to modules)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".")
                is_package = path.name == "__init__.py"
                base = ".".join(parts[:len(parts) - node.level + is_package] + ([base] if base else []))
            # ``from autograd import ops`` imports the module autograd.ops; ``from autograd import
            # Value`` imports a name the package gathers
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        for t in targets:
            if t in MODULES and t != name:
                out.add(t)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _is_init(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def test_no_import_cycles():
    """A package's __init__ only gathers names, so edges into an __init__ are followed to the
    modules it gathers from; a cycle among the modules themselves fails."""
    edges = {n: {t for t in ts if not _is_init(t)} for n, ts in GRAPH.items() if not _is_init(n)}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(u: str, stack: list[str]) -> None:
        state[u] = 1
        stack.append(u)
        for v in sorted(edges[u]):
            if state.get(v) == 1:
                cycles.append(stack[stack.index(v):] + [v])
            elif not state.get(v):
                visit(v, stack)
        stack.pop()
        state[u] = 2

    for n in sorted(edges):
        if not state.get(n):
            visit(n, [])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _reaches(name: str) -> set[str]:
    """Every module ``name`` leads to by its own imports (a package's __init__ is not followed: it
    only gathers public names)."""
    seen, todo = set(), [name]
    while todo:
        for t in GRAPH[todo.pop()]:
            if t not in seen and not _is_init(t):
                seen.add(t)
                todo.append(t)
    return seen


@pytest.mark.parametrize("module", sorted(ENGINE))
def test_the_engine_imports_no_printout_drawing_or_network(module):
    forbidden = [m for m in _reaches(module) if m.startswith(("autograd.derive", "autograd.render",
                                                               "autograd.drawing", "nn", "homework"))]
    assert not forbidden, f"{module} imports {forbidden}"


def test_data_flows_one_way_between_packages():
    for name, targets in GRAPH.items():
        if name.startswith("autograd"):
            assert not [t for t in targets if t.startswith(("nn", "homework"))], name
        if name.startswith("nn"):
            assert not [t for t in targets if t.startswith("homework")], name
        if name.startswith("autograd.render"):  # renderers only read the document model
            assert {t for t in targets if t.startswith("autograd.derive")} <= {"autograd.derive.model",
                                                                                  "autograd.derive.formula"}, name


@pytest.mark.parametrize("name", sorted(EVERY_MODULE))
def test_every_module_says_what_lives_in_it_and_stays_short(name):
    source = EVERY_MODULE[name].read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    assert doc and len(doc) > 40, f"{name} needs a module docstring saying what lives there"
    lines = source.count("\n")
    if lines > LONGEST_MODULE:
        assert "longer than" in doc, f"{name} has {lines} lines: split it, or say in its docstring why it is longer"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_is_importable(package):
    module = importlib.import_module(package)
    assert module.__all__, f"{package} declares its public names in __all__"
    for public in module.__all__:
        assert getattr(module, public, None) is not None, f"{package}.{public}"
