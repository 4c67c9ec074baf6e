"""The budget as CSV, in two dialects (``render.cells``).

``excel`` (the default) is the budget as a person reads it, one row per budget line with a
column per year, as in ``budget.xlsx``: each table's lines, their parts (Ekonomi,
Lönehantering under Inköpta tjänster) and their text notes ("Om insatsen förlängs") as rows
of their own, each table's total and the summary with the plan's own Swedish labels. A
column *Typ* tells the kinds of row apart, so that a filter on it leaves only budget lines.

``tidy`` is today's machine form, unchanged: one row per budget line (or total) and column,
ids and bare numbers.

Text cells that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) get a leading apostrophe, the OWASP advice for CSV injection.
"""

from __future__ import annotations

from finsamplan.base.outputs import guard_text as safe_text
from finsamplan.figures.budget import Budget, Row, total_title
from finsamplan.plan.walk import total_names
from finsamplan.render.cells import DEFAULT_CSV, GuardedCsv

__all__ = ["SUMMARY", "excel_rows", "safe_text", "to_csv"]

LINE, PART, NOTE, TOTAL = "Budgetrad", "Del", "Anmärkning", "Summa"
SUMMARY = (  # the summary below the tables, as budget.xlsx shows it: (total, label key, kind)
    ("insatser", "insatser_total", TOTAL),
    ("costs", "costs_total", TOTAL),
    ("surplus", "surplus", TOTAL),
    ("reserve", "reserve", LINE),
    ("room", "room", TOTAL),
)
HEADER = ("Tabell", "Rad", "Del", "Typ")


def to_csv(budget: Budget, plan_id: str, dialect: str = DEFAULT_CSV) -> bytes:
    if dialect == "tidy":
        return _tidy(budget, plan_id)
    writer = GuardedCsv(dialect)
    writer.writerow([*HEADER, *(c.title for c in budget.columns)])
    writer.writerows(excel_rows(budget))
    return writer.getvalue()


def _line_rows(table: str, row: Row, keys: list[str]) -> list[list[object]]:
    """A budget line, its parts, then its notes (the text in its column, as printed)."""
    amounts = [None if k in row.notes and not row.amounts[k] else row.amounts[k] for k in keys]
    out: list[list[object]] = [[table, row.label, "", LINE, *amounts]]
    out += [[table, row.label, p.label, PART, *(p.amounts[k] for k in keys)] for p in row.parts]
    if row.notes:
        out.append([table, row.label, "", NOTE, *(row.notes.get(k) for k in keys)])
    return out


def excel_rows(budget: Budget) -> list[list[object]]:
    """Every row of the people's budget.csv after its header."""
    keys = budget.keys()
    out: list[list[object]] = []
    for table in budget.tables:
        for row in table.rows:
            out += _line_rows(table.title, row, keys)
        out.append([table.title, table.total_label, "", TOTAL, *(table.total[k] for k in keys)])
    labels = budget.plan.labels
    summary = labels.text("summary_title")
    for name, label, kind in SUMMARY:
        values = [budget.totals[k].get(name) for k in keys]
        out.append([summary, labels.text(label), "", kind, *values])
    return out


def _tidy(budget: Budget, plan_id: str) -> bytes:
    writer = GuardedCsv("tidy")
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
