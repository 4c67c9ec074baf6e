"""The revised budget: the adopted budget with the board's decisions during the year applied.

A decision (``revisions`` in the plan, kommunallagen 11 kap. 15 §) changes lines of the plan
year's budget: a new amount or a change. The decisions apply in their order, each to the
budget the one before it left, and the result is a column of its own, *Reviderad budget*
(``kind: reviderad_budget``), beside the adopted one. Every total of the revised column is
computed like any other column's; nothing is typed in.

What a change spends (a higher cost, a lower income) and what it frees (a lower cost, a
higher income) is kept per change, so that the rules can ask how each decision is financed
(``judge.revisions``) and the follow-up can compare against the revised budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from finsamplan.figures.budget import Budget, Totals, compute, line_amount
from finsamplan.figures.contributions import with_computed
from finsamplan.plan.model import (
    Column,
    CostLine,
    CostPart,
    IncomeLine,
    Plan,
    Revision,
    RevisionChange,
)

__all__ = ["Effect", "Revised", "Step", "revise", "revised_key"]


def revised_key(year: int) -> str:
    """The key of the revised column: ``2023-reviderad`` (the adopted one is ``2023``)."""
    return f"{year}-reviderad"


@dataclass(frozen=True)
class Effect:
    """One change of a decision as applied: the line's amount before and after it."""

    revision: int  # index in plan.revisions
    index: int  # index in the decision's changes
    change: RevisionChange
    table: str  # "income" or the cost group's id
    label: str
    income_kind: str | None  # for an income line: contribution, equity or other
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def spends(self) -> int:
        """Money the change uses: a cost that rises, or an income that falls."""
        return max(0, -self.delta if self.table == "income" else self.delta)

    @property
    def new_income(self) -> int:
        """Income the change adds (equity brought in is not income)."""
        if self.table != "income" or self.income_kind == "equity":
            return 0
        return max(0, self.delta)


@dataclass(frozen=True)
class Step:
    """One decision applied: its changes and the revised column's totals before and after."""

    index: int
    revision: Revision
    effects: tuple[Effect, ...]
    before: Totals
    after: Totals

    def spent(self, financing: str | None) -> int:
        return sum(e.spends for e in self.effects if e.change.financing == financing)

    @property
    def new_income(self) -> int:
        return sum(e.new_income for e in self.effects)


@dataclass(frozen=True)
class Revised:
    """The plan with its revised column, the budget computed from it, and each decision."""

    plan: Plan
    budget: Budget
    adopted: Column
    column: Column
    steps: tuple[Step, ...]

    @property
    def key(self) -> str:
        return self.column.key


def _with_column(plan: Plan, adopted: Column, column: Column) -> Plan:
    """The plan with ``column`` after the adopted one, every amount copied from it.

    Contributions computed from a key are written into the lines first (``with_computed``),
    so the revised column starts from exactly what the adopted budget holds."""
    base = with_computed(plan)
    a, r = adopted.key, column.key

    def copied(amounts: dict[str, int]) -> dict[str, int]:
        return {**amounts, r: amounts[a]} if a in amounts else dict(amounts)

    income = [inc.model_copy(update={"amounts": copied(inc.amounts)}) for inc in base.income]
    costs = {
        group: [
            line.model_copy(
                update={
                    "amounts": copied(line.amounts),
                    "parts": [
                        p.model_copy(update={"amounts": copied(p.amounts)}) for p in line.parts
                    ],
                }
            )
            for line in lines
        ]
        for group, lines in base.costs.items()
    }
    at = base.columns.index(adopted) + 1
    columns = [*base.columns[:at], column, *base.columns[at:]]
    reserve = base.reserve.model_copy(update={"amounts": copied(base.reserve.amounts)})
    return base.model_copy(
        update={"columns": columns, "income": income, "costs": costs, "reserve": reserve}
    )


Line = TypeVar("Line", CostLine, IncomeLine)


def _set(line: Line, key: str, after: int, reference: str) -> Line:
    """The line with ``after`` in column ``key``. A line made of parts keeps its parts and gets
    one more, the change by this decision, so that the line is still their sum."""
    if isinstance(line, CostLine) and line.parts:
        delta = after - line_amount(line, key)
        part = CostPart.model_construct(
            label=f"Ändring enligt beslut {reference}", amounts={key: delta}
        )
        return line.model_copy(update={"parts": [*line.parts, part]})
    return line.model_copy(update={"amounts": {**line.amounts, key: after}})


def _apply(plan: Plan, index: int, revision: Revision, key: str) -> tuple[Plan, list[Effect]]:
    """One decision applied to the revised column, change by change."""
    income = list(plan.income)
    costs = {g: list(lines) for g, lines in plan.costs.items()}
    effects = []
    for j, change in enumerate(revision.changes):
        where = _find(income, costs, change.line)
        if where is None:
            continue  # the loader reports an unknown line (REF020)
        table, n = where
        line: CostLine | IncomeLine = income[n] if table == "income" else costs[table][n]
        before = line_amount(line, key)
        after = change.amount if change.amount is not None else before + (change.change or 0)
        kind = line.kind if isinstance(line, IncomeLine) else None
        effects.append(Effect(index, j, change, table, line.label, kind, before, after))
        if isinstance(line, IncomeLine):
            income[n] = _set(line, key, after, revision.reference)
        else:
            costs[table][n] = _set(line, key, after, revision.reference)
    return plan.model_copy(update={"income": income, "costs": costs}), effects


def _find(
    income: list[IncomeLine], costs: dict[str, list[CostLine]], line_id: str
) -> tuple[str, int] | None:
    for n, inc in enumerate(income):
        if inc.id == line_id:
            return "income", n
    for group, lines in costs.items():
        for n, line in enumerate(lines):
            if line.id == line_id:
                return group, n
    return None


def revise(plan: Plan) -> Revised | None:
    """The revised budget, or None when the plan records no decision (or has no plan year
    column to revise: the loader says so, REF020)."""
    adopted = plan.plan_column()
    if not plan.revisions or adopted is None:
        return None
    column = Column(
        year=plan.year,
        kind="reviderad_budget",
        id=revised_key(plan.year),
        label=f"Reviderad budget {plan.year}",
    )
    current = _with_column(plan, adopted, column)
    totals = compute(current).totals[column.key]
    steps = []
    for i, revision in enumerate(plan.revisions):
        current, effects = _apply(current, i, revision, column.key)
        after = compute(current).totals[column.key]
        steps.append(Step(i, revision, tuple(effects), totals, after))
        totals = after
    return Revised(current, compute(current), adopted, column, tuple(steps))
