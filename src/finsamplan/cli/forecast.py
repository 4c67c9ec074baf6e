"""`forecast` and `new`: the coming years, and next year's plan file."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finsamplan.base.oserror import reason as os_reason
from finsamplan.base.words import counted
from finsamplan.cli import common
from finsamplan.cli.application import app
from finsamplan.cli.args import CSV_HELP, CsvDialect
from finsamplan.cli.args import stdout as _stdout

if TYPE_CHECKING:
    from finsamplan.plan.model import Announcement
    from finsamplan.year.forecast import ForecastResult


class ForecastFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


ForecastPlan = Annotated[
    str | None,
    typer.Argument(
        help="Plan-id eller planfil; utan: den senaste planen i plans/.", show_default=False
    ),
]
ForecastYears = Annotated[
    list[str] | None,
    typer.Option(
        "--years",
        help="Prognosår, t.ex. --years 2024 --years 2025 (eller --years 2024 2025).",
        show_default=False,
    ),
]
ForecastUntil = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="Prognos till och med detta år (högst tio år efter planåret).",
        show_default=False,
    ),
]
ForecastScenario = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario", "-s", help="Scenario ur planens forecast.scenarios.", show_default=False
    ),
]
ForecastCompare = Annotated[
    bool, typer.Option("--compare", help="Scenarier sida vid sida (utan --scenario: alla).")
]
ForecastFormats = Annotated[
    ForecastFormat,
    typer.Option("--format", "-f", help="table, md, html, json, csv eller xlsx."),
]
ForecastOutput = Annotated[
    Path | None, typer.Option("--output", "-o", help="Fil att skriva till (krävs för xlsx).")
]
ForecastForce = Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")]
ForecastCsv = Annotated[CsvDialect, typer.Option("--csv", help=CSV_HELP)]


@app.command()
def forecast(
    plan: ForecastPlan = None,
    years: ForecastYears = None,
    until: ForecastUntil = None,
    scenario: ForecastScenario = None,
    compare: ForecastCompare = False,
    fmt: ForecastFormats = ForecastFormat.table,
    output: ForecastOutput = None,
    force: ForecastForce = False,
    csv: ForecastCsv = CsvDialect.excel,
) -> None:
    """Kommande års ekonomi ur planens egna siffror och antaganden, med källa för varje siffra.

    Slutkod 1 när ett prognosår har fel enligt reglerna (t.ex. negativt eget kapital)."""
    from finsamplan.base.findings import Severity
    from finsamplan.cli import args
    from finsamplan.plan.loader import load_plan
    from finsamplan.year.forecast import project_all

    wanted_years = [args.year(y, "--years") for y in years] if years else None
    until_year = args.year(until, "--until") if until is not None else None
    loaded = load_plan(common.plan_or_newest(plan))
    loaded.plan = common.readable(loaded)
    results = project_all(  # ForecastError: its message, exit 2
        loaded.plan,
        loaded.id,
        scenario or [],
        compare,
        years=wanted_years,
        until=until_year,
        file=loaded.source.file,
    )
    _show(results, compare, fmt, output, force, csv.value)
    if any(f.severity is Severity.ERROR for r in results for f in r.findings):
        raise typer.Exit(common.EXIT_RULES)


def _show(
    results: list[ForecastResult],
    compare: bool,
    fmt: ForecastFormat,
    output: Path | None,
    force: bool,
    dialect: str = "excel",
) -> None:
    """The forecast in the format asked for, on the terminal or in a file (CSV in
    ``dialect``)."""
    from finsamplan.render import forecast_out as out

    if compare or len(results) > 1:
        if fmt is ForecastFormat.table:
            from finsamplan.cli.report import print_comparison

            print_comparison(common.console(), results)
            return
        if fmt is ForecastFormat.json:
            data = (
                json.dumps(out.compare_json(results), ensure_ascii=False, indent=2) + "\n"
            ).encode("utf-8")
        elif fmt is ForecastFormat.md:
            data = out.compare_markdown(results).encode("utf-8")
        else:
            raise common.fail("--compare ger table, md eller json")
    else:
        result = results[0]
        if fmt is ForecastFormat.table:
            from finsamplan.cli.report import print_forecast

            print_forecast(common.console(), result)
            return
        data = {
            ForecastFormat.md: lambda: out.to_markdown(result).encode("utf-8"),
            ForecastFormat.html: lambda: out.to_html(result).encode("utf-8"),
            ForecastFormat.json: lambda: out.to_json_bytes(result),
            ForecastFormat.csv: lambda: out.to_csv(result, dialect),
            ForecastFormat.xlsx: lambda: out.to_xlsx(result),
        }[fmt]()
    if output is None:
        if fmt is ForecastFormat.xlsx:
            raise common.fail("xlsx skrivs till en fil: ange -o FIL.xlsx")
        _stdout(data, fmt is ForecastFormat.csv)
        return
    common.write(output, data, force)


NewPlanName = Annotated[str, typer.Argument(help="Den nya planens id (plan-2024) eller sökväg.")]
NewPlanSource = Annotated[str, typer.Option("--from", help="Planen att utgå från (plan-2023).")]
NewPlanScenario = Annotated[
    str | None, typer.Option("--scenario", "-s", help="Scenario vars antaganden ger siffrorna.")
]
NewPlanOpeningEquity = Annotated[
    str | None,
    typer.Option(
        "--opening-equity",
        help="Ingående eget kapital för det nya planåret, ur bokslutet (får vara negativt).",
        show_default=False,
    ),
]
NewPlanStateAllocation = Annotated[
    str | None,
    typer.Option(
        "--state-allocation",
        help="Statens tilldelning för det nya planåret (bara det året) enligt "
        "förhandsbesked (kräver --announced-on); prognosåren behåller prognosens belopp.",
        show_default=False,
    ),
]
NewPlanAnnouncedOn = Annotated[
    str | None,
    typer.Option("--announced-on", help="Förhandsbeskedets datum, ÅÅÅÅ-MM-DD.", show_default=False),
]
NewPlanAnnouncedSource = Annotated[
    str,
    typer.Option("--announced-source", help="Varifrån beskedet kommer."),
]


@app.command("new")
def new_plan(
    name: NewPlanName,
    source: NewPlanSource,
    scenario: NewPlanScenario = None,
    opening_equity: NewPlanOpeningEquity = None,
    state_allocation: NewPlanStateAllocation = None,
    announced_on: NewPlanAnnouncedOn = None,
    announced_source: NewPlanAnnouncedSource = "Förhandsbesked om statlig tilldelning",
) -> None:
    """Skriv nästa års planfil ur planen: allt följer med, siffrorna från prognosen.

    Ändringarna (år, kolumner, belopp, datum …) står överst i den nya filen."""
    from finsamplan.cli import args
    from finsamplan.plan.model import Announcement

    equity = (
        args.kronor(opening_equity, "--opening-equity", signed=True) if opening_equity else None
    )
    amount = args.kronor(state_allocation, "--state-allocation") if state_allocation else None
    day = args.day(announced_on, "--announced-on") if announced_on else None
    announcement = None
    if amount is not None or day is not None:
        if amount is None or day is None:
            raise common.fail(
                "ange både --state-allocation och --announced-on (förhandsbeskedets datum)"
            )
        said = announced_source.strip() or "Förhandsbesked om statlig tilldelning"
        announcement = Announcement(amount=amount, date=day, source=said)
    _write_new(name, source, scenario, equity, announcement)


def _write_new(
    name: str,
    source: str,
    scenario: str | None,
    opening_equity: int | None,
    announcement: Announcement | None,
) -> None:
    """Write the new plan file (never over another), then say what `validate` finds in it."""
    from finsamplan.base.findings import Severity
    from finsamplan.base.outputs import RefusedOverwrite, atomic_write
    from finsamplan.judge.rules import validate as run
    from finsamplan.plan import catalog
    from finsamplan.plan.loader import load_plan
    from finsamplan.plan.schemafile import write_schema
    from finsamplan.plan.writer import schema_modeline
    from finsamplan.year.newplan import next_plan, opening_equity_for, target_path

    source_path = catalog.resolve(source)  # PlanNotFound, TargetError: their message, exit 2
    target = target_path(name, catalog.new_plan_dir(source_path))
    if target.exists():
        raise common.fail(f"{target} finns redan; finsamplan new skriver aldrig över en plan")
    loaded = load_plan(source_path)
    loaded.plan = common.readable(loaded)
    # a close record that cannot be read (ClosingError), a forecast that cannot be made
    # (ForecastError): their message, exit 2
    equity, origin = opening_equity_for(loaded.plan, source_path, opening_equity)
    text = next_plan(
        loaded.plan, loaded.id, scenario, opening_equity=equity, announcement=announcement
    )
    try:
        atomic_write(target, schema_modeline(target) + text, overwrite=False)
        write_schema(target.parent)  # the editor's help; a schema file the user wrote is kept
    except RefusedOverwrite:
        raise common.fail(
            f"{target} finns redan; finsamplan new skriver aldrig över en plan"
        ) from None
    except OSError as exc:
        raise common.fail(f"{target}: kan inte skriva: {os_reason(exc)}") from None
    console = common.console()
    console.print(f"skrev {target} från {loaded.id}; ingående eget kapital: {origin}", markup=False)
    found = run(load_plan(target))
    errors = sum(f.severity is Severity.ERROR for f in found)
    warnings = sum(f.severity is Severity.WARNING for f in found)
    console.print(
        f"kontroll: {counted(errors, 'fel')}, {counted(warnings, 'varning')} "
        f"(finsamplan validate {target} visar dem)",
        markup=False,
    )
