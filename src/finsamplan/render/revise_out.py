"""The revised budget as a document (md, html, pdf), a workbook and JSON.

Every format is made from the same :class:`~finsamplan.year.revise.RevisedBudget`: the
budget tables come from ``render.view.budget_tables`` (adopted and revised column side by
side), the workbook from ``render.xlsx`` with live sums, as for the plan itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import to_json as budget_json
from finsamplan.year.revise import RevisedBudget, financing_text

FORMATS = ("md", "html", "pdf", "xlsx", "json")


def _env(templates: Path | None) -> Any:
    from finsamplan.render.templating import environment

    env = environment(templates)
    env.filters["kr_sign"] = lambda amount: format_kronor(amount, sign=True)
    env.globals["financing"] = financing_text
    return env


def _render(r: RevisedBudget, name: str, templates: Path | None) -> str:
    from finsamplan.render.view import budget_tables

    template = _env(templates).get_template(name)
    return str(template.render(r=r, budget_tables=budget_tables(r.budget)))


def to_markdown(r: RevisedBudget, templates: Path | None = None) -> str:
    return _render(r, "revise.md.j2", templates)


def to_html(r: RevisedBudget, templates: Path | None = None) -> str:
    return _render(r, "revise.html.j2", templates)


def to_json(r: RevisedBudget) -> dict[str, Any]:
    out = budget_json(r.budget, r.plan_id)
    out["decisions"] = [
        {
            "date": str(step.revision.date),
            "reference": step.revision.reference,
            "text": step.revision.text,
            "changes": [
                {
                    "line": e.change.line,
                    "label": e.label,
                    "before": e.before,
                    "after": e.after,
                    "change": e.delta,
                    "spends": e.spends,
                    "financing": e.change.financing,
                }
                for e in step.effects
            ],
            "before": {"room": step.before.room, "surplus": step.before.surplus},
            "after": {"room": step.after.room, "surplus": step.after.surplus},
        }
        for step in r.steps
    ]
    out["findings"] = [f.to_json() for f in r.findings]
    return out


def files(r: RevisedBudget, formats: list[str], templates: Path | None = None) -> dict[str, bytes]:
    """The bytes of each format, by file name: ``reviderad-budget-2023.md`` and so on."""
    stem = f"reviderad-budget-{r.year}"
    out: dict[str, bytes] = {}
    page: str | None = None
    for fmt in formats:
        if fmt == "md":
            out[f"{stem}.md"] = to_markdown(r, templates).encode("utf-8")
        elif fmt in ("html", "pdf"):
            page = page or to_html(r, templates)
            if fmt == "html":
                out[f"{stem}.html"] = page.encode("utf-8")
            else:
                from finsamplan.render.document import pdf

                out[f"{stem}.pdf"] = pdf(page)
        elif fmt == "xlsx":
            from finsamplan.render.xlsx import to_xlsx

            out[f"{stem}.xlsx"] = to_xlsx(r.budget, r.plan_id, list(r.findings))
        elif fmt == "json":
            text = json.dumps(to_json(r), ensure_ascii=False, indent=2) + "\n"
            out[f"{stem}.json"] = text.encode("utf-8")
    return out
