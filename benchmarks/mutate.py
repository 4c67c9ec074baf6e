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

Each mutant runs in a forked process against only the tests that execute its line (traced
once, with the unchanged module), fastest first, stopping at the first failure. A mutant is
*killed* when a test fails, errors or times out; it *survives* when every test passes or no
test reaches its line. Mutants listed in :data:`EQUIVALENT` behave exactly like the
original (no test could tell them apart) and are left out of the score, each with its
reason. The changed module is written to a copy of ``src/`` in a temporary folder that is
first on ``sys.path`` and ``PYTHONPATH``, so commands started as subprocesses see it too.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Target:
    path: str  # the module, relative to the repository
    tests: tuple[str, ...]  # the test files that exercise it


# The tests that exercise each module: its own test file and those that go through it
# (the browser, PDF, DOCX and web tests are left out: slow, and they test rendering).
_PLAN_TESTS = (
    "tests/test_rules.py",
    "tests/test_contributions.py",
    "tests/test_groups.py",
    "tests/test_budget_sections.py",
    "tests/test_seed_plan.py",
    "tests/test_properties.py",
    "tests/test_stated.py",
    "tests/test_law.py",
)
_ACTUALS_TESTS = ("tests/test_followup.py", "tests/test_sie.py", "tests/test_exports.py")
TARGETS = {
    "money": Target(
        "src/finsamplan/base/money.py",
        ("tests/test_money.py", "tests/test_rules.py", "tests/test_followup.py"),
    ),
    "budget": Target(
        "src/finsamplan/figures/budget.py",
        (*_PLAN_TESTS, "tests/test_render.py", "tests/test_exports.py"),
    ),
    "rules": Target("src/finsamplan/judge/rules.py", _PLAN_TESTS),
    "actuals": Target("src/finsamplan/figures/actuals.py", _ACTUALS_TESTS),
    "amounts": Target("src/finsamplan/figures/amounts.py", _ACTUALS_TESTS),
    "forecast": Target(
        "src/finsamplan/year/forecast.py",
        (
            "tests/test_forecast.py",
            "tests/test_newplan.py",
            "tests/test_contributions.py",
            "tests/test_stated.py",
        ),
    ),
}

# Mutants that no test can tell from the original, by the key the run prints, with why.
EQUIVALENT: dict[str, dict[str, str]] = {}


@dataclass
class Mutant:
    key: str  # stable across runs as long as the function and the code do not change
    lines: tuple[int, int]  # the original lines it changes
    source: str = field(repr=False)
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
            mutated = _Replace(index, ast.fix_missing_locations(new)).visit(copy.deepcopy(tree))
            lines = (node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno)
            if isinstance(node, ast.If | ast.For | ast.While):
                lines = (node.lineno, node.lineno)  # the header decides whether it ran
            out.append(Mutant(key, lines, ast.unparse(ast.fix_missing_locations(mutated))))
    return out


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


class _Tracer:
    """A pytest plugin that records, per test, the lines of one file that it executes."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.current: set[int] = set()
        self.imports = self.current
        self.by_test: dict[str, set[int]] = {}
        self.durations: dict[str, float] = {}
        self.failed: list[str] = []

    def trace(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if frame.f_code.co_filename != self.filename:
            return None
        self.current.add(frame.f_lineno)
        return self.local

    def local(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "line":
            self.current.add(frame.f_lineno)
        return self.local

    def pytest_runtest_protocol(self, item, nextitem):  # type: ignore[no-untyped-def]
        self.current = self.by_test.setdefault(item.nodeid, set())
        return None

    def pytest_runtest_logreport(self, report):  # type: ignore[no-untyped-def]
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration
        if report.failed:
            self.failed.append(report.nodeid)


_PYTEST_ARGS = ["-q", "-p", "no:cacheprovider", "-o", "addopts=", "--no-header"]


def _worker(folder: Path) -> Path:
    """A copy of src/ with the data folders beside it, as a source checkout has them."""
    shutil.copytree(ROOT / "src", folder / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("plans", "templates", "criteria"):
        (folder / name).symlink_to(ROOT / name)
    return folder / "src"


def _enter(src: Path) -> None:
    """In a forked child: import finsamplan from the copy, print nothing."""
    os.setpgid(0, 0)
    sys.dont_write_bytecode = True  # a mutant of the same size and second would reuse a .pyc
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.path.insert(0, str(src))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(src), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    os.chdir(ROOT)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)


def trace(target: Target, src: Path, out: Path) -> dict[str, object]:
    """Run the target's tests once against the unchanged module: lines per test, times."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _enter(src)
            import pytest

            tracer = _Tracer(str(src.parent / target.path))
            sys.settrace(tracer.trace)
            code = pytest.main([*_PYTEST_ARGS, *target.tests], [tracer])
            sys.settrace(None)
            out.write_text(
                json.dumps(
                    {
                        "code": int(code),
                        "failed": tracer.failed,
                        "imports": sorted(tracer.imports),
                        "tests": {k: sorted(v) for k, v in tracer.by_test.items()},
                        "durations": tracer.durations,
                    }
                )
            )
        finally:
            os._exit(0 if code == 0 else 1)
    os.waitpid(pid, 0)
    return json.loads(out.read_text()) if out.exists() else {"code": 1, "failed": ["?"]}


def _tests_for(m: Mutant, traced: dict[str, object]) -> list[str]:
    tests: dict[str, list[int]] = traced["tests"]  # type: ignore[assignment]
    durations: dict[str, float] = traced["durations"]  # type: ignore[assignment]
    lines = set(range(m.lines[0], m.lines[1] + 1))
    hit = [t for t, covered in tests.items() if lines & set(covered)]
    if not hit and lines & set(traced["imports"]):  # type: ignore[arg-type]
        hit = list(tests)  # runs at import (a constant, a default): every test may see it
    return sorted(hit, key=lambda t: durations.get(t, 0.0))


def _start(m: Mutant, target: Target, src: Path, tests: list[str]) -> int:
    (src.parent / target.path).write_text(m.source, encoding="utf-8")
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _enter(src)
            import pytest

            code = int(pytest.main([*_PYTEST_ARGS, "-x", *tests]))
        finally:
            os._exit(code)
    return pid


# Imported once before forking, so each mutant's process starts with them loaded. Never
# finsamplan itself: each child imports it from its copy of src/.
_PRELOAD = (
    "pytest",
    "hypothesis",
    "pydantic",
    "yaml",
    "ruamel.yaml",
    "rich.console",
    "rich.table",
    "typer",
    "typer.testing",
    "openpyxl",
    "xlsxwriter",
    "jinja2",
    "markdown_it",
)


def run(name: str, jobs: int, timeout: float | None, only: str | None, show: bool) -> dict:
    target = TARGETS[name]
    original = (ROOT / target.path).read_text(encoding="utf-8")
    found = [m for m in mutants(original) if not only or m.key.startswith(only)]
    excused = EQUIVALENT.get(name, {})
    for module in _PRELOAD:
        __import__(module)
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        srcs = [_worker(Path(tmp) / f"w{i}") for i in range(jobs)]
        began = time.monotonic()
        traced = trace(target, srcs[0], Path(tmp) / "trace.json")
        print(f"{name}: traced the tests in {time.monotonic() - began:.0f} s", flush=True)
        began = time.monotonic()
        if traced["code"] != 0:
            sys.exit(f"{name}: the tests fail without any mutant: {traced['failed'][:5]}")
        durations: dict[str, float] = traced["durations"]  # type: ignore[assignment]
        queue = list(found)
        running: dict[int, tuple[Mutant, float, Path]] = {}
        free = list(srcs)
        while queue or running:
            while queue and free:
                m = queue.pop(0)
                if m.key in excused:
                    m.outcome = "excused"
                    continue
                tests = _tests_for(m, traced)
                if not tests:
                    m.outcome = "untested"
                    continue
                src = free.pop()
                # an endless loop is a kill; the limit is well above the tests' own time
                limit = timeout or 20 + 3 * sum(durations.get(t, 0.0) for t in tests)
                running[_start(m, target, src, tests)] = (m, time.monotonic() + limit, src)
            _reap(running, free, target, original)
        print(f"{name}: ran {len(found)} mutants in {time.monotonic() - began:.0f} s")
    return _report(name, found, excused, show)


def _reap(running: dict, free: list[Path], target: Target, original: str) -> None:
    time.sleep(0.05)
    for pid, (m, deadline, src) in list(running.items()):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0 and time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            m.outcome = "timeout"
        elif done == 0:
            continue
        else:
            m.outcome = "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        (src.parent / target.path).write_text(original, encoding="utf-8")
        del running[pid]
        free.append(src)


def _report(name: str, found: list[Mutant], excused: dict[str, str], show: bool) -> dict:
    counts = {k: sum(m.outcome == k for m in found) for k in _OUTCOMES}
    judged = len(found) - counts["excused"]
    caught = counts["killed"] + counts["timeout"]
    score = 100 * caught / judged if judged else 100.0
    print(
        f"{name}: {len(found)} mutants, {caught} killed ({counts['timeout']} by time-out), "
        f"{counts['survived']} survived, {counts['untested']} untested, "
        f"{counts['excused']} excused: {score:.1f} %"
    )
    for m in found:
        if m.outcome in ("survived", "untested") or (show and m.outcome == "excused"):
            print(f"  {m.outcome:9} L{m.lines[0]:<4} {m.key}")
    stale = set(excused) - {m.key for m in found}
    for key in sorted(stale):
        print(f"  stale excuse (no such mutant any more): {key}")
    return {"module": name, "mutants": len(found), "score": round(score, 1), **counts}


_OUTCOMES = ("killed", "timeout", "survived", "untested", "excused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", choices=sorted(TARGETS))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default from a run)")
    parser.add_argument("--only", help="only mutants whose key starts with this (a function)")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--show-excused", action="store_true")
    args = parser.parse_args()
    if args.list:
        for name in args.modules:
            for m in mutants((ROOT / TARGETS[name].path).read_text(encoding="utf-8")):
                if not args.only or m.key.startswith(args.only):
                    print(f"{name} L{m.lines[0]:<4} {m.key}")
        return
    rows = [run(n, args.jobs, args.timeout, args.only, args.show_excused) for n in args.modules]
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
