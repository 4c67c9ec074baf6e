"""The shape of finsamplan's costs, asserted without a clock (times are in benchmarks/).

Memory does not grow with the number of plans validated; results come out in the order of
the files whether checked here or in worker processes; a command imports only what it
uses; and only the command named is turned into a click command.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT, SEED_PLAN

from finsamplan.cli import only_the_command_named, report
from finsamplan.cli.validate import Tally
from finsamplan.judge.batch import PARALLEL_FROM, check_plans

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plans import make_plans


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("plans")
    return make_plans(folder, n=max(64, PARALLEL_FROM + 8), seed=7)


class Sink(io.StringIO):
    """Counts what is written and keeps nothing, like a pipe to another program."""

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def peak_bytes(paths: list[Path]) -> tuple[int, int]:
    """The peak traced memory of validating ``paths`` as JSON, one by one, and the output size."""
    sink, tally = Sink(), Tally(strict=False)
    tracemalloc.start()
    try:
        report.write_json(tally.count(check_plans(paths, workers=1)), tally.summary, sink)
        return tracemalloc.get_traced_memory()[1], sink.size
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_plans(plans: list[Path]) -> None:
    check_plans(plans[:1], workers=1)  # lazy imports and caches before measuring
    list(check_plans(plans[:2], workers=1))
    few, few_out = peak_bytes(plans[:8])
    many, many_out = peak_bytes(plans[:64])
    assert many_out > 6 * few_out  # eight times the plans, and their findings, were written
    assert many < few * 1.25 + 256 * 1024, (few, many)


def test_workers_give_the_same_results_in_the_same_order(plans: list[Path]) -> None:
    assert len(plans) >= PARALLEL_FROM
    alone = list(check_plans(plans, workers=1))
    together = list(check_plans(plans, workers=2))
    assert [r.path for r in together] == [str(p) for p in plans]
    assert together == alone
    assert sum(len(r.findings) for r in alone) > len(plans)  # the plans do have findings


def test_json_is_written_as_json_dumps_would(plans: list[Path]) -> None:
    sink, tally = io.StringIO(), Tally(strict=False)
    report.write_json(tally.count(check_plans(plans[:3], workers=1)), tally.summary, sink)
    payload = json.loads(sink.getvalue())
    assert sink.getvalue() == json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    assert [p["file"] for p in payload["plans"]] == [str(p) for p in plans[:3]]
    assert payload["summary"]["plans"] == 3


def test_no_plans_is_an_empty_list() -> None:
    sink, tally = io.StringIO(), Tally(strict=False)
    report.write_json(iter([]), tally.summary, sink)
    assert json.loads(sink.getvalue())["plans"] == []
    assert sink.getvalue() == json.dumps(json.loads(sink.getvalue()), indent=2) + "\n"


def test_many_plans_show_the_problems_and_a_count_per_code(plans: list[Path]) -> None:
    from typer.testing import CliRunner

    from finsamplan.cli import app

    folder = str(plans[0].parent)
    table = CliRunner().invoke(app, ["validate", folder])
    text = CliRunner().invoke(app, ["validate", folder, "-f", "text"])
    assert table.exit_code == text.exit_code
    problems = [ln for ln in text.stdout.splitlines() if ": fel " in ln or ": varning " in ln]
    assert problems and all(ln in table.stdout.splitlines() for ln in problems)
    assert ": info " not in table.stdout and ": info " in text.stdout
    assert f"Fynd per kod i {len(plans)} planer" in table.stdout
    assert table.stdout.count("Rad ") == 0  # no table per plan
    assert table.stdout.splitlines()[-1] == text.stdout.splitlines()[-1]


def modules_after(*args: str) -> set[str]:
    """The top-level modules a real ``finsamplan`` process has imported when it exits."""
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} | "
        "{m for m in sys.modules if m.startswith('finsamplan.')}), file=sys.stderr))\n"
        "from finsamplan.cli import main\n"
        f"sys.argv = ['finsamplan', *{list(args)!r}]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    return set(eval(result.stderr.strip().splitlines()[-1]))


RENDERING = {"weasyprint", "matplotlib", "xlsxwriter", "openpyxl", "jinja2", "markdown_it"}


def test_validate_imports_no_rendering_library() -> None:
    table = modules_after("validate", str(SEED_PLAN))
    assert "finsamplan.judge.rules" in table  # the command did run
    assert not table & RENDERING, table & RENDERING
    assert "multiprocessing" not in table  # one plan is checked in this process


def test_validate_as_text_imports_no_terminal_library() -> None:
    text = modules_after("validate", str(SEED_PLAN), "--format", "text")
    assert "finsamplan.judge.rules" in text
    assert "rich" not in text and not text & RENDERING


@pytest.mark.parametrize(
    "args, absent",
    [
        (["render", str(SEED_PLAN), "-f", "md", "-o", "{out}"], {"weasyprint", "matplotlib"}),
        (["forecast", str(SEED_PLAN), "-f", "json"], {"rich", "jinja2", "weasyprint"}),
        (["check", str(SEED_PLAN), "-f", "json"], {"rich", "weasyprint", "matplotlib"}),
    ],
)
def test_other_commands_import_only_what_they_use(
    args: list[str], absent: set[str], tmp_path: Path
) -> None:
    modules = modules_after(*(a.format(out=tmp_path / "ut") for a in args))
    assert "finsamplan.plan.model" in modules  # the command did run
    assert not modules & absent, modules & absent


def test_help_builds_no_plan_model() -> None:
    modules = modules_after("--help")
    assert "finsamplan.plan.model" not in modules and "rich" not in modules


def test_only_the_command_named_is_built() -> None:
    from finsamplan.cli import app

    lean = only_the_command_named(["validate", "plan-2023", "-f", "text"])
    assert [c.callback.__name__ for c in lean.registered_commands] == ["validate"]  # type: ignore[union-attr]
    assert only_the_command_named(["--version", "plans"]).registered_commands[0].name == "plans"
    assert len(app.registered_commands) > 5  # the app itself is untouched
    for args in ([], ["--help"], ["valdate"], ["--version"]):
        assert only_the_command_named(args) is app


def test_validate_imports_no_other_commands_module() -> None:
    from finsamplan.cli import COMMANDS

    modules = modules_after("validate", str(SEED_PLAN), "--format", "text")
    others = {f"finsamplan.cli.{m}" for m in COMMANDS.values()} - {"finsamplan.cli.validate"}
    assert "finsamplan.cli.validate" in modules and "finsamplan.judge.rules" in modules
    assert not modules & others, modules & others


def test_every_command_is_in_the_map_of_commands() -> None:
    """COMMANDS names each registered command once, with the module that registers it, in
    the order ``--help`` lists them."""
    from finsamplan.cli import COMMANDS, _name, app

    registered = [(_name(c), c.callback.__module__) for c in app.registered_commands]  # type: ignore[union-attr]
    assert registered == [(name, f"finsamplan.cli.{m}") for name, m in COMMANDS.items()]
