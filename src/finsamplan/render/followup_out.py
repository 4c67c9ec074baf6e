"""The follow-up as a board report (HTML, PDF, Markdown), a workbook and JSON.

All formats are made from the same :class:`~finsamplan.year.followup.Followup`, so the XLSX and
the PDF hold the same figures as the JSON.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from finsamplan.base.money import format_share
from finsamplan.figures.actuals import ActualRow, Bucket
from finsamplan.render.charts import Image
from finsamplan.render.view import Chart
from finsamplan.year.followup import Followup, ore


def _share(value: Decimal | None) -> str:
    return format_share(value) if value is not None else "–"


@dataclass(frozen=True)
class ReconRow:
    """One line of the reconciliation table: what, how many rows, how much (None: no money)."""

    label: str
    rows: int | None
    amount: Decimal | None
    kind: str = "bucket"  # bucket, sum, declared, difference, other


def _bucket_label(f: Followup, b: Bucket) -> str:
    rec = f.reconciliation
    if b.key in ("mapped", "unmapped", "balance"):
        return f"{b.title} {rec.start}–{rec.end}"
    if b.key == "before":
        label = f"Daterade före {rec.start}"
    elif b.key == "after":
        label = f"Daterade efter {rec.end}"
    else:
        label = b.title + (f" (varav {b.unknown} utan läsbart belopp)" if b.unknown else "")
        return label
    return label + (f" ({b.first}–{b.last})" if b.first is not None else "")


def reconciliation(f: Followup) -> list[ReconRow]:
    """Every row of the export in its bucket, the buckets' sum against the export's total,
    then the rows that hold no money: the same table in the terminal, md, html and xlsx."""
    rec, imp = f.reconciliation, f.imported
    out = [
        ReconRow(_bucket_label(f, b), b.rows, b.amount)
        for b in rec.buckets
        if b.key != "balance" or imp.kind == "sie"
    ]
    counted_rows = sum(b.rows for b in rec.buckets)
    out.append(ReconRow("Summa inlästa belopp", counted_rows, rec.counted, "sum"))
    if imp.kind == "sie":
        declared = "Verifikationernas summa (ska vara 0)"
    elif rec.declared_row is not None:
        rule = "enligt actuals.totals" if imp.declared_rule == "words" else "summan av raderna"
        declared = f"Exportens summa (rad {rec.declared_row}, {rule})"
    else:
        declared = "Exportens summa (ingen summarad)"
    out.append(ReconRow(declared, None, rec.declared, "declared"))
    out.append(ReconRow("Differens", None, rec.difference, "difference"))
    out.append(ReconRow("Summarader och delsummor (räknas inte)", len(rec.totals), None, "other"))
    money_rows = counted_rows + len(rec.totals)
    label = "Rader utan belopp (rubriker, tomma rader" + (
        ", SIE-poster utan transaktion)" if imp.kind == "sie" else ")"
    )
    out.append(ReconRow(label, imp.physical_rows - money_rows, None, "other"))
    out.append(ReconRow("Rader i filen", imp.physical_rows, None, "other"))
    return out


def _row_json(r: ActualRow) -> dict[str, Any]:
    return {
        "row": r.row,
        "date": str(r.date),
        "account": r.account,
        "cost_centre": r.cost_centre,
        "project": r.project,
        "text": r.text,
        "amount": str(r.amount),
        "line": r.line,
    }


def _bucket_json(b: Bucket) -> dict[str, Any]:
    return {
        "key": b.key,
        "title": b.title,
        "rows": b.rows,
        "amount": str(b.amount),
        "unknown": b.unknown,
        "first": str(b.first) if b.first else None,
        "last": str(b.last) if b.last else None,
    }


def reconciliation_json(f: Followup) -> dict[str, Any]:
    rec, imp = f.reconciliation, f.imported
    return {
        "file": imp.file,
        "kind": imp.kind,
        "encoding": imp.encoding,
        "amount_format": imp.amount_format,
        "period": {"start": str(rec.start), "end": str(rec.end)},
        "rows_in_file": imp.physical_rows,
        "buckets": [_bucket_json(b) for b in rec.buckets],
        "counted": str(rec.counted),
        "declared_total": str(rec.declared) if rec.declared is not None else None,
        "declared_row": rec.declared_row,
        "declared_rule": imp.declared_rule or None,
        "difference": str(rec.difference) if rec.difference is not None else None,
        "totals": [
            {
                "row": t.row,
                "text": t.text,
                "amount": str(t.amount),
                "first_row": t.first,
                "rule": t.rule,
                "grand": t.grand,
            }
            for t in rec.totals
        ],
        "rows_without_money": {
            "header": imp.header_row,
            "preamble": imp.preamble,
            "blank": imp.blank,
            "continued": imp.continued,
            "text": imp.text_rows,
        },
        "sie_lines": imp.lines or None,
    }


def to_json(f: Followup) -> dict[str, Any]:
    imp = f.imported
    return {
        "plan": f.plan_id,
        "year": f.year,
        "until": str(f.until),
        "months": str(f.elapsed),
        "baseline": f.baseline,
        "decisions": [
            {"date": str(d.date), "reference": d.reference, "text": d.text} for d in f.decisions
        ],
        "lines": [
            {
                "group": ln.group,
                "id": ln.id,
                "label": ln.label,
                "budget": ln.budget,
                "adopted": ln.adopted,
                "revised": ln.revised,
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
                "adopted": g.adopted,
                "revised": g.revised,
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
        "reconciliation": reconciliation_json(f),
        "unmapped": [_row_json(r) for r in f.reconciliation.unmapped],
        "outside": [_row_json(r) for r in f.reconciliation.before + f.reconciliation.after],
        "malformed": [
            {**b.finding.to_json(), "amount": str(b.amount) if b.amount is not None else None}
            for b in imp.bad
        ],
        "notes": [n.to_json() for n in imp.notes],
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
    env.globals["reconciliation"] = reconciliation
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
    if f.revised:  # the baseline in column B, both budgets after the deviation
        cols = [*cols[:1], f.baseline_title, *cols[2:], "Antagen budget", "Reviderad budget"]
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
            if f.revised:
                ws.write_number(row, 7, ln.adopted, num)
                ws.write_number(row, 8, ln.revised or 0, num)
            row += 1
        ws.write_string(row, 0, f"Summa {g.title.lower()}", bold)
        for j, v in (
            (1, g.budget),
            (2, g.actual),
            (4, g.expected),
            (5, g.forecast),
            (6, g.deviation),
            *(((7, g.adopted), (8, g.revised or 0)) if f.revised else ()),
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
        (f"Eget kapital vid årets slut enligt {f.baseline_title.lower()}", f.budget_surplus),
        ("Tak för eget kapital", f.ceiling),
    ]
    for label, value in result:
        row += 1
        ws.write_string(row, 0, label)
        ws.write_number(row, 1, value, num)
    ws.set_column(0, 0, 55)
    ws.set_column(1, 8 if f.revised else 6, 15)
    ws.freeze_panes(3, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    _xlsx_reconciliation(wb, f, head)
    wb.close()
    return buffer.getvalue()


def _xlsx_reconciliation(wb: Any, f: Followup, head: Any) -> None:
    """Sheets Omappat, Utanför perioden and Avstämning; text through ``write_string``."""
    ore_format = wb.add_format({"num_format": "#,##0.00"})
    columns = ["Rad", "Datum", "Konto", "Ansvar", "Projekt", "Text", "Belopp"]
    for title, rows in (
        ("Omappat", f.reconciliation.unmapped),
        ("Utanför perioden", f.reconciliation.before + f.reconciliation.after),
    ):
        ws = wb.add_worksheet(title)
        ws.write_row(0, 0, columns, head)
        for i, r in enumerate(rows, start=1):
            ws.write_number(i, 0, r.row)
            for j, text in enumerate(
                (str(r.date), r.account, r.cost_centre, r.project, r.text), start=1
            ):
                ws.write_string(i, j, text)
            ws.write_number(i, 6, float(r.amount), ore_format)
        ws.set_column(5, 5, 40)
    rec = wb.add_worksheet("Avstämning")
    rec.write_row(0, 0, ["Post", "Rader", "Belopp"], head)
    bold = wb.add_format({"bold": True, "num_format": "#,##0.00"})
    table = reconciliation(f)
    for i, line in enumerate(table, start=1):
        rec.write_string(i, 0, line.label)
        if line.rows is not None:
            rec.write_number(i, 1, line.rows)
        if line.amount is not None:
            fmt = bold if line.kind in ("sum", "difference") else ore_format
            rec.write_number(i, 2, float(line.amount), fmt)
    i = len(table) + 2
    rec.write_string(i, 0, f"Beloppsformat: {f.imported.amount_format}")
    for t in f.reconciliation.totals:
        i += 1
        what = "exportens summa" if t.grand else "delsumma"
        rec.write_string(i, 0, f"Rad {t.row} ({what}): {t.text}")
        rec.write_number(i, 2, float(t.amount), ore_format)
    for finding in [*f.imported.malformed, *f.imported.notes]:
        i += 1
        rec.write_string(i, 0, finding.format())
    rec.set_column(0, 0, 70)
    rec.set_column(1, 1, 10)
    rec.set_column(2, 2, 18)
