"""Findings for the terminal: a table per plan, excerpts for file problems, one summary.

This and ``cli`` are the only modules that talk to rich.
"""

from __future__ import annotations

from typing import Any

from finsamplan.budget import Budget
from finsamplan.findings import Finding, Severity
from finsamplan.loader import LoadedPlan

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_findings(console: Any, loaded: LoadedPlan, findings: list[Finding]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if loaded.plan is None:
        console.print(Text(f"{loaded.id}: filen kan inte läsas", style="bold red"))
        for f in findings:
            console.print(Text(f.format(), style=_STYLE[f.severity]))
            if f.excerpt:
                console.print(Text(_indent(f.excerpt), style="dim"))
        return
    title = f"{loaded.id} ({loaded.source.file}): {loaded.plan.forbund.name}, {loaded.plan.title}"
    if not findings:
        console.print(Text(f"{title}: inga anmärkningar", style="green"))
        return
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", expand=False)
    table.add_column("Rad", no_wrap=True, justify="right")
    table.add_column("Kod", no_wrap=True)
    table.add_column("Nivå", no_wrap=True)
    table.add_column("Meddelande", overflow="fold")
    for f in findings:
        where = f"{f.line}:{f.column}" if f.line is not None else ""
        table.add_row(where, f.code, Text(f.severity.label, style=_STYLE[f.severity]), f.message)
    console.print(table)


def print_lines(console: Any, findings: list[Finding]) -> None:
    """One ``file:line:col: nivå CODE message`` line per finding, for editors and grep."""
    for f in findings:
        console.print(
            f"{f.location}: {f.severity.label} {f.code} {f.message}", markup=False, soft_wrap=True
        )


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def summary_line(plans: int, counts: dict[Severity, int], strict: bool) -> str:
    word = "plan kontrollerad" if plans == 1 else "planer kontrollerade"
    text = (
        f"{plans} {word}: {counts[Severity.ERROR]} fel, "
        f"{counts[Severity.WARNING]} varningar, {counts[Severity.INFO]} upplysningar"
    )
    if strict and counts[Severity.WARNING]:
        text += " (--strict: varningar räknas som fel)"
    return text


def print_budget(console: Any, budget: Budget) -> None:
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
