"""The year's cycle in the terminal: the revised budget and the year-end close."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from finsamplan.year.close import Close
    from finsamplan.year.revise import RevisedBudget


def print_revision(console: Console, r: RevisedBudget) -> None:
    """Each decision with its changes and financing, then the two budgets and the findings."""
    from rich import box
    from rich.table import Table

    from finsamplan.base.money import format_kronor as kr
    from finsamplan.cli.report import print_budget, print_lines
    from finsamplan.year.revise import financing_text

    console.print(
        f"Reviderad budget {r.year}: {r.plan.forbund.name} ({r.plan_id}), "
        f"{len(r.steps)} beslut under året",
        markup=False,
    )
    for step in r.steps:
        title = f"{step.revision.date}: {step.revision.reference}"
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("Rad", overflow="fold")
        for name in ("Före", "Efter", "Ändring"):
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("Finansiering")
        for e in step.effects:
            money = financing_text(e.change.financing) if e.spends else "–"
            table.add_row(e.label, kr(e.before), kr(e.after), kr(e.delta, sign=True), money)
        console.print(table)
        console.print(
            f"  utrymme {kr(step.before.room)} → {kr(step.after.room)} kr, eget kapital vid "
            f"årets slut {kr(step.before.surplus)} → {kr(step.after.surplus)} kr",
            markup=False,
        )
    print_budget(console, r.budget)
    if r.findings:
        console.print("Att uppmärksamma:", markup=False)
        print_lines(console, list(r.findings))


def print_close(console: Console, c: Close) -> None:
    """The closed year: the summary, the paragraph, each line, and what to look at."""
    from rich import box
    from rich.table import Table

    from finsamplan.cli.report import print_lines
    from finsamplan.render.close_out import SOURCES, line_tables, summary
    from finsamplan.year.close import paragraph

    fu = c.followup
    console.print(
        f"Bokslut {c.year}: {c.plan.forbund.name} ({fu.plan_id}), underlag {fu.imported.file}; "
        f"ingående eget kapital {SOURCES[c.opening_source]}",
        markup=False,
    )
    for view in (summary(c), *line_tables(c)):
        table = Table(title=view.title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("", overflow="fold")
        for h in view.header:
            table.add_column(h, justify="right", no_wrap=True)
        for row in view.rows:
            bold = "bold" if row.kind in ("total", "grand") else None
            table.add_row(row.label, *row.cells, style=bold)
        console.print(table)
    console.print(paragraph(c), markup=False)
    if c.warnings or fu.imported.malformed:
        console.print("Att uppmärksamma:", markup=False)
        print_lines(console, [*fu.imported.malformed, *fu.imported.notes, *c.warnings])
