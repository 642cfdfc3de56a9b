"""The package layout is the architecture: every import points down, and no module imports
itself back through others. Imports inside functions and under TYPE_CHECKING count too: a lazy
import is still a dependency, only a cheaper one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "awsmedic"

#: Lowest first. A module may import its own layer and the layers before it, never a later one.
LAYERS = (
    ("awsmedic", "awsmedic.model", "awsmedic.context", "awsmedic.errors"),
    ("awsmedic.aws",),
    ("awsmedic.safety",),
    ("awsmedic.probes",),
    ("awsmedic.kb",),
    ("awsmedic.core",),
    ("awsmedic.output",),
    ("awsmedic.repl",),
    ("awsmedic.cli",),
    ("awsmedic.__main__",),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                # `from awsmedic.aws import regions` imports a module, `from x import f` a name
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _layer(module: str) -> int:
    best, depth = -1, -1
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = index, len(prefix)
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_belongs_to_a_layer() -> None:
    assert [name for name in _modules() if _layer(name) < 0] == []


def test_no_import_circle() -> None:
    assert _cycles(_graph()) == []


def test_every_import_points_down() -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The checks above would pass on an empty graph: show that they read real imports."""
    graph = _graph()
    assert "awsmedic.core.transcript" in graph["awsmedic.core.consult"]
    assert "awsmedic.safety.redact" in graph["awsmedic.output.render"]
    assert _layer("awsmedic.cli.commands") > _layer("awsmedic.core.consult") > _layer("awsmedic.kb")
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]


def test_top_level_is_a_few_entries() -> None:
    entries = sorted(
        path.name for path in PACKAGE.iterdir() if not path.name.startswith((".", "__pycache__"))
    )
    assert len(entries) <= 14, entries


@pytest.mark.parametrize(
    "package",
    sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py")),
)
def test_every_package_says_what_it_holds(package: str) -> None:
    source = (PACKAGE / package / "__init__.py").read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source)) or ""
    assert len(docstring.split()) >= 8, f"awsmedic/{package}/__init__.py needs a docstring"
