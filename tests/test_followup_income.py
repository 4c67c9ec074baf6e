"""Income in the follow-up: paid by its payer's schedule, never extrapolated past what is due.

A förbund's members pay their contributions when they choose: the state's whole year often
arrives by April. An economist expects the full-year income to be what has come in plus what
is still due by the budget; only what has actually come in beyond the budget is more.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEED_PLAN

from finsamplan.figures.actuals import load_actuals
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan
from finsamplan.year.followup import Followup, followup, full_year

APRIL = date(2023, 4, 30)


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded.plan


def export(folder: Path, *rows: str) -> Path:
    """A ledger export as a Swedish finance system writes it (income as credit, negative)."""
    path = folder / "huvudbok.csv"
    lines = ["Datum;Konto;Ansvar;Text;Belopp", *rows]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def run(plan: Plan, path: Path, until: date = APRIL) -> Followup:
    return followup(plan, load_actuals(path, plan.actuals), "plan-2023", until)


def line(f: Followup, line_id: str) -> tuple[int, int, int, int, int]:
    ln = next(ln for ln in f.lines if ln.id == line_id)
    return ln.budget, ln.actual, ln.expected, ln.forecast, ln.deviation


def test_state_paid_for_the_whole_year_by_april_is_forecast_at_its_budget(
    plan: Plan, tmp_path: Path
) -> None:
    path = export(
        tmp_path,
        "2023-02-15;3010;;Statens bidrag helår;-2 157 000,00",
        "2023-01-15;3020;;Region Gotland halvår;-1 078 500,00",
    )
    f = run(plan, path)
    # Profile [1, 4, 7, 10]: half the year's payments were due by April. The whole year came
    # in: the forecast is the budget, not 2 157 000 + the 1 078 500 still "due" (3 235 500).
    assert line(f, "avgift-fk") == (2_157_000, 2_157_000, 1_078_500, 2_157_000, 0)
    assert line(f, "avgift-rg") == (2_157_000, 1_078_500, 1_078_500, 2_157_000, 0)
    assert f.income_forecast == 4_314_000
    assert not [w for w in f.warnings if w.code == "UPP020" and w.figures["line"] in ("avgift-fk",)]


def test_without_a_profile_an_income_paid_ahead_is_not_extrapolated(
    plan: Plan, tmp_path: Path
) -> None:
    actuals = plan.actuals.model_copy(update={"profiles": {}})
    even = plan.model_copy(update={"actuals": actuals})
    path = export(tmp_path, "2023-03-01;3010;;Statens bidrag helår;-2 157 000,00")
    # Evenly 4/12 = 719 000 expected by April; the old rule forecast 3 595 000.
    assert line(run(even, path), "avgift-fk") == (2_157_000, 2_157_000, 719_000, 2_157_000, 0)


def test_run_rate_income_stops_at_the_budget_unless_more_came_in(
    plan: Plan, tmp_path: Path
) -> None:
    actuals = plan.actuals.model_copy(
        update={"forecast": {"avgift-fk": "run_rate", "avgift-rg": "run_rate"}}
    )
    paced = plan.model_copy(update={"actuals": actuals})
    path = export(
        tmp_path,
        "2023-02-15;3010;;Statens bidrag helår;-2 157 000,00",
        "2023-02-15;3020;;Region Gotland;-500 000,00",
    )
    f = run(paced, path)
    # The pace (2 157 000 × 12 / 4 = 6 471 000) is not extrapolated past the budget …
    assert line(f, "avgift-fk")[3] == 2_157_000
    # … but an income behind its pace is forecast short: 500 000 × 3 = 1 500 000.
    assert line(f, "avgift-rg")[3:] == (1_500_000, -657_000)
    assert full_year("run_rate", True, 2_500_000, 2_157_000, 719_000, Decimal(4)) == 2_500_000
    assert full_year("run_rate", False, 1_000, 12_000, 4_000, Decimal(4)) == 3_000


def test_income_beyond_the_budget_and_behind_its_schedule_in_income_words(
    plan: Plan, tmp_path: Path
) -> None:
    path = export(tmp_path, "2023-02-15;3010;;Statens bidrag helår och extra;-2 500 000,00")
    f = run(plan, path)
    # Received 2 500 000, more than the budget: the forecast is what came in.
    assert line(f, "avgift-fk") == (2_157_000, 2_500_000, 1_078_500, 2_500_000, 343_000)
    # The region paid nothing of the half due in January: 1 078 500 short.
    assert line(f, "avgift-rg") == (2_157_000, 0, 1_078_500, 1_078_500, -1_078_500)
    by_line = {w.figures["line"]: w.message for w in f.warnings if w.code == "UPP020"}
    assert by_line["avgift-fk"] == (
        "Försäkringskassan: intäkten för helåret väntas bli 2\u00a0500\u00a0000 kr, "
        "343\u00a0000 kr (15,9\u00a0%) högre än budget 2\u00a0157\u00a0000 kr; hittills "
        "inbetalt 2\u00a0500\u00a0000 kr mot väntat 1\u00a0078\u00a0500 kr. Pengarna kan "
        "behöva omfördelas eller föras till nästa år."
    )
    assert by_line["avgift-rg"].startswith(
        "Region Gotland: intäkten för helåret väntas bli 1\u00a0078\u00a0500 kr, "
        "1\u00a0078\u00a0500 kr (50,0\u00a0%) lägre än budget 2\u00a0157\u00a0000 kr; "
        "hittills inbetalt 0 kr mot väntat 1\u00a0078\u00a0500 kr. Kontrollera inbetalningen"
    )
    assert "över budget" not in by_line["avgift-fk"] and "under budget" not in by_line["avgift-rg"]
