"""The follow-up as a board report (HTML, PDF, Markdown), a workbook and JSON.

All formats are made from the same :class:`~finsamplan.year.followup.Followup`, so the XLSX and
the PDF hold the same figures as the JSON.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from finsamplan.base.money import format_share
from finsamplan.render.charts import Image
from finsamplan.render.view import Chart
from finsamplan.year.followup import Followup, ore


def _share(value: Decimal | None) -> str:
    return format_share(value) if value is not None else "–"


def to_json(f: Followup) -> dict[str, Any]:
    imp = f.imported
    return {
        "plan": f.plan_id,
        "year": f.year,
        "until": str(f.until),
        "months": str(f.elapsed),
        "lines": [
            {
                "group": ln.group,
                "id": ln.id,
                "label": ln.label,
                "budget": ln.budget,
                "actual": ln.actual,
                "expected": ln.expected,
                "forecast": ln.forecast,
                "deviation": ln.deviation,
                "method": ln.method,
                "rows": ln.rows,
                "share_used": str(ln.share_used.quantize(Decimal("0.0001")))
                if ln.share_used is not None
                else None,
            }
            for ln in f.lines
        ],
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "budget": g.budget,
                "actual": g.actual,
                "expected": g.expected,
                "forecast": g.forecast,
                "deviation": g.deviation,
            }
            for g in f.groups
        ],
        "result": {
            "equity_in": f.equity_in,
            "income_forecast": f.income_forecast,
            "costs_forecast": f.costs_forecast,
            "unmapped_actual": f.unmapped_actual,
            "result": f.result,
            "year_end_equity": f.year_end_equity,
            "budget_year_end_equity": f.budget_surplus,
            "ceiling": f.ceiling,
        },
        "reconciliation": {
            "file": imp.file,
            "rows": len(imp.rows),
            "mapped_rows": len(imp.mapped),
            "unmapped_rows": len(imp.unmapped),
            "malformed_rows": len(imp.malformed),
            "declared_total": str(imp.declared_total) if imp.declared_total is not None else None,
            "mapped_total": str(imp.mapped_total),
            "unmapped_total": str(imp.unmapped_total),
            "difference": str(imp.difference) if imp.difference is not None else None,
        },
        "unmapped": [
            {
                "row": r.row,
                "date": str(r.date),
                "account": r.account,
                "cost_centre": r.cost_centre,
                "text": r.text,
                "amount": str(r.amount),
            }
            for r in imp.unmapped
        ],
        "malformed": [m.to_json() for m in imp.malformed],
        "warnings": [w.to_json() for w in f.warnings],
    }


def to_json_bytes(f: Followup) -> bytes:
    return (json.dumps(to_json(f), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def chart(f: Followup, image: Image = "svg") -> Chart:
    from finsamplan.base.money import format_kronor
    from finsamplan.render.charts import _figure, finish

    fig, ax = _figure()
    groups = f.groups[1:]
    x = list(range(len(groups)))
    width = 0.26
    series = (
        ("Budget", [g.budget for g in groups], "#8DB0D3"),
        (f"Utfall till {f.until}", [g.actual for g in groups], "#4F6D8F"),
        ("Prognos helår", [g.forecast for g in groups], "#E0A458"),
    )
    for offset, (label, values, color) in zip((-width, 0, width), series, strict=True):
        ax.bar([i + offset for i in x], values, width, label=label, color=color)
    ax.set_xticks(x, [g.title for g in groups])
    ax.legend(frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    data = (
        ("Kostnadsgrupp", *(label for label, _, _ in series)),
        *(
            (g.title, *(f"{format_kronor(v[i])}\u00a0kr" for _, v, _ in series))
            for i, g in enumerate(groups)
        ),
    )
    description = "Staplar per kostnadsgrupp: budget, utfall och prognos för helåret. " + " ".join(
        f"{row[0]}: "
        + ", ".join(f"{h.lower()} {c}" for h, c in zip(data[0][1:], row[1:], strict=True))
        + "."
        for row in data[1:]
    )
    title = "Budget, utfall och prognos per kostnadsgrupp"
    return finish(fig, "uppfoljning", title, description, data, image)


def _env(templates: Path | None) -> Any:
    from finsamplan.render.templating import environment

    env = environment(templates)
    env.filters["ore"] = ore
    env.filters["pct"] = _share
    return env


def to_markdown(f: Followup, templates: Path | None = None) -> str:
    return str(_env(templates).get_template("followup.md.j2").render(f=f))


def to_html(f: Followup, templates: Path | None = None) -> str:
    return str(_env(templates).get_template("followup.html.j2").render(f=f, chart=chart(f)))


def to_xlsx(f: Followup) -> bytes:
    from xlsxwriter.utility import xl_rowcol_to_cell

    from finsamplan.render.xlsx import NUMBER, new_workbook

    buffer = io.BytesIO()
    wb = new_workbook(buffer)
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True})
    num = wb.add_format({"num_format": NUMBER})
    total = wb.add_format({"bold": True, "num_format": NUMBER, "top": 1})
    pct = wb.add_format({"num_format": "0.0%"})
    ws = wb.add_worksheet("Uppföljning")
    ws.write_string(0, 0, f"Uppföljning {f.year} till {f.until}: {f.plan.forbund.name}", bold)
    cols = ["Rad", "Budget", "Utfall", "Förbrukat", "Väntat hittills", "Prognos helår", "Avvikelse"]
    ws.write_row(2, 0, cols, head)
    row = 3
    for g in f.groups:
        ws.write_string(row, 0, g.title, bold)
        row += 1
        first = row
        for ln in (x for x in f.lines if x.group == g.id):
            ws.write_string(row, 0, ln.label)
            for j, v in enumerate((ln.budget, ln.actual), start=1):
                ws.write_number(row, j, v, num)
            b, a = xl_rowcol_to_cell(row, 1), xl_rowcol_to_cell(row, 2)
            ws.write_formula(
                row,
                3,
                f'=IF({b}=0,"",{a}/{b})',
                pct,
                float(ln.share_used) if ln.share_used is not None else "",
            )
            ws.write_number(row, 4, ln.expected, num)
            ws.write_number(row, 5, ln.forecast, num)
            ws.write_formula(row, 6, f"={xl_rowcol_to_cell(row, 5)}-{b}", num, ln.deviation)
            row += 1
        ws.write_string(row, 0, f"Summa {g.title.lower()}", bold)
        for j, v in (
            (1, g.budget),
            (2, g.actual),
            (4, g.expected),
            (5, g.forecast),
            (6, g.deviation),
        ):
            rng = f"{xl_rowcol_to_cell(first, j)}:{xl_rowcol_to_cell(row - 1, j)}"
            ws.write_formula(row, j, f"=SUM({rng})", total, v)
        row += 2
    ws.write_string(row, 0, "Resultat", bold)
    result = [
        ("Ingående eget kapital", f.equity_in),
        ("Intäkter, prognos", f.income_forecast),
        ("Kostnader, prognos (inkl. omappat)", f.costs_forecast),
        ("Omappade rader, netto", f.unmapped_actual),
        ("Eget kapital vid årets slut, prognos", f.year_end_equity),
        ("Eget kapital vid årets slut enligt budget", f.budget_surplus),
        ("Tak för eget kapital", f.ceiling),
    ]
    for label, value in result:
        row += 1
        ws.write_string(row, 0, label)
        ws.write_number(row, 1, value, num)
    ws.set_column(0, 0, 55)
    ws.set_column(1, 6, 15)
    ws.freeze_panes(3, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    un = wb.add_worksheet("Omappat")
    un.write_row(0, 0, ["Rad", "Datum", "Konto", "Ansvar", "Text", "Belopp"], head)
    for i, r in enumerate(f.imported.unmapped, start=1):
        un.write_number(i, 0, r.row)
        un.write_string(i, 1, str(r.date))
        un.write_string(i, 2, r.account)
        un.write_string(i, 3, r.cost_centre)
        un.write_string(i, 4, r.text)
        un.write_number(i, 5, float(r.amount), wb.add_format({"num_format": "#,##0.00"}))
    un.set_column(4, 4, 40)
    rec = wb.add_worksheet("Avstämning")
    imp = f.imported
    rec.write_row(0, 0, ["Post", "Belopp"], head)
    entries = [
        ("Exportens summa", imp.declared_total),
        ("Mappade rader", imp.mapped_total),
        ("Omappade rader", imp.unmapped_total),
        ("Differens", imp.difference),
    ]
    ore_format = wb.add_format({"num_format": "#,##0.00"})
    for i, (label, amount) in enumerate(entries, start=1):
        rec.write_string(i, 0, label)
        if amount is not None:
            rec.write_number(i, 1, float(amount), ore_format)
    for i, m in enumerate(imp.malformed, start=len(entries) + 2):
        rec.write_string(i, 0, m.format())
    rec.set_column(0, 0, 60)
    rec.set_column(1, 1, 18)
    wb.close()
    return buffer.getvalue()
