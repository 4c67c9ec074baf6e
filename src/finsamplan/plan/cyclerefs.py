"""Cross-references of the year's cycle: decisions during the year and the samråd answers.

A decision (``revisions``) names lines that exist, falls after the budget was adopted and
within the plan year, and the decisions stand in date order, since each applies to the
budget the one before it left. A samråd answer names a member, once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.plan.model import Plan, Revision
from finsamplan.plan.walk import line_owners


def _ref(code: str, message: str, path: Path, **figures: Any) -> Finding:
    return Finding(code, Severity.ERROR, message, path=path, figures=figures)


def check_cycle(plan: Plan) -> list[Finding]:
    return [*_check_revisions(plan), *_check_samrad(plan), *_check_goals(plan)]


def _check_revisions(plan: Plan) -> list[Finding]:
    """Decisions during the year: the plan has the budget they change, does not type the
    revised column in, and each decision is dated in order and names lines that exist."""
    if not plan.revisions:
        return []
    out = _revised_columns(plan)
    lines = line_owners(plan)  # every line a decision may change
    previous: date | None = None
    for i, rev in enumerate(plan.revisions):
        out += _revision_date(plan, rev, previous, ("revisions", i))
        previous = max(previous, rev.date) if previous else rev.date
        known = ", ".join(sorted(lines)) or "inga rader har id"
        out += [
            _ref(
                "REF020",
                f"beslutet {rev.reference}: '{change.line}' är ingen rad med id i planen ({known})",
                ("revisions", i, "changes", j, "line"),
            )
            for j, change in enumerate(rev.changes)
            if change.line not in lines
        ]
    return out


def _revised_columns(plan: Plan) -> list[Finding]:
    """The budget the decisions change exists, and its revised form is not typed in."""
    out: list[Finding] = []
    if plan.plan_column() is None:
        message = (
            f"revisions ändrar budgeten för {plan.year}, men planen har ingen kolumn för den "
            f"(year: {plan.year}, kind: budgetplan)"
        )
        out.append(_ref("REF020", message, ("revisions",)))
    for i, c in enumerate(plan.columns):
        if c.year == plan.year and c.kind == "reviderad_budget":
            message = (
                f"kolumnen reviderad_budget {plan.year} skrivs inte in när planen har "
                "revisions: finsamplan räknar fram den reviderade budgeten ur besluten"
            )
            out.append(_ref("REF020", message, ("columns", i)))
    return out


def _revision_date(plan: Plan, rev: Revision, previous: date | None, path: Path) -> list[Finding]:
    """A decision falls within the plan year, after the budget was adopted, and after the
    decision written before it (each changes the budget the one before left)."""
    out: list[Finding] = []
    adopted = plan.dates.adopted
    where: Path = (*path, "date")
    said = f"beslutet {rev.reference} ({rev.date})"
    if rev.date > date(plan.year, 12, 31):
        out.append(_ref("REF020", f"{said} ligger efter planåret {plan.year}", where))
    elif adopted is not None and rev.date < adopted:
        message = (
            f"{said} ligger före beslutet om budgeten ({adopted}); ett beslut under året "
            "ändrar den antagna budgeten"
        )
        out.append(_ref("REF020", message, where))
    if previous is not None and rev.date < previous:
        message = (
            f"{said} står efter ett beslut från {previous}; skriv besluten i datumordning, "
            "eftersom vart och ett ändrar den budget som det förra lämnade"
        )
        out.append(_ref("REF020", message, where))
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
