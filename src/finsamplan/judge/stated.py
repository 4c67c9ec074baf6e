"""Stated figures: the totals a printed plan gives, held against the computed ones.

A plan digitised from a printed document may carry the printed totals (``stated:``). The
computed figure is always the one shown; each printed figure that differs is reported
(FIN090) and shown in the document as a footnote with the printed figure and the reason,
so that a reader holding the printed plan sees why the two disagree.

Severity: a difference the plan explains (``reason``) is *info*: it is known and the
document itself tells the reader. A difference without a reason is a *warning*: either a
row was digitised wrong or the printed sum is wrong, and someone must look before the
board decides. It is not an error: the computed figure, from the rows, is the plan's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from finsamplan.base.findings import Finding, Severity
from finsamplan.base.money import format_kronor as kr
from finsamplan.figures.budget import Budget
from finsamplan.judge.rules import Context, rule
from finsamplan.plan.model import Column, Plan
from finsamplan.plan.walk import total_names

# What each total is called in messages and notes (names as in ``render --format json``);
# a cost group's total is "kostnaderna för" its short title.
PHRASES = {
    "income": "intäkterna",
    "equity": "eget kapital som förs in",
    "available": "intäkter och kapital",
    "administration": "kostnaderna för administration",
    "insatser": "kostnaderna för insatser",
    "costs": "kostnaderna totalt",
    "surplus": "överskottet",
    "reserve": "reserven",
    "room": "utrymmet för ny verksamhet",
}
ALIASES = {"activities": "insatser"}


def phrase(plan: Plan, name: str) -> str:
    """A total as a sentence names it: ``kostnaderna för projekt``."""
    name = ALIASES.get(name, name)
    group = next((g for g in plan.groups if g.id == name), None)
    if group is not None and name not in PHRASES:
        return f"kostnaderna för {group.legend[:1].lower()}{group.legend[1:]}"
    return PHRASES[name]


def table_total(table_id: str) -> str:
    """The total a budget table's total row shows: the income table shows ``available``."""
    return "available" if table_id == "income" else table_id


@dataclass(frozen=True)
class Difference:
    """One printed figure that is not the computed one."""

    name: str
    column: Column
    stated: int
    computed: int
    reason: str | None
    short: bool = False  # written without "amounts:" in the file

    @property
    def total(self) -> str:
        """The total's own name (``activities`` is the older name of ``insatser``)."""
        return ALIASES.get(self.name, self.name)


def differences(plan: Plan, budget: Budget) -> list[Difference]:
    """Every stated figure that differs from the computed one, in the plan's order."""
    out: list[Difference] = []
    columns = {c.key: c for c in plan.columns}
    names = total_names(plan)
    for name, total in plan.stated.items():
        if name not in names:
            continue  # the loader has reported it (REF015)
        for key, printed in total.amounts.items():
            col = columns.get(key)
            if col is None:
                continue  # REF002
            computed = budget.totals[key].get(name)
            if computed != printed:
                out.append(Difference(name, col, printed, computed, total.reason, total.short))
    return out


def note_text(diffs: list[Difference]) -> str:
    """The footnote for one total: the printed figures, per column, and the reason."""
    printed = [f"{kr(d.stated)} ({d.column.title})" for d in diffs]
    listed = printed[0] if len(printed) == 1 else ", ".join(printed[:-1]) + " och " + printed[-1]
    reason = diffs[0].reason
    return f"Den tryckta planen anger {listed}." + (f" {reason}" if reason else "")


@rule("FIN090", Severity.WARNING, "Tryckta summor stämmer med de beräknade")
def stated_figures(ctx: Context) -> Iterator[Finding]:
    for d in differences(ctx.plan, ctx.budget):
        title = phrase(ctx.plan, d.name)
        said = (
            f"{d.column.title}: {title} ({d.name}) är {kr(d.computed)} kr räknat ur planens "
            f"rader, men den tryckta planen anger {kr(d.stated)} kr (skillnad "
            f"{kr(d.computed - d.stated, sign=True)} kr)"
        )
        yield ctx.finding(
            "FIN090",
            said
            + (
                f". Skäl: {d.reason}"
                if d.reason
                else f"; kontrollera raderna och den tryckta summan, eller ange skälet "
                f"(stated.{d.name}.reason)"
            ),
            ("stated", d.name, *(() if d.short else ("amounts",)), d.column.key),
            d.column,
            severity=Severity.INFO if d.reason else None,
            stated=d.stated,
            computed=d.computed,
            difference=d.computed - d.stated,
        )
