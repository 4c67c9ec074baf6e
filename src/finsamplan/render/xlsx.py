"""The budget tables as an XLSX workbook for the economist.

Every total is a live ``SUM`` formula that also carries its computed value, so Excel and
LibreOffice recalculate it while viewers that do not calculate (and ``openpyxl`` with
``data_only=True``) still show the right figure. XlsxWriter is used because it writes
those cached values; labels go through ``write_string`` so that plan text starting with
``=``, ``+``, ``-`` or ``@`` stays text and never becomes a formula.
"""

from __future__ import annotations

import io
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from finsamplan.base.findings import Finding
from finsamplan.figures.budget import Budget
from finsamplan.judge import stated
from finsamplan.render import pagesetup
from finsamplan.render.pagesetup import Layout

NUMBER = '#,##0;[Red]"\u2212"#,##0;"–"'


def _stated_comments(ws: Any, budget: Budget, named: dict[str, list[str]]) -> None:
    """A printed figure that is not the computed one: a comment on the computed cell."""
    keys = budget.keys()
    cells = {stated.table_total(name): refs for name, refs in named.items()}
    for d in stated.differences(budget.plan, budget):
        if d.total in cells:
            ws.write_comment(
                cells[d.total][keys.index(d.column.key)],
                stated.note_text([d]),
                {"x_scale": 2, "y_scale": 2},
            )


def new_workbook(buffer: io.BytesIO) -> Any:
    """An in-memory workbook that never turns text into formulas, numbers or links, and
    guards every text cell (``render.cells``)."""
    from finsamplan.render.cells import workbook

    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    return workbook(buffer, options)


def to_xlsx(budget: Budget, plan_id: str, findings: list[Finding]) -> bytes:
    buffer = io.BytesIO()
    wb = new_workbook(buffer)
    write_budget_sheet(wb, budget, plan_id, findings)
    wb.close()
    return buffer.getvalue()


def write_budget_sheet(
    wb: Any, budget: Budget, plan_id: str, findings: list[Finding], title_suffix: str = ""
) -> None:
    """The Budget sheet (tables, live totals with cached values) and the findings sheet."""
    plan = budget.plan
    keys = budget.keys()
    wb.set_properties(
        {
            "title": f"{plan.title}: budget",
            "author": "finsamplan",
            "company": plan.forbund.name,
            "comments": f"Skapad från {plan_id}",
        }
    )
    f_title = wb.add_format({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"})
    f_head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "align": "right"})
    f_head_left = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1})
    f_section = wb.add_format({"bold": True, "top": 1})
    f_label = wb.add_format({"text_wrap": True, "valign": "top"})
    f_part = wb.add_format({"indent": 2, "italic": True})
    f_num = wb.add_format({"num_format": NUMBER})
    f_part_num = wb.add_format({"num_format": NUMBER, "italic": True})
    f_total_label = wb.add_format({"bold": True, "top": 1})
    f_total = wb.add_format({"bold": True, "num_format": NUMBER, "top": 1})
    f_grand = wb.add_format({"bold": True, "num_format": NUMBER, "top": 1, "bottom": 6})
    f_grand_label = wb.add_format({"bold": True, "top": 1, "bottom": 6})

    ws = wb.add_worksheet("Budget")
    longest = max((len(r.label) for t in budget.tables for r in t.rows), default=0)
    label_width = min(70, max(30, longest + 2))
    widths = (label_width, *([17] * len(keys)))
    title = f"{plan.title}: {plan.forbund.name}{title_suffix}"
    tall = pagesetup.title(ws, 0, title, f_title, widths)
    header_row = 2
    ws.write_string(header_row, 0, "Budgetplan", f_head_left)
    for j, col in enumerate(budget.columns):
        ws.write_string(header_row, 1 + j, col.title, f_head)

    row = header_row + 1
    group_totals: dict[str, list[str]] = {}  # each table's total cell, per column
    blocks: list[tuple[int, int]] = []  # each table, and the summary: kept on one page
    wrapped: list[tuple[int, str, float]] = []  # labels, each row as tall as its label
    for table in budget.tables:
        row += 1
        first_row = row
        ws.write_string(row, 0, table.title, f_section)
        row += 1
        line_refs: list[list[str]] = [[] for _ in keys]
        for r in table.rows:
            ws.write_string(row, 0, r.label, f_label)
            wrapped.append((row, r.label, label_width))
            if r.parts:
                first = row + 1
                last = row + len(r.parts)
                for j, k in enumerate(keys):
                    rng = f"{xl_rowcol_to_cell(first, 1 + j)}:{xl_rowcol_to_cell(last, 1 + j)}"
                    ws.write_formula(row, 1 + j, f"=SUM({rng})", f_num, r.amounts[k])
                    line_refs[j].append(xl_rowcol_to_cell(row, 1 + j))
                for p in r.parts:
                    row += 1
                    ws.write_string(row, 0, p.label, f_part)
                    for j, k in enumerate(keys):
                        ws.write_number(row, 1 + j, p.amounts[k], f_part_num)
            else:
                for j, k in enumerate(keys):
                    if r.amounts[k] or k not in r.notes:
                        ws.write_number(row, 1 + j, r.amounts[k], f_num)
                    else:
                        ws.write_blank(row, 1 + j, None, f_num)
                    if k in r.notes:
                        ws.write_comment(row, 1 + j, r.notes[k])
                    line_refs[j].append(xl_rowcol_to_cell(row, 1 + j))
            row += 1
        ws.write_string(row, 0, table.total_label, f_total_label)
        refs: list[str] = []
        for j, k in enumerate(keys):
            formula = f"=SUM({','.join(line_refs[j])})" if line_refs[j] else "=0"
            ws.write_formula(row, 1 + j, formula, f_total, table.total[k])
            refs.append(xl_rowcol_to_cell(row, 1 + j))
        group_totals[table.id] = refs
        blocks.append((first_row, row))
        row += 1

    row += 1
    summary_first = row
    ws.write_string(row, 0, plan.labels.text("summary_title"), f_section)
    row += 1
    totals = [budget.totals[k] for k in keys]
    # The cell of each named figure, per column; rows below refer to rows above by name.
    named: dict[str, list[str]] = dict(group_totals)

    def summary_row(
        name: str,
        label: str,
        formula: str | None,
        values: list[int],
        fmt_label: object,
        fmt_value: object,
    ) -> None:
        nonlocal row
        ws.write_string(row, 0, label, fmt_label)
        for j, value in enumerate(values):
            if formula is None:
                ws.write_number(row, 1 + j, value, fmt_value)
            else:
                at = {n: c[j] for n, c in named.items()}
                ws.write_formula(row, 1 + j, formula.format(**at), fmt_value, value)
        named[name] = [xl_rowcol_to_cell(row, 1 + j) for j in range(len(values))]
        row += 1

    labels = plan.labels
    insatser = [t.id for t in budget.cost_tables if t.counts_as == "insatser"]
    admin = [t.id for t in budget.cost_tables if t.counts_as == "administration"]
    summary_row(
        "insatser",
        labels.text("insatser_total"),
        _sum_formula(insatser),
        [t.insatser for t in totals],
        f_total_label,
        f_total,
    )
    summary_row(
        "costs",
        labels.text("costs_total"),
        _sum_formula([*admin, "insatser"]),
        [t.costs for t in totals],
        f_total_label,
        f_total,
    )
    summary_row(
        "surplus",
        labels.text("surplus"),
        "={income}-{costs}",
        [t.surplus for t in totals],
        f_label,
        f_num,
    )
    summary_row(
        "reserve", labels.text("reserve"), None, [t.reserve for t in totals], f_label, f_num
    )
    summary_row(
        "room",
        labels.text("room"),
        "={surplus}-{reserve}",
        [t.room for t in totals],
        f_grand_label,
        f_grand,
    )

    _stated_comments(ws, budget, named)
    blocks.append((summary_first, row - 1))
    ws.freeze_panes(header_row + 1, 1)
    forbund = plan.forbund.short_name or plan.forbund.name
    heading = f"{plan.title}{title_suffix}"
    tall |= pagesetup.fit_rows(ws, wrapped)
    layout = Layout(widths, row, (header_row, header_row), blocks, tall)
    pagesetup.apply(ws, layout, forbund, heading)

    notes = wb.add_worksheet("Anmärkningar")
    notes.write_string(0, 0, "Kod", f_head_left)
    notes.write_string(0, 1, "Nivå", f_head_left)
    notes.write_string(0, 2, "Kolumn", f_head_left)
    notes.write_string(0, 3, "Meddelande", f_head_left)
    for i, f in enumerate(findings, start=1):
        notes.write_string(i, 0, f.code)
        notes.write_string(i, 1, f.severity.label)
        notes.write_string(i, 2, f.year or "")
        notes.write_string(i, 3, f.message, f_label)
    notes.freeze_panes(1, 0)
    messages = ((i, f.message, 120) for i, f in enumerate(findings, start=1))
    tall = pagesetup.fit_rows(notes, messages)
    layout = Layout((10, 10, 10, 120), len(findings) + 1, (0, 0), tall=tall)
    pagesetup.apply(notes, layout, forbund, f"{heading}: anmärkningar")


def _sum_formula(names: list[str]) -> str:
    """``={a}+{b}``: a sum of named cells, filled per column; ``=0`` when there are none."""
    return "=" + "+".join(f"{{{n}}}" for n in names) if names else "=0"
