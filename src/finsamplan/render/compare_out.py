"""A comparison of förbund as Markdown, HTML (with a chart), XLSX, JSON and CSV."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from finsamplan.base.money import format_kronor, format_share, round_places, round_share
from finsamplan.render.cells import DEFAULT_CSV, GuardedCsv
from finsamplan.year.compare import COLUMNS, SHARES, Comparison


def cell(column: str, value: Any) -> str:
    if value is None:
        return "–"
    if column in SHARES:
        return format_share(Decimal(value))
    return format_kronor(int(value))  # kronor and counts are whole, their median too


def plain(column: str, value: Any) -> Any:
    """JSON/CSV value: shares as decimal strings of four decimals (rounded half up), kronor
    and counts (and their medians, rounded once in ``Comparison.stats``) as integers."""
    if value is None:
        return None
    if column in SHARES:
        return str(round_share(Decimal(value)))
    return int(value)


def to_json(c: Comparison) -> dict[str, Any]:
    return {
        "columns": c.columns,
        "rows": [
            {
                "plan": r.plan_id,
                "file": r.file,
                "forbund": r.forbund,
                "year": r.year,
                **{k: plain(k, r.values.get(k)) for k in c.columns},
            }
            for r in c.rows
        ],
        "stats": {
            k: {name: plain(k, v) for name, v in (c.stats(k) or {}).items()} for k in c.columns
        },
        "unreadable": [
            {"plan": r.plan_id, "file": r.file, "problems": [f.to_json() for f in r.problems]}
            for r in c.unreadable
        ],
    }


def to_csv(c: Comparison, dialect: str = DEFAULT_CSV) -> bytes:
    """One row per förbund and plan year: ids and fractions (``tidy``), or Swedish
    headings, shares in per cent with decimal commas and the median, lowest and highest
    value below the förbund after an empty row (``excel``)."""
    if dialect == "tidy":
        w = GuardedCsv("tidy")
        w.writerow(["plan", "forbund", "year", *c.columns])
        for r in c.rows:
            values = (plain(k, r.values.get(k)) for k in c.columns)
            w.writerow([r.plan_id, r.forbund, r.year, *values])
        return w.getvalue()
    w = GuardedCsv(dialect)
    heads = (f"{COLUMNS[k]} (%)" if k in SHARES else COLUMNS[k] for k in c.columns)
    w.writerow(["Förbund", "Plan", "År", *heads])
    for r in c.rows:
        w.writerow([r.forbund, r.plan_id, r.year, *(_excel(k, r.values.get(k)) for k in c.columns)])
    if not c.rows:
        return w.getvalue()
    w.writerow([])
    for name, label in (("median", "Median"), ("min", "Lägst"), ("max", "Högst")):
        values = (_excel(k, (c.stats(k) or {}).get(name)) for k in c.columns)
        w.writerow([label, "", "", *values])
    return w.getvalue()


def _excel(column: str, value: Any) -> int | Decimal | None:
    """A value for the people's CSV: shares in per cent to two decimals (half up), kronor
    and counts whole (a median too: ``Comparison.stats`` rounds it once)."""
    if value is None:
        return None
    if column in SHARES:
        return round_places(Decimal(value) * 100, 2)
    return int(value)


def to_markdown(c: Comparison) -> str:
    head = ["Förbund", "År", *(COLUMNS[k] for k in c.columns)]
    lines = [
        "# Jämförelse av förbund",
        "",
        f"{len(c.rows)} planer.",
        "",
        "| " + " | ".join(head) + " |",
        "|:---|---:|" + "---:|" * len(c.columns),
    ]
    for r in c.rows:
        lines.append(
            f"| {r.forbund} | {r.year} | "
            + " | ".join(cell(k, r.values.get(k)) for k in c.columns)
            + " |"
        )
    for name, label in (("median", "Median"), ("min", "Lägst"), ("max", "Högst")):
        lines.append(
            f"| **{label}** | | "
            + " | ".join(cell(k, (c.stats(k) or {}).get(name)) for k in c.columns)
            + " |"
        )
    if c.unreadable:
        lines += ["", "## Planer som inte kunde läsas", ""]
        lines += [
            f"- {r.file}: {r.problems[0].as_line() if r.problems else 'okänt fel'}"
            for r in c.unreadable
        ]
    return "\n".join(lines) + "\n"


def to_html(c: Comparison) -> str:
    from finsamplan.render.charts import compare_chart
    from finsamplan.render.templating import environment

    env = environment(None)
    env.globals["cell"] = cell
    return str(
        env.get_template("compare.html.j2").render(
            c=c, labels=COLUMNS, chart=compare_chart(c) if c.rows else None
        )
    )


def to_xlsx(c: Comparison) -> bytes:
    from xlsxwriter.utility import xl_rowcol_to_cell

    from finsamplan.render import pagesetup
    from finsamplan.render.pagesetup import Layout
    from finsamplan.render.xlsx import NUMBER, new_workbook

    buffer = io.BytesIO()
    wb = new_workbook(buffer)
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True})
    num = wb.add_format({"num_format": NUMBER})
    pct = wb.add_format({"num_format": "0.0%"})
    bold_num = wb.add_format({"bold": True, "num_format": NUMBER, "top": 1})
    bold_pct = wb.add_format({"bold": True, "num_format": "0.0%", "top": 1})
    ws = wb.add_worksheet("Jämförelse")
    ws.write_row(0, 0, ["Förbund", "Plan", "År", *(COLUMNS[k] for k in c.columns)], head)
    for i, r in enumerate(c.rows, start=1):
        ws.write_string(i, 0, r.forbund)
        ws.write_string(i, 1, r.plan_id)
        ws.write_number(i, 2, r.year)
        for j, k in enumerate(c.columns, start=3):
            v = r.values.get(k)
            if v is None:
                continue
            ws.write_number(i, j, float(v) if k in SHARES else int(v), pct if k in SHARES else num)
    last = len(c.rows)
    for n, (name, func) in enumerate(
        (("Median", "MEDIAN"), ("Lägst", "MIN"), ("Högst", "MAX")), start=last + 2
    ):
        ws.write_string(n, 0, name, wb.add_format({"bold": True}))
        for j, k in enumerate(c.columns, start=3):
            stats = c.stats(k)
            if stats is None:
                continue
            rng = f"{xl_rowcol_to_cell(1, j)}:{xl_rowcol_to_cell(last, j)}"
            value = stats[{"MEDIAN": "median", "MIN": "min", "MAX": "max"}[func]]
            # a median of kronor is whole, rounded half up as Comparison.stats rounds it
            formula = (
                f"{func}({rng})" if k in SHARES or func != "MEDIAN" else f"ROUND(MEDIAN({rng}),0)"
            )
            ws.write_formula(
                n, j, f"={formula}", bold_pct if k in SHARES else bold_num, float(value)
            )
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, last, 2 + len(c.columns))
    median_to_max = (last + 2, last + 4)  # on one page
    widths = (38, 18, 8, *([14] * len(c.columns)))
    heads = ["Förbund", "Plan", "År", *(COLUMNS[k] for k in c.columns)]
    tall = pagesetup.fit_rows(ws, ((0, h, w) for h, w in zip(heads, widths, strict=True)))
    layout = Layout(widths, last + 5, (0, 0), [median_to_max], tall)
    pagesetup.apply(ws, layout, "Jämförelse av förbund", f"{len(c.rows)} planer")
    wb.close()
    return buffer.getvalue()


def to_json_bytes(c: Comparison) -> bytes:
    return (json.dumps(to_json(c), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
