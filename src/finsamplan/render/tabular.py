"""The budget as tidy CSV: one row per budget line (or total) and column, bare numbers.

Text cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) get a leading apostrophe, the OWASP advice for CSV injection.
"""

from __future__ import annotations

from finsamplan.base.outputs import guard_text as safe_text
from finsamplan.figures.budget import Budget, total_names, total_title
from finsamplan.render.cells import GuardedCsv

__all__ = ["safe_text", "to_csv"]


def to_csv(budget: Budget, plan_id: str) -> bytes:
    writer = GuardedCsv()
    writer.writerow(["plan", "table", "row", "label", "column", "year", "kind", "amount"])
    for table in budget.tables:
        for row in table.rows:
            for col in budget.columns:
                writer.writerow(
                    [
                        plan_id,
                        table.id,
                        row.id or "",
                        row.label,
                        col.key,
                        col.year,
                        col.kind,
                        row.amounts[col.key],
                    ]
                )
    for name in total_names(budget.plan):
        for col in budget.columns:
            writer.writerow(
                [
                    plan_id,
                    "totals",
                    name,
                    total_title(budget.plan, name),
                    col.key,
                    col.year,
                    col.kind,
                    budget.totals[col.key].get(name),
                ]
            )
    return writer.getvalue()
