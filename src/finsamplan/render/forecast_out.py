"""A forecast in the formats people use: Markdown, JSON, CSV and XLSX.

Each projected figure is shown with its source (the plan's own figure, or the assumption or
rule that produced it), followed by the findings of the rules on the projected years and,
where the plan states its own prognos, the differences line by line with their cause. An
assumption the plan marks as an illustration is named as such at the top of every format
and in each figure's source, so it is never read as the förbund's decision.
"""

from __future__ import annotations

import io
import json
from typing import Any

from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import summary_names, total_title
from finsamplan.figures.equity import YEAR_END
from finsamplan.plan.labels import TOTAL_TITLES
from finsamplan.plan.walk import total_names
from finsamplan.render.cells import DEFAULT_CSV, GuardedCsv
from finsamplan.year.forecast import ForecastResult, Key, Source


def rows(result: ForecastResult) -> list[dict[str, Any]]:
    """One entry per budget line: table, label, amounts per year and the sources."""
    out = []
    for table in result.budget.tables:
        for i, row in enumerate(table.rows):
            key: Key = (
                ("income", row.id or str(i))
                if table.id == "income"
                else ("costs", table.id, row.id or str(i))
            )
            sources: dict[str, Source | None] = {}
            for y in result.years:
                src = result.source(key, y) or result.source((*key, "0"), y)
                sources[y] = src
            out.append(
                {
                    "table": table.id,
                    "id": row.id,
                    "label": row.label,
                    "amounts": {y: row.amounts.get(y, 0) for y in result.years},
                    "sources": sources,
                    "summary": result.source_summary(key),
                }
            )
    return out


def equity_rows(result: ForecastResult) -> list[tuple[str, list[int]]]:
    """The equity each year brings in, with its working: one policy (figures.equity)."""
    carried = [result.carried[y] for y in result.years]
    return [
        (f"{YEAR_END}, året före", [c.closing for c in carried]),
        ("− utrymme som antas användas (forecast.room_spent)", [c.spent for c in carried]),
        ("= ingående eget kapital", [c.amount for c in carried]),
    ]


def illustration_note(result: ForecastResult) -> str | None:
    """The line every output shows when a figure rests on an illustration."""
    if not result.illustrations:
        return None
    return (
        "Illustration, inte förbundets beslut: siffror som bygger på "
        + ", ".join(result.illustrations)
        + " är märkta (illustration)."
    )


def to_json(result: ForecastResult) -> dict[str, Any]:
    return {
        "plan": result.plan_id,
        "scenario": result.scenario,
        "description": result.description,
        "illustrations": result.illustrations,
        "years": result.years,
        "rows": [
            {
                **{k: v for k, v in r.items() if k not in ("sources", "summary")},
                "sources": {y: s.to_json() if s else None for y, s in r["sources"].items()},
            }
            for r in rows(result)
        ],
        "totals": {
            name: {y: result.budget.totals[y].get(name) for y in result.years}
            for name in total_names(result.budget.plan)
        },
        "equity": {
            y: {
                "closing_before": c.closing,
                "room_spent": c.spent,
                "brought": c.amount,
                "text": c.explain(),
            }
            for y, c in result.carried.items()
        },
        "findings": [f.to_json() for f in result.findings],
        "differences": [
            {
                "year": d.year,
                "table": d.table,
                "label": d.label,
                "stated": d.stated,
                "projected": d.projected,
                "difference": d.difference,
                "cause": d.cause,
            }
            for d in result.differences
        ],
    }


def to_csv(result: ForecastResult, dialect: str = DEFAULT_CSV) -> bytes:
    """The projection as CSV: per line and year with ids (``tidy``), or as a person reads it
    (``excel``): a row per line, part, note and total, a column per year and the source."""
    if dialect != "tidy":
        return _excel_csv(result, dialect)
    w = GuardedCsv("tidy")
    w.writerow(
        [
            "plan",
            "scenario",
            "table",
            "row",
            "label",
            "year",
            "amount",
            "source_rule",
            "source_text",
            "illustration",
        ]
    )
    for r in rows(result):
        for y in result.years:
            src = r["sources"][y]
            w.writerow(
                [
                    result.plan_id,
                    result.scenario or "",
                    r["table"],
                    r["id"] or "",
                    r["label"],
                    y,
                    r["amounts"][y],
                    src.rule if src else "base",
                    src.text if src else "",
                    "true" if src and src.illustration else "false",
                ]
            )
    for name in total_names(result.budget.plan):
        for y in result.years:
            w.writerow(
                [
                    result.plan_id,
                    result.scenario or "",
                    "totals",
                    name,
                    total_title(result.budget.plan, name),
                    y,
                    result.budget.totals[y].get(name),
                    "sum",
                    "",
                    "false",
                ]
            )
    return w.getvalue()


def _excel_csv(result: ForecastResult, dialect: str) -> bytes:
    from finsamplan.render.tabular import LINE, NOTE, PART, TOTAL

    years = result.years
    budget = result.budget
    titles = {c.key: c.title for c in budget.columns}
    w = GuardedCsv(dialect)
    w.writerow(["Tabell", "Rad", "Del", "Typ", *(titles.get(y, y) for y in years), "Källa"])
    lines = iter(rows(result))
    for table in budget.tables:
        for i, row in enumerate(table.rows):
            line = next(lines)
            amounts = (row.amounts.get(y, 0) for y in years)
            w.writerow([table.title, row.label, "", LINE, *amounts, line["summary"]])
            for j, part in enumerate(row.parts):
                key = ("costs", table.id, row.id or str(i), str(j))
                source = result.source_summary(key)
                amounts = (part.amounts.get(y, 0) for y in years)
                w.writerow([table.title, row.label, part.label, PART, *amounts, source])
            if any(y in row.notes for y in years):
                notes = (row.notes.get(y) for y in years)
                w.writerow([table.title, row.label, "", NOTE, *notes, ""])
    plan = budget.plan
    summary = plan.labels.text("summary_title")
    for name in summary_names(plan):
        kind = LINE if name == "reserve" else TOTAL
        values = (budget.totals[y].get(name) for y in years)
        w.writerow([summary, total_title(plan, name), "", kind, *values, ""])
    note = illustration_note(result)
    if note:  # below the table, after an empty row, so that it is not taken for a row of it
        w.writerow([])
        w.writerow([note])
    return w.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(result: ForecastResult) -> str:
    years = result.years
    lines = [
        f"# Prognos {years[0]}–{years[-1]}: {result.base.forbund.name}",
        "",
        f"Plan: {result.plan_id}. Antaganden: {result.description}"
        + (f" (scenario `{result.scenario}`)." if result.scenario else "."),
        "",
    ]
    note = illustration_note(result)
    if note:
        lines += [f"**{_md(note)}**", ""]
    current = None
    for r in rows(result):
        if r["table"] != current:
            current = r["table"]
            title = next(t.title for t in result.budget.tables if t.id == current)
            lines += [
                "",
                f"## {title}",
                "",
                "| Rad | " + " | ".join(years) + " | Källa |",
                "|:---|" + "---:|" * len(years) + ":---|",
            ]
        cells = [format_kronor(r["amounts"][y]) for y in years]
        lines.append(f"| {_md(r['label'])} | " + " | ".join(cells) + f" | {_md(r['summary'])} |")
    lines += [
        "",
        "## Summering",
        "",
        "| | " + " | ".join(years) + " |",
        "|:---|" + "---:|" * len(years),
    ]
    for name in summary_names(result.budget.plan):
        lines.append(
            f"| {total_title(result.budget.plan, name)} | "
            + " | ".join(format_kronor(result.budget.totals[y].get(name)) for y in years)
            + " |"
        )
    lines += ["", "## Eget kapital mellan åren", "", "| | " + " | ".join(years) + " |"]
    lines.append("|:---|" + "---:|" * len(years))
    for title, figures in equity_rows(result):
        lines.append(f"| {title} | " + " | ".join(format_kronor(v) for v in figures) + " |")
    return "\n".join([*lines, *_md_findings(result)]) + "\n"


def _md_findings(result: ForecastResult) -> list[str]:
    """The rules on the projected years, and the differences from the plan's own prognos."""
    lines = ["", "## Regler på prognosåren", ""]
    lines += [f"- **{f.code}** ({f.severity.label}): {f.message}" for f in result.findings] or [
        "Inga anmärkningar."
    ]
    if result.differences:
        lines += [
            "",
            "## Skillnader mot planens egen prognos",
            "",
            "| År | Rad | Planen | Beräknat | Skillnad | Orsak |",
            "|:---|:---|---:|---:|---:|:---|",
        ]
        for d in result.differences:
            label = _difference_label(result, d.label, d.table)
            lines.append(
                f"| {d.year} | {_md(label)} | {format_kronor(d.stated)} | "
                f"{format_kronor(d.projected)} | {format_kronor(d.difference, sign=True)}"
                f" | {_md(d.cause)} |"
            )
    return lines


def to_html(result: ForecastResult) -> str:
    """The forecast as an accessible page (the same figures as the Markdown)."""
    from finsamplan.render.templating import environment, render_template

    env = environment(None)
    env.globals["difference_label"] = lambda d: _difference_label(result, d.label, d.table)
    env.filters["kr_sign"] = lambda v: format_kronor(v, sign=True)
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for r in rows(result):
        title = next(t.title for t in result.budget.tables if t.id == r["table"])
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(r)
    return render_template(
        env,
        "forecast.html.j2",
        r=result,
        years=result.years,
        groups=groups,
        illustration=illustration_note(result),
        equity=equity_rows(result),
        totals=[
            (name, total_title(result.budget.plan, name))
            for name in summary_names(result.budget.plan)
        ],
    )


def compare_markdown(results: list[ForecastResult]) -> str:
    years = results[0].years
    lines = [
        "# Scenarier sida vid sida",
        "",
        "| Scenario | Mått | " + " | ".join(years) + " |",
        "|:---|:---|" + "---:|" * len(years),
    ]
    for r in results:
        for name in ("room", "surplus", "equity"):
            lines.append(
                f"| {_md(r.description)} | {TOTAL_TITLES[name]} | "
                + " | ".join(format_kronor(r.budget.totals[y].get(name)) for y in years)
                + " |"
            )
    notes = [f"- {_md(r.description)}: {_md(n)}" for r in results if (n := illustration_note(r))]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def compare_json(results: list[ForecastResult]) -> dict[str, Any]:
    return {
        "years": results[0].years,
        "scenarios": [
            {
                "scenario": r.scenario,
                "description": r.description,
                "illustrations": r.illustrations,
                **{
                    name: {y: r.budget.totals[y].get(name) for y in r.years}
                    for name in ("room", "surplus", "equity", "costs", "available")
                },
                "findings": [f.to_json() for f in r.findings],
            }
            for r in results
        ],
    }


def to_xlsx(result: ForecastResult) -> bytes:
    """The projected budget with live totals, plus sheets for sources and differences."""
    from finsamplan.render.xlsx import NUMBER, new_workbook, write_budget_sheet

    buffer = io.BytesIO()
    wb = new_workbook(buffer)
    suffix = f" – prognos ({result.description})" + (
        " – innehåller illustrationer, se Källor" if result.illustrations else ""
    )
    write_budget_sheet(wb, result.budget, result.plan_id, result.findings, title_suffix=suffix)
    plan = result.budget.plan
    page = (plan.forbund.short_name or plan.forbund.name, f"{plan.title}{suffix}")
    fmt = {
        "bold": wb.add_format({"bold": True}),
        "num": wb.add_format({"num_format": NUMBER}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }
    _sources_sheet(wb, fmt, result, page)
    _differences_sheet(wb, fmt, result, page)
    wb.close()
    return buffer.getvalue()


def _sources_sheet(
    wb: Any, fmt: dict[str, Any], result: ForecastResult, page: tuple[str, str]
) -> None:
    """Källor: every projected row with the source of its figures, and the illustration
    note where the forecast has illustrations."""
    from finsamplan.render import pagesetup
    from finsamplan.render.pagesetup import Layout

    titles = {t.id: t.title for t in result.budget.tables}
    ws = wb.add_worksheet("Källor")
    ws.write_row(0, 0, ["Tabell", "Rad", *result.years, "Källa"], fmt["bold"])
    found = rows(result)
    widths = (24, 50, *([14] * len(result.years)), 70)
    texts: list[tuple[int, str, float]] = []  # wrapped, each row as tall as its text
    for i, r in enumerate(found, start=1):
        ws.write_string(i, 0, titles.get(r["table"], r["table"]), fmt["wrap"])
        ws.write_string(i, 1, r["label"], fmt["wrap"])
        for j, y in enumerate(result.years):
            ws.write_number(i, 2 + j, r["amounts"][y], fmt["num"])
        ws.write_string(i, 2 + len(result.years), r["summary"], fmt["wrap"])
        texts += [(i, r["label"], widths[1]), (i, r["summary"], widths[-1])]
    used = len(found) + 1
    note = illustration_note(result)
    if note:
        ws.merge_range(used + 1, 0, used + 1, len(widths) - 1, note, fmt["wrap"])
        texts.append((used + 1, note, sum(widths)))
        used += 2
    ws.freeze_panes(1, 2)
    layout = Layout(widths, used, (0, 0), tall=pagesetup.fit_rows(ws, texts))
    pagesetup.apply(ws, layout, page[0], f"{page[1]}: källor")


def _differences_sheet(
    wb: Any, fmt: dict[str, Any], result: ForecastResult, page: tuple[str, str]
) -> None:
    """Skillnader: where the forecast differs from the plan's own prognos, and why."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    from finsamplan.render import pagesetup
    from finsamplan.render.pagesetup import Layout

    ds = wb.add_worksheet("Skillnader")
    ds.write_row(0, 0, ["År", "Rad", "Planen", "Beräknat", "Skillnad", "Orsak"], fmt["bold"])
    widths = (8, 50, 14, 14, 14, 70)
    texts: list[tuple[int, str, float]] = []
    for i, d in enumerate(result.differences, start=1):
        label = _difference_label(result, d.label, d.table)
        ds.write_string(i, 0, d.year)
        ds.write_string(i, 1, label, fmt["wrap"])
        ds.write_number(i, 2, d.stated, fmt["num"])
        ds.write_number(i, 3, d.projected, fmt["num"])
        stated, projected = xl_rowcol_to_cell(i, 2), xl_rowcol_to_cell(i, 3)
        ds.write_formula(i, 4, f"={projected}-{stated}", fmt["num"], d.difference)
        ds.write_string(i, 5, d.cause, fmt["wrap"])
        texts += [(i, label, widths[1]), (i, d.cause, widths[5])]
    tall = pagesetup.fit_rows(ds, texts)
    layout = Layout(widths, len(result.differences) + 1, (0, 0), tall=tall)
    pagesetup.apply(ds, layout, page[0], f"{page[1]}: skillnader mot planens prognos")


def to_json_bytes(result: ForecastResult) -> bytes:
    return (json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _difference_label(result: ForecastResult, label: str, table: str) -> str:
    """A difference names its row by label, or a total by its name: show the Swedish name."""
    return total_title(result.budget.plan, label) if table == "totals" else label
