"""The closed year as a document (md, html, pdf) and JSON: the förvaltningsberättelse's
table and paragraph of figures, the actuals per line, and the reconciliation of the export.

Every format is made from the same :class:`~finsamplan.year.close.Close`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from finsamplan.base.money import format_kronor
from finsamplan.figures.equity import YEAR_END
from finsamplan.render.view import EMPTY, TableRow, TableView
from finsamplan.year.close import Close, paragraph

FORMATS = ("md", "html", "pdf", "json")
SOURCES = {
    "option": "angivet med --opening-equity",
    "sie": "SIE-filens ingående balanser (#IB)",
    "budget": "budgetens, inte bokslutets",
}


def _row(label: str, budget: int | None, actual: int | None, kind: str = "row") -> TableRow:
    deviation = actual - budget if budget is not None and actual is not None else None
    values = (budget, actual, deviation)
    cells = tuple(EMPTY if v is None else format_kronor(v) for v in values)
    return TableRow(label, cells, values, kind)


def summary(c: Close) -> TableView:
    """Ekonomiskt utfall: the year against the budget it is compared with."""
    fu = c.followup
    rows = [_row("Intäkter", c.budget_income, c.income)]
    rows += [_row(g.title, g.budget, g.actual) for g in fu.groups[1:]]
    if fu.unmapped_actual:
        rows.append(_row("Omappade rader, netto", 0, fu.unmapped_actual))
    rows += [
        _row("Summa kostnader", c.budget_costs, c.costs, "total"),
        _row("Årets resultat", c.budget_result, c.result, "grand"),
        _row("Eget kapital vid årets början", c.budget_opening, c.opening_equity),
        _row(YEAR_END, c.budget_closing, c.closing_equity, "grand"),
        _row("Tak för eget kapital", c.ceiling, None),
    ]
    budget = "Reviderad budget" if fu.baseline == "revised" else "Budget"
    header = (f"{budget} {c.year}", f"Utfall {c.year}", "Avvikelse")
    return TableView("bokslut", f"Ekonomiskt utfall {c.year}", header, tuple(rows))


def line_tables(c: Close) -> tuple[TableView, ...]:
    """Per group: each line's budget (adopted and revised when there are decisions), the
    year's actuals and the deviation from the budget compared with."""
    fu = c.followup
    budgets = ("Antagen budget", "Reviderad budget") if fu.revised else ("Budget",)
    header = (*budgets, "Utfall", "Avvikelse")
    out = []
    for g in fu.groups:
        rows = [
            _line(ln.label, ln.adopted, ln.revised, ln.actual, ln.budget, fu.revised)
            for ln in fu.lines
            if ln.group == g.id
        ]
        rows.append(_line("Summa", g.adopted, g.revised, g.actual, g.budget, fu.revised, "total"))
        out.append(TableView(f"utfall-{g.id}", g.title, header, tuple(rows)))
    return tuple(out)


def _line(
    label: str,
    adopted: int,
    revised: int | None,
    actual: int,
    baseline: int,
    both: bool,
    kind: str = "row",
) -> TableRow:
    values = (
        (adopted, revised or 0, actual, actual - baseline)
        if both
        else (
            baseline,
            actual,
            actual - baseline,
        )
    )
    return TableRow(label, tuple(format_kronor(v) for v in values), values, kind)


def to_json(c: Close) -> dict[str, Any]:
    from finsamplan.render.followup_out import reconciliation_json

    fu = c.followup
    return {
        "plan": fu.plan_id,
        "year": c.year,
        "baseline": fu.baseline,
        "income": c.income,
        "costs": c.costs,
        "unmapped_actual": fu.unmapped_actual,
        "result": c.result,
        "opening_equity": c.opening_equity,
        "opening_source": c.opening_source,
        "closing_equity": c.closing_equity,
        "ledger_equity": c.ledger_equity,
        "budget": {
            "income": c.budget_income,
            "costs": c.budget_costs,
            "result": c.budget_result,
            "opening_equity": c.budget_opening,
            "closing_equity": c.budget_closing,
        },
        "ceiling": c.ceiling,
        "ceiling_share": str(c.ceiling_share),
        "paragraph": paragraph(c),
        "lines": [
            {
                "group": ln.group,
                "id": ln.id,
                "label": ln.label,
                "budget": ln.budget,
                "adopted": ln.adopted,
                "revised": ln.revised,
                "actual": ln.actual,
                "deviation": ln.actual - ln.budget,
                "rows": ln.rows,
            }
            for ln in fu.lines
        ],
        "reconciliation": reconciliation_json(fu),
        "warnings": [w.to_json() for w in c.warnings],
        "export_sha256": c.export_sha256,
    }


def _env(templates: Path | None) -> Any:
    from finsamplan.base.money import format_ore
    from finsamplan.render.followup_out import reconciliation
    from finsamplan.render.templating import environment

    env = environment(templates)
    env.filters["ore"] = format_ore
    env.globals["reconciliation"] = reconciliation
    return env


def _render(c: Close, name: str, templates: Path | None) -> str:
    template = _env(templates).get_template(name)
    return str(
        template.render(
            c=c,
            f=c.followup,
            summary=summary(c),
            lines=line_tables(c),
            paragraph=paragraph(c),
            opening_source=SOURCES[c.opening_source],
        )
    )


def files(c: Close, formats: list[str], templates: Path | None = None) -> dict[str, bytes]:
    """The bytes of each format, by file name: ``bokslut-2023.md`` and so on."""
    stem = f"bokslut-{c.year}"
    out: dict[str, bytes] = {}
    page: str | None = None
    for fmt in formats:
        if fmt == "md":
            out[f"{stem}.md"] = _render(c, "close.md.j2", templates).encode("utf-8")
        elif fmt in ("html", "pdf"):
            page = page or _render(c, "close.html.j2", templates)
            if fmt == "html":
                out[f"{stem}.html"] = page.encode("utf-8")
            else:
                from finsamplan.render.document import pdf

                out[f"{stem}.pdf"] = pdf(page)
        elif fmt == "json":
            text = json.dumps(to_json(c), ensure_ascii=False, indent=2) + "\n"
            out[f"{stem}.json"] = text.encode("utf-8")
    return out
