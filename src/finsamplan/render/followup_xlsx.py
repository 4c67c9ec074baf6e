"""The follow-up as an XLSX workbook for the economist and the board.

Sheet *Uppföljning*: per group its lines and a ``SUM`` row, then the result block (income,
costs, the year's result, the equity at year end) whose every figure is a formula over the
group sums and the unmapped rows, each carrying its computed value (as ``budget.xlsx``).
The deviation is red only where it makes the result worse: a cost over budget, an income
under it. Sheets *Omappat* and *Utanför perioden* list rows of the export with real dates;
*Avstämning* sums the buckets with formulas. Every sheet prints on A4 (``pagesetup``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from finsamplan.figures.actuals import ActualRow
from finsamplan.render import pagesetup
from finsamplan.render.followup_out import (
    DEVIATION_HEAD,
    DEVIATION_NOTE,
    ResultRow,
    board_file,
    board_finding,
    reconciliation,
    result_rows,
)
from finsamplan.render.pagesetup import Layout
from finsamplan.render.xlsx import NUMBER, new_workbook
from finsamplan.year.followup import NO_DATA, Followup

# Deviations: red only where the result gets worse; the sign always shown.
WORSE_IF_HIGHER = '[Red]"+"#,##0;"\u2212"#,##0;"–"'  # costs
WORSE_IF_LOWER = '"+"#,##0;[Red]"\u2212"#,##0;"–"'  # income, the result
SIGNED = '"+"#,##0;"\u2212"#,##0;"–"'  # the equity: neither better nor worse as such
ORE = "#,##0.00"
COLUMNS = ("Rad", "Budget", "Utfall", "Förbrukat", "Väntat hittills", "Prognos helår")
B, C, D, E, F, G, H, J = 1, 2, 3, 4, 5, 6, 7, 8  # sheet Uppföljning; H, J: both budgets
WIDTHS = (55, 14, 14, 11, 14, 14, 16)
BOTH_WIDTHS = (*WIDTHS, 14, 14)  # with the adopted and the revised budget after the deviation
ROWS_WIDTHS = (6, 11, 9, 9, 9, 44, 14)  # sheets Omappat and Utanför perioden


def to_xlsx(f: Followup) -> bytes:
    buffer = io.BytesIO()
    wb = new_workbook(buffer)
    wb.set_properties(
        {
            "title": f"Uppföljning {f.year} till och med {f.until}",
            "author": "finsamplan",
            "company": f.plan.forbund.name,
            "comments": f"Skapad från {f.plan_id} och {board_file(f.imported.file)}",
        }
    )
    formats = _formats(wb)
    followup_sheet(wb, f, formats)
    reconciliation_sheets(wb, f, formats)
    wb.close()
    return buffer.getvalue()


def _formats(wb: Any) -> dict[str, Any]:
    head = {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True}
    total = {"bold": True, "top": 1}
    return {
        "title": wb.add_format({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({"bold": True}),
        "head": wb.add_format(head),
        "head_right": wb.add_format({**head, "align": "right"}),
        "num": wb.add_format({"num_format": NUMBER}),
        "pct": wb.add_format({"num_format": "0.0%"}),
        "total_label": wb.add_format(total),
        "total": wb.add_format({**total, "num_format": NUMBER}),
        "total_pct": wb.add_format({**total, "num_format": "0.0%"}),
        "cost": wb.add_format({"num_format": WORSE_IF_HIGHER}),
        "income": wb.add_format({"num_format": WORSE_IF_LOWER}),
        "signed": wb.add_format({"num_format": SIGNED}),
        "total_cost": wb.add_format({**total, "num_format": WORSE_IF_HIGHER}),
        "total_income": wb.add_format({**total, "num_format": WORSE_IF_LOWER}),
        "total_signed": wb.add_format({**total, "num_format": SIGNED}),
        "ore": wb.add_format({"num_format": ORE}),
        "ore_bold": wb.add_format({"bold": True, "num_format": ORE}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd", "align": "left"}),
        "note": wb.add_format({"italic": True, "text_wrap": True, "valign": "top"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }


def _deviation_format(kind: str, strong: bool) -> str:
    side = {"income": "income", "result": "income", "cost": "cost"}.get(kind, "signed")
    return f"total_{side}" if strong else side


def _share(ws: Any, row: int, fmt: Any, value: Any) -> None:
    b, c = cell(row, B), cell(row, C)
    ws.write_formula(row, D, f'=IF({b}=0,"",{c}/{b})', fmt, value)


def followup_sheet(wb: Any, f: Followup, fm: dict[str, Any]) -> None:
    """The groups with their lines and sums, the result block and the note on the sign."""
    ws = wb.add_worksheet("Uppföljning")
    widths = BOTH_WIDTHS if f.revised else WIDTHS
    title = f"Uppföljning {f.year} till {f.until}: {f.plan.forbund.name}"
    tall = pagesetup.title(ws, 0, title, fm["title"], widths)
    columns = [*COLUMNS, DEVIATION_HEAD]
    if f.revised:  # the baseline in column B, both budgets after the deviation
        columns = [columns[0], f.baseline_title, *columns[2:], "Antagen budget", "Reviderad budget"]
    ws.write_string(2, 0, columns[0], fm["head"])
    for j, name in enumerate(columns[1:], start=1):
        ws.write_string(2, j, name, fm["head_right"])
    ws.write_comment(2, G, DEVIATION_NOTE, {"x_scale": 2.5, "y_scale": 2})
    heads = [(2, name, widths[j]) for j, name in enumerate(columns)]
    row, blocks, sums, wrapped = 3, [], {}, heads
    for g in f.groups:
        first_row = row
        ws.write_string(row, 0, g.title, fm["bold"])
        row += 1
        first = row
        kind = "income" if g.id == "income" else "cost"
        for ln in (x for x in f.lines if x.group == g.id):
            ws.write_string(row, 0, ln.label, fm["wrap"])
            wrapped.append((row, ln.label, WIDTHS[0]))
            for j, v in ((B, ln.budget), (C, ln.actual), (E, ln.expected), (F, ln.forecast)):
                ws.write_number(row, j, v, fm["num"])
            _share(ws, row, fm["pct"], float(ln.share_used) if ln.share_used is not None else "")
            formula = f"={cell(row, F)}-{cell(row, B)}"
            ws.write_formula(row, G, formula, fm[kind], ln.deviation)
            if f.revised:
                ws.write_number(row, H, ln.adopted, fm["num"])
                ws.write_number(row, J, ln.revised or 0, fm["num"])
            row += 1
        ws.write_string(row, 0, f"Summa {g.title.lower()}", fm["total_label"])
        for j, v in ((B, g.budget), (C, g.actual), (E, g.expected), (F, g.forecast)):
            rng = f"{cell(first, j)}:{cell(row - 1, j)}"
            ws.write_formula(row, j, f"=SUM({rng})", fm["total"], v)
        share = float(g.share_used) if g.share_used is not None else ""
        _share(ws, row, fm["total_pct"], share)
        formula = f"={cell(row, F)}-{cell(row, B)}"
        ws.write_formula(row, G, formula, fm[f"total_{kind}"], g.deviation)
        if f.revised:
            for j, v in ((H, g.adopted), (J, g.revised or 0)):
                rng = f"{cell(first, j)}:{cell(row - 1, j)}"
                ws.write_formula(row, j, f"=SUM({rng})", fm["total"], v)
        sums[g.id] = row
        blocks.append((first_row, row))
        row += 2
    result_first = row
    row = _result_block(ws, f, fm, row, sums)
    blocks.append((result_first, row - 1))
    if not f.has_data:
        _no_data(ws, f, fm, blocks, result_first)
    row += 1
    ws.merge_range(row, 0, row, J if f.revised else G, DEVIATION_NOTE, fm["note"])
    wrapped.append((row, DEVIATION_NOTE, sum(widths)))
    blocks.append((row, row))
    ws.freeze_panes(3, 1)
    layout = Layout(widths, row + 1, (2, 2), blocks, tall | pagesetup.fit_rows(ws, wrapped))
    pagesetup.apply(ws, layout, _forbund(f), f"Uppföljning {f.year} till och med {f.until}")


def _no_data(
    ws: Any, f: Followup, fm: dict[str, Any], blocks: list[tuple[int, int]], result: int
) -> None:
    """Without a row of the export in the period, every figure the export would give
    (actuals, share used, forecast, deviation) is the text "ingen uppgift" in place of a
    0 or a formula over nothing; a fixed figure (equity brought in, ceiling) stays. Why,
    under the title."""
    ws.write_string(1, 0, f.no_data_reason, fm["bold"])
    for first, last in blocks[:-1]:  # the groups: their lines and sums
        for row in range(first + 1, last + 1):
            for col in (C, D, F, G):
                ws.write_string(row, col, NO_DATA, fm["wrap"])
    for i, r in enumerate(result_rows(f), start=result + 1):
        if r.known:
            continue
        for col in (C, F, G) if r.actual is not None else (F, G):
            ws.write_string(i, col, NO_DATA, fm["wrap"])


def _result_block(ws: Any, f: Followup, fm: dict[str, Any], row: int, sums: dict[str, int]) -> int:
    """The result block as formulas: income and cost sums from the group rows, the unmapped
    rows from sheet Omappat, the result and the equity from the rows above; budget, actuals
    to date and forecast in the columns of the table above."""
    ws.write_string(row, 0, "Resultat och eget kapital", fm["bold"])
    rows = result_rows(f)
    at = {r.label: row + 1 + i for i, r in enumerate(rows)}
    labels = [r.label for r in rows]
    income, groups, unmapped, costs, result, equity_in, equity, ceiling = labels
    cost_rows = [sums[g.id] for g in f.groups[1:]]
    unmapped_range = f"'Omappat'!G2:G{max(len(f.reconciliation.unmapped), 1) + 1}"

    def formulas(col: int) -> dict[str, str]:
        def c(label: str) -> str:
            return str(cell(at[label], col))

        return {
            income: f"={cell(sums['income'], col)}",
            groups: "=" + ("+".join(cell(r, col) for r in cost_rows) or "0"),
            unmapped: "=0" if col == B else f"=ROUND(SUM({unmapped_range}),0)",
            costs: f"={c(groups)}+{c(unmapped)}",
            result: f"={c(income)}-{c(costs)}",
            equity_in: "",
            equity: f"={c(equity_in)}+{c(result)}",
            ceiling: "",
        }

    budget, actual, forecast = formulas(B), formulas(C), formulas(F)
    for r in rows:
        row += 1
        _result_row(ws, fm, row, r, budget[r.label], actual[r.label], forecast[r.label])
    return row + 1


def _result_row(
    ws: Any, fm: dict[str, Any], row: int, r: ResultRow, budget: str, actual: str, forecast: str
) -> None:
    ws.write_string(row, 0, r.label, fm["total_label"] if r.strong else None)
    num = fm["total"] if r.strong else fm["num"]
    if budget:
        ws.write_formula(row, B, budget, num, r.budget)
    else:
        ws.write_number(row, B, r.budget, num)
    if r.actual is not None:
        ws.write_formula(row, C, actual, num, r.actual)
    # A fixed figure (the equity brought in, the ceiling) is the same in the forecast.
    ws.write_formula(row, F, forecast or f"={cell(row, B)}", num, r.forecast)
    if r.deviation is not None:
        formula = f"={cell(row, F)}-{cell(row, B)}"
        ws.write_formula(row, G, formula, fm[_deviation_format(r.kind, r.strong)], r.deviation)


def _forbund(f: Followup) -> str:
    return f.plan.forbund.short_name or f.plan.forbund.name


def _rows_sheet(
    wb: Any, f: Followup, fm: dict[str, Any], title: str, rows: Sequence[ActualRow]
) -> None:
    ws = wb.add_worksheet(title)
    ws.write_row(0, 0, ["Rad", "Datum", "Konto", "Ansvar", "Projekt", "Text", "Belopp"], fm["head"])
    for i, r in enumerate(rows, start=1):
        ws.write_number(i, 0, r.row)
        ws.write_datetime(i, 1, r.date, fm["date"])  # a date, not the text of one
        for j, text in enumerate((r.account, r.cost_centre, r.project, r.text), start=2):
            ws.write_string(i, j, text, fm["wrap"])
        ws.write_number(i, 6, float(r.amount), fm["ore"])
    texts = ((i, r.text, ROWS_WIDTHS[5]) for i, r in enumerate(rows, start=1))
    layout = Layout(ROWS_WIDTHS, len(rows) + 1, (0, 0), tall=pagesetup.fit_rows(ws, texts))
    pagesetup.apply(ws, layout, _forbund(f), f"Uppföljning {f.year}: {title.lower()}")


def reconciliation_sheets(wb: Any, f: Followup, fm: dict[str, Any]) -> None:
    """Sheets Omappat, Utanför perioden and Avstämning; text through ``write_string``."""
    rec = f.reconciliation
    _rows_sheet(wb, f, fm, "Omappat", rec.unmapped)
    _rows_sheet(wb, f, fm, "Utanför perioden", rec.before + rec.after)
    ws = wb.add_worksheet("Avstämning")
    ws.write_row(0, 0, ["Post", "Rader", "Belopp"], fm["head"])
    table = reconciliation(f)
    at = {(r.kind, r.key): i for i, r in enumerate(table, start=1)}
    buckets = [i for i, r in enumerate(table, start=1) if r.kind == "bucket"]
    for i, line in enumerate(table, start=1):
        rows_formula, amount_formula = _reconciliation_formulas(line.kind, line.key, at, buckets)
        if line.rows is not None:
            if rows_formula:
                ws.write_formula(i, 1, rows_formula, None, line.rows)
            else:
                ws.write_number(i, 1, line.rows)
        if line.amount is not None:
            fmt = fm["ore_bold"] if line.kind in ("sum", "difference") else fm["ore"]
            if amount_formula:
                ws.write_formula(i, 2, amount_formula, fmt, float(line.amount))
            else:
                ws.write_number(i, 2, float(line.amount), fmt)
    texts = [(i, line.label) for i, line in enumerate(table, start=1)]
    i = len(table) + 2
    texts.append((i, f"Beloppsformat: {f.imported.amount_format}"))
    for t in rec.totals:
        i += 1
        what = "exportens summa" if t.grand else "delsumma"
        texts.append((i, f"Rad {t.row} ({what}): {t.text}"))
        ws.write_number(i, 2, float(t.amount), fm["ore"])
    for finding in [*f.imported.malformed, *f.imported.notes]:
        i += 1
        texts.append((i, board_finding(finding)))
    for at_row, text in texts:
        ws.write_string(at_row, 0, text, fm["wrap"])
    tall = pagesetup.fit_rows(ws, ((r, text, 70) for r, text in texts))
    layout = Layout((70, 10, 18), i + 1, (0, 0), [(0, len(table))], tall)
    pagesetup.apply(ws, layout, _forbund(f), f"Uppföljning {f.year}: avstämning mot exporten")


def _reconciliation_formulas(
    kind: str, key: str, at: dict[tuple[str, str], int], buckets: list[int]
) -> tuple[str, str]:
    """The rows and the amount of a reconciliation line as formulas, where it is a sum or
    a difference of the lines above it (empty: a figure of its own)."""
    if kind == "sum":
        rows = "+".join(f"B{i + 1}" for i in buckets) or "0"
        amounts = "+".join(f"C{i + 1}" for i in buckets) or "0"
        return f"={rows}", f"={amounts}"
    if kind == "difference":
        return "", f"=ROUND(C{at[('declared', '')] + 1}-C{at[('sum', '')] + 1},2)"
    if key == "empty":
        file, counted, totals = at[("other", "file")], at[("sum", "")], at[("other", "totals")]
        return f"=B{file + 1}-B{counted + 1}-B{totals + 1}", ""
    return "", ""
