"""Findings for the terminal: a table per plan, excerpts for file problems, one summary.

This and ``cli`` are the only modules that talk to rich. ``validate`` streams its results
through the ``write_*`` and ``print_*`` functions below: each plan is written as soon as it
is checked and then forgotten, so that a thousand plans take no more memory than ten.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

from finsamplan.base.findings import Finding, Severity
from finsamplan.base.words import counted

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from finsamplan.figures.budget import Budget
    from finsamplan.judge.batch import PlanResult
    from finsamplan.judge.criteria import Checkpoints, CheckResult
    from finsamplan.plan.loader import LoadedPlan
    from finsamplan.plan.model import Plan
    from finsamplan.render.criteria_out import VerdictView
    from finsamplan.year.compare import Comparison
    from finsamplan.year.followup import Followup
    from finsamplan.year.forecast import ForecastResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_findings(console: Console, loaded: LoadedPlan, findings: list[Finding]) -> None:
    """One plan's findings as a table (a file that cannot be read: its errors and excerpts)."""
    plan = loaded.plan
    title = f"{plan.forbund.name}, {plan.title}" if plan is not None else None
    print_plan(console, loaded.id, loaded.source.file, title, findings)


def print_plan(
    console: Console, plan_id: str, file: str, title: str | None, findings: Iterable[Finding]
) -> None:
    """A table of findings under the plan's title; ``title`` None: the file is unreadable."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if title is None:
        console.print(Text(f"{plan_id}: filen kan inte läsas", style="bold red"))
        for f in findings:
            console.print(Text(f.as_line(), style=_STYLE[f.severity]))
            if f.excerpt:
                console.print(Text(_indent(f.excerpt), style="dim"))
        return
    heading = f"{plan_id} ({file}): {title}"
    findings = list(findings)
    if not findings:
        console.print(Text(f"{heading}: inga anmärkningar", style="green"))
        return
    table = Table(title=heading, box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    table.add_column("Rad", no_wrap=True, justify="right")
    table.add_column("Kod", no_wrap=True)
    table.add_column("Nivå", no_wrap=True)
    table.add_column("Meddelande", overflow="fold")
    for f in findings:
        where = f"{f.line}:{f.column}" if f.line is not None else ""
        table.add_row(where, f.code, Text(f.severity.label, style=_STYLE[f.severity]), f.message)
    console.print(table)


def write_json(
    results: Iterable[PlanResult],
    summary: Callable[[], dict[str, Any]],
    out: TextIO | None = None,
) -> None:
    """``{"plans": [...], "summary": {...}}``, indented as ``json.dumps(indent=2)`` would, but
    written a plan at a time; ``summary`` is asked for once every plan has been written."""
    out = out or sys.stdout
    out.write('{\n  "plans": [')
    first = True
    for r in results:
        plan = {
            "id": r.id,
            "file": r.path,
            "readable": r.readable,
            "findings": [f.to_json() for f in r.findings],
        }
        out.write(("\n    " if first else ",\n    ") + _dumps(plan).replace("\n", "\n    "))
        first = False
    out.write("]" if first else "\n  ]")
    out.write(',\n  "summary": ' + _dumps(summary()).replace("\n", "\n  ") + "\n}\n")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def write_lines(results: Iterable[PlanResult], out: TextIO | None = None) -> None:
    """One ``file:line:col: nivå CODE message`` line per finding, with the excerpt of each
    problem of a file that cannot be read; plain text, no terminal library needed."""
    out = out or sys.stdout
    for r in results:
        for f in r.findings:
            out.write(f.as_line() + "\n")
            if not r.readable and f.excerpt:
                out.write("".join(f"    {ln}\n" for ln in f.excerpt.splitlines()))


def print_problems(console: Console, results: Iterable[PlanResult]) -> None:
    """Many plans: a line per error and warning (with excerpts for unreadable files), colored
    in a terminal and plain otherwise; the information findings are only counted."""
    plain = None if console.is_terminal else console.file
    for r in results:
        for f in r.findings:
            if f.severity is Severity.INFO:
                continue
            excerpt = _indent(f.excerpt) if not r.readable and f.excerpt else None
            if plain is not None:  # rich would print the same, a hundred times slower
                plain.write(f.as_line() + "\n" + (excerpt + "\n" if excerpt else ""))
                continue
            console.print(f.as_line(), style=_STYLE[f.severity], markup=False, soft_wrap=True)
            if excerpt:
                console.print(excerpt, style="dim", markup=False, soft_wrap=True)


def print_codes(console: Console, codes: dict[tuple[str, Severity], list[int]], plans: int) -> None:
    """How often each code was found, and in how many of the plans: the shape of the whole."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if not codes:
        return
    table = Table(title=f"Fynd per kod i {plans} planer", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Kod", no_wrap=True)
    table.add_column("Nivå", no_wrap=True)
    table.add_column("Fynd", justify="right", no_wrap=True)
    table.add_column("Planer", justify="right", no_wrap=True)
    order = sorted(codes, key=lambda k: (k[1].rank, -codes[k][0], k[0]))
    for code, severity in order:
        found, in_plans = codes[(code, severity)]
        label = Text(severity.label, style=_STYLE[severity])
        table.add_row(code, label, str(found), str(in_plans))
    console.print(table)


def print_lines(console: Console, findings: Iterable[Finding]) -> None:
    """One ``file:line:col: nivå CODE message`` line per finding, for editors and grep."""
    for f in findings:
        console.print(f.as_line(), markup=False, emoji=False, soft_wrap=True)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def summary_line(plans: int, counts: dict[Severity, int], strict: bool) -> str:
    word = "plan kontrollerad" if plans == 1 else "planer kontrollerade"
    text = (
        f"{plans} {word}: {counted(counts[Severity.ERROR], 'fel')}, "
        f"{counted(counts[Severity.WARNING], 'varning')}, "
        f"{counted(counts[Severity.INFO], 'upplysning')}"
    )
    if strict and counts[Severity.WARNING]:
        text += " (--strict: varningar räknas som fel)"
    return text


def print_budget(console: Console, budget: Budget) -> None:
    """The budget tables in the terminal: right-aligned Swedish amounts, totals in bold."""
    from rich import box
    from rich.table import Table

    from finsamplan.render.view import budget_tables

    for view in budget_tables(budget):
        table = Table(title=view.title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("", overflow="fold")
        for h in view.header:
            table.add_column(h, justify="right", no_wrap=True)
        for row in view.rows:
            style = (
                "bold"
                if row.kind in ("total", "grand")
                else "italic"
                if row.kind == "part"
                else None
            )
            label = f"  • {row.label}" if row.kind == "part" else row.label
            table.add_row(label, *row.cell_texts(), style=style)
        console.print(table)


def print_contributions(console: Console, plan: Plan, budget: Budget) -> None:
    """Medlemsbidrag per medlem and the key's working, when the plan uses a key."""
    from rich import box
    from rich.table import Table

    from finsamplan.render.fakturaunderlag import document_view

    view = document_view(plan, budget)
    if view is None:
        return
    for i, tv in enumerate((view.table, *view.workings)):
        title = "Medlemsbidrag per medlem" if i == 0 else tv.title
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("Medlem", overflow="fold")
        for h in tv.header:
            table.add_column(h, justify="right", no_wrap=True)
        for row in tv.rows:
            style = "bold" if row.kind in ("total", "grand") else None
            table.add_row(row.label, *row.cells, style=style)
        console.print(table)
    for note in view.notes:
        console.print(note, markup=False)


def print_forecast(console: Console, result: ForecastResult) -> None:
    """A forecast in the terminal: each line with its source, totals, findings, differences."""
    from finsamplan.render.forecast_out import illustration_note

    years = result.years
    console.print(
        f"Prognos {years[0]}–{years[-1]} för {result.base.forbund.name} "
        f"({result.plan_id}): {result.description}",
        markup=False,
    )
    note = illustration_note(result)
    if note:
        console.print(note, style="bold", markup=False)
    _forecast_lines(console, result)
    _forecast_totals(console, result)
    if result.findings:
        console.print("Regler på prognosåren:", markup=False)
        print_lines(console, result.findings)
    if result.differences:
        _forecast_differences(console, result)


def _year_table(title: str, years: list[str]) -> Table:
    """A table with a label column and one right-aligned column per year."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("")
    for y in years:
        table.add_column(y, justify="right", no_wrap=True)
    return table


def _forecast_lines(console: Console, result: ForecastResult) -> None:
    """One table per budget table: each line's projected amounts and where they come from."""
    from rich import box
    from rich.table import Table

    from finsamplan.base.money import format_kronor
    from finsamplan.render.forecast_out import rows

    years = result.years
    current, table = None, None
    for r in rows(result):
        if r["table"] != current:
            if table is not None:
                console.print(table)
            current = r["table"]
            title = next(t.title for t in result.budget.tables if t.id == current)
            table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
            table.add_column("", overflow="fold", ratio=3)
            for y in years:
                table.add_column(y, justify="right", no_wrap=True)
            table.add_column("Källa", style="dim", overflow="fold", ratio=4)
        assert table is not None
        table.add_row(
            r["label"],
            *(format_kronor(r["amounts"][y]) for y in years),
            r["summary"],
        )
    if table is not None:
        console.print(table)


def _forecast_totals(console: Console, result: ForecastResult) -> None:
    """The summary rows per year, then the equity carried from year to year."""
    from finsamplan.base.money import format_kronor
    from finsamplan.figures.budget import summary_names, total_title
    from finsamplan.render.forecast_out import equity_rows

    years = result.years
    summary = _year_table("Summering", years)
    for name in summary_names(result.budget.plan):
        style = "bold" if name in ("available", "costs", "room") else None
        summary.add_row(
            total_title(result.budget.plan, name),
            *(format_kronor(result.budget.totals[y].get(name)) for y in years),
            style=style,
        )
    console.print(summary)
    equity = _year_table("Eget kapital mellan åren", years)
    for title, figures in equity_rows(result):
        equity.add_row(title, *(format_kronor(v) for v in figures))
    console.print(equity)


def _forecast_differences(console: Console, result: ForecastResult) -> None:
    """Where the plan's own printed forecast differs from the computed one, and why."""
    from rich import box
    from rich.table import Table

    from finsamplan.base.money import format_kronor
    from finsamplan.figures.budget import total_title

    diff = Table(
        title="Skillnader mot planens egen prognos", box=box.SIMPLE_HEAD, title_justify="left"
    )
    for name, justify in (
        ("År", "left"),
        ("Rad", "left"),
        ("Planen", "right"),
        ("Beräknat", "right"),
        ("Skillnad", "right"),
        ("Orsak", "left"),
    ):
        diff.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in result.differences:
        label = total_title(result.budget.plan, d.label) if d.table == "totals" else d.label
        diff.add_row(
            d.year,
            label,
            format_kronor(d.stated),
            format_kronor(d.projected),
            format_kronor(d.difference, sign=True),
            d.cause,
        )
    console.print(diff)


def print_comparison(console: Console, results: list[ForecastResult]) -> None:
    from rich import box
    from rich.table import Table

    from finsamplan.base.money import format_kronor
    from finsamplan.plan.labels import TOTAL_TITLES

    years = results[0].years
    table = Table(title="Scenarier sida vid sida", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Scenario", overflow="fold")
    table.add_column("Mått")
    for y in years:
        table.add_column(y, justify="right", no_wrap=True)
    for r in results:
        for i, name in enumerate(("room", "surplus", "equity")):
            table.add_row(
                r.description if i == 0 else "",
                TOTAL_TITLES[name],
                *(format_kronor(r.budget.totals[y].get(name)) for y in years),
                end_section=i == 2,
            )
    console.print(table)
    from finsamplan.render.forecast_out import illustration_note

    for r in results:
        note = illustration_note(r)
        if note:
            console.print(f"{r.description}: {note}", markup=False)


def print_check(
    console: Console, plan_id: str, forbund: str, results: list[CheckResult], cps: Checkpoints
) -> None:
    """Per profile: the matrix, each insats' verdicts with evidence, reason or question, the
    förbund's criteria and the notes; then the checkpoints due."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from finsamplan.judge.criteria import no_profile_message
    from finsamplan.render.criteria_out import checkpoint_lines, profile_view

    styles = {
        "met": "green",
        "not_met": "bold red",
        "not_documented": "yellow",
        "not_applicable": "dim",
    }
    if not results:
        console.print(no_profile_message(plan_id), markup=False)
    for result in results:
        view = profile_view(result)
        console.print(Text(f"{forbund} ({plan_id}) mot {view.name}", style="bold"))
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column("Insats", overflow="fold", max_width=40)
        for i in range(1, len(view.criteria) + 1):
            table.add_column(str(i), justify="center")
        for r in view.insatser:
            marks = (Text(m, style=styles[st]) for st, m, _ in r.cells)
            table.add_row(r.title, *marks)
        console.print(table)
        console.print(
            "  ".join(f"{i}: {t}" for i, t in enumerate(view.criteria, start=1)),
            markup=False,
            style="dim",
        )
        console.print(view.legend, markup=False, style="dim")
        for r in view.insatser:
            if r.verdicts:
                console.print(f"\n{r.title}:", markup=False)
                for v in r.verdicts:
                    _print_verdict(console, v, styles[v.status])
        console.print("\nFörbundet:", markup=False)
        for v in view.plan:
            _print_verdict(console, v, styles[v.status])
        if view.notes:
            console.print("\nAtt känna till (bedöms inte):", markup=False)
            for n in view.notes:
                console.print(f"  {n.title}: {n.source} {n.reason}", markup=False)
        console.print()
    lines = checkpoint_lines(cps)
    console.print(lines[0], markup=False)
    for line in lines[2:]:
        console.print("  " + line.removeprefix("- "), markup=False)


def _print_verdict(console: Console, v: VerdictView, style: str) -> None:
    from rich.text import Text

    where = f"{v.location}: " if v.location and v.status in ("not_met", "not_documented") else ""
    line = Text(f"  {v.mark} ", style=style)
    line.append(f"{where}{v.severity} {v.criterion} {v.title} ({v.label}): {v.detail}")
    console.print(line, soft_wrap=True)
    if v.interpretation:
        console.print(f"      Tolkning: {v.interpretation}", markup=False, style="dim")


def print_followup(console: Console, f: Followup) -> None:
    """The follow-up in the terminal: per group and line, then result and reconciliation."""
    console.print(
        f"Uppföljning {f.year} till och med {f.until}: {f.plan.forbund.name} "
        f"({f.plan_id}), underlag {f.imported.file}",
        markup=False,
    )
    if f.revised:
        console.print(f"Jämförs med: {f.baseline_title.lower()} (antagen och reviderad visas)")
    _followup_groups(console, f)
    _followup_result(console, f)
    _followup_reconciliation(console, f)


def _followup_groups(console: Console, f: Followup) -> None:
    """A table per group: each line's budget, actuals, share used, expected, forecast."""
    from rich import box
    from rich.table import Table

    from finsamplan.base.money import format_kronor as kr
    from finsamplan.base.money import format_share
    from finsamplan.render.followup_out import known

    budgets = ("Antagen", "Reviderad") if f.revised else ("Budget",)
    if not f.has_data:
        console.print(f.no_data_reason, markup=False)
    for g in f.groups:
        table = Table(title=g.title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("", overflow="fold", ratio=3)
        for name in (*budgets, "Utfall", "Förbrukat", "Väntat", "Prognos", "Avvikelse"):
            table.add_column(name, justify="right", no_wrap=True)
        for ln in (x for x in f.lines if x.group == g.id):
            share = format_share(ln.share_used) if ln.share_used is not None else "–"
            shown = (kr(ln.adopted), kr(ln.revised or 0)) if f.revised else (kr(ln.budget),)
            table.add_row(
                ln.label,
                *shown,
                known(ln.actual, f.has_data),
                share if f.has_data else known(0, False),
                kr(ln.expected),
                known(ln.forecast, f.has_data),
                known(ln.deviation, f.has_data),
            )
        share = format_share(g.share_used) if g.share_used is not None else "–"
        shown = (kr(g.adopted), kr(g.revised or 0)) if f.revised else (kr(g.budget),)
        table.add_row(
            "Summa",
            *shown,
            known(g.actual, f.has_data),
            share if f.has_data else known(0, False),
            kr(g.expected),
            known(g.forecast, f.has_data),
            known(g.deviation, f.has_data),
            style="bold",
        )
        console.print(table)


def _followup_result(console: Console, f: Followup) -> None:
    """The year's result and the equity at year end, forecast against budget."""
    from finsamplan.base.money import format_kronor as kr
    from finsamplan.year.followup import NO_DATA

    result = f"{kr(f.result)} kr" if f.has_data else NO_DATA  # no row in the period
    deviation = f"{kr(f.result - f.budget_result, sign=True)} kr" if f.has_data else NO_DATA
    equity = f"{kr(f.year_end_equity)} kr" if f.has_data else NO_DATA
    console.print(
        f"Årets resultat, prognos: {result} (budget {kr(f.budget_result)} kr, "
        f"avvikelse {deviation})",
        markup=False,
    )
    console.print(
        f"Eget kapital vid årets slut, prognos: {equity} (budget "
        f"{kr(f.budget_surplus)} kr, tak {kr(f.ceiling)} kr)",
        markup=False,
    )


def _followup_reconciliation(console: Console, f: Followup) -> None:
    """Every row of the export accounted for, the unmapped rows, and the warnings."""
    from finsamplan.base.money import format_ore as ore
    from finsamplan.render.followup_out import reconciliation

    imp = f.imported
    console.print(f"Avstämning mot exporten (beloppsformat: {imp.amount_format}):", markup=False)
    for r in reconciliation(f):
        rows = "" if r.rows is None else f"{r.rows} rad" + ("" if r.rows == 1 else "er")
        money = ore(r.amount) if r.amount is not None else ("–" if r.kind != "other" else "")
        text = f"  {r.label}: {', '.join(x for x in (rows, money) if x)}"
        console.print(text, markup=False, emoji=False)
    for u in f.reconciliation.unmapped:
        console.print(
            f"  omappad rad {u.row}: {u.date} {u.account} {u.cost_centre} "
            f"{u.text}: {ore(u.amount)}",
            markup=False,
        )
    if imp.malformed or imp.notes:
        print_lines(console, [*imp.malformed, *imp.notes])
    if f.warnings:
        console.print("Att uppmärksamma:", markup=False)
        print_lines(console, f.warnings)


def print_comparison_table(console: Console, c: Comparison) -> None:
    """Förbund side by side in the terminal: the key columns (all of them in md, html, xlsx,
    json and csv), with median, lowest and highest; figures are never cut."""
    from rich import box
    from rich.table import Table

    from finsamplan.render.compare_out import cell
    from finsamplan.year.compare import SHORT, TERMINAL

    columns = [k for k in TERMINAL if k in c.columns]
    stats = {k: c.stats(k) or {} for k in columns}
    table = Table(
        title=f"Jämförelse av {len(c.rows)} planer (alla kolumner: --format md, "
        "html, xlsx, json eller csv)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    table.add_column("Förbund", overflow="fold", min_width=12, max_width=30)
    table.add_column("Plan", overflow="fold", max_width=24)  # plan-2027 and plan-2027b apart
    table.add_column("År", justify="right", no_wrap=True)
    for k in columns:
        texts = [cell(k, r.values.get(k)) for r in c.rows] + [cell(k, v) for v in stats[k].values()]
        width = max([len(SHORT[k]), *(len(t) for t in texts)])
        table.add_column(SHORT[k], justify="right", no_wrap=True, min_width=width)
    for r in c.rows:
        table.add_row(
            r.short_name or r.forbund,
            r.plan_id,
            str(r.year),
            *(cell(k, r.values.get(k)) for k in columns),
        )
    for name, label in (("median", "Median"), ("min", "Lägst"), ("max", "Högst")):
        table.add_row(label, "", "", *(cell(k, stats[k].get(name)) for k in columns), style="bold")
    console.print(table)
    for r in c.unreadable:
        console.print(f"{r.file}: kan inte läsas", markup=False)
        print_lines(console, r.problems)
