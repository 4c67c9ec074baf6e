"""`finsamplan revise`: the revised budget, decision by decision, and what the rules say of it.

The board's decisions during the year are data in the plan file (``revisions``); the revised
budget is computed from the adopted one (``figures.revisions``). This module gathers what the
command shows: the adopted and the revised budget side by side, each decision with its
changes, financing and the room before and after it, and the findings that concern the
decisions (FIN100, FIN101, and every finding on the revised column).
"""

from __future__ import annotations

from dataclasses import dataclass

from finsamplan.base.findings import Finding
from finsamplan.figures.budget import Budget, Totals, compute
from finsamplan.figures.revisions import Revised, Step, revise
from finsamplan.plan.model import Plan

FINANCING = {
    "room": "utrymmet",
    "equity": "eget kapital",
    "income": "nya intäkter",
    None: "ingen angiven",
}
OWN_CODES = ("FIN100", "FIN101")


@dataclass(frozen=True)
class RevisedBudget:
    """What ``revise`` shows: the decisions, the two budgets and the findings on them."""

    plan_id: str
    plan: Plan
    revised: Revised
    budget: Budget  # two columns: the adopted budget and the revised one
    findings: tuple[Finding, ...]

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.revised.steps

    @property
    def adopted_totals(self) -> Totals:
        return self.budget.totals[self.revised.adopted.key]

    @property
    def revised_totals(self) -> Totals:
        return self.budget.totals[self.revised.key]


def financing_text(financing: str | None) -> str:
    return FINANCING[financing]


def concerning(findings: list[Finding], revised: Revised) -> list[Finding]:
    """The findings about the decisions and the revised column, from ``validate``."""
    return [f for f in findings if f.code in OWN_CODES or f.year == revised.key]


def revised_budget(plan: Plan, plan_id: str, findings: list[Finding]) -> RevisedBudget | None:
    """The revised budget of a plan that records decisions; None when it records none."""
    revised = revise(plan)
    if revised is None:
        return None
    adopted = revised.adopted.model_copy(update={"label": f"Antagen budget {plan.year}"})
    two = revised.plan.model_copy(update={"columns": [adopted, revised.column]})
    return RevisedBudget(plan_id, plan, revised, compute(two), tuple(concerning(findings, revised)))
