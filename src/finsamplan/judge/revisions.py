"""Rules on the board's decisions during the year (``revisions``): FIN100, FIN101, FIN102.

Kommunallagen 11 kap. 15 §, which lag (2003:1210) 21 § applies to a förbund: a decision
during the year that spends money states how it is financed. Each change that raises a cost
or lowers an income therefore names its financing: the year's room for new activity, equity,
or new income in the same decision (FIN100 when it names none, FIN101 when the financing it
names does not cover it). The revised budget itself is then judged as every budget column is
(FIN102: the balance and equity rules run on the column *Reviderad budget*).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.money import format_kronor as kr
from finsamplan.judge.rules import RULES, Context, rule
from finsamplan.plan.model import Plan

if TYPE_CHECKING:
    from finsamplan.figures.revisions import Effect, Revised, Step

KL_15 = "kommunallagen 11 kap. 15 §, genom lag (2003:1210) 21 §"
FINANCING_WORDS = {
    "room": "årets utrymme för ny verksamhet",
    "equity": "eget kapital",
    "income": "nya intäkter",
}
REJUDGED = ("FIN020", "FIN021", "FIN030", "FIN080", "FIN110")
"""The rules the revised column is judged by: balance, equity drawn, ceiling, reserve, goals."""


_LAST: list[tuple[Plan, Revised | None]] = []


def _revised(ctx: Context) -> Revised | None:
    """The revised budget of the plan being judged, computed once for the three rules."""
    if _LAST and _LAST[0][0] is ctx.plan:
        return _LAST[0][1]
    revised = None
    if ctx.plan.revisions:  # the revised budget's module only for a plan that has revisions
        from finsamplan.figures.revisions import revise

        revised = revise(ctx.plan)
    _LAST[:] = [(ctx.plan, revised)]
    return revised


def _decision(step: Step) -> str:
    return f"Beslut {step.revision.date} ({step.revision.reference})"


def _what(effect: Effect) -> str:
    sign = "sänks" if effect.table == "income" else "höjs"
    return (
        f"{effect.label} {sign} med {kr(effect.spends)} kr "
        f"({kr(effect.before)} → {kr(effect.after)} kr)"
    )


def _path(effect: Effect, *tail: str) -> Path:
    return ("revisions", effect.revision, "changes", effect.index, *tail)


@rule("FIN100", Severity.ERROR, "Ett beslut under året anger hur det finansieras")
def unfinanced(ctx: Context) -> Iterator[Finding]:
    revised = _revised(ctx)
    if revised is None:
        return
    for step in revised.steps:
        for e in step.effects:
            if e.after < 0:
                yield ctx.finding(
                    "FIN100",
                    f"{_decision(step)}: {e.label} blir {kr(e.after)} kr "
                    f"({kr(e.before)} kr {kr(e.delta, sign=True)} kr); ett belopp i budgeten "
                    "kan inte bli negativt. Rätta beslutets amount eller change",
                    _path(e),
                    line=e.change.line,
                    before=e.before,
                    after=e.after,
                )
            elif e.spends and e.change.financing is None:
                yield ctx.finding(
                    "FIN100",
                    f"{_decision(step)}: {_what(e)} utan att beslutet anger hur det "
                    "finansieras. Ett beslut under året som kostar pengar anger hur det "
                    f"finansieras ({KL_15}): ange financing: room (utrymmet), equity (eget "
                    "kapital) eller income (nya intäkter i samma beslut)",
                    _path(e),
                    line=e.change.line,
                    spends=e.spends,
                    before=e.before,
                    after=e.after,
                )


@rule("FIN101", Severity.WARNING, "Finansieringen som beslutet anger räcker")
def financing_covers(ctx: Context) -> Iterator[Finding]:
    revised = _revised(ctx)
    if revised is None:
        return
    for step in revised.steps:
        yield from _income_covers(ctx, step)
        yield from _room_covers(ctx, step)


def _income_covers(ctx: Context, step: Step) -> Iterator[Finding]:
    """Spending financed by new income needs that income in the same decision."""
    wanted, added = step.spent("income"), step.new_income
    if wanted <= added:
        return
    first = next(e for e in step.effects if e.change.financing == "income" and e.spends)
    yield ctx.finding(
        "FIN101",
        f"{_decision(step)}: {kr(wanted)} kr ska finansieras med nya intäkter, men beslutet "
        f"tillför {kr(added)} kr i intäkter; {kr(wanted - added)} kr saknar den finansiering "
        f"som beslutet anger ({KL_15}). Lägg intäkten i samma beslut, eller ange "
        "room eller equity",
        _path(first, "financing"),
        wanted=wanted,
        added=added,
        missing=wanted - added,
    )


def _room_covers(ctx: Context, step: Step) -> Iterator[Finding]:
    """Spending financed by the room must leave the room at zero or above; what goes below
    is taken from the reserve, which is equity, not room."""
    from_room = step.spent("room")
    if not from_room:
        return
    left = step.after.room + step.spent("equity")  # what the room would be without equity
    if left >= 0:
        return
    first = next(e for e in step.effects if e.change.financing == "room" and e.spends)
    reserve = step.after.reserve
    taken = (
        f"{kr(-left)} kr tas därmed av reserven ({kr(reserve)} kr)"
        if -left <= reserve
        else f"det är {kr(-left)} kr mer än utrymmet och mer än reserven ({kr(reserve)} kr)"
    )
    yield ctx.finding(
        "FIN101",
        f"{_decision(step)}: beslutet tar {kr(from_room)} kr ur utrymmet för ny verksamhet, "
        f"som var {kr(step.before.room)} kr före beslutet; {taken}. Ange equity som "
        "finansiering för den delen om det är avsikten",
        _path(first, "financing"),
        from_room=from_room,
        room_before=step.before.room,
        reserve_used=-left,
    )


@rule("FIN102", Severity.ERROR, "Den reviderade budgeten prövas som en budgetkolumn")
def revised_budget(ctx: Context) -> Iterator[Finding]:
    """FIN020, FIN021, FIN030, FIN080 and FIN110 on the revised column, placed at the last
    decision (the column exists in no file). The findings keep those rules' codes."""
    revised = _revised(ctx)
    if revised is None:
        return
    inner = Context(revised.plan, revised.budget)
    at: Path = ("revisions", len(revised.steps) - 1)
    for r in RULES:
        if r.code not in REJUDGED:
            continue
        for f in r.fn(inner):
            if f.year == revised.key:
                yield replace(f, path=at)
