"""The fakturaunderlag as an XLSX workbook for the economist.

Sheet *Fakturaunderlag*: each paying member's contribution per year, each shared side and the
whole summed by live ``SUM`` formulas that carry their computed values (as ``budget.xlsx``).
Sheet *Fördelning*: per keyed split, each member's key, its share (a formula over the keys),
its exact quota (share × the side's part, a formula) and the whole kronor it pays, so the
economist can redo the split in the spreadsheet. Text goes through ``write_string`` in a
workbook that never turns text into formulas (``xlsx.new_workbook``).
"""

from __future__ import annotations

import io
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from finsamplan.plan.keys import SIDES, as_decimal
from finsamplan.render import pagesetup
from finsamplan.render.fakturaunderlag import (
    METHOD,
    SIDE_TITLES,
    Fakturaunderlag,
    not_paying_text,
    rounding_text,
)
from finsamplan.render.pagesetup import Layout
from finsamplan.render.xlsx import NUMBER, new_workbook


def to_xlsx(fu: Fakturaunderlag, plan_id: str) -> bytes:
    """The invoice sheet (live sums with cached values) and the working sheet."""
    buffer = io.BytesIO()
    wb = new_workbook(buffer)
    plan = fu.plan
    wb.set_properties(
        {
            "title": f"{plan.title}: fakturaunderlag",
            "author": "finsamplan",
            "company": plan.forbund.name,
            "comments": f"Skapad från {plan_id}",
        }
    )
    formats = _formats(wb)
    _invoice_sheet(wb, fu, formats)
    if fu.workings:
        _working_sheet(wb, fu, formats)
    wb.close()
    return buffer.getvalue()


def _formats(wb: Any) -> dict[str, Any]:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}),
        "head": wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "align": "right"}),
        "head_left": wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1}),
        "caption": wb.add_format({"bold": True, "top": 1, "text_wrap": True, "valign": "top"}),
        "num": wb.add_format({"num_format": NUMBER}),
        "ore": wb.add_format({"num_format": "#,##0.00"}),
        "pct": wb.add_format({"num_format": "0.00%"}),
        "total_label": wb.add_format({"bold": True, "top": 1}),
        "total": wb.add_format({"bold": True, "num_format": NUMBER, "top": 1}),
        "total_ore": wb.add_format({"bold": True, "num_format": "#,##0.00", "top": 1}),
        "total_pct": wb.add_format({"bold": True, "num_format": "0.00%", "top": 1}),
        "note": wb.add_format({"italic": True}),
        "method": wb.add_format({"italic": True, "text_wrap": True, "valign": "top"}),
    }


def _invoice_sheet(wb: Any, fu: Fakturaunderlag, f: dict[str, Any]) -> None:
    ws = wb.add_worksheet("Fakturaunderlag")
    widths = (_name_width(fu), 14, *([17] * len(fu.columns)))
    title = f"Fakturaunderlag: {fu.plan.forbund.name}, {fu.plan.title}"
    tall = pagesetup.title(ws, 0, title, f["title"], widths)
    ws.write_string(2, 0, "Medlem", f["head_left"])
    ws.write_string(2, 1, "Sida", f["head_left"])
    for j, c in enumerate(fu.columns):
        ws.write_string(2, 2 + j, c.title, f["head"])
    row = 3
    member_cells: list[list[str]] = [[] for _ in fu.columns]
    for side in SIDES:
        members = [m for m in fu.members if m.side == side]
        first = row
        for m in members:
            ws.write_string(row, 0, m.name)
            ws.write_string(row, 1, SIDE_TITLES[side])
            for j, c in enumerate(fu.columns):
                ws.write_number(row, 2 + j, fu.amounts[m.id][c.key], f["num"])
                member_cells[j].append(cell(row, 2 + j))
            row += 1
        if len(members) > 1:
            ws.write_string(row, 0, f"{SIDE_TITLES[side]} tillsammans", f["total_label"])
            ws.write_blank(row, 1, None, f["total_label"])
            for j, c in enumerate(fu.columns):
                rng = f"{cell(first, 2 + j)}:{cell(row - 1, 2 + j)}"
                ws.write_formula(row, 2 + j, f"=SUM({rng})", f["total"], fu.side_total(side, c.key))
            row += 1
    ws.write_string(row, 0, "Summa medlemsavgifter", f["total_label"])
    ws.write_blank(row, 1, None, f["total_label"])
    for j, c in enumerate(fu.columns):
        refs = ",".join(member_cells[j]) or "0"
        ws.write_formula(row, 2 + j, f"=SUM({refs})", f["total"], fu.total(c.key))
    row += 2
    for m, payer in fu.not_paying:
        ws.write_string(row, 0, not_paying_text(m, payer), f["note"])
        row += 1
    ws.freeze_panes(3, 1)
    layout = Layout(widths, row, (2, 2), [(0, row - 1)], tall)
    pagesetup.apply(ws, layout, _forbund(fu), f"Fakturaunderlag, {fu.plan.title}")


def _working_sheet(wb: Any, fu: Fakturaunderlag, f: dict[str, Any]) -> None:
    ws = wb.add_worksheet("Fördelning")
    ws.write_string(0, 0, "Fördelning efter nyckel", f["title"])
    row = 2
    blocks = []
    widths = (_name_width(fu), 16, 16, 16, 16, 16)
    captions = []  # a caption across the table, wrapped, so that it prints within the page
    for w in fu.workings:
        s = w.split
        first_row = row
        ws.merge_range(row, 0, row, len(widths) - 1, w.caption, f["caption"])
        captions.append((row, w.caption, sum(widths)))
        row += 1
        ws.write_string(row, 0, "Sidans del", f["head_left"])
        ws.write_number(row, 1, s.total, f["num"])
        total_cell = cell(row, 1, row_abs=True, col_abs=True)
        row += 1
        headers = ("Medlem", "Nyckel", "Andel", "Exakt belopp", "Avgift", "Avrundning")
        for j, h in enumerate(headers):
            ws.write_string(row, j, h, f["head_left"] if j in (0, 5) else f["head"])
        row += 1
        first, last = row, row + len(s.parts) - 1
        keys = f"{cell(first, 1, row_abs=True)}:{cell(last, 1, row_abs=True)}"
        for p in s.parts:
            key = p.member.key
            assert key is not None
            ws.write_string(row, 0, p.member.name)
            if key.population is not None:
                ws.write_number(row, 1, key.population, f["num"])
            else:
                ws.write_number(row, 1, float(as_decimal(p.weight)), f["pct"])
            share = float(as_decimal(p.share))
            ws.write_formula(row, 2, f"={cell(row, 1)}/SUM({keys})", f["pct"], share)
            exact = float(p.quota_ore)
            ws.write_formula(row, 3, f"={cell(row, 2)}*{total_cell}", f["ore"], exact)
            ws.write_number(row, 4, p.amount, f["num"])
            ws.write_string(row, 5, rounding_text(p))
            row += 1
        ws.write_string(row, 0, "Summa", f["total_label"])
        shares = s.parts[0].member.key is not None and (s.parts[0].member.key.share is not None)
        sums = (
            (1, "total_pct" if shares else "total", float(sum(p.weight for p in s.parts))),
            (2, "total_pct", 1.0),
            (3, "total_ore", float(s.total)),
            (4, "total", s.total),
        )
        for j, fmt, value in sums:
            rng = f"{cell(first, j)}:{cell(last, j)}"
            ws.write_formula(row, j, f"=SUM({rng})", f[fmt], value)
        ws.write_blank(row, 5, None, f["total_label"])
        blocks.append((first_row, row))
        row += 2
    # The method as a paragraph across the table, so that it prints within the page.
    ws.merge_range(row, 0, row, len(widths) - 1, METHOD, f["method"])
    blocks.append((row, row))
    tall = pagesetup.fit_rows(ws, [*captions, (row, METHOD, sum(widths))])
    layout = Layout(widths, row + 1, None, blocks, tall)
    pagesetup.apply(ws, layout, _forbund(fu), f"Fördelning efter nyckel, {fu.plan.title}")


def _name_width(fu: Fakturaunderlag) -> int:
    return max(24, max((len(m.name) for m in fu.members), default=0) + 2)


def _forbund(fu: Fakturaunderlag) -> str:
    return fu.plan.forbund.short_name or fu.plan.forbund.name
