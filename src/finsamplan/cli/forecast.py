"""`forecast` and `new`: the coming years, and next year's plan file."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finsamplan.base.words import counted
from finsamplan.cli.app import (
    EXIT_INPUT,
    EXIT_RULES,
    _console,
    _fail,
    _plan_or_newest,
    _write,
    app,
)
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


@app.command()
def forecast(
    plan: Annotated[
        str | None,
        typer.Argument(
            help="Plan-id eller planfil; utan: den senaste planen i plans/.", show_default=False
        ),
    ] = None,
    years: Annotated[
        list[str] | None,
        typer.Option(
            "--years",
            help="Prognosår, t.ex. --years 2024 --years 2025 (eller --years 2024 2025).",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Prognos till och med detta år (högst tio år efter planåret).",
            show_default=False,
        ),
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario", "-s", help="Scenario ur planens forecast.scenarios.", show_default=False
        ),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Scenarier sida vid sida (utan --scenario: alla).")
    ] = False,
    fmt: Annotated[
        ForecastFormat,
        typer.Option("--format", "-f", help="table, md, html, json, csv eller xlsx."),
    ] = ForecastFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fil att skriva till (krävs för xlsx).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
    csv: Annotated[CsvDialect, typer.Option("--csv", help=CSV_HELP)] = CsvDialect.excel,
) -> None:
    """Kommande års ekonomi ur planens egna siffror och antaganden, med källa för varje siffra.

    Slutkod 1 när ett prognosår har fel enligt reglerna (t.ex. negativt eget kapital)."""
    from finsamplan.base.findings import Severity
    from finsamplan.cli import args
    from finsamplan.cli.report import print_findings
    from finsamplan.plan.loader import load_plan
    from finsamplan.year.forecast import ForecastError, project_all

    wanted_years = [args.year(y, "--years") for y in years] if years else None
    until_year = args.year(until, "--until") if until is not None else None
    loaded = load_plan(_plan_or_newest(plan))
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(EXIT_INPUT)
    try:
        results = project_all(
            loaded.plan,
            loaded.id,
            scenario or [],
            compare,
            years=wanted_years,
            until=until_year,
            file=loaded.source.file,
        )
    except ForecastError as exc:
        raise _fail(str(exc)) from None
    _show(results, compare, fmt, output, force, csv.value)
    if any(f.severity is Severity.ERROR for r in results for f in r.findings):
        raise typer.Exit(EXIT_RULES)


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

            print_comparison(_console(), results)
            return
        if fmt is ForecastFormat.json:
            data = (
                json.dumps(out.compare_json(results), ensure_ascii=False, indent=2) + "\n"
            ).encode("utf-8")
        elif fmt is ForecastFormat.md:
            data = out.compare_markdown(results).encode("utf-8")
        else:
            raise _fail("--compare ger table, md eller json")
    else:
        result = results[0]
        if fmt is ForecastFormat.table:
            from finsamplan.cli.report import print_forecast

            print_forecast(_console(), result)
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
            raise _fail("xlsx skrivs till en fil: ange -o FIL.xlsx")
        _stdout(data, fmt is ForecastFormat.csv)
        return
    _write(output, data, force)


@app.command("new")
def new_plan(
    name: Annotated[str, typer.Argument(help="Den nya planens id (plan-2024) eller sökväg.")],
    source: Annotated[str, typer.Option("--from", help="Planen att utgå från (plan-2023).")],
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="Scenario vars antaganden ger siffrorna.")
    ] = None,
    opening_equity: Annotated[
        str | None,
        typer.Option(
            "--opening-equity",
            help="Ingående eget kapital för det nya planåret, ur bokslutet (får vara negativt).",
            show_default=False,
        ),
    ] = None,
    state_allocation: Annotated[
        str | None,
        typer.Option(
            "--state-allocation",
            help="Statens tilldelning för det nya planåret (bara det året) enligt "
            "förhandsbesked (kräver --announced-on); prognosåren behåller prognosens belopp.",
            show_default=False,
        ),
    ] = None,
    announced_on: Annotated[
        str | None,
        typer.Option(
            "--announced-on", help="Förhandsbeskedets datum, ÅÅÅÅ-MM-DD.", show_default=False
        ),
    ] = None,
    announced_source: Annotated[
        str,
        typer.Option("--announced-source", help="Varifrån beskedet kommer."),
    ] = "Förhandsbesked om statlig tilldelning",
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
            raise _fail("ange både --state-allocation och --announced-on (förhandsbeskedets datum)")
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
    from finsamplan.cli.report import print_findings
    from finsamplan.judge.rules import validate as run
    from finsamplan.plan import catalog
    from finsamplan.plan.loader import load_plan
    from finsamplan.plan.schemafile import write_schema
    from finsamplan.plan.writer import schema_modeline
    from finsamplan.year.closing import ClosingError
    from finsamplan.year.forecast import ForecastError
    from finsamplan.year.newplan import TargetError, next_plan, opening_equity_for, target_path

    try:
        source_path = catalog.resolve(source)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None
    try:
        target = target_path(name, catalog.new_plan_dir(source_path))
    except TargetError as exc:
        raise _fail(str(exc)) from None
    if target.exists():
        raise _fail(f"{target} finns redan; finsamplan new skriver aldrig över en plan")
    loaded = load_plan(source_path)
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(EXIT_INPUT)
    try:
        equity, origin = opening_equity_for(loaded.plan, source_path, opening_equity)
        text = next_plan(
            loaded.plan, loaded.id, scenario, opening_equity=equity, announcement=announcement
        )
    except ClosingError as exc:
        raise _fail(exc.finding.format()) from None
    except ForecastError as exc:
        raise _fail(str(exc)) from None
    try:
        atomic_write(target, schema_modeline(target) + text, overwrite=False)
        write_schema(target.parent)  # the editor's help; a schema file the user wrote is kept
    except RefusedOverwrite:
        raise _fail(f"{target} finns redan; finsamplan new skriver aldrig över en plan") from None
    except OSError as exc:
        raise _fail(f"{target}: kan inte skriva: {exc.strerror}") from None
    console = _console()
    console.print(f"skrev {target} från {loaded.id}; ingående eget kapital: {origin}", markup=False)
    found = run(load_plan(target))
    errors = sum(f.severity is Severity.ERROR for f in found)
    warnings = sum(f.severity is Severity.WARNING for f in found)
    console.print(
        f"kontroll: {counted(errors, 'fel')}, {counted(warnings, 'varning')} "
        f"(finsamplan validate {target} visar dem)",
        markup=False,
    )
