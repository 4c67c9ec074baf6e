"""An insats' evaluation as the budget plans it: in the plan year or in a later year.

An evaluation line (``evaluates: LINE``) belongs to the insats whose lines it evaluates,
whether or not the insats lists it. It is often budgeted for the year after the work (the
project runs 2026–2028, its evaluation is paid 2029): a check that looks only at the plan
year would find no evaluation where one is planned, so every year from the plan year on
counts, each named.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsamplan.figures.budget import Budget
from finsamplan.plan.model import Activity
from finsamplan.plan.walk import cost_lines


@dataclass(frozen=True)
class Planned:
    """One evaluation line of an insats and what it has per year, from the plan year on
    (years with nothing left out)."""

    label: str
    listed: bool  # the insats lists the line among its own
    years: tuple[tuple[int, int], ...]  # (year, kronor), in order


def evaluations(budget: Budget, act: Activity) -> list[Planned]:
    """The evaluation lines of ``act`` with their amounts in the plan year and after; a plan
    without a plan-year column (FIN070) has no year to count from, and so none."""
    plan = budget.plan
    if plan.plan_key() is None:
        return []
    later: dict[int, str] = {}
    for col in plan.columns:
        if col.year > plan.year and col.kind in ("budgetplan", "prognos"):
            later.setdefault(col.year, col.key)
    keys = {plan.year: plan.plan_key() or "", **dict(sorted(later.items()))}
    out = []
    for group, i, line in cost_lines(plan):
        if line.evaluates is None or line.evaluates not in act.lines:
            continue
        row = budget.table(group).rows[i]
        years = tuple((y, row.amounts.get(k, 0)) for y, k in keys.items() if row.amounts.get(k, 0))
        out.append(Planned(line.label, bool(line.id) and line.id in act.lines, years))
    return out
