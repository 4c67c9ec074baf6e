"""`finsamplan forecast`: the coming years from the plan's own figures, computed and explained."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
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

from finsamplan.base.findings import Severity
from finsamplan.base.money import round_kronor
from finsamplan.cli import app
from finsamplan.figures.budget import TOTAL_NAMES, compute
from finsamplan.figures.equity import carry, stated_for
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan
from finsamplan.year.forecast import ForecastError, ForecastResult, project

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded.plan


def minimal(extra: str = "", **replace: str) -> Plan:
    text = MINIMAL
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    loaded = load(text + extra)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return loaded.plan


def row(result: ForecastResult, table: str, row_id: str) -> dict[str, int]:
    return next(r.amounts for r in result.budget.table(table).rows if r.id == row_id)


# --- without a scenario: the plan's own figures ---------------------------------------------


def test_without_a_scenario_every_line_is_the_plans_own_prognos(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023", years=[2024, 2025])
    seed = compute(seed_plan)
    for year in ("2024", "2025"):
        for t_seed, t_new in zip(seed.tables, result.budget.tables, strict=True):
            for r_seed, r_new in zip(t_seed.rows, t_new.rows, strict=True):
                assert r_new.amounts[year] == r_seed.amounts[year], (year, r_seed.label)
        for name in TOTAL_NAMES:
            assert result.budget.totals[year].get(name) == seed.totals[year].get(name), name
    assert result.differences == []
    assert result.illustrations == []  # the illustrative rates reach no year the plan states
    room = {y: result.budget.totals[y].room for y in result.years}
    assert room == {"2024": 144_020, "2025": 44_020}  # the plan's own room, one way every year
    assert {y: result.budget.totals[y].equity for y in result.years} == {
        "2024": 650_000,
        "2025": 600_000,
    }
    src = result.source(("costs", "administration", "personal"), "2024")
    assert src is not None and (src.rule, src.text) == ("plan", "planens egen prognos")
    equity = result.source(("income", "eget-kapital"), "2024")
    assert equity is not None and equity.rule == "carried"
    assert "967\u00a0729 kr, varav 317\u00a0729 kr (100\u00a0% av utrymmet" in equity.text
    assert result.description == "Planens egen prognos 2024–2025"


def test_past_the_plans_columns_the_stated_assumptions_apply_and_are_marked(
    seed_plan: Plan,
) -> None:
    result = project(seed_plan, "plan-2023", until=2027)
    personal = row(result, "administration", "personal")
    # index lon: 3 % for 2024 and 2025, and 2025's rate borrowed for 2026 and 2027
    assert personal["2026"] == round_kronor(Decimal(1_125_000) * Decimal("1.03"), 1000) == 1_159_000
    assert personal["2027"] == round_kronor(Decimal(1_125_000) * Decimal("1.03") ** 2, 1000)
    src = result.source(("costs", "administration", "personal"), "2027")
    assert src is not None and src.illustration and src.assumption == "forecast.lines.personal"
    assert src.text == (
        "index lon (år utan takt: som året före) från 1\u00a0125\u00a0000 (2025) (illustration)"
    )
    fk = row(result, "income", "avgift-fk")
    assert (fk["2026"], fk["2027"]) == (2_099_000, 2_078_000)  # −1 %/år from 2 120 000
    assert row(result, "income", "avgift-rg")["2026"] == 2_099_000  # 5 a §: as much as the state
    assert result.illustrations == [
        "forecast.groups.administration",
        "forecast.groups.utvecklingsinsatser",
        "forecast.lines.personal",
        "forecast.state_allocation",
    ]
    # JobbSam 3.0 ended 2024-08-31: the plan's own 2024 and 2025 stand (FIN050 says so),
    # a computed year costs nothing
    assert row(result, "projekt", "jobbsam") == {
        "2023": 2_140_000,
        "2024": 2_190_000,
        "2025": 2_220_000,
        "2026": 0,
        "2027": 0,
    }
    assert result.description.endswith("därefter enligt planens forecast-block")


def test_no_stated_assumption_keeps_the_last_figure() -> None:
    result = project(minimal(), "p", until=2031)
    forbundschef = result.budget.table("administration").rows[0].amounts
    assert [forbundschef[y] for y in ("2028", "2029", "2030", "2031")] == [500_000] * 4
    src = result.source(("costs", "administration", "0"), "2031")
    assert src is not None and (src.rule, src.text, src.illustration) == ("same", "som 2029", False)
    assert result.illustrations == []


def test_one_off_amounts_are_not_carried_forward() -> None:
    plan = minimal(
        **{
            "- label: Förbundschef\n": ("- label: Förbundschef\n      once: {2029: 120000}\n"),
            "- label: Utbildningar\n": "- label: Utbildningar\n      once: true\n",
        }
    )
    result = project(plan, "p", until=2030)
    admin = result.budget.table("administration").rows[0].amounts
    assert (admin["2029"], admin["2030"]) == (500_000, 380_000)
    src = result.source(("costs", "administration", "0"), "2030")
    assert src is not None and src.text == "som 2029 (utan engångsbeloppet 120\u00a0000)"
    training = result.budget.table("utvecklingsinsatser").rows[0].amounts
    assert (training["2029"], training["2030"]) == (200_000, 0)


def test_a_one_off_part_may_not_exceed_the_years_amount() -> None:
    loaded = load(
        MINIMAL.replace(
            "- label: Förbundschef\n", "- label: Förbundschef\n      once: {2029: 600000}\n"
        )
    )
    assert loaded.plan is None
    assert any("större än radens belopp" in f.message for f in loaded.findings)


def test_an_announced_allocation_overrides_the_plans_prognos_and_any_index() -> None:
    plan = minimal(
        "forecast:\n"
        '  state_allocation: {change: "-10 %"}\n'
        "  announced:\n"
        "    2028: {amount: 1100000, date: 2027-11-10, source: Förhandsbesked 2028}\n"
        "    2030: {amount: 1200000, date: 2029-11-12}\n"
    )
    result = project(plan, "p", until=2031)
    state = {y: result.budget.totals[y].state for y in result.years}
    # 2029 is the plan's own; 2030 announced; 2031 −10 % from what 2030 announced
    assert state == {"2028": 1_100_000, "2029": 1_000_000, "2030": 1_200_000, "2031": 1_080_000}
    assert result.budget.totals["2028"].by_side == {
        "state": 1_100_000,
        "region": 550_000,
        "municipality": 550_000,
    }
    fk = result.source(("income", "0"), "2028")
    announced = "statens tilldelning: Förhandsbesked 2028 2027-11-10"
    assert fk is not None and (fk.rule, fk.text) == ("announced", announced)
    diff = next(d for d in result.differences if d.table == "income" and d.year == "2028")
    assert (diff.stated, diff.projected, diff.cause) == (1_000_000, 1_100_000, announced)
    region = result.source(("income", "1"), "2028")
    assert region is not None and region.text == "hälften av statens 1\u00a0100\u00a0000 kr (5 §)"


def test_contributions_keep_fifty_fifty_split_as_in_the_plan() -> None:
    plan = minimal(
        'forecast:\n  state_allocation: {change: "3,33 %"}\n',
        **{
            "    - {id: kommun, name: Exempels kommun, side: municipality}": (
                "    - {id: kommun, name: Exempels kommun, side: municipality}\n"
                "    - {id: by, name: Byns kommun, side: municipality}"
            ),
            "  - label: Eget kapital\n": (
                "  - label: Byns kommun\n    member: by\n"
                "    amounts: {2026: 0, 2027: 0, 2028: 0, 2029: 0}\n  - label: Eget kapital\n"
            ),
        },
    )
    result = project(plan, "p", until=2030)
    t = result.budget.totals["2030"]
    assert (t.state, t.by_side["region"], t.by_side["municipality"]) == (
        1_033_300,
        516_650,
        516_650,
    )
    assert (t.by_member["kommun"], t.by_member["by"]) == (516_650, 0)  # split as in 2029


# --- scenarios ----------------------------------------------------------------------------


def test_a_scenario_replaces_the_plans_figures_from_the_plan_year(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023", scenario="stat-minus-5")
    fk = row(result, "income", "avgift-fk")
    assert (
        (fk["2024"], fk["2025"])
        == (
            round_kronor(Decimal(2_157_000) * Decimal("0.95"), 1000),
            round_kronor(Decimal(2_157_000) * Decimal("0.95") ** 2, 1000),
        )
        == (2_049_000, 1_947_000)
    )
    assert result.illustrations == ["forecast.scenarios.stat-minus-5.state_allocation"]
    t24 = result.budget.totals["2024"]
    assert (t24.surplus, t24.room) == (582_020, -17_980)
    # the room is negative: nothing of it to spend, 2024's whole closing equity goes on
    assert result.budget.totals["2025"].equity == 582_020
    causes = {(d.year, d.label): d.cause for d in result.differences}
    assert causes[("2024", "Försäkringskassan")].startswith("statens tilldelning: −5\u00a0%/år")
    assert causes[("2025", "Eget kapital/sparade medel")].startswith(
        "eget kapital vid årets slut 2024 582\u00a0020 kr"
    )


def test_a_project_follows_its_period_when_its_figure_is_computed(seed_plan: Plan) -> None:
    from finsamplan.plan.model import Assumption, Scenario

    as_decided = Scenario(
        description="JobbSam som beslutat", lines={"jobbsam": Assumption(same=True)}
    )
    extended = as_decided.model_copy(update={"extensions": {"jobbsam": date(2025, 12, 31)}})
    scenarios = {"som-beslutat": as_decided, "forlangd": extended}
    plan = seed_plan.model_copy(
        update={"forecast": seed_plan.forecast.model_copy(update={"scenarios": scenarios})}
    )
    result = project(plan, "plan-2023", scenario="som-beslutat")
    jobbsam = row(result, "projekt", "jobbsam")
    assert jobbsam["2024"] == round_kronor(Decimal(2_140_000) * 8 / 12, 1000) == 1_427_000
    assert jobbsam.get("2025", 0) == 0
    src = result.source(("costs", "projekt", "jobbsam"), "2024")
    assert src is not None and src.text == "8/12 av årstakten (slutar 2024-08-31): som 2023"
    assert "upphört" in result.source(("costs", "projekt", "jobbsam"), "2025").text  # type: ignore[union-attr]
    longer = project(plan, "plan-2023", scenario="forlangd")
    assert row(longer, "projekt", "jobbsam")["2025"] == 2_140_000
    assert not [f for f in longer.findings if f.code == "FIN050"]


def test_evaluation_stays_in_its_planned_year() -> None:
    result = project(minimal(), "p", until=2031)
    evaluation = result.budget.table("projekt").rows[1].amounts
    assert [evaluation[y] for y in ("2029", "2030", "2031")] == [100_000, 0, 0]
    src = result.source(("costs", "projekt", "1"), "2030")
    assert src is not None and src.text == "ingen utvärdering planerad för året"


def test_bad_requests_are_errors(seed_plan: Plan) -> None:
    with pytest.raises(ForecastError, match="efter planåret"):
        project(seed_plan, years=[2023])
    with pytest.raises(ForecastError, match="finns inte"):
        project(seed_plan, scenario="saknas")


# --- equity carried exactly, and the exit code ------------------------------------------------

DEFICIT = 'forecast:\n  extensions: {steget: 2031-12-31}\n  lines: {steget: {change: "50 %"}}\n'


def test_a_projected_deficit_is_carried_with_its_sign() -> None:
    result = project(minimal(DEFICIT), "p", until=2031)
    t30, t31 = result.budget.totals["2030"], result.budget.totals["2031"]
    # 2030: 2 000 000 in, 300 000 brought, costs 500 000 + 200 000 + 1 800 000
    assert (t30.equity, t30.costs, t30.surplus) == (300_000, 2_500_000, -200_000)
    assert t31.equity == -200_000  # not 0: the deficit is carried into 2031
    assert t31.surplus == -200_000 + 2_000_000 - (500_000 + 200_000 + 2_700_000)
    errors = {(f.code, f.year) for f in result.findings if f.severity is Severity.ERROR}
    assert errors == {("FIN020", "2030"), ("FIN020", "2031"), ("FIN060", "2031")}
    negative = next(f for f in result.findings if f.code == "FIN060")
    assert negative.figures == {"equity": -200_000}
    src = result.source(("income", "3"), "2031")
    assert src is not None and src.text == "eget kapital vid årets slut 2030 −200\u00a0000 kr"


def test_forecast_exits_one_when_a_projected_year_has_a_rule_error(tmp_path: Path) -> None:
    path = tmp_path / "p-2027.yaml"
    path.write_text(MINIMAL + DEFICIT, "utf-8")
    result = runner.invoke(app, ["forecast", str(path), "--until", "2031", "-f", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["equity"]["2031"] == -200_000
    assert {(f["code"], f["year"]) for f in data["findings"] if f["severity"] == "error"} == {
        ("FIN020", "2030"),
        ("FIN020", "2031"),
        ("FIN060", "2031"),
    }
    fine = runner.invoke(app, ["forecast", str(path), "--until", "2029", "-f", "json"])
    assert fine.exit_code == 0, fine.output


@given(
    plans(),
    st.sampled_from([{"same": True}, {"change": "-3 %"}, {"amount": 900_000}, {"stated": True}]),
    st.sampled_from([{"change": "4 %"}, {"amount": 1_000}, {"same": True}]),
    st.sampled_from([None, "0 %", "40 %", "100 %"]),
    st.sampled_from([1, 1000]),
    st.integers(2030, 2031),
    st.booleans(),
)
def test_forecast_years_keep_fifty_fifty_and_carry_equity_by_the_policy(
    data: dict[str, Any],
    state: dict[str, Any],
    default: dict[str, Any],
    spent: str | None,
    rounding: int,
    until: int,
    scenario: bool,
) -> None:
    block: dict[str, Any] = {"state_allocation": state, "default": default, "rounding": rounding}
    if spent is not None:
        block["room_spent"] = spent
    if scenario:
        block["scenarios"] = {"s": {"description": "s", "default": default}}
    data["forecast"] = block
    plan = Plan.model_validate(data)
    result = project(plan, "p", until=until, scenario="s" if scenario else None)
    totals = result.budget.totals
    assert not [f for f in result.findings if f.code in ("FIN000", "FIN010", "FIN011")]
    # equity is carried by the policy: FIN060 can only say that it is below zero
    assert all(f.figures["equity"] < 0 for f in result.findings if f.code == "FIN060")
    base = compute(plan)
    previous, previous_totals = "2027", base.totals["2027"]
    for year in result.years:
        t = totals[year]
        if int(year) > 2029 or scenario:  # computed, not the plan's own: 50/50 exactly
            assert t.state == t.others
            assert t.by_side.get("region", 0) == round_kronor(Decimal(t.state) / 2)
        else:
            assert t.by_member == base.totals[year].by_member
        left = carry(
            int(previous),
            previous_totals.surplus,
            previous_totals.reserve,
            stated_for("prognos", previous, plan.forecast.room_spent),
        )
        assert t.equity == left.amount  # negative included
        assert t.room == t.available - t.costs - t.reserve
        previous, previous_totals = year, t


# --- the command ----------------------------------------------------------------------------


def test_forecast_cli_gives_the_plans_own_prognos(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["forecast", "plan-2023", "--years", "2024", "--years", "2025", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["room"] == {"2024": 144_020, "2025": 44_020}
    assert data["differences"] == [] and data["illustrations"] == []
    jobbsam = next(r for r in data["rows"] if r["id"] == "jobbsam")
    assert jobbsam["amounts"] == {"2024": 2_190_000, "2025": 2_220_000}
    assert jobbsam["sources"]["2024"] == {
        "rule": "plan",
        "text": "planens egen prognos",
        "illustration": False,
    }
    codes = {(f["code"], f["year"], f["severity"]) for f in data["findings"]}
    assert ("FIN050", "2025", "warning") in codes  # the plan's 2025 needs an extension


def test_forecast_cli_formats_mark_illustrations(tmp_path: Path) -> None:
    md = runner.invoke(app, ["forecast", "plan-2023", "--until", "2026", "-f", "md"]).stdout
    assert "**Illustration, inte förbundets beslut: siffror som bygger på" in md
    assert "forecast.lines.personal" in md
    figures = " | ".join(f"1\u00a0{x}\u00a0000" for x in ("100", "125", "159"))
    assert f"| Beredande tjänsteman 1.0 Administratör (deltid) | {figures} |" in md
    args = ["forecast", "plan-2023", "--until", "2026", "-f", "csv"]
    csv_text = runner.invoke(app, [*args, "--csv", "tidy"]).stdout
    label = "Beredande tjänsteman 1.0 Administratör (deltid)"
    assert f"administration,personal,{label},2026,1159000,index," in csv_text
    assert csv_text.splitlines()[0].endswith(",source_text,illustration")
    personal = [line for line in csv_text.splitlines() if ",personal," in line]
    assert [line.rsplit(",", 1)[1] for line in personal] == ["false", "false", "true"]
    excel = runner.invoke(app, args).stdout  # for Excel: the note below the table
    assert excel.rstrip().splitlines()[-1].startswith("Illustration, inte förbundets beslut")
    assert f"Kostnader/administration;{label};;Budgetrad;" in excel
    out = tmp_path / "prognos.xlsx"
    made = runner.invoke(
        app, ["forecast", "plan-2023", "--until", "2026", "-f", "xlsx", "-o", str(out)]
    )
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(out, data_only=True)
    rows = {r[0]: r[1:] for r in wb["Budget"].iter_rows(values_only=True) if r[0]}
    room = rows["Utrymme för ny verksamhet (rimligt överskott till kommande år)"]
    assert room[1:3] == (144_020, 44_020)
    notes = [c for r in wb["Källor"].iter_rows(values_only=True) for c in r if c]
    assert any(str(c).startswith("Illustration, inte förbundets beslut") for c in notes)
    table = runner.invoke(app, ["forecast", "plan-2023", "--until", "2026"]).stdout
    assert "Illustration, inte förbundets beslut" in table and "1\u00a0159\u00a0000" in table


def test_forecast_compare_scenarios() -> None:
    result = runner.invoke(app, ["forecast", "plan-2023", "--compare", "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    names = [s["scenario"] for s in data["scenarios"]]
    assert names == [None, "stat-minus-5", "jobbsam-forlangd"]
    own, minus5, longer = data["scenarios"]
    assert own["room"] == {"2024": 144_020, "2025": 44_020}
    assert own["equity"] == {"2024": 650_000, "2025": 600_000}
    assert minus5["room"]["2024"] == -17_980 and minus5["illustrations"]
    assert longer["room"] == own["room"]  # the plan's own figures already run to 2025
    assert not [f for f in longer["findings"] if f["code"] == "FIN050"]
    table = runner.invoke(app, ["forecast", "plan-2023", "--compare"]).stdout
    assert "JobbSam 3.0 förlängs till 2025-12-31" in table and "Illustration" in table


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
    data = json.loads(result.stdout)
    assert data["years"] == ["2024", "2025"] and data["differences"] == []


def test_unknown_scenario_exits_two() -> None:
    result = runner.invoke(app, ["forecast", "plan-2023", "-s", "saknas"])
    assert result.exit_code == 2 and "scenariot 'saknas' finns inte" in result.stderr


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            "forecast:\n  room_spent: {2030: 5}\n",
            "REF010 prognosen: room_spent för '2030', som inte är en kolumn i planen",
        ),
        ('forecast:\n  room_spent: "120 %"\n', "'120 %' är ingen andel mellan 0 % och 100 %"),
        (
            "forecast:\n  announced: {1999: {amount: 5, date: 2020-01-01}}\n",
            "forecast.announced.1999.[key]: '1999' är inget år (2000–2100)",
        ),
        (
            "forecast:\n  lines: {x: {index: kpi, change: '2 %', illustration: true}}\n",
            "ange exakt ett av same, change, index, amount, amounts, stated (fick change, index)",
        ),
    ],
)
def test_forecast_block_mistakes_are_located_errors(block: str, expected: str) -> None:
    loaded = load(MINIMAL + block)
    assert loaded.plan is None
    assert any(expected in f.as_line() for f in loaded.findings), [
        f.as_line() for f in loaded.findings
    ]


def test_once_belongs_to_costs_and_other_income() -> None:
    loaded = load(MINIMAL.replace("    member: fk\n", "    member: fk\n    once: true\n"))
    assert any("once hör bara till övriga intäkter" in f.message for f in loaded.findings)


def test_the_equity_working_is_shown_year_by_year(seed_plan: Plan) -> None:
    result = project(seed_plan, "plan-2023")
    from finsamplan.render.forecast_out import equity_rows, to_json

    assert equity_rows(result) == [
        ("Eget kapital vid årets slut, året före", [967_729, 744_020]),
        ("− utrymme som antas användas (forecast.room_spent)", [317_729, 144_020]),
        ("= ingående eget kapital", [650_000, 600_000]),
    ]
    assert to_json(result)["equity"]["2025"] == {
        "closing_before": 744_020,
        "room_spent": 144_020,
        "brought": 600_000,
        "text": "eget kapital vid årets slut 2024 744\u00a0020 kr, varav 144\u00a0020 kr "
        "(100\u00a0% av utrymmet 144\u00a0020 kr) antas användas enligt forecast.room_spent",
    }
