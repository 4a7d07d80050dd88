"""The code's structure: no import cycles, the graph package never imports the server, and the
command line loads neither Flask nor the store until a server command runs."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "ontology", "shapes", "server")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every project module this file imports, at module level or inside functions."""
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def _graph() -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    modules = {_module_name(p): p for p in files}
    return {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        state[m] = 2
        stack.pop()
        return None
    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycles():
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_a_planted_cycle_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_graph_never_imports_server():
    offenders = [m for m, deps in _graph().items() if m.startswith("graph") and any(d.startswith("server") for d in deps)]
    assert offenders == []


def test_server_package_imports_nothing():
    assert _imports(ROOT / "server" / "__init__.py") == set()


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return {m for m in out if m == "flask" or m.startswith("server.store") or m.startswith("server.app")}


def test_cli_import_loads_no_flask_or_store():
    assert _loaded_after("import server.cli") == set()


def test_build_help_loads_no_flask_or_store():
    code = ("import contextlib, io, server.cli\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    server.cli.main(['build', '--help'])")
    assert _loaded_after(code) == set()


# The rooms from the bottom up (docs/architecture.md): a module may import only rooms below its own.
# server.store.make is the factory that picks a backend, so it stands above both backends.
LAYERS = [
    ["ontology"],
    ["shapes"],
    ["graph"],
    ["server.errors", "server.config"],
    ["server.middleware"],
    ["server.sparql"],
    ["server.store"],
    ["server.store.embedded", "server.store.remote", "server.web"],
    ["server.store.make"],
    ["server.app", "server.shell_query", "server.publish"],
    ["server.serve"],
    ["server.cli"],
]


def _room(module: str) -> str:
    """The longest room name the module lies in (server.store.embedded.pool: server.store.embedded)."""
    rooms = [r for layer in LAYERS for r in layer if module == r or module.startswith(r + ".")]
    return max(rooms, key=len) if rooms else module


def _floor(room: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if room in layer)


def _upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for m, deps in graph.items():
        if m in ("server", "server.store", "server.middleware", "server.sparql", "server.web"):
            continue  # a package's __init__ holds only its docstring (checked for server above)
        for d in deps - {"server"}:  # `from . import serve` names the package too; it holds nothing
            a, b = _room(m), _room(d)
            if a != b and _floor(b) >= _floor(a):
                wrong.append(f"{m} -> {d}")
    return sorted(wrong)


def test_every_module_is_in_a_room():
    assert [m for m in _graph() if _room(m) == m and m not in {r for layer in LAYERS for r in layer}
            and m not in ("server",)] == []


def test_imports_only_go_down():
    assert _upward_imports(_graph()) == []


def test_an_upward_import_is_found():
    assert _upward_imports({"graph.build": {"server.app"}, "server.app": {"graph.build"}}) == ["graph.build -> server.app"]
