"""The plan's financial goals measured per column: the figure, and whether the goal is met.

A goal (``goals`` in the plan, kommunallagen 11 kap. 6 §) names a measure and a lower or
upper limit. Measures in kronor are totals of the budget; shares are exact fractions of two
totals. A share whose denominator is zero has no value: "no data", never "not met".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finsamplan.base.money import format_kronor, format_share, share_of
from finsamplan.figures.budget import Budget, Totals
from finsamplan.figures.equity import YEAR_END
from finsamplan.plan.model import SHARE_MEASURES, Column, Goal, Plan

MEASURE_TITLES: dict[str, str] = {
    "result": "Årets resultat",
    "surplus": YEAR_END,
    "room": "Utrymme för ny verksamhet",
    "reserve": "Reserv",
    "equity_share": f"{YEAR_END} / medlemsbidrag",
    "admin_share": "Administration / kostnader",
    "insatser_share": "Insatser / kostnader",
}


def measure(name: str, t: Totals) -> int | Decimal | None:
    """A goal's measure for one column; None when a share has nothing to divide by."""
    if name == "result":
        return t.result
    if name in ("surplus", "room", "reserve"):
        return int(getattr(t, name))
    over = {"equity_share": t.contributions, "admin_share": t.costs, "insatser_share": t.costs}
    top = {"equity_share": t.surplus, "admin_share": t.administration, "insatser_share": t.insatser}
    return share_of(top[name], over[name])


def show(name: str, value: int | Decimal | None) -> str:
    """A measure or a limit as the document writes it: ``12,3 %`` or ``150 000 kr``."""
    if value is None:
        return "–"
    if name in SHARE_MEASURES:
        return format_share(Decimal(value))
    return f"{format_kronor(int(value))} kr"


def limit_text(goal: Goal) -> str:
    low = show(goal.measure, goal.min) if goal.min is not None else None
    high = show(goal.measure, goal.max) if goal.max is not None else None
    if low and high:
        return f"{low}–{high}"
    return f"minst {low}" if low else f"högst {high}"


@dataclass(frozen=True)
class Reading:
    """One goal in one column: the value and the verdict (None: no value to judge)."""

    goal: Goal
    index: int
    column: Column
    value: int | Decimal | None

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        low, high = self.goal.min, self.goal.max
        return (low is None or self.value >= low) and (high is None or self.value <= high)


def goal_columns(plan: Plan) -> list[Column]:
    """The years a goal is for: the plan year and the years after it, budgets and prognoses."""
    return [c for c in plan.columns if c.year >= plan.year and c.kind != "utfall"]


def readings(plan: Plan, budget: Budget) -> list[Reading]:
    """Every goal in every column it is for, goal by goal."""
    return [
        Reading(goal, i, col, measure(goal.measure, budget.totals[col.key]))
        for i, goal in enumerate(plan.goals)
        for col in goal_columns(plan)
    ]
