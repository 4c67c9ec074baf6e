"""The financial position at year end per column, and the plan's financial goals.

Kommunallagen 11 kap. 6 § (through lag (2003:1210) 21 §) asks that a budget show the
financial position at the end of the year and state financial goals. The document shows
both under the budget: per column the year's result, the equity brought in and at year end
with the reserve and the room it holds, against the ceiling; and each goal per year with its
figure and whether it is met ("–" where there is nothing to measure, never "not met").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finsamplan.base.money import format_kronor as kr
from finsamplan.base.money import format_share
from finsamplan.figures.budget import Budget
from finsamplan.figures.equity import YEAR_END, equity_ceiling
from finsamplan.figures.goals import goal_columns, limit_text, readings, show
from finsamplan.plan.model import Plan
from finsamplan.render.view import EMPTY, TableRow, TableView

_ROWS: tuple[tuple[str, str, str], ...] = (
    ("income", "Årets intäkter", "row"),
    ("costs", "Årets kostnader", "row"),
    ("result", "Årets resultat", "total"),
    ("equity", "Eget kapital vid årets början", "row"),
    ("surplus", YEAR_END, "grand"),
    ("reserve", "varav reserv", "row"),
    ("room", "varav utrymme för ny verksamhet", "row"),
)


NO_GOALS = (
    "Planen anger inga finansiella mål. Budgeten anger finansiella mål som är av betydelse "
    "för en god ekonomisk hushållning (kommunallagen 11 kap. 6 §, genom lag (2003:1210) 21 §)."
)


@dataclass(frozen=True)
class PositionView:
    table: TableView
    goals: TableView | None

    @property
    def no_goals(self) -> str | None:
        """The note the document shows when the plan states no financial goals."""
        return NO_GOALS if self.goals is None else None


def position_table(budget: Budget) -> TableView:
    plan = budget.plan
    totals = [budget.totals[c.key] for c in budget.columns]
    rows = []
    for name, label, kind in _ROWS:
        values = tuple(int(getattr(t, name)) for t in totals)
        rows.append(TableRow(label, tuple(kr(v) for v in values), values, kind, name))
    ceilings = [equity_ceiling(plan.policy.equity_ceiling, t.contributions) for t in totals]
    limits: tuple[int | None, ...] = tuple(
        c if t.contributions else None for (c, _), t in zip(ceilings, totals, strict=True)
    )
    shares = {format_share(s, 0) for _, s in ceilings}
    label = "Tak för eget kapital" + (
        f" ({shares.pop()} av medlemsbidragen)" if len(shares) == 1 else ""
    )
    rows.append(
        TableRow(
            label, tuple(EMPTY if v is None else kr(v) for v in limits), limits, "row", "ceiling"
        )
    )
    header = tuple(c.title for c in budget.columns)
    return TableView("stallning", "Ekonomisk ställning vid årets slut", header, tuple(rows))


def goals_table(plan: Plan, budget: Budget) -> TableView | None:
    if not plan.goals:
        return None
    columns = goal_columns(plan)
    found = readings(plan, budget)
    rows = []
    for i, goal in enumerate(plan.goals):
        mine = [r for r in found if r.index == i]
        cells = tuple(_verdict(goal.measure, r.value, r.met) for r in mine)
        label = f"{goal.text} (mål: {limit_text(goal)})"
        rows.append(TableRow(label, cells, (None,) * len(cells), "row", goal.id))
    header = tuple(c.title for c in columns)
    return TableView("finansiella-mal", "Finansiella mål", header, tuple(rows))


def _verdict(measure: str, value: int | Decimal | None, met: bool | None) -> str:
    if met is None:
        return EMPTY
    word = "nås" if met else "nås inte"
    return f"{show(measure, value)} ({word})"


def document_view(plan: Plan, budget: Budget) -> PositionView:
    return PositionView(position_table(budget), goals_table(plan, budget))
