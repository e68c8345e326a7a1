"""Size limits of the code (how we write code, rule 1; issue 14): no module of site_builder over
300 lines and no function or method over 60, so that each can be read in one sitting. A module
that grows past them is split along a seam (README, "Code map"), not trimmed to fit."""
import ast
from pathlib import Path

from conftest import ROOT

MODULE_LINES = 300
FUNCTION_LINES = 60


def too_long(package: Path) -> list[str]:
    """Each module over MODULE_LINES lines, and each function (a method, a nested function)
    over FUNCTION_LINES from its ``def`` line to its last, as ``path:line: what``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(package.parent).as_posix()
        lines = len(text.splitlines())
        if lines > MODULE_LINES:
            found.append(f"{rel}:1: module of {lines} lines")
        functions = [node for node in ast.walk(ast.parse(text, str(path)))
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in sorted(functions, key=lambda node: node.lineno):
            length = node.end_lineno - node.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{rel}:{node.lineno}: function {node.name} of {length} lines")
    return found


def test_no_module_or_function_is_too_long():
    assert too_long(ROOT / "site_builder") == []


def _function(name: str, body_lines: int, indent: str = "") -> str:
    return f"{indent}def {name}():\n" + "".join(f"{indent}    x = {i}\n" for i in range(body_lines))


def test_the_limits_find_a_long_module_function_and_method(tmp_path):
    """The check bites, at its edges: 60 lines pass and 61 do not, for a function, a method, a
    nested function; 300 lines of a module pass and 301 do not."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "fits.py").write_text(_function("sixty", 59) + "x = 1\n" * 240)  # 60 + 240 = 300 lines
    (package / "sub" / "long.py").write_text(
        _function("sixty_one", 60)                                               # lines 1-61
        + "class A:\n" + _function("method", 60, "    ")                         # 62; 63-123
        + "def outer():\n" + _function("inner", 60, "    ") + "    return inner\n"  # 124; 125-185; 186
        + "y = 2\n" * 115)                                                       # to line 301
    assert too_long(package) == [
        "pkg/sub/long.py:1: module of 301 lines",
        "pkg/sub/long.py:1: function sixty_one of 61 lines",
        "pkg/sub/long.py:63: function method of 61 lines",
        "pkg/sub/long.py:124: function outer of 63 lines",
        "pkg/sub/long.py:125: function inner of 61 lines",
    ]
