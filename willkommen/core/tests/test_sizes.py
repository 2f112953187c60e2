"""Small modules, short functions (the project's rule, docs/architecture.md): no function in willkommen/ is
longer than 60 lines (from its ``def`` to its last line, nested functions counted in their parent), and no
services module (``services.py``, or a module of a ``services`` package) longer than 400 lines. Tests and
migrations are not looked at. There is no allow-list: a long function is split into named steps."""

import ast
from pathlib import Path

MAX_FUNCTION_LINES = 60
MAX_SERVICES_LINES = 400
ROOT = Path(__file__).resolve().parents[2]  # the willkommen package


def _modules(root):
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _is_services(path):
    return path.stem == "services" or path.parent.name == "services"


def oversized(root):
    """["path: what is too long"] for every function over 60 lines and services module over 400 lines."""
    found = []
    for path in _modules(root):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(root.parent).as_posix()
        lines = source.count("\n")
        if _is_services(path) and lines > MAX_SERVICES_LINES:
            found.append(f"{name}: module of {lines} lines (at most {MAX_SERVICES_LINES})")
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{name}: {node.name}() has {length} lines (line {node.lineno})")
    return found


def test_no_function_over_60_lines_and_no_services_module_over_400():
    found = oversized(ROOT)
    assert found == [], "split these into named steps or smaller modules:\n" + "\n".join(found)


def _function(name, lines):
    body = "".join(f"    x = {i}\n" for i in range(lines - 1))
    return f"def {name}():\n{body}"


def test_the_check_finds_a_long_function_and_a_long_services_module(tmp_path):
    """The check can fail: a planted 61-line function and 401-line services modules are named, a 60-line
    function, a long test and a long migration are not."""
    root = tmp_path / "willkommen"
    for folder in ("room", "room/tests", "room/migrations", "other/services"):
        (root / folder).mkdir(parents=True)
    (root / "room" / "views.py").write_text(_function("long_view", 61) + "\n\n" + _function("fits", 60))
    (root / "room" / "tests" / "test_x.py").write_text(_function("test_long", 80))
    (root / "room" / "migrations" / "0001_initial.py").write_text(_function("forwards", 80))
    (root / "room" / "services.py").write_text("x = 1\n" * 401)
    (root / "other" / "services" / "sending.py").write_text("x = 1\n" * 401)
    (root / "other" / "selectors.py").write_text("x = 1\n" * 401)  # only services modules have a size limit

    assert oversized(root) == [
        "willkommen/other/services/sending.py: module of 401 lines (at most 400)",
        "willkommen/room/services.py: module of 401 lines (at most 400)",
        "willkommen/room/views.py: long_view() has 61 lines (line 1)",
    ]
