"""The year's cycle in the terminal: the revised budget and the year-end close."""

from __future__ import annotations

from typing import Any


def print_revision(console: Any, r: Any) -> None:
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
