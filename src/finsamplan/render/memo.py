"""A decision memo (*beslutsunderlag*) for one insats: what a board member needs before
deciding, and at every checkpoint after: the insats, its budget over the years and its
share of the förbund's, the criteria with evidence, the checkpoints and the open points.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from finsamplan.base.money import format_kronor, format_share
from finsamplan.figures.budget import Budget
from finsamplan.judge.criteria import CheckResult, InsatsResult
from finsamplan.plan.model import Plan


class UnknownInsats(LookupError):
    pass


@dataclass(frozen=True)
class MemoRow:
    label: str
    cells: tuple[str, ...]
    kind: str = "row"


@dataclass
class MemoView:
    plan_id: str
    plan: Plan
    insats: InsatsResult
    profile_name: str
    header: tuple[str, ...]
    rows: tuple[MemoRow, ...]
    open_points: tuple[tuple[str, str, str], ...]  # criterion title, reason, question
    card: object


def build(plan_id: str, plan: Plan, budget: Budget, check: CheckResult, insats_id: str) -> MemoView:
    from finsamplan.render.view import build as build_doc

    result = next((r for r in check.insatser if r.activity.id == insats_id), None)
    if result is None:
        known = ", ".join(a.id for a in plan.activities) or "inga"
        raise UnknownInsats(f"insatsen '{insats_id}' finns inte i planen (finns: {known})")
    act = result.activity
    keys = budget.keys()
    rows: list[MemoRow] = []
    totals = dict.fromkeys(keys, 0)
    for table in budget.tables[1:]:
        for row in table.rows:
            if row.id in act.lines:
                rows.append(
                    MemoRow(
                        row.label,
                        tuple(
                            format_kronor(row.amounts[k]) if row.amounts[k] else "–" for k in keys
                        ),
                    )
                )
                for k in keys:
                    totals[k] += row.amounts[k]
    if rows:
        rows.append(
            MemoRow("Insatsen totalt", tuple(format_kronor(totals[k]) for k in keys), "total")
        )
        rows.append(
            MemoRow(
                "Förbundets kostnader totalt",
                tuple(format_kronor(budget.totals[k].costs) for k in keys),
            )
        )
        rows.append(
            MemoRow(
                "Insatsens andel av förbundets kostnader",
                tuple(
                    format_share(Decimal(totals[k]) / budget.totals[k].costs)
                    if budget.totals[k].costs
                    else "–"
                    for k in keys
                ),
                "share",
            )
        )
    open_points = tuple(
        (v.criterion.title, "; ".join(v.reasons), v.criterion.question or "")
        for v in result.verdicts
        if v.status == "missing"
    )
    doc = build_doc(plan_id, plan, budget, [])
    card = next(c for c in doc.cards if c.anchor == f"insats-{act.id}")
    return MemoView(
        plan_id,
        plan,
        result,
        check.profile.name,
        tuple(c.title for c in budget.columns),
        tuple(rows),
        open_points,
        card,
    )


def render(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    check: CheckResult,
    insats_id: str,
    formats: list[str],
    templates: Path | None = None,
    pdf_variant: str | None = "pdf/a-3a",
) -> dict[str, bytes]:
    from finsamplan.render.document import pdf
    from finsamplan.render.templating import environment, render_template

    memo = build(plan_id, plan, budget, check, insats_id)
    env = environment(templates)
    out: dict[str, bytes] = {}
    name = f"beslutsunderlag-{insats_id}"
    html_text: str | None = None
    for fmt in formats:
        if fmt == "md":
            out[f"{name}.md"] = render_template(env, "memo.md.j2", memo=memo).encode("utf-8")
        elif fmt in ("html", "pdf"):
            html_text = html_text or render_template(env, "memo.html.j2", memo=memo)
            out[f"{name}.{fmt}"] = (
                html_text.encode("utf-8") if fmt == "html" else pdf(html_text, pdf_variant)
            )
        elif fmt == "docx":
            from finsamplan.render.docx import memo_docx

            out[f"{name}.docx"] = memo_docx(memo)
    return out
