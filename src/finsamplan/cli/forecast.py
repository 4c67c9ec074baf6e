"""`forecast` and `new`: the coming years, and next year's plan file."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from finsamplan.cli.app import (
    EXIT_INPUT,
    _console,
    _fail,
    _write,
    app,
)
from finsamplan.cli.args import CSV_HELP, CsvDialect
from finsamplan.cli.args import stdout as _stdout


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
    """Räkna fram kommande års ekonomi ur planens antaganden, med källa för varje siffra."""
    from finsamplan.cli import args
    from finsamplan.cli.report import print_findings
    from finsamplan.plan import catalog
    from finsamplan.plan.loader import load_plan
    from finsamplan.year.forecast import ForecastError, project

    wanted_years = [args.year(y, "--years") for y in years] if years else None
    until_year = args.year(until, "--until") if until is not None else None
    if plan is None:
        newest = catalog.newest_plan()
        if newest is None:
            raise _fail(f"inga planer i {catalog.plans_dir()}")
        path = newest
    else:
        try:
            path = catalog.resolve(plan)
        except catalog.PlanNotFound as exc:
            raise _fail(str(exc)) from None
    loaded = load_plan(path)
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(EXIT_INPUT)
    names: list[str | None] = list(scenario or [])
    if compare and not names:
        names = [None, *loaded.plan.forecast.scenarios]
    elif compare:
        names = [None, *names]
    if not names:
        names = [None]
    try:
        results = [
            project(loaded.plan, loaded.id, years=wanted_years, until=until_year, scenario=name)
            for name in names
        ]
    except ForecastError as exc:
        raise _fail(str(exc)) from None
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
            ForecastFormat.csv: lambda: out.to_csv(result, csv.value),
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
) -> None:
    """Skriv nästa års planfil: kolumnerna flyttas ett år, siffrorna från prognosen."""
    from finsamplan.base.findings import Severity
    from finsamplan.base.outputs import RefusedOverwrite, atomic_write
    from finsamplan.cli.report import print_findings
    from finsamplan.judge.rules import validate as run
    from finsamplan.plan import catalog
    from finsamplan.plan.loader import load_plan
    from finsamplan.year.forecast import ForecastError
    from finsamplan.year.newplan import TargetError, next_plan, target_path

    try:
        source_path = catalog.resolve(source)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None
    try:
        target = target_path(name, Path("plans"))
    except TargetError as exc:
        raise _fail(str(exc)) from None
    if target.exists():
        raise _fail(f"{target} finns redan; finsamplan new skriver aldrig över en plan")
    loaded = load_plan(source_path)
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(EXIT_INPUT)
    try:
        text = next_plan(loaded.plan, loaded.id, scenario)
    except ForecastError as exc:
        raise _fail(str(exc)) from None
    try:
        atomic_write(target, text, overwrite=False)
    except RefusedOverwrite:
        raise _fail(f"{target} finns redan; finsamplan new skriver aldrig över en plan") from None
    except OSError as exc:
        raise _fail(f"{target}: kan inte skriva: {exc.strerror}") from None
    console = _console()
    console.print(f"skrev {target} från {loaded.id}", markup=False)
    check = load_plan(target)
    found = run(check)
    errors = sum(f.severity is Severity.ERROR for f in found)
    warnings = sum(f.severity is Severity.WARNING for f in found)
    console.print(
        f"kontroll: {errors} fel, {warnings} varningar (finsamplan validate {target} visar dem)",
        markup=False,
    )
