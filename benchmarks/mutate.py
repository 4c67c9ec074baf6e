"""Mutation testing by hand: how many small deliberate changes to a module its tests catch.

    python benchmarks/mutate.py money                # one module
    python benchmarks/mutate.py money budget rules   # several
    python benchmarks/mutate.py rules --jobs 2       # two mutants at a time
    python benchmarks/mutate.py rules --list         # the mutants, without running them
    python benchmarks/mutate.py rules --only within_period   # mutants in one function

Not run in CI (minutes per module). docs/testing.md has the scores and says how to read them.

A mutant is the module with one change: a comparison flipped at its boundary (``<`` ↔
``<=``, ``==`` ↔ ``!=``, ``in`` ↔ ``not in``), ``+`` ↔ ``-``, ``*`` ↔ ``/``, a whole number
one larger, ``True`` ↔ ``False``, ``and`` ↔ ``or``, ``not`` or a unary minus dropped,
``continue`` ↔ ``break``, a statement inside a function replaced by ``pass`` (so also a
changed default argument, a dropped ``return`` or ``yield``). Strings, annotations,
docstrings, imports and decorators are left alone.

How: one pytest session collects the module's test files (:data:`TARGETS`) and runs them
once, recording which lines of the module each test executes. Then each mutant runs in a
forked copy of that session: the mutated function's code (or method's, defaults included)
is swapped into the live function object, so every ``from … import`` of it runs the mutant,
and only the tests that reach the changed lines run, cheapest first (a shared fixture
counts), stopping at the first failure. A mutant is *killed* when a test fails, errors or
outlasts its time limit (an endless loop); it *survives* when they all pass. A mutant that
no traced test reaches is run once more in a new process that imports the changed module
from a copy of ``src/``, against the module's first test file: code that runs only at
import (a decorator registering a rule) is caught there; otherwise it is *untested*, which
counts as surviving. A change in a class body (a dataclass field's default) runs that way
too. Tests slower than ``--slowest`` seconds are left out, and so are the
commands that tests start as subprocesses (they import the unchanged module).

Mutants listed in :data:`EQUIVALENT` behave exactly like the original, so no test can tell
them apart; each has its reason, and they are left out of the score.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime
import importlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Target:
    path: str  # the module, relative to the repository
    tests: tuple[str, ...]  # the test files that exercise it


# The tests that exercise each module: its own test file and those that go through it
# (the browser, PDF, DOCX and web tests are left out: slow, and they test rendering).
_PLAN_TESTS = (
    "tests/test_rules.py",
    "tests/test_rule_figures.py",
    "tests/test_budget_figures.py",
    "tests/test_contributions.py",
    "tests/test_groups.py",
    "tests/test_budget_sections.py",
    "tests/test_seed_plan.py",
    "tests/test_properties.py",
    "tests/test_stated.py",
    "tests/test_law.py",
)
_ACTUALS_TESTS = ("tests/test_exports.py", "tests/test_followup.py", "tests/test_sie.py")
TARGETS = {
    "money": Target(
        "src/finsamplan/base/money.py",
        (
            "tests/test_money.py",
            "tests/test_rounding.py",
            "tests/test_rule_figures.py",
            "tests/test_followup.py",
        ),
    ),
    "budget": Target(
        "src/finsamplan/figures/budget.py",
        (*_PLAN_TESTS, "tests/test_render.py", "tests/test_exports.py"),
    ),
    "rules": Target("src/finsamplan/judge/rules.py", _PLAN_TESTS),
    "actuals": Target("src/finsamplan/figures/actuals.py", _ACTUALS_TESTS),
    "amounts": Target(
        "src/finsamplan/figures/amounts.py", (*_ACTUALS_TESTS, "tests/test_import.py")
    ),
    "forecast": Target(
        "src/finsamplan/year/forecast.py",
        (
            "tests/test_forecast_figures.py",
            "tests/test_forecast.py",
            "tests/test_newplan.py",
            "tests/test_contributions.py",
            "tests/test_stated.py",
        ),
    ),
}

# Mutants that no test can tell from the original, by the key the run prints, with why.
_FALLS_THROUGH = "without it the value falls through to the last line, which raises the same"
_EXPONENT = "quantize takes only the exponent of its argument: Decimal(2) has that of Decimal(1)"
_ONLY_CONTRIBUTIONS = (
    "every caller names a side, and a line that is no contribution has no member (REF003), "
    "so the member lookup that follows skips it all the same"
)
_NOTHING_PAID = (
    "contributions are never negative (only equity may be), so a year of none has state and "
    "others at 0 and no difference to report"
)
_ISO_DATE = (
    "a date's str() is its ISO form (2023-10-31), which the first pattern reads back to the "
    "same date"
)
_TRUTH = "the result is only tested for truth, and None is as false as False"
_TYPING_ASSERT = "the plan model guarantees it: the assert only tells mypy the type"
_FULL_YEAR = "a base year of all 12 months makes the rate value × 12 / 12: the same value"
_NOT_AN_EVALUATION = (
    "whether a choice names its row matters only for an evaluation line; the state's "
    "allocation and the reserve never are one"
)
_MEMBER_ONLY_ON_CONTRIBUTIONS = (
    "the loader lets only a contribution name a member, and every contribution must (REF003): "
    "the two conditions pick the same lines"
)
_UNREACHABLE = "the line before raised: never reached (pragma: no cover)"
EQUIVALENT: dict[str, dict[str, str]] = {
    "money": {
        "parse_share: if isinstance(value, bool) → pass": "a bool is an int: " + _FALLS_THROUGH,
        "parse_share: raise MoneyFormatError(str(value)) → pass": "a bool is an int, refused next",
        "parse_share: if isinstance(value, int) → pass": _FALLS_THROUGH,
        "parse_share: raise MoneyFormatError(str(value)) → pass #2": _FALLS_THROUGH,
        "parse_share: raise MoneyFormatError(value) from exc → pass": "unreachable: the "
        "regular expression admits only what Decimal reads (pragma: no cover)",
        "round_places: 1 → 2": _EXPONENT,
        "round_kronor: 1 → 2 #3": _EXPONENT,
    },
    "rules": {
        "Context.contribution_path: if inc.kind != 'contribution' or inc.member is None → pass": (
            _ONLY_CONTRIBUTIONS
        ),
        "Context.contribution_path: inc.kind != 'contribution' or inc.member is None → "
        "inc.kind != 'contribution' and inc.member is None": _ONLY_CONTRIBUTIONS,
        "Context.contribution_path: continue → pass": _ONLY_CONTRIBUTIONS,
        "fifty_fifty: if t.contributions == 0 → pass": _NOTHING_PAID,
        "fifty_fifty: continue → pass": _NOTHING_PAID,
        "_balance_severity: col.year > ctx.plan.year → col.year >= ctx.plan.year": "the plan "
        "year itself has returned on the line before",
    },
    "actuals": {
        "parse_date: if isinstance(value, date) → pass": _ISO_DATE,
        "parse_date: return value → pass": _ISO_DATE,
        "read_bytes: 1 → 2": "a file over the limit is refused whether one byte or two past it "
        "were read",
        "_row_test.is_row: return False → pass #2": _TRUTH,
        "_Rows.stated_total: return False → pass": _TRUTH,
        "_Rows.stated_total: if not self.words → pass": "without words the search below finds "
        "nothing: the early return only saves the work",
        "_csv_header: raise AssertionError('unreachable') → pass": _UNREACHABLE,
        "_table_header: raise AssertionError('unreachable') → pass": _UNREACHABLE,
        "_xlsx_rows: wb.close() → pass": "the workbook is read from bytes in memory: closing it "
        "frees nothing a reader can see",
        "_Rows.finish: r > last.row → r >= last.row": "a row is in one list only: no read or "
        "refused row has the number of the total row",
        "Bucket: 0 → 1": "every Bucket is built with its count of unknown amounts (0 in "
        "_bucket, counted for the malformed rows): the default is never read",
        "Import: 0 → 1": "every reader sets physical_rows (CSV and XLSX from the table, SIE "
        "from its line count): the default is never read",
    },
    "amounts": {
        "decide: 1 → 2": "every cell counts 2 instead of 1: the conventions with the most "
        "support are the same",
    },
    "forecast": {
        "ForecastResult.source_summary: continue → break": "every row has a source in every "
        "forecast year (series and the state's and equity's loops fill each one): a key without "
        "one has none at all, and stopping or going on gives the same empty summary",
        "frame: plan.year < col.year <= last → plan.year <= col.year <= last": "the plan "
        "year is already in columns, and setdefault keeps it",
        "Row.since: y < year → y <= year": "since is asked only for a year the plan states no "
        "figure for (figure returns the plan's own first), so no known year equals it",
        "factor: assert a.index is not None → pass": _TYPING_ASSERT,
        "_once: assert isinstance(once, dict) → pass": _TYPING_ASSERT,
        "_pro_rata: 0 < before < 12 → 0 < before <= 12": _FULL_YEAR,
        "_pro_rata: 12 → 13": _FULL_YEAR,
        "scenario_choice: return None → pass #2": "a function that ends returns None as well",
        "_single: True → False": _NOT_AN_EVALUATION,
        "_single: True → False #2": _NOT_AN_EVALUATION,
        "_weight: 1 → 2": "on a side of two or more payers every member has a key or none "
        "(check_keys refuses a mix): without keys all weights are equal, and equal weights "
        "split alike whatever their value",
        "build: 1 → 2": "-2, like -1, is no line's index: without an equity line no line "
        "takes the equity's figures",
        "_differences: True → False": "the projection keeps every table of the plan, so "
        "the two lists are as long and strict has nothing to check",
        "_differences: 0 → 1": "every row of the projected budget has every forecast year: "
        "the default is never used",
        "_carried_base: 0 → 1": "Frame.known gives a row every column's year, the plan year "
        "included, and since is the plan year or one of those: the default is never read",
        "equity_series: year - 1 → year + 1 #3": "the default names a year that is no column, "
        "and room_spent may name only columns (REF010): no statement is found either way",
        "build: -1 → 1": "without an equity line every income line is a contribution or other "
        "income, whose figures come first (figs.income): no line reaches the equity branch",
        "split_state: True → False": "apportion returns one amount per weight: zip has "
        "nothing to check",
        "contributions: inc.kind == 'contribution' and inc.member → inc.kind == "
        "'contribution' or inc.member": _MEMBER_ONLY_ON_CONTRIBUTIONS,
    },
    "budget": {
        "compute: inc.kind == 'contribution' and inc.member → inc.kind == 'contribution' or "
        "inc.member": _MEMBER_ONLY_ON_CONTRIBUTIONS,
    },
}


@dataclass
class Mutant:
    key: str  # stable across runs as long as the function and the code do not change
    lines: tuple[int, int]  # the original lines it changes
    index: int  # the changed node, counted as :func:`_walk` counts
    new: ast.AST = field(repr=False)  # what replaces it
    scope: str  # the function or method whose code is swapped ("" at module level)
    span: tuple[int, int] = (0, 0)  # the lines of that function, for a change in its signature
    outcome: str = ""  # killed, survived, timeout, untested, excused


# --- making mutants -------------------------------------------------------------------------

_COMPARE = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
_SKIP_STMT = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Import,
    ast.ImportFrom,
    ast.Pass,
    ast.Global,
    ast.Nonlocal,
)


def _skipped(tree: ast.Module) -> set[int]:
    """Ids of nodes never mutated: annotations, docstrings, decorators, imports, __all__."""
    out: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            out.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            skip(node.returns)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for d in node.decorator_list:
                skip(d)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip(body[0])
        if isinstance(node, ast.Import | ast.ImportFrom):
            skip(node)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            skip(node)
    return out


def _functions(tree: ast.Module) -> dict[int, str]:
    """The qualified name of the function (or class) around every node, by node id."""
    where: dict[int, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = name
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{name}.{child.name}" if name else child.name
            where[id(child)] = inner
            visit(child, inner)

    visit(tree, "")
    return where


def _changes(node: ast.AST, in_function: bool) -> Iterator[tuple[str, ast.AST]]:
    """(what, the node changed) for each mutation of one node, the node itself untouched."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARE:
                new = copy.deepcopy(node)
                new.ops[i] = _COMPARE[type(op)]()
                yield "compare", new
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP:
        if not (isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
            new = copy.deepcopy(node)
            new.op = _BINOP[type(node.op)]()
            yield "arith", new
    elif isinstance(node, ast.AugAssign) and type(node.op) in _BINOP:
        new = copy.deepcopy(node)
        new.op = _BINOP[type(node.op)]()
        yield "arith", new
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "boolop", new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        yield "unary", copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            yield "constant", ast.Constant(not node.value)
        elif isinstance(node.value, int):
            yield "constant", ast.Constant(node.value + 1)
    elif isinstance(node, ast.Name) and node.id == "ROUND_HALF_UP":
        yield "rounding", ast.parse("__import__('decimal').ROUND_HALF_EVEN", mode="eval").body
    elif isinstance(node, ast.Continue):
        yield "loop", ast.Break()
    elif isinstance(node, ast.Break):
        yield "loop", ast.Continue()
    if in_function and isinstance(node, ast.stmt) and not isinstance(node, _SKIP_STMT):
        yield "remove", ast.Pass()


class _Replace(ast.NodeTransformer):
    def __init__(self, target: int, new: ast.AST) -> None:
        self.target, self.new, self.count = target, new, -1

    def generic_visit(self, node: ast.AST) -> ast.AST:
        return super().generic_visit(node)

    def visit(self, node: ast.AST) -> ast.AST:
        self.count += 1
        if self.count == self.target:
            return self.new
        return self.generic_visit(node)


def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 70 else text[:67] + "..."


def mutants(source: str) -> list[Mutant]:
    """Every mutant of a module's source, in the order of the code."""
    tree = ast.parse(source)
    skipped, functions = _skipped(tree), _functions(tree)
    nodes = list(_walk(tree))
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(nodes):
        if id(node) in skipped:
            continue
        func = functions.get(id(node), "")
        in_function = isinstance(node, ast.stmt) and _in_function(func, tree)
        for kind, new in _changes(node, in_function):
            before, after = _short(node), _short(new) if not isinstance(new, ast.Pass) else "pass"
            if kind == "remove":
                before = before.split(":")[0] if isinstance(node, ast.If | ast.For) else before
            base = f"{func or '<module>'}: {before} → {after}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base} #{seen[base]}"
            lines = (node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno)
            if isinstance(node, ast.If | ast.For | ast.While):
                lines = (node.lineno, node.lineno)  # the header decides whether it ran
            scope = _scope(func, tree)
            span = (0, 0)
            if scope:
                fn = _find(tree, scope)
                if node.lineno < fn.body[0].lineno:  # a default: runs when the def does
                    span = (fn.lineno, fn.end_lineno or fn.lineno)
            out.append(Mutant(key, lines, index, new, scope, span))
    return out


def _find(tree: ast.Module, scope: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    node: ast.AST = tree
    for name in scope.split("."):
        node = next(n for n in ast.iter_child_nodes(node) if getattr(n, "name", None) == name)
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


def _scope(func: str, tree: ast.Module) -> str:
    """The top-level function or method (``Class.method``) that holds a qualified name."""
    parts = func.split(".") if func else []
    if parts and _in_function(parts[0], tree):
        return parts[0]
    if len(parts) >= 2 and _in_function(".".join(parts[:2]), tree):
        return ".".join(parts[:2])
    return ""  # the module or a class body


def _walk(tree: ast.AST) -> Iterator[ast.AST]:
    """Nodes in the order :class:`_Replace` counts them (pre-order, fields in order)."""
    yield tree
    for child in ast.iter_child_nodes(tree):
        yield from _walk(child)


def _in_function(func: str, tree: ast.Module) -> bool:
    """Whether a qualified name is a function (a statement there may be removed)."""
    node: ast.AST = tree
    for part in func.split(".") if func else []:
        node = next(
            n
            for n in ast.iter_child_nodes(node)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and n.name == part
        )
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)


# --- running them -------------------------------------------------------------------------


def _swap(module: ModuleType, tree: ast.Module, m: Mutant) -> bool:
    """In a forked child: give the module the mutant. The function's (or method's) code and
    defaults are replaced in place, so every reference to it, ``from … import`` included,
    runs the mutant; a module-level statement is executed again in the module's namespace.
    False for a mutant in a class body, which cannot be swapped in."""
    ast.fix_missing_locations(_Replace(m.index, m.new).visit(tree))
    if not m.scope:
        line = m.lines[0]
        stmt = next(s for s in tree.body if s.lineno <= line <= (s.end_lineno or s.lineno))
        if isinstance(stmt, ast.ClassDef):
            return False
        exec(compile(ast.Module([stmt], []), module.__file__ or "", "exec"), module.__dict__)
        return True
    holder: object = module
    for name in m.scope.split("."):
        holder = vars(holder)[name]
    node = _find(tree, m.scope)
    node.decorator_list = []
    scratch: dict[str, object] = {}
    code = compile(ast.Module([node], []), module.__file__ or "", "exec")
    exec(code, module.__dict__, scratch)
    new, real = scratch[node.name], _unwrap(holder)
    real.__code__ = new.__code__  # type: ignore[attr-defined]
    real.__defaults__ = new.__defaults__  # type: ignore[attr-defined]
    real.__kwdefaults__ = new.__kwdefaults__  # type: ignore[attr-defined]
    return True


def _in_class_body(tree: ast.Module, m: Mutant) -> bool:
    """A change to a class body (a dataclass field's default) cannot be swapped in."""
    if m.scope:
        return False
    line = m.lines[0]
    stmt = next(s for s in tree.body if s.lineno <= line <= (s.end_lineno or s.lineno))
    return isinstance(stmt, ast.ClassDef)


def _unwrap(obj: object) -> object:
    """The plain function behind a property, a static or class method, or a cache."""
    if isinstance(obj, property):
        obj = obj.fget
    if isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    while hasattr(obj, "__wrapped__"):
        obj = obj.__wrapped__
    return obj


class _Mutator:
    """A pytest plugin: after collecting the target's tests once, it runs them all while
    recording which lines of the module each executes, then runs each mutant in a forked
    copy of this process against the tests that reach its lines."""

    def __init__(self, name: str, found: list[Mutant], args: argparse.Namespace) -> None:
        self.name, self.found, self.args = name, found, args
        self.target = TARGETS[name]
        self.failed: list[str] = []
        self.durations: dict[str, float] = {}
        self.shared: dict[str, float] = {}
        self.costs: dict[str, float] = {}
        self.by_test: dict[str, set[int]] = {}
        self.current: set[int] = set()
        self.filename = ""
        self.out = os.fdopen(os.dup(1), "w")  # pytest captures fd 1 while it runs

    def say(self, text: str, end: str = "\n") -> None:
        print(text, end=end, file=self.out, flush=True)

    # tracing: which lines of the module each test executes
    def trace(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if frame.f_code.co_filename != self.filename:
            return None
        self.current.add(frame.f_lineno)
        return self.local

    def local(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "line":
            self.current.add(frame.f_lineno)
        return self.local

    def pytest_runtest_logreport(self, report):  # type: ignore[no-untyped-def]
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration
        if report.failed:
            self.failed.append(report.nodeid)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):  # type: ignore[no-untyped-def]
        """The time of fixtures shared by many tests: the first test pays it in a run, but
        each mutant's run pays it again."""
        began = time.monotonic()
        yield
        if fixturedef.scope != "function":
            spent = time.monotonic() - began
            self.shared[fixturedef.argname] = max(self.shared.get(fixturedef.argname, 0), spent)

    def cost(self, item: pytest.Item) -> float:
        """What a test costs in a mutant's run: its own time and its shared fixtures'."""
        names = getattr(item, "fixturenames", ())
        return self.durations[item.nodeid] + sum(self.shared.get(n, 0.0) for n in names)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):  # type: ignore[no-untyped-def]
        dotted = self.target.path.removeprefix("src/").removesuffix(".py").replace("/", ".")
        self.module = importlib.import_module(dotted)
        self.filename = self.module.__file__ or ""
        items = list(session.items)
        began = time.monotonic()
        sys.settrace(self.trace)
        for i, item in enumerate(items):
            self.current = self.by_test.setdefault(item.nodeid, set())
            nextitem = items[i + 1] if i + 1 < len(items) else None
            item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        sys.settrace(None)
        self.costs = {item.nodeid: self.cost(item) for item in items}
        self.say(f"\n{self.name}: traced {len(items)} tests in {time.monotonic() - began:.0f} s")
        if self.failed:
            self.say(f"{self.name}: the tests fail without any mutant: {self.failed[:5]}")
            session.testsfailed = 1
            return True
        began = time.monotonic()
        self.mutate({item.nodeid: item for item in items})
        spent = time.monotonic() - began
        self.say(f"\n{self.name}: ran {len(self.found)} mutants in {spent:.0f} s")
        return True

    def tests_for(self, m: Mutant) -> list[str]:
        lines = set(range(m.lines[0], m.lines[1] + 1))
        if m.span != (0, 0):
            lines = set(range(m.span[0], m.span[1] + 1))
        fast = {t: c for t, c in self.by_test.items() if self.costs[t] <= self.args.slowest}
        hit = [t for t, covered in fast.items() if lines & covered]
        if not m.scope:
            hit = list(fast)  # runs at import, before tracing (a constant): any test may see it
        return sorted(hit, key=lambda t: self.costs[t])

    def mutate(self, items: dict[str, pytest.Item]) -> None:
        tree = ast.parse(Path(self.filename).read_text(encoding="utf-8"))
        excused = EQUIVALENT.get(self.name, {})
        queue = list(self.found)
        running: dict[int, tuple[Mutant, float]] = {}
        while queue or running:
            while queue and len(running) < self.args.jobs:
                m = queue.pop(0)
                tests = self.tests_for(m)
                if m.key in excused or not tests or _in_class_body(tree, m):
                    m.outcome = "excused" if m.key in excused else self.cold(tree, m)
                    self.progress(m)
                    continue
                limit = self.args.timeout or 20 + 3 * sum(self.costs[t] for t in tests)
                pid = os.fork()
                if pid == 0:
                    self.child(tree, m, [items[t] for t in tests])
                running[pid] = (m, time.monotonic() + limit)
                if self.args.verbose:
                    self.say(f"\n  {m.key}: {len(tests)} tests, first {tests[:3]}")
            self.reap(running)

    def cold(self, tree: ast.Module, m: Mutant) -> str:
        """A mutant in code that runs only at import (a decorator registering a rule, a
        dataclass field's default) or that no traced test reaches: the module's own test
        file, in a new process that imports the changed module from a copy of src/, tells."""
        import shutil
        import subprocess
        import tempfile

        mutated = copy.deepcopy(tree)
        source = ast.unparse(ast.fix_missing_locations(_Replace(m.index, m.new).visit(mutated)))
        with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
            shutil.copytree(ROOT / "src", Path(tmp) / "src", ignore=shutil.ignore_patterns("__py*"))
            for name in ("plans", "templates", "criteria"):  # where a checkout has them
                (Path(tmp) / name).symlink_to(ROOT / name)
            (Path(tmp) / self.target.path).write_text(source, encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            args = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
            try:
                done = subprocess.run(
                    [*args, "-o", "addopts=", self.target.tests[0]],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    timeout=self.args.timeout or 300,
                )
            except subprocess.TimeoutExpired:
                return "timeout"
        return "untested" if done.returncode == 0 else "killed"

    def child(self, tree: ast.Module, m: Mutant, tests: list[pytest.Item]) -> None:
        code = 3
        try:
            os.setpgid(0, 0)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            if not _swap(self.module, tree, m):
                code = 4
                return
            for value in vars(self.module).values():  # results cached from the original
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
            self.failed = []
            for i, item in enumerate(tests):
                nextitem = tests[i + 1] if i + 1 < len(tests) else None
                item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                if self.failed:
                    code = 1
                    return
            code = 0
        finally:
            os._exit(code)

    def reap(self, running: dict[int, tuple[Mutant, float]]) -> None:
        time.sleep(0.02)
        for pid, (m, deadline) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0 and time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                m.outcome = "timeout"
            elif done == 0:
                continue
            else:
                code = os.waitstatus_to_exitcode(status)
                m.outcome = {0: "survived", 4: "class body"}.get(code, "killed")
            self.progress(m)
            del running[pid]

    def progress(self, m: Mutant) -> None:
        """A letter per mutant as it ends, and a line for each one that lived."""
        if m.outcome in ("survived", "untested", "class body"):
            self.say(f"\n  {m.outcome:9} L{m.lines[0]:<4} {m.key}")
        else:
            self.say(m.outcome[0], end="")


def run(name: str, args: argparse.Namespace) -> dict[str, object]:
    target = TARGETS[name]
    found = mutants((ROOT / target.path).read_text(encoding="utf-8"))
    found = [m for m in found if not args.only or m.key.startswith(args.only)]
    mutator = _Mutator(name, found, args)
    os.chdir(ROOT)
    flags = ["-q", "-s", "-p", "no:cacheprovider", "-o", "addopts=", "--no-header"]
    pytest.main([*flags, *target.tests], plugins=[mutator])
    return _report(name, found, EQUIVALENT.get(name, {}), args.show_excused)


def _report(name: str, found: list[Mutant], excused: dict[str, str], show: bool) -> dict:
    counts = {k: sum(m.outcome == k for m in found) for k in _OUTCOMES}
    judged = len(found) - counts["excused"]
    caught = counts["killed"] + counts["timeout"]
    score = 100 * caught / judged if judged else 100.0
    print(
        f"{name}: {len(found)} mutants, {caught} killed ({counts['timeout']} by time-out), "
        f"{counts['survived']} survived, {counts['untested']} untested, "
        f"{counts['class body']} in class bodies, "
        f"{counts['excused']} excused: {score:.1f} %"
    )
    for m in found:
        if m.outcome in ("survived", "untested", "class body") or (show and m.outcome == "excused"):
            print(f"  {m.outcome:9} L{m.lines[0]:<4} {m.key}")
    stale = set(excused) - {m.key for m in found}
    for key in sorted(stale):
        print(f"  stale excuse (no such mutant any more): {key}")
    return {"module": name, "mutants": len(found), "score": round(score, 1), **counts}


_OUTCOMES = ("killed", "timeout", "survived", "untested", "class body", "excused")


def _apart(name: str, args: argparse.Namespace) -> dict[str, object]:
    """One module's run in a process of its own: a second pytest session in the same process
    would reuse the test modules the first imported."""
    import json
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                Path(out.name).write_text(json.dumps(run(name, args)), encoding="utf-8")
                code = 0
            finally:
                sys.stdout.flush()
                os._exit(code)
        os.waitpid(pid, 0)
        text = Path(out.name).read_text(encoding="utf-8")
    if not text:
        sys.exit(f"{name}: the run failed")
    result: dict[str, object] = json.loads(text)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", choices=sorted(TARGETS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default from a run)")
    parser.add_argument("--only", help="only mutants whose key starts with this (a function)")
    parser.add_argument(
        "--slowest",
        type=float,
        default=5.0,
        help="leave out tests that took longer than this many seconds in the traced run",
    )
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--show-excused", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print each mutant's tests")
    args = parser.parse_args()
    if args.list:
        for name in args.modules:
            for m in mutants((ROOT / TARGETS[name].path).read_text(encoding="utf-8")):
                if not args.only or m.key.startswith(args.only):
                    print(f"{name} L{m.lines[0]:<4} {m.key}")
        return
    rows = [_apart(n, args) for n in args.modules]
    print(f"\n{datetime.date.today()}")
    print("| Module | Mutants | Killed | Survived | Untested | Excused | Score |")
    print("|:---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        caught = r["killed"] + r["timeout"]
        print(
            f"| {r['module']} | {r['mutants']} | {caught} | {r['survived']} | {r['untested']} "
            f"| {r['excused']} | {r['score']} % |"
        )


if __name__ == "__main__":
    main()
