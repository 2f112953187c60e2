"""The import graph of the rooms: no arrow from a lower room to a higher one, no cycle between rooms, no
circle of modules inside a room.

Every ``import`` and ``from … import`` counts, also inside functions (they are dependencies all the same),
and ``import_module("…")`` with a literal name. A string foreign key (``"cases.Case"``) is a reference, not
an import, and is allowed. Test support (``tests/`` packages, ``testing.py`` modules) builds data of any room
and is not part of the graph; migrations neither.

The order is ``willkommen/rooms.py``: a room may import only rooms listed before it. Where a lower room
needs something of a higher one, it offers a hook (docs/architecture.md, "Hooks").
"""

import ast
import itertools
from pathlib import Path

from django.conf import settings

from willkommen.rooms import BASE, DOMAIN, GROUND, LAYERS, ROOMS

PACKAGE = Path(__file__).resolve().parents[2]  # .../willkommen

# Circles of modules inside a room that are known and being removed elsewhere; a circle that is gone must
# leave this list (the test says so), a new one fails.
KNOWN_CIRCLES: set = set()


def _module_name(path, root):
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_support(path, root):
    parts = path.relative_to(root).parts
    return "tests" in parts or "migrations" in parts or path.name in ("testing.py", "conftest.py")


def _resolve(name, files):
    """The module a dotted name lives in (``willkommen.cases.views.queue`` -> ``willkommen.cases.views``)."""
    while name and name not in files:
        name = name.rpartition(".")[0]
    return name or None


def _imported(node, module, is_package, files):
    """The modules one node imports."""
    if isinstance(node, ast.Import):
        return [_resolve(alias.name, files) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        # "from package import module" depends on the module; "from module import name" on the module
        return [
            f"{source}.{alias.name}" if f"{source}.{alias.name}" in files else _resolve(source, files)
            for alias in node.names
        ]
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return [_resolve(node.args[0].value, files)]
    return []


def module_graph(root=PACKAGE):
    """{module: {imported module: first line}} for the modules of the package under ``root``."""
    files = {_module_name(path, root): path for path in sorted(root.rglob("*.py")) if not _is_support(path, root)}
    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges = graph.setdefault(module, {})
        for node in ast.walk(tree):
            for target in _imported(node, module, path.name == "__init__.py", files):
                if target and target != module:
                    edges[target] = min(edges.get(target, node.lineno), node.lineno)
    return graph


def room_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def upward_imports(graph, rooms=ROOMS):
    """Imports from a room to one listed after it in ``rooms``: [(module, line, imported module)]."""
    order = {room: i for i, room in enumerate(rooms)}
    found = []
    for module, edges in graph.items():
        for target, line in edges.items():
            a, b = room_of(module), room_of(target)
            if a and b and a != b and order[b] > order[a]:
                found.append((module, line, target))
    return sorted(found)


def _components(nodes, edges):
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], itertools.count()
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = next(counter)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = next(counter)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(component)
    return result


def room_cycles(graph):
    edges = {}
    for module, targets in graph.items():
        for target in targets:
            a, b = room_of(module), room_of(target)
            if a and b and a != b:
                edges.setdefault(a, set()).add(b)
    return [sorted(c) for c in _components(sorted(edges), edges)]


def module_circles(graph):
    """Circles of modules inside one room: {(room, frozenset of module names inside the room)}."""
    edges = {m: {t for t in targets if room_of(t) and room_of(t) == room_of(m)} for m, targets in graph.items()}
    circles = set()
    for component in _components(sorted(edges), edges):
        room = room_of(next(iter(component)))
        prefix = f"{PACKAGE.name}.{room}."
        circles.add((room, frozenset(m[len(prefix) :] or "__init__" for m in component)))
    return circles


GRAPH = module_graph()


def test_no_arrow_from_a_lower_room_to_a_higher_one():
    found = [f"{module} (line {line}) imports {target}" for module, line, target in upward_imports(GRAPH)]
    assert found == [], "lower rooms offer a hook instead (docs/architecture.md):\n" + "\n".join(found)


def test_no_cycle_between_rooms():
    assert room_cycles(GRAPH) == []


def test_no_circle_of_modules_inside_a_room():
    circles = module_circles(GRAPH)
    new = sorted((room, sorted(members)) for room, members in circles - KNOWN_CIRCLES)
    gone = sorted((room, sorted(members)) for room, members in KNOWN_CIRCLES - circles)
    assert new == [], f"new circles of modules inside a room: {new}"
    assert gone == [], f"these circles are gone: remove them from KNOWN_CIRCLES: {gone}"


def test_the_rooms_are_the_installed_apps_in_the_same_order_and_every_package_is_a_room():
    installed = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("willkommen.")]
    assert installed == ROOMS
    assert [*GROUND, *BASE, *DOMAIN] == ROOMS and list(LAYERS) == ["ground", "base", "domain"]
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert packages == sorted(ROOMS)


def test_the_graph_sees_imports_inside_functions_and_circles(tmp_path):
    """The checks can fail: a small package with an upward import inside a function and a circle."""
    root = tmp_path / "willkommen"
    for room in ("core", "cases"):
        (root / room).mkdir(parents=True)
        (root / room / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "core" / "views.py").write_text("def home():\n    from willkommen.cases.views import queue\n")
    (root / "cases" / "views.py").write_text("from . import services\n")
    (root / "cases" / "services.py").write_text("from willkommen.cases import views\nimport willkommen.core\n")
    (root / "cases" / "models.py").write_text('FK = "core.Thing"\n')
    graph = module_graph(root)
    assert upward_imports(graph) == [("willkommen.core.views", 2, "willkommen.cases.views")]
    assert room_cycles(graph) == [["cases", "core"]]
    assert module_circles(graph) == {("cases", frozenset({"services", "views"}))}
    assert graph["willkommen.cases.models"] == {}, "a string reference is no import"


def test_the_hooks_are_registered_at_start_up():
    from willkommen.clients import case_refs, visibility
    from willkommen.core import desk
    from willkommen.letters import services as letters
    from willkommen.messaging import recipients

    assert visibility._team_scopes and case_refs._registered and desk._homes and letters._filers
    assert {"all", "in_progress", "team", "accommodation"} <= set(recipients._groups)
