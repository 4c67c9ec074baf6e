"""FIN110: the plan's financial goals (kommunallagen 11 kap. 6 §, through FinsamL 21 §).

The budget states financial goals of importance for good economic management; the goals are
the förbund's own, so a year that misses one is a warning with the figure and the limit. A
plan that states none is not a finding (a plan that was valid stays as it was); the document
says so under the financial position instead (``render.position``).
"""

from __future__ import annotations

from collections.abc import Iterator

from finsamplan.base.findings import Finding, Severity
from finsamplan.judge.rules import Context, rule

KL_6 = "kommunallagen 11 kap. 6 §, genom lag (2003:1210) 21 §"


@rule("FIN110", Severity.WARNING, "Budgeten når planens finansiella mål")
def goals(ctx: Context) -> Iterator[Finding]:
    if not ctx.plan.goals:  # the goals' module only for a plan that sets goals
        return
    from finsamplan.figures.goals import MEASURE_TITLES, limit_text, readings, show

    for r in readings(ctx.plan, ctx.budget):
        if r.met is not False:
            continue
        name = r.goal.measure
        yield ctx.finding(
            "FIN110",
            f"{r.column.title}: målet ”{r.goal.text}” nås inte: "
            f"{MEASURE_TITLES[name].lower()} är {show(name, r.value)}, målet är "
            f"{limit_text(r.goal)} ({KL_6})",
            ("goals", r.index),
            r.column,
            goal=r.goal.id,
            measure=name,
            value=str(r.value),
            min=str(r.goal.min) if r.goal.min is not None else None,
            max=str(r.goal.max) if r.goal.max is not None else None,
        )
