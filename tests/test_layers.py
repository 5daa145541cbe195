"""The package's folders are layers, and imports point one way: down.

Each module's imports are read from its source (lazy imports inside functions included, since they
are the ones that hide cycles), so the test needs nothing installed beyond the standard library.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "irp_cli"

# Lowest first. A module may import from its own layer and the layers before it, never after.
LAYERS: list[tuple[str, set[str]]] = [
    ("foundation", {"errors", "dates", "paths", "files", "guide", "text"}),
    ("visitfile", {"visitfile"}),
    ("calendar", {"calendar"}),
    ("review", {"review"}),
    ("documents", {"documents"}),
    ("work", {"onsite", "population", "programme"}),
    ("cli", {"cli", "startup", "output", "commands", "__main__"}),
]


def layer_of(module: str) -> int:
    first = module.split(".")[1] if "." in module else ""
    for rank, (_name, members) in enumerate(LAYERS):
        if first in members:
            return rank
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS (and to the docs)")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("irp_cli."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "irp_cli":
                found.update(f"irp_cli.{alias.name}" for alias in node.names)
            elif node.module.startswith("irp_cli."):
                found.add(node.module)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target in imports_of(path):
            # ``from irp_cli.documents import render`` names a module; ``from irp_cli import
            # __version__`` names the package itself.
            if target in modules:
                targets.add(target)
            elif target.rsplit(".", 1)[0] in modules:
                targets.add(target.rsplit(".", 1)[0])
        edges[name] = targets - {name}
    return edges


EDGES = graph()


def test_every_module_is_in_a_layer() -> None:
    for name in EDGES:
        if name != "irp_cli":
            layer_of(name)


def test_imports_point_down_the_layers() -> None:
    upward = {
        (source, target)
        for source, targets in EDGES.items()
        if source != "irp_cli"
        for target in targets
        if target != "irp_cli" and layer_of(target) > layer_of(source)
    }
    assert upward == set(), "a module imports from a layer above its own"


def test_the_core_never_imports_the_cli_or_its_libraries() -> None:
    cli = len(LAYERS) - 1
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name == "irp_cli" or layer_of(name) == cli:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for imported in names:
                top = imported.split(".")[0]
                assert top not in {"typer", "click", "rich"}, f"{name} imports {imported}"


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    assert find_cycle(EDGES) is None, " -> ".join(find_cycle(EDGES) or [])


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": set()}, None),
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"b"}}, ["b", "c", "b"]),
    ],
)
def test_the_cycle_finder_finds_cycles(
    edges: dict[str, set[str]], expected: list[str] | None
) -> None:
    assert find_cycle(edges) == expected


def test_the_core_chooses_no_exit_code() -> None:
    """A usage error (exit 2) is the command line's to decide: the core raises IrpError (or
    a subclass that says what went wrong, such as workdays.OutOfRange) and the CLI's error
    boundary (cli.exit_code) maps it. No core module names an exit code or sets one."""
    cli = len(LAYERS) - 1
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name in ("irp_cli", "irp_cli.errors") or layer_of(name) == cli:
            continue
        source = path.read_text(encoding="utf-8")
        for word in ("UsageError", "EXIT_", "exit_code", "sys.exit", "typer.Exit"):
            assert word not in source, f"{name} uses {word}"


def test_only_the_output_module_imports_rich() -> None:
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            if any(n.split(".")[0] == "rich" for n in names):
                assert name == "irp_cli.output", f"{name} imports rich: draw tables in output.py"


def test_tests_import_only_from_helpers() -> None:
    """Shared test code lives in tests/helpers.py; conftest.py holds fixtures only, and one test
    module never imports from another (so each can be read, and moved, on its own)."""
    tests = Path(__file__).resolve().parent
    own = {p.stem for p in tests.glob("*.py")} - {"helpers"}
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in own, (
                    f"{path.name} imports from {name}: move what it needs to tests/helpers.py"
                )


def test_no_test_reads_the_real_clock() -> None:
    """conftest.py fixes the command line's clock (helpers.TEST_TODAY); tests name their days."""
    tests = Path(__file__).resolve().parent
    for path in sorted(tests.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for call in ("date.to" + "day()", "datetime.n" + "ow("):
            assert call not in source, f"{path.name} reads the clock ({call})"
