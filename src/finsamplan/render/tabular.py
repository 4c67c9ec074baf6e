"""The budget as tidy CSV: one row per budget line (or total) and column, bare numbers.

Text cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) get a leading apostrophe, the OWASP advice for CSV injection.
"""

from __future__ import annotations

import csv
import io

from finsamplan.figures.budget import Budget, total_names, total_title

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(budget: Budget, plan_id: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["plan", "table", "row", "label", "column", "year", "kind", "amount"])
    for table in budget.tables:
        for row in table.rows:
            for col in budget.columns:
                writer.writerow(
                    [
                        plan_id,
                        table.id,
                        row.id or "",
                        safe_text(row.label),
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
                    safe_text(total_title(budget.plan, name)),
                    col.key,
                    col.year,
                    col.kind,
                    budget.totals[col.key].get(name),
                ]
            )
    return out.getvalue().encode("utf-8")
