"""One error record, one error base, one line format, and a crash that says it is a bug.

A problem is a ``Finding`` with a place; what stops a command is a ``FinsamplanError``
(base/errors.py) carrying its message, findings and exit code; the command line catches that
one base in one place (cli/common.py ``run_guarded``). Anything else escaping a command is an
internal error: a short Swedish message asking for a bug report, exit 3.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

import finsamplan
from finsamplan.base.errors import EXIT_BUG, EXIT_INPUT, FinsamplanError
from finsamplan.base.findings import Finding, Severity
from finsamplan.cli import app

runner = CliRunner()


# --- one line format --------------------------------------------------------------------------


def test_a_finding_is_one_line_with_its_place_level_code_and_message() -> None:
    f = Finding("FIN030", Severity.WARNING, "eget kapital över taket", file="p.yaml", line=57)
    assert f.at("p.yaml", 57, 5).as_line() == "p.yaml:57:5: varning FIN030 eget kapital över taket"
    row = Finding("ACT004", Severity.ERROR, "beloppet kan läsas på två sätt", file="e.csv", line=12)
    assert row.as_line() == "e.csv:12: fel ACT004 beloppet kan läsas på två sätt"
    bare = Finding("FIN071", Severity.INFO, "datum saknas")
    assert bare.as_line() == "<plan>: info FIN071 datum saknas"
    cell = Finding("IMP012", Severity.ERROR, "inte hela kronor", file="b.xlsx", cell="B4")
    assert cell.as_line() == "b.xlsx:B4: fel IMP012 inte hela kronor"


def test_the_documented_line_format_is_the_printed_one() -> None:
    """README and docs/reliability.md name the format exactly as ``as_line`` prints it."""
    shown = "`file:line:col: nivå CODE message`"
    assert shown in (ROOT / "README.md").read_text("utf-8")
    assert shown in (ROOT / "docs" / "reliability.md").read_text("utf-8")


def test_validate_text_prints_the_documented_format(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text("format: 1\ntitle: [\n", "utf-8")
    result = runner.invoke(app, ["validate", str(bad), "--format", "text"])
    assert result.exit_code == EXIT_INPUT
    assert result.stdout.startswith(f"{bad}:3:1: fel YAML001 ")


# --- one error base ---------------------------------------------------------------------------


def _finsamplan_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in the package (each module imported)."""
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(finsamplan.__path__, "finsamplan."):
        if info.name in ("finsamplan.__main__",):
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == info.name:
                found.append(obj)
    return found


def test_every_exception_of_finsamplan_derives_from_one_base() -> None:
    classes = _finsamplan_exceptions()
    names = {c.__name__ for c in classes}
    assert {"PlanNotFound", "ProfileError", "FollowupError", "RefusedOverwrite"} <= names
    assert [c.__name__ for c in classes if not issubclass(c, FinsamplanError)] == []


def test_an_error_with_findings_is_their_lines_and_keeps_them() -> None:
    f = Finding("ACT001", Severity.ERROR, "exporten saknar rubrikrad", file="e.csv", line=1)
    exc = FinsamplanError(findings=[f])
    assert str(exc) == "e.csv:1: fel ACT001 exporten saknar rubrikrad"
    assert exc.findings == (f,) and exc.exit_code == EXIT_INPUT
    assert FinsamplanError("x", exit_code=1).exit_code == 1


def test_an_error_raised_in_the_core_is_its_message_and_exit_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stops(path: object) -> None:
        raise FinsamplanError("planen kan inte användas här", exit_code=EXIT_INPUT)

    monkeypatch.setattr("finsamplan.plan.loader.load_plan", stops)
    result = runner.invoke(app, ["forecast", "plan-2023"])
    assert result.exit_code == EXIT_INPUT
    assert result.stderr == "finsamplan: planen kan inte användas här\n"
    assert result.stdout == ""


def test_a_plan_that_is_not_there_stops_with_its_message() -> None:
    result = runner.invoke(app, ["check", "plan-1999"])
    assert result.exit_code == EXIT_INPUT
    assert result.stderr.startswith("finsamplan: ") and "plan-1999" in result.stderr
    assert "Traceback" not in result.stderr


# --- a crash is a bug -------------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("oväntat i kärnan")


def test_an_internal_error_says_it_is_a_bug_and_exits_three(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FINSAMPLAN_DEBUG", raising=False)
    monkeypatch.setattr("finsamplan.plan.loader.load_plan", _boom)
    result = runner.invoke(app, ["forecast", "plan-2023"])
    assert result.exit_code == EXIT_BUG == 3
    err = result.stderr
    assert err.startswith("finsamplan: internt fel (RuntimeError: oväntat i kärnan).\n")
    assert "fel i finsamplan" in err and "felrapport" in err and "planfilen bifogad" in err
    assert "Traceback" not in err and result.stdout == ""


def test_debug_shows_the_traceback_of_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINSAMPLAN_DEBUG", "1")
    monkeypatch.setattr("finsamplan.plan.loader.load_plan", _boom)
    result = runner.invoke(app, ["forecast", "plan-2023"])
    assert result.exit_code == EXIT_BUG
    assert "Traceback" in result.stderr and "_boom" in result.stderr
    assert "internt fel" in result.stderr


def test_an_internal_error_in_a_real_process_exits_three(tmp_path: Path) -> None:
    """The ``finsamplan`` entry point in a process of its own, a core function broken."""
    script = (
        "import sys\n"
        "import finsamplan.plan.loader as loader\n"
        "def boom(*a, **k):\n"
        "    raise KeyError('kärnan')\n"
        "loader.load_plan = boom\n"
        "from finsamplan.cli import main\n"
        "sys.argv = ['finsamplan', 'check', 'plan-2023']\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "FINSAMPLAN_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("finsamplan: internt fel (KeyError: 'kärnan').\n")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_bad_input_is_not_reported_as_a_bug(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text("format: 1\ntitle: [\n", "utf-8")
    result = runner.invoke(app, ["forecast", str(bad)])
    assert result.exit_code == EXIT_INPUT
    assert "internt fel" not in result.stderr + result.stdout


# --- one problem record -----------------------------------------------------------------------


def test_follow_up_warnings_have_their_place_in_the_plan_or_the_export() -> None:
    """UPP020/UPP050 point at the plan line's amount for the plan year, UPP030/UPP040 at the
    export's row, as every other finding has a place."""
    from datetime import date

    from conftest import SEED_PLAN

    from finsamplan.figures.actuals import load_actuals
    from finsamplan.plan.loader import load_plan
    from finsamplan.year.followup import followup

    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    actuals = loaded.plan.actuals
    plan = loaded.plan.model_copy(
        update={
            "actuals": actuals.model_copy(
                update={"totals": actuals.totals.model_copy(update={"words": ["Summa"]})}
            )
        }
    )
    export = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"
    result = followup(
        plan,
        load_actuals(export, plan.actuals),
        "plan-2023",
        date(2023, 10, 31),
        source=loaded.source,
    )
    by = {(w.code, w.figures.get("line")): w for w in result.warnings}
    konsult = by[("UPP020", "konsulttjanster")]
    assert konsult.file == loaded.source.file and (konsult.line, konsult.column) == (165, 37)
    assert konsult.as_line().startswith(f"{loaded.source.file}:165:37: varning UPP020 Konsult")
    equity = by[("UPP050", None)]
    assert (equity.file, equity.line) == (loaded.source.file, 75)
    unmapped, difference = by[("UPP030", None)], by[("UPP040", None)]
    assert (unmapped.file, unmapped.line) == (str(export), 74)  # the first unmapped row
    assert (difference.file, difference.line) == (str(export), 100)  # the export's total
    assert all(w.file for w in result.warnings), [w.as_line() for w in result.warnings]


def test_a_criterion_verdict_is_a_finding_with_its_place() -> None:
    from conftest import SEED_PLAN

    from finsamplan.judge.criteria import check, load_profile
    from finsamplan.plan.loader import load_plan

    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    result = check(loaded.plan, load_profile("skane"), loaded.id, loaded.source)
    verdicts = result.all_verdicts()
    assert verdicts and all(v.finding.code == v.criterion.id for v in verdicts)
    assert all(v.finding.severity.value == v.severity for v in verdicts)
    assert all(v.file == loaded.source.file and v.line and v.column for v in verdicts)
    not_met = next(v for v in verdicts if v.status == "not_met")
    assert not_met.location == f"{not_met.file}:{not_met.line}:{not_met.column}"
    assert not_met.finding.as_line().startswith(
        f"{not_met.location}: {not_met.finding.severity.label} {not_met.criterion.id} "
        f"{not_met.criterion.title} (inte uppfyllt): "
    )
    assert not_met.finding.figures == {"status": "not_met"}
