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
from finsamplan.figures.budget import Budget, Row, Table
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
    wb.set_properties(
        {
            "title": f"{plan.title}: budget",
            "author": "finsamplan",
            "company": plan.forbund.name,
            "comments": f"Skapad från {plan_id}",
        }
    )
    sheet = _BudgetSheet(wb, budget, title_suffix)
    for table in budget.tables:
        sheet.table(table)
    sheet.summary()
    forbund = plan.forbund.short_name or plan.forbund.name
    heading = f"{plan.title}{title_suffix}"
    sheet.finish(forbund, heading)
    _findings_sheet(wb, sheet.fmt, findings, forbund, heading)


def _formats(wb: Any) -> dict[str, Any]:
    """The workbook's cell formats, by what they are for."""
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}),
        "head": wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "align": "right"}),
        "head_left": wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1}),
        "section": wb.add_format({"bold": True, "top": 1}),
        "label": wb.add_format({"text_wrap": True, "valign": "top"}),
        "part": wb.add_format({"indent": 2, "italic": True}),
        "num": wb.add_format({"num_format": NUMBER}),
        "part_num": wb.add_format({"num_format": NUMBER, "italic": True}),
        "total_label": wb.add_format({"bold": True, "top": 1}),
        "total": wb.add_format({"bold": True, "num_format": NUMBER, "top": 1}),
        "grand": wb.add_format({"bold": True, "num_format": NUMBER, "top": 1, "bottom": 6}),
        "grand_label": wb.add_format({"bold": True, "top": 1, "bottom": 6}),
    }


class _BudgetSheet:
    """The Budget sheet written top down: a cursor row, and every named total's cells so
    that the rows below refer to the rows above by formula."""

    HEADER = 2

    def __init__(self, wb: Any, budget: Budget, title_suffix: str) -> None:
        self.budget, self.keys = budget, budget.keys()
        self.fmt = _formats(wb)
        self.ws = ws = wb.add_worksheet("Budget")
        plan = budget.plan
        longest = max((len(r.label) for t in budget.tables for r in t.rows), default=0)
        self.label_width = min(70, max(30, longest + 2))
        self.widths = (self.label_width, *([17] * len(self.keys)))
        title = f"{plan.title}: {plan.forbund.name}{title_suffix}"
        self.tall = pagesetup.title(ws, 0, title, self.fmt["title"], self.widths)
        ws.write_string(self.HEADER, 0, "Budgetplan", self.fmt["head_left"])
        for j, col in enumerate(budget.columns):
            ws.write_string(self.HEADER, 1 + j, col.title, self.fmt["head"])
        self.row = self.HEADER + 1
        self.summary_first = 0  # set by summary()
        self.named: dict[str, list[str]] = {}  # each total's cell, per column
        self.blocks: list[tuple[int, int]] = []  # each table, and the summary: on one page
        self.wrapped: list[tuple[int, str, float]] = []  # labels: each row as tall as its label

    def table(self, table: Table) -> None:
        """A table's title, its lines (a line with parts sums them), its live total."""
        ws, fmt = self.ws, self.fmt
        self.row += 1
        first_row = self.row
        ws.write_string(self.row, 0, table.title, fmt["section"])
        self.row += 1
        line_refs: list[list[str]] = [[] for _ in self.keys]
        for r in table.rows:
            ws.write_string(self.row, 0, r.label, fmt["label"])
            self.wrapped.append((self.row, r.label, self.label_width))
            for j, ref in enumerate(self._parts(r) if r.parts else self._amounts(r)):
                line_refs[j].append(ref)
            self.row += 1
        ws.write_string(self.row, 0, table.total_label, fmt["total_label"])
        refs: list[str] = []
        for j, k in enumerate(self.keys):
            formula = f"=SUM({','.join(line_refs[j])})" if line_refs[j] else "=0"
            ws.write_formula(self.row, 1 + j, formula, fmt["total"], table.total[k])
            refs.append(xl_rowcol_to_cell(self.row, 1 + j))
        self.named[table.id] = refs
        self.blocks.append((first_row, self.row))
        self.row += 1

    def _parts(self, r: Row) -> list[str]:
        """A line that sums its parts (the parts on the rows below it); its cells."""
        row = self.row
        first, last = row + 1, row + len(r.parts)
        refs = []
        for j, k in enumerate(self.keys):
            rng = f"{xl_rowcol_to_cell(first, 1 + j)}:{xl_rowcol_to_cell(last, 1 + j)}"
            self.ws.write_formula(row, 1 + j, f"=SUM({rng})", self.fmt["num"], r.amounts[k])
            refs.append(xl_rowcol_to_cell(row, 1 + j))
        for p in r.parts:
            self.row += 1
            self.ws.write_string(self.row, 0, p.label, self.fmt["part"])
            for j, k in enumerate(self.keys):
                self.ws.write_number(self.row, 1 + j, p.amounts[k], self.fmt["part_num"])
        return refs

    def _amounts(self, r: Row) -> list[str]:
        """A line's own figures, a note as a comment (a noted zero left blank); its cells."""
        refs = []
        for j, k in enumerate(self.keys):
            if r.amounts[k] or k not in r.notes:
                self.ws.write_number(self.row, 1 + j, r.amounts[k], self.fmt["num"])
            else:
                self.ws.write_blank(self.row, 1 + j, None, self.fmt["num"])
            if k in r.notes:
                self.ws.write_comment(self.row, 1 + j, r.notes[k])
            refs.append(xl_rowcol_to_cell(self.row, 1 + j))
        return refs

    def summary(self) -> None:
        """The summary: insatser, costs, surplus, reserve and room, each by formula from the
        named totals above it (the reserve is the plan's own figure)."""
        budget, fmt, labels = self.budget, self.fmt, self.budget.plan.labels
        self.row += 1
        self.summary_first = self.row
        self.ws.write_string(self.row, 0, labels.text("summary_title"), fmt["section"])
        self.row += 1
        t = [budget.totals[k] for k in self.keys]
        insatser = [x.id for x in budget.cost_tables if x.counts_as == "insatser"]
        admin = [x.id for x in budget.cost_tables if x.counts_as == "administration"]
        total = (fmt["total_label"], fmt["total"])
        plain = (fmt["label"], fmt["num"])
        grand = (fmt["grand_label"], fmt["grand"])
        rows: list[tuple[str, str, str | None, list[int], tuple[Any, Any]]] = [
            ("insatser", "insatser_total", _sum_formula(insatser), [x.insatser for x in t], total),
            (
                "costs",
                "costs_total",
                _sum_formula([*admin, "insatser"]),
                [x.costs for x in t],
                total,
            ),
            ("surplus", "surplus", "={income}-{costs}", [x.surplus for x in t], plain),
            ("reserve", "reserve", None, [x.reserve for x in t], plain),
            ("room", "room", "={surplus}-{reserve}", [x.room for x in t], grand),
        ]
        for name, label, formula, values, formats in rows:
            self._summary_row(name, labels.text(label), formula, values, formats)

    def _summary_row(
        self,
        name: str,
        label: str,
        formula: str | None,
        values: list[int],
        formats: tuple[Any, Any],
    ) -> None:
        self.ws.write_string(self.row, 0, label, formats[0])
        for j, value in enumerate(values):
            if formula is None:
                self.ws.write_number(self.row, 1 + j, value, formats[1])
            else:
                at = {n: c[j] for n, c in self.named.items()}
                self.ws.write_formula(self.row, 1 + j, formula.format(**at), formats[1], value)
        self.named[name] = [xl_rowcol_to_cell(self.row, 1 + j) for j in range(len(values))]
        self.row += 1

    def finish(self, forbund: str, heading: str) -> None:
        """Comments for printed figures that differ, frozen headings, the page setup."""
        _stated_comments(self.ws, self.budget, self.named)
        self.blocks.append((self.summary_first, self.row - 1))
        self.ws.freeze_panes(self.HEADER + 1, 1)
        tall = self.tall | pagesetup.fit_rows(self.ws, self.wrapped)
        layout = Layout(self.widths, self.row, (self.HEADER, self.HEADER), self.blocks, tall)
        pagesetup.apply(self.ws, layout, forbund, heading)


def _findings_sheet(
    wb: Any, fmt: dict[str, Any], findings: list[Finding], forbund: str, heading: str
) -> None:
    """The findings of the plan, one a row, beside its budget."""
    notes = wb.add_worksheet("Anmärkningar")
    for j, head in enumerate(("Kod", "Nivå", "Kolumn", "Meddelande")):
        notes.write_string(0, j, head, fmt["head_left"])
    for i, f in enumerate(findings, start=1):
        notes.write_string(i, 0, f.code)
        notes.write_string(i, 1, f.severity.label)
        notes.write_string(i, 2, f.year or "")
        notes.write_string(i, 3, f.message, fmt["label"])
    notes.freeze_panes(1, 0)
    messages = ((i, f.message, 120) for i, f in enumerate(findings, start=1))
    tall = pagesetup.fit_rows(notes, messages)
    layout = Layout((10, 10, 10, 120), len(findings) + 1, (0, 0), tall=tall)
    pagesetup.apply(notes, layout, forbund, f"{heading}: anmärkningar")


def _sum_formula(names: list[str]) -> str:
    """``={a}+{b}``: a sum of named cells, filled per column; ``=0`` when there are none."""
    return "=" + "+".join(f"{{{n}}}" for n in names) if names else "=0"
