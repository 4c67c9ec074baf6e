"""`finsamplan forecast` and `finsamplan new`: the three-year economy, computed and explained."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import MINIMAL, SEED_PLAN, load
from hypothesis import given
from hypothesis import strategies as st
from test_properties import plans
from typer.testing import CliRunner

from finsamplan.base.money import round_kronor
from finsamplan.cli import app
from finsamplan.figures.budget import TOTAL_NAMES, compute
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan
from finsamplan.year.forecast import ForecastError, project

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded.plan


def test_stated_assumptions_reproduce_the_seeds_prognos_exactly(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023", scenario="enligt-planen")
    assert result.years == ["2024", "2025"]
    seed = compute(seed_plan)
    for year in result.years:
        for name in TOTAL_NAMES:
            assert getattr(result.budget.totals[year], name) == getattr(seed.totals[year], name), (
                year,
                name,
            )
        for t_seed, t_new in zip(seed.tables, result.budget.tables, strict=True):
            for r_seed, r_new in zip(t_seed.rows, t_new.rows, strict=True):
                assert r_new.amounts.get(year, 0) == r_seed.amounts[year], r_seed.label
    assert result.budget.totals["2024"].room == 144_020
    assert result.budget.totals["2025"].available == 4_840_000
    assert result.differences == []


def test_rule_based_forecast_lists_every_difference_with_its_cause(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023")
    seed = compute(seed_plan)
    listed = {(d.year, d.table, d.label): d for d in result.differences}
    for year in result.years:
        for t_seed, t_new in zip(seed.tables, result.budget.tables, strict=True):
            for r_seed, r_new in zip(t_seed.rows, t_new.rows, strict=True):
                if r_new.amounts.get(year, 0) != r_seed.amounts[year]:
                    d = listed[(year, t_seed.id, r_seed.label)]
                    assert d.stated == r_seed.amounts[year]
                    assert d.projected == r_new.amounts.get(year, 0)
                    assert d.cause
    personal = listed[("2024", "administration", "Beredande tjänsteman 1.0 Administratör (deltid)")]
    assert (personal.stated, personal.projected) == (1_100_000, 1_545_000)
    assert personal.cause == "index lon från 1\u00a0500\u00a0000 (2023)"
    fk = listed[("2024", "income", "Försäkringskassan")]
    assert (fk.stated, fk.projected) == (2_130_000, 2_135_000)
    assert "−1" in fk.cause


def test_jobbsam_follows_its_period(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023")
    row = next(r for r in result.budget.table("projekt").rows if r.id == "jobbsam")
    expected_2024 = round_kronor(Decimal(2_140_000) * Decimal("1.03") * 8 / 12, 1000)
    assert row.amounts["2024"] == expected_2024 == 1_469_000
    assert row.amounts.get("2025", 0) == 0
    assert result.source(("costs", "projekt", "jobbsam"), "2024").text.startswith("8/12")
    assert "upphört" in result.source(("costs", "projekt", "jobbsam"), "2025").text
    extended = project(seed_plan, "plan-2023", scenario="jobbsam-forlangd")
    row = next(r for r in extended.budget.table("projekt").rows if r.id == "jobbsam")
    assert row.amounts["2024"] == round_kronor(Decimal(2_140_000) * Decimal("1.03"), 1000)
    assert row.amounts["2025"] == round_kronor(Decimal(2_140_000) * Decimal("1.03") ** 2, 1000)
    assert not [f for f in extended.findings if f.code == "FIN050" and f.year == "2025"]


def test_evaluation_stays_in_its_planned_year(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023")
    row = next(r for r in result.budget.table("projekt").rows if r.id == "jobbsam-utvardering")
    assert row.amounts.get("2024", 0) == row.amounts.get("2025", 0) == 0


def test_rules_run_on_projected_years(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023", scenario="jobbsam-forlangd")
    found = {(f.code, f.year) for f in result.findings}
    assert ("FIN020", "2024") in found  # the extension does not fit the money
    assert ("FIN040", "2025") in found
    assert all(f.year in ("2024", "2025") for f in result.findings)


def test_longer_horizon_and_index_beyond_its_years(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023", until=2028)
    assert result.years == ["2024", "2025", "2026", "2027", "2028"]
    personal = next(r for r in result.budget.table("administration").rows if r.id == "personal")
    assert personal.amounts["2026"] == round_kronor(Decimal(1_500_000) * Decimal("1.03") ** 3, 1000)
    src = result.source(("costs", "administration", "personal"), "2026")
    assert src is not None and "samma takt som året före" in src.text


def test_bad_requests_are_errors(seed_plan: Plan) -> None:
    with pytest.raises(ForecastError, match="efter planåret"):
        project(seed_plan, years=[2023])
    with pytest.raises(ForecastError, match="finns inte"):
        project(seed_plan, scenario="saknas")


@st.composite
def assumption(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["same", "change", "amount", "stated"]))
    if kind == "change":
        return {"change": f"{draw(st.integers(-20, 20))} %"}
    if kind == "amount":
        return {"amount": draw(st.integers(0, 5_000_000))}
    return {kind: True}


@given(
    plans(),
    assumption(),
    assumption(),
    assumption(),
    st.integers(0, 100),
    st.sampled_from([1, 1000]),
    st.integers(2028, 2031),
)
def test_forecast_years_keep_fifty_fifty_and_carry_equity_by_policy(
    data: dict[str, Any],
    state: dict[str, Any],
    default: dict[str, Any],
    reserve: dict[str, Any],
    spent: int,
    rounding: int,
    until: int,
) -> None:
    data["forecast"] = {
        "state_allocation": state,
        "default": default,
        "reserve": reserve,
        "room_spent": f"{spent} %",
        "rounding": rounding,
    }
    plan = Plan.model_validate(data)
    result = project(plan, "p", until=until)
    totals = result.budget.totals
    assert not [f for f in result.findings if f.code in ("FIN010", "FIN011")]
    previous = "2027"
    for year in result.years:
        t = totals[year]
        assert t.state == t.others  # 50/50, exactly
        region = t.by_side.get("region", 0)
        municipalities = t.by_side.get("municipality", 0)
        assert abs(region - municipalities) <= 1  # a quarter each, to the krona
        p = totals[previous]
        if p.room >= 0:
            expected = p.reserve + round_kronor(Decimal(p.room) * (1 - Decimal(spent) / 100))
        else:
            expected = max(0, p.surplus)
        assert t.equity == expected
        previous = year


def test_forecast_cli_formats(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["forecast", "plan-2023", "--years", "2024", "--years", "2025", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["room"] == {"2024": -164_000, "2025": 976_000}
    jobbsam = next(r for r in data["rows"] if r["id"] == "jobbsam")
    assert jobbsam["sources"]["2024"]["rule"] == "period"
    assert data["differences"] and all(d["cause"] for d in data["differences"])
    md = runner.invoke(app, ["forecast", "plan-2023", "-f", "md"]).stdout
    assert "## Skillnader mot planens egen prognos" in md and "8/12 av årstakten" in md
    csv_text = runner.invoke(app, ["forecast", "plan-2023", "-f", "csv", "--csv", "tidy"]).stdout
    assert "projekt,jobbsam,JobbSam 3.0,2024,1469000,period," in csv_text
    excel = runner.invoke(app, ["forecast", "plan-2023", "-f", "csv"]).stdout
    assert "Kostnader/projekt;JobbSam 3.0;;Budgetrad;1469000;0;" in excel
    out = tmp_path / "prognos.xlsx"
    assert (
        runner.invoke(app, ["forecast", "plan-2023", "-f", "xlsx", "-o", str(out)]).exit_code == 0
    )
    wb = openpyxl.load_workbook(out, data_only=True)
    rows = {r[0]: r[1:] for r in wb["Budget"].iter_rows(values_only=True) if r[0]}
    assert rows["Utrymme för ny verksamhet (rimligt överskott till kommande år)"][1:3] == (
        -164_000,
        976_000,
    )
    assert {"Källor", "Skillnader"} <= set(wb.sheetnames)
    table = runner.invoke(app, ["forecast", "plan-2023"]).stdout
    assert "Källa" in table and "1\u00a0469\u00a0000" in table


def test_forecast_compare_scenarios() -> None:
    result = runner.invoke(app, ["forecast", "plan-2023", "--compare", "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    names = [s["scenario"] for s in data["scenarios"]]
    assert names == [None, "enligt-planen", "stat-minus-5", "jobbsam-forlangd"]
    seed = data["scenarios"][1]
    assert seed["room"] == {"2024": 144_020, "2025": 44_020}
    assert seed["equity"] == {"2024": 650_000, "2025": 600_000}
    table = runner.invoke(app, ["forecast", "plan-2023", "--compare"]).stdout
    assert "JobbSam 3.0 förlängs till 2025-12-31" in table


def test_forecast_without_plan_takes_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a-2023.yaml").write_bytes(SEED_PLAN.read_bytes())
    (tmp_path / "plans" / "b-2027.yaml").write_text(MINIMAL, "utf-8")
    monkeypatch.chdir(tmp_path)
    data = json.loads(runner.invoke(app, ["forecast", "-f", "json"]).stdout)
    assert data["plan"] == "b-2027" and data["years"] == ["2028", "2029"]


def test_years_as_the_issue_writes_them(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "finsamplan", "forecast", "--years", "2024", "2025", "-f", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["years"] == ["2024", "2025"]


def test_unknown_scenario_exits_two() -> None:
    result = runner.invoke(app, ["forecast", "plan-2023", "-s", "saknas"])
    assert result.exit_code == 2 and "scenariot 'saknas' finns inte" in result.stderr


def test_new_plan_validates_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "plans" / "plan-2024.yaml"
    text = target.read_text("utf-8")
    loaded = load_plan(target)
    assert loaded.plan is not None, [f.format() for f in loaded.findings]
    assert not [f for f in validate(loaded) if f.severity.value == "error"]
    plan = loaded.plan
    assert [(c.year, c.kind) for c in plan.columns] == [
        (2023, "budget"),
        (2024, "budgetplan"),
        (2025, "prognos"),
        (2026, "prognos"),
    ]
    fk = plan.income[0].amounts
    assert fk["2023"] == 2_157_000 and fk["2024"] == 2_135_000
    assert "# 2023: budgetplanen i plan-2023. 2024–2026: statens tilldelning" in text
    assert plan.title == "Verksamhets- och budgetplan 2024"
    assert plan.sections[0].text.startswith("2023 är samordningsförbundet")  # text carried
    before = target.read_bytes()
    again = runner.invoke(app, ["new", "plan-2024", "--from", str(SEED_PLAN)])
    assert again.exit_code == 2 and "skriver aldrig över" in again.stderr
    assert target.read_bytes() == before


def test_new_plans_chain_and_freeze_figures_whose_column_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"]).exit_code == 0
    result = runner.invoke(app, ["new", "plan-2025", "--from", "plan-2024"])
    assert result.exit_code == 0
    loaded = load_plan(tmp_path / "plans" / "plan-2025.yaml")
    assert loaded.plan is not None, [f.format() for f in loaded.findings]
    text = (tmp_path / "plans" / "plan-2025.yaml").read_text("utf-8")
    assert "De 650\u00a0000 kronor" in text


def test_new_plan_from_generated_plan_round_trips() -> None:
    loaded = load(MINIMAL)
    assert loaded.plan is not None
    from finsamplan.year.newplan import next_plan

    again = load(next_plan(loaded.plan, "exempel"), "exempel-2028.yaml")
    assert again.plan is not None, [f.format() for f in again.findings]
    assert again.plan.year == 2028
