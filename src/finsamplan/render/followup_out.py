"""The follow-up as a board report (HTML, PDF, Markdown), a workbook and JSON.

All formats are made from the same :class:`~finsamplan.year.followup.Followup`, so the XLSX and
the PDF hold the same figures as the JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from finsamplan.base.findings import Finding
from finsamplan.base.money import format_ore, format_share, round_share
from finsamplan.figures.actuals import ActualRow, Bucket
from finsamplan.figures.equity import YEAR_END
from finsamplan.render.charts import Image
from finsamplan.render.view import Chart
from finsamplan.year.followup import NO_DATA, Followup, GroupResult, LineResult

DEVIATION_HEAD = "Avvikelse (+ = mer än budget)"
DEVIATION_NOTE = (
    "Avvikelse är prognosen för helåret minus budgeten. Ett positivt tal betyder mer än "
    "budgeterat: för en kostnad en överskridning, för en intäkt mer pengar än väntat. Ett "
    "negativt tal betyder mindre än budgeterat: för en kostnad pengar som inte används, för en "
    "intäkt ett bortfall. I arbetsboken är bara det som försämrar resultatet rött: en kostnad "
    "över budget och en intäkt under budget."
)


def board_file(path: str) -> str:
    """The export as the board document names it: its file name, never a local path."""
    return PurePath(path.replace("\\", "/")).name or path


def board_finding(finding: Finding) -> str:
    """A finding about the export with the file's name only (``export.csv:42:1: ...``)."""
    shown = board_file(finding.file) if finding.file else None
    return replace(finding, file=shown).as_line()


def sentence(text: str) -> str:
    """A message as a sentence of its own: its first letter upper case, a full stop."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


@dataclass(frozen=True)
class ResultRow:
    """A line of the result block: the year's income, costs, result and equity."""

    label: str
    budget: int
    actual: int | None  # to date; None where the line has no actuals of its own
    forecast: int
    kind: str  # income, cost, result, equity (compared with the budget) or fixed
    strong: bool = False
    known: bool = True  # False: no row of the export in the period (NO_DATA, not 0)

    @property
    def deviation(self) -> int | None:
        return None if self.kind == "fixed" else self.forecast - self.budget


def result_rows(f: Followup) -> list[ResultRow]:
    """Income, costs (the groups', the unmapped rows', all), the year's result and the
    equity, each for the budget, to date and for the full year; the same in every format."""
    income, costs = f.groups[0], f.groups[1:]
    budget_costs = sum(g.budget for g in costs)
    actual_costs = sum(g.actual for g in costs)
    actual_result = income.actual - actual_costs - f.unmapped_actual
    rows = [
        ResultRow("Intäkter", income.budget, income.actual, f.income_forecast, "income"),
        ResultRow(
            "Kostnader i budgetens grupper",
            budget_costs,
            actual_costs,
            sum(g.forecast for g in costs),
            "cost",
        ),
        ResultRow("Omappade rader, netto", 0, f.unmapped_actual, f.unmapped_actual, "cost"),
        ResultRow(
            "Kostnader totalt",
            budget_costs,
            actual_costs + f.unmapped_actual,
            f.costs_forecast,
            "cost",
            True,
        ),
        ResultRow("Årets resultat", f.budget_result, actual_result, f.result, "result", True),
        ResultRow("Ingående eget kapital", f.equity_in, None, f.equity_in, "fixed"),
        ResultRow(
            YEAR_END,
            f.budget_surplus,
            None,
            f.year_end_equity,
            "equity",
            True,
        ),
        ResultRow("Tak för eget kapital", f.ceiling, None, f.ceiling, "fixed"),
    ]
    if f.has_data:
        return rows
    return [r if r.kind == "fixed" else replace(r, known=False) for r in rows]


def known(value: int | None, has_data: bool, sign: bool = False) -> str:
    """A figure of the actuals (to date, forecast, deviation) as the reports show it:
    ``ingen uppgift`` when the export has no row in the period, never 0."""
    from finsamplan.base.money import format_kronor

    if value is None:
        return ""  # a row without such a figure (the equity at year end has no actuals)
    return format_kronor(value, sign=sign) if has_data else NO_DATA


@dataclass(frozen=True)
class ReconRow:
    """One line of the reconciliation table: what, how many rows, how much (None: no money)."""

    label: str
    rows: int | None
    amount: Decimal | None
    kind: str = "bucket"  # bucket, sum, declared, difference, other
    key: str = ""  # which "other" row: totals, empty or file


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
    out.append(
        ReconRow("Summarader och delsummor (räknas inte)", len(rec.totals), None, "other", "totals")
    )
    money_rows = counted_rows + len(rec.totals)
    label = "Rader utan belopp (rubriker, tomma rader" + (
        ", SIE-poster utan transaktion)" if imp.kind == "sie" else ")"
    )
    out.append(ReconRow(label, imp.physical_rows - money_rows, None, "other", "empty"))
    out.append(ReconRow("Rader i filen", imp.physical_rows, None, "other", "file"))
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


_FIGURES = ("budget", "adopted", "revised", "actual", "expected", "forecast", "deviation")
"""A line's and a group's figures, in the order JSON writes them."""


_OF_ACTUALS = ("actual", "forecast", "deviation")
"""The figures that come from the export: null when it has no row in the period."""


def _figures(x: LineResult | GroupResult, has_data: bool) -> dict[str, Any]:
    return {
        name: getattr(x, name) if has_data or name not in _OF_ACTUALS else None for name in _FIGURES
    }


def _line_json(ln: LineResult, has_data: bool) -> dict[str, Any]:
    share = ln.share_used if has_data else None
    return {
        "group": ln.group,
        "id": ln.id,
        "label": ln.label,
        **_figures(ln, has_data),
        "method": ln.method,
        "rows": ln.rows,
        "share_used": str(round_share(share)) if share is not None else None,
    }


def _group_json(g: GroupResult, has_data: bool) -> dict[str, Any]:
    return {"id": g.id, "title": g.title, **_figures(g, has_data)}


def _result_json(f: Followup) -> dict[str, Any]:
    known = f.has_data
    return {
        "equity_in": f.equity_in,
        "income_forecast": f.income_forecast if known else None,
        "costs_forecast": f.costs_forecast if known else None,
        "unmapped_actual": f.unmapped_actual,
        "result": f.result if known else None,
        "year_end_equity": f.year_end_equity if known else None,
        "budget_year_end_equity": f.budget_surplus,
        "ceiling": f.ceiling,
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
        "no_data": f.no_data_reason or None,
        "lines": [_line_json(ln, f.has_data) for ln in f.lines],
        "groups": [_group_json(g, f.has_data) for g in f.groups],
        "result": _result_json(f),
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
    from finsamplan.render.charts import finish, new_figure

    fig, ax = new_figure()
    groups = f.groups[1:]
    x = list(range(len(groups)))
    width = 0.26
    series: tuple[tuple[str, list[int], str], ...] = (
        ("Budget", [g.budget for g in groups], "#8DB0D3"),
        (f"Utfall till {f.until}", [g.actual for g in groups], "#4F6D8F"),
        ("Prognos helår", [g.forecast for g in groups], "#E0A458"),
    )
    if not f.has_data:  # no actuals, no forecast: no bars that read as 0
        series = series[:1]
    offsets = (-width, 0, width) if len(series) == 3 else (0,)
    for offset, (label, values, color) in zip(offsets, series, strict=True):
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
    what = "budget, utfall och prognos för helåret" if f.has_data else "budget (ingen uppgift om "
    what += "" if f.has_data else "utfall och prognos: exporten har ingen rad i perioden)"
    description = f"Staplar per kostnadsgrupp: {what}. " + " ".join(
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
    env.filters["ore"] = format_ore
    env.filters["pct"] = format_share
    env.filters["board_file"] = board_file
    env.filters["board_finding"] = board_finding
    env.filters["sentence"] = sentence
    env.globals["reconciliation"] = reconciliation
    env.globals["result_rows"] = result_rows
    env.filters["known"] = known
    env.globals["NO_DATA"] = NO_DATA
    env.globals["DEVIATION_HEAD"] = DEVIATION_HEAD
    env.globals["DEVIATION_NOTE"] = DEVIATION_NOTE
    return env


def to_markdown(f: Followup, templates: Path | None = None) -> str:
    return str(_env(templates).get_template("followup.md.j2").render(f=f))


def to_html(f: Followup, templates: Path | None = None) -> str:
    return str(_env(templates).get_template("followup.html.j2").render(f=f, chart=chart(f)))


def to_xlsx(f: Followup) -> bytes:
    from finsamplan.render.followup_xlsx import to_xlsx as workbook

    return workbook(f)


def files(f: Followup, formats: list[str]) -> dict[str, bytes]:
    """The bytes of each format asked for, by file name: ``uppfoljning-2023-10-31.md`` and so
    on (the day followed up to names them); the pdf is the html page, printed."""
    stem = f"uppfoljning-{f.until}"
    out: dict[str, bytes] = {}
    page: str | None = None
    for fmt in formats:
        if fmt == "md":
            out[f"{stem}.md"] = to_markdown(f).encode("utf-8")
        elif fmt == "json":
            out[f"{stem}.json"] = to_json_bytes(f)
        elif fmt == "xlsx":
            out[f"{stem}.xlsx"] = to_xlsx(f)
        elif fmt == "docx":
            from finsamplan.render.docx import followup_docx

            out[f"{stem}.docx"] = followup_docx(f)
        elif fmt in ("html", "pdf"):
            page = page or to_html(f)
            if fmt == "html":
                out[f"{stem}.html"] = page.encode("utf-8")
            else:
                from finsamplan.render.document import pdf

                out[f"{stem}.pdf"] = pdf(page)
    return out


def for_stdout(outputs: dict[str, bytes], formats: list[str], folder_given: bool) -> bytes | None:
    """The one text file that goes to stdout rather than to a folder: json or md alone
    (no table either), with no ``-o``."""
    text_only = set(formats) <= {"json", "md"} and len(outputs) == 1
    return next(iter(outputs.values())) if text_only and not folder_given else None
