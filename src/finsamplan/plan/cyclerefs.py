"""Cross-references of the year's cycle: decisions during the year and the samråd answers.

A decision (``revisions``) names lines that exist, falls after the budget was adopted and
within the plan year, and the decisions stand in date order, since each applies to the
budget the one before it left. A samråd answer names a member, once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.plan.model import Plan


def _ref(code: str, message: str, path: Path, **figures: Any) -> Finding:
    return Finding(code, Severity.ERROR, message, path=path, figures=figures)


def revisable_lines(plan: Plan) -> dict[str, str]:
    """Every line a decision may change, by id: ``income`` or the cost group's id."""
    out = {inc.id: "income" for inc in plan.income if inc.id}
    for group in plan.groups:
        out.update({line.id: group.id for line in plan.group_lines(group.id) if line.id})
    return out


def check_cycle(plan: Plan) -> list[Finding]:
    return [*_check_revisions(plan), *_check_samrad(plan), *_check_goals(plan)]


def _check_revisions(plan: Plan) -> list[Finding]:
    if not plan.revisions:
        return []
    out: list[Finding] = []
    if plan.plan_column() is None:
        out.append(
            _ref(
                "REF020",
                f"revisions ändrar budgeten för {plan.year}, men planen har ingen kolumn "
                f"för den (year: {plan.year}, kind: budgetplan)",
                ("revisions",),
            )
        )
    typed = [
        i
        for i, c in enumerate(plan.columns)
        if c.year == plan.year and c.kind == "reviderad_budget"
    ]
    for i in typed:
        out.append(
            _ref(
                "REF020",
                f"kolumnen reviderad_budget {plan.year} skrivs inte in när planen har revisions: "
                "finsamplan räknar fram den reviderade budgeten ur besluten",
                ("columns", i),
            )
        )
    lines = revisable_lines(plan)
    end = date(plan.year, 12, 31)
    adopted = plan.dates.adopted
    previous: date | None = None
    for i, rev in enumerate(plan.revisions):
        path: Path = ("revisions", i)
        if rev.date > end:
            out.append(
                _ref(
                    "REF020",
                    f"beslutet {rev.reference} ({rev.date}) ligger efter planåret {plan.year}",
                    (*path, "date"),
                )
            )
        elif adopted is not None and rev.date < adopted:
            out.append(
                _ref(
                    "REF020",
                    f"beslutet {rev.reference} ({rev.date}) ligger före beslutet om budgeten "
                    f"({adopted}); ett beslut under året ändrar den antagna budgeten",
                    (*path, "date"),
                )
            )
        if previous is not None and rev.date < previous:
            out.append(
                _ref(
                    "REF020",
                    f"beslutet {rev.reference} ({rev.date}) står efter ett beslut från {previous}; "
                    "skriv besluten i datumordning, eftersom vart och ett ändrar den budget "
                    "som det förra lämnade",
                    (*path, "date"),
                )
            )
        previous = max(previous, rev.date) if previous else rev.date
        for j, change in enumerate(rev.changes):
            if change.line not in lines:
                known = ", ".join(sorted(lines)) or "inga rader har id"
                out.append(
                    _ref(
                        "REF020",
                        f"beslutet {rev.reference}: '{change.line}' är ingen rad med id i "
                        f"planen ({known})",
                        (*path, "changes", j, "line"),
                    )
                )
    return out


def _check_samrad(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    samrad = plan.samrad
    members = {m.id for m in plan.forbund.members}
    seen: set[str] = set()
    for i, answer in enumerate(samrad.answers):
        path: Path = ("samrad", "answers", i, "member")
        if answer.member not in members:
            out.append(
                _ref(
                    "REF021",
                    f"samrad.answers: '{answer.member}' är ingen medlem "
                    f"(medlemmar: {', '.join(sorted(members))})",
                    path,
                )
            )
        elif answer.member in seen:
            out.append(
                _ref("REF021", f"samrad.answers: '{answer.member}' har redan ett svar", path)
            )
        seen.add(answer.member)
    if samrad.sent and samrad.answer_by and samrad.answer_by < samrad.sent:
        out.append(
            _ref(
                "REF021",
                f"samrad: svarsdagen {samrad.answer_by} ligger före utskicket {samrad.sent}",
                ("samrad", "answer_by"),
            )
        )
    return out


def _check_goals(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for i, goal in enumerate(plan.goals):
        if goal.id is None:
            continue
        if goal.id in seen:
            out.append(_ref("REF004", f"målet '{goal.id}' finns två gånger", ("goals", i, "id")))
        seen.add(goal.id)
    return out
