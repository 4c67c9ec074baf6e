"""The shape of the code itself: functions short enough to read at once, one rounding.

These tests read ``src/`` as text (``ast`` for functions, a pattern for rounding calls), so
they fail the moment someone writes a 120-line function or rounds a Decimal by hand.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "finsamplan"
MAX_LINES = 60
REASON = "Long because:"


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _long_functions() -> list[tuple[str, str, int, int]]:
    """Every function longer than the limit without a written reason: (module, name, line,
    length), the module relative to the package."""
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            doc = ast.get_docstring(node) or ""
            reasoned = any(line.strip().startswith(REASON) for line in doc.splitlines())
            if length > MAX_LINES and not reasoned:
                found.append((path.relative_to(SRC).as_posix(), node.name, node.lineno, length))
    return found


def test_the_package_is_there() -> None:
    """The checks below would pass on an empty folder."""
    assert len(_modules()) > 50
    assert (SRC / "base" / "money.py").is_file()


def test_no_function_is_longer_than_sixty_lines_without_a_reason() -> None:
    long = _long_functions()
    assert long == [], "\n".join(
        f"src/finsamplan/{m}:{line}: {name} has {n} lines; split it or write "
        f"'{REASON} …' in its docstring"
        for m, name, line, n in long
    )


def test_the_length_check_finds_a_long_function(tmp_path: Path) -> None:
    """The ast walk counts a function's lines and honours a written reason."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    plain = ast.parse(f"def f() -> None:\n{body}\n").body[0]
    assert isinstance(plain, ast.FunctionDef) and plain.end_lineno == MAX_LINES + 1
    reasoned = ast.parse(f'def f() -> None:\n    """Why.\n\n    {REASON} x."""\n{body}\n')
    doc = ast.get_docstring(reasoned.body[0]) or ""  # type: ignore[arg-type]
    assert any(line.startswith(REASON) for line in doc.splitlines())


# --- one rounding ---------------------------------------------------------------------------

ROUNDING = re.compile(r"\bquantize\(|\bround\(")
MONEY = SRC / "base" / "money.py"


def _rounding_calls() -> list[str]:
    hits = []
    for path in _modules():
        if path == MONEY:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROUNDING.search(line.split("#", 1)[0]):
                hits.append(f"src/finsamplan/{path.relative_to(SRC).as_posix()}:{number}: {line}")
    return hits


def test_every_rounding_goes_through_money() -> None:
    """base/money.py rounds, half up, once: a bare ``quantize(`` rounds half-even (the
    context's default) and ``round()`` does too, so neither may appear anywhere else."""
    assert _rounding_calls() == []


@pytest.mark.parametrize(
    "line",
    [
        'x = value.quantize(Decimal("0.01"))',
        "x = round(value)",
        "x = round(value, 2)",
        "return fr.round(value)",
    ],
)
def test_the_rounding_pattern_finds_a_bare_rounding(line: str) -> None:
    assert ROUNDING.search(line)


@pytest.mark.parametrize("line", ["x = round_kronor(value)", "x = money.round_ore(v)"])
def test_the_rounding_pattern_lets_the_money_functions_by(line: str) -> None:
    assert not ROUNDING.search(line)


def test_money_rounds_half_up() -> None:
    """The one rounding mode named in money.py is half up; no other mode is imported."""
    text = MONEY.read_text(encoding="utf-8")
    assert "ROUND_HALF_UP" in text
    assert not re.search(r"ROUND_(?!HALF_UP)\w+", text)
    others = [p for p in _modules() if p != MONEY and "ROUND_" in p.read_text(encoding="utf-8")]
    assert others == []


# --- one idea, one place ----------------------------------------------------------------------

LAYERS = ("base", "plan", "figures", "judge", "year", "render", "web", "cli")
"""The package's folders from the ground up; each imports only its own and those below."""


def _imported_folders(path: Path) -> set[str]:
    """The package folders a module imports from, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "finsamplan":
                names = [f"finsamplan.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("finsamplan.")}
    return found & set(LAYERS)


def test_each_folder_imports_only_folders_below_it() -> None:
    upward = []
    for path in _modules():
        parts = path.relative_to(SRC).parts
        if len(parts) == 1:
            continue  # the package's own __init__ and __main__
        mine = LAYERS.index(parts[0])
        upward += [
            f"{path.relative_to(SRC).as_posix()} imports {other}"
            for other in sorted(_imported_folders(path))
            if LAYERS.index(other) > mine
        ]
    assert upward == []
    assert {p.relative_to(SRC).parts[0] for p in _modules() if p.parent != SRC} == set(LAYERS)


PLAN_COLUMN = re.compile(r'year == \w+\.year and \w+\.kind == "budgetplan"|kind == "budgetplan"')


def test_the_plan_year_column_is_looked_up_in_one_place() -> None:
    """``Plan.plan_column`` finds the plan year's column; nothing else looks for it (the
    importer's guess of a sheet's columns is not a plan, and is let by)."""
    allowed = {SRC / "plan" / "model.py", SRC / "year" / "importer" / "headers.py"}
    elsewhere = [
        f"{path.relative_to(SRC).as_posix()}:{n}: {line.strip()}"
        for path in _modules()
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PLAN_COLUMN.search(line)
    ]
    assert elsewhere == []
    model = (SRC / "plan" / "model.py").read_text(encoding="utf-8")
    assert len(PLAN_COLUMN.findall(model)) == 1


def test_no_module_imports_another_modules_private_names() -> None:
    """What modules share is public (cli/common.py for the commands); a name with a leading
    underscore stays in its module."""
    private = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("finsamplan"):
                private += [
                    f"{path.relative_to(SRC).as_posix()}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert private == []
