"""The ``finsamplan`` command: parse arguments, call the core, print, exit.

Exit codes: 0 fine, 1 rule errors (or warnings with ``--strict``), 2 input that cannot be
read or a misused command. Nothing here parses YAML or adds money: that is the core's.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from finsamplan import __version__

app = typer.Typer(
    name="finsamplan",
    help="Verksamhets- och budgetplan för samordningsförbund (Finsam): skriv, granska, publicera.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_RULES, EXIT_INPUT = 0, 1, 2


class ValidateFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120  # a pipe or a file: do not fold messages at 80 columns
    return console


def _fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    _console(stderr=True).print(f"finsamplan: {message}", markup=False)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"finsamplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Visa versionen.")
    ] = False,
) -> None:
    """Verksamhets- och budgetplan för samordningsförbund (Finsam)."""


def _plan_paths(names: list[str]) -> list[Path]:
    from finsamplan import catalog

    if not names:
        paths = catalog.list_plans()
        if not paths:
            raise _fail(f"inga planer i {catalog.plans_dir()}")
        return paths
    paths = []
    for name in names:
        if Path(name).is_dir():
            found = catalog.list_plans(Path(name))
            if not found:
                raise _fail(f"{name}: mappen innehåller inga planfiler (*.yaml)")
            paths.extend(found)
            continue
        try:
            paths.append(catalog.resolve(name))
        except catalog.PlanNotFound as exc:
            raise _fail(str(exc)) from None
    return paths


@app.command()
def validate(
    plans: Annotated[
        list[str] | None,
        typer.Argument(
            help="Plan-id (plan-2023), planfil eller mapp. Utan argument: alla planer i plans/.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="table, text (en rad per fynd) eller json."),
    ] = ValidateFormat.table,
    strict: Annotated[bool, typer.Option("--strict", help="Varningar räknas som fel.")] = False,
) -> None:
    """Kontrollera planfiler: format, hänvisningar och ekonomiska regler."""
    from finsamplan.findings import Severity, sort_key
    from finsamplan.loader import load_plan
    from finsamplan.rules import validate as run

    results = []
    unreadable = False
    for path in _plan_paths(plans or []):
        loaded = load_plan(path)
        found = sorted(run(loaded), key=sort_key)
        unreadable |= loaded.plan is None
        results.append((loaded, found))

    all_findings = [f for _, found in results for f in found]
    counts = {s: sum(f.severity is s for f in all_findings) for s in Severity}
    failing = counts[Severity.ERROR] or (strict and counts[Severity.WARNING])
    code = EXIT_INPUT if unreadable else EXIT_RULES if failing else EXIT_OK

    if fmt is ValidateFormat.json:
        payload = {
            "plans": [
                {
                    "id": lp.id,
                    "file": str(lp.path),
                    "readable": lp.plan is not None,
                    "findings": [f.to_json() for f in found],
                }
                for lp, found in results
            ],
            "summary": {
                "plans": len(results),
                "errors": counts[Severity.ERROR],
                "warnings": counts[Severity.WARNING],
                "info": counts[Severity.INFO],
                "exit_code": code,
            },
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(code)

    from finsamplan.report import summary_line

    if fmt is ValidateFormat.text:  # plain lines: no terminal library needed
        for loaded, found in results:
            for f in found:
                sys.stdout.write(f"{f.location}: {f.severity.label} {f.code} {f.message}\n")
                if loaded.plan is None and f.excerpt:
                    sys.stdout.write("".join(f"    {ln}\n" for ln in f.excerpt.splitlines()))
        sys.stdout.write(summary_line(len(results), counts, strict) + "\n")
        raise typer.Exit(code)

    from finsamplan.report import print_findings

    console = _console()
    for loaded, found in results:
        print_findings(console, loaded, found)
    console.print(summary_line(len(results), counts, strict), markup=False)
    raise typer.Exit(code)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Skriv till fil i stället för stdout.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
) -> None:
    """Skriv ut planfilens JSON Schema (för editorns komplettering och kontroll)."""
    from finsamplan.model import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    _write(output, text, force)


def _write(path: Path, data: str | bytes, force: bool) -> None:
    from finsamplan.outputs import RefusedOverwrite, atomic_write

    try:
        atomic_write(path, data, overwrite=force)
    except RefusedOverwrite:
        raise _fail(f"{path} finns redan; använd --force för att skriva över") from None
    except OSError as exc:
        raise _fail(f"{path}: kan inte skriva: {exc.strerror}") from None
    _console(stderr=True).print(f"skrev {path}", markup=False)


class RenderFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    md = "md"
    xlsx = "xlsx"
    csv = "csv"
    json = "json"
    table = "table"


@app.command()
def render(
    plan: Annotated[str, typer.Argument(help="Plan-id (plan-2023) eller planfil.")],
    fmt: Annotated[
        list[RenderFormat] | None,
        typer.Option(
            "--format",
            "-f",
            show_default=False,
            help="Format, ett eller flera: html, pdf, md, xlsx, csv, json, table. "
            "Utan: html, pdf, md och xlsx.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Mapp att skriva till; standard out/PLAN.")
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Mapp med egna mallar; saknade mallar tas från de inbyggda."
        ),
    ] = None,
    insats: Annotated[
        str | None,
        typer.Option(
            "--insats",
            help="Skriv beslutsunderlaget för en insats (html, pdf, md).",
            show_default=False,
        ),
    ] = None,
    criteria: Annotated[
        str,
        typer.Option(
            "--criteria",
            "-c",
            help="Kriterieprofil för bilagan och "
            "beslutsunderlaget: skane, en YAML-fil, eller none.",
        ),
    ] = "skane",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rendera trots regelfel, och skriv över filer som inte är finsamplans egna.",
        ),
    ] = False,
) -> None:
    """Skriv verksamhetsplanen och budgettabellerna: html, pdf, md, xlsx, csv, json, table."""
    from finsamplan import catalog
    from finsamplan.budget import compute
    from finsamplan.findings import Severity
    from finsamplan.loader import load_plan
    from finsamplan.render.document import DEFAULT_FORMATS, FILE_FORMATS
    from finsamplan.report import print_findings
    from finsamplan.rules import validate as run

    formats = [f.value for f in fmt] if fmt else list(DEFAULT_FORMATS)
    formats = list(dict.fromkeys(formats))
    try:
        path = catalog.resolve(plan)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None
    if templates is not None and not templates.is_dir():
        raise _fail(f"--templates {templates}: mappen finns inte")
    loaded = load_plan(path)
    found = run(loaded)
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, found)
        raise typer.Exit(EXIT_INPUT)
    errors = [f for f in found if f.severity is Severity.ERROR]
    if errors and not force:
        print_findings(_console(stderr=True), loaded, errors)
        raise _fail(
            f"{loaded.id} har {len(errors)} regelfel; rätta dem eller använd --force", EXIT_RULES
        )
    notes = [f for f in found if f.severity is not Severity.INFO]
    if notes:
        from finsamplan.report import print_lines

        err = _console(stderr=True)
        err.print(
            f"{loaded.id}: {len(notes)} anmärkningar (finns också i dokumentets bilaga):",
            markup=False,
        )
        print_lines(err, notes)
    budget = compute(loaded.plan)
    check_result = _criteria_check(loaded, criteria)
    if insats is not None:
        memo_formats = (
            [f for f in formats if f in ("html", "pdf", "md")] if fmt else ["html", "pdf", "md"]
        )
        if check_result is None:
            raise _fail("--insats behöver en kriterieprofil (--criteria)")
        _render_memo(
            loaded.id,
            loaded.plan,
            budget,
            check_result,
            insats,
            memo_formats,
            output or Path("out") / loaded.id,
            templates,
            force,
        )
        return
    file_formats = [f for f in formats if f in FILE_FORMATS]
    to_stdout = output is None and set(formats) <= {"json", "table"}
    if "table" in formats:
        from finsamplan.report import print_budget

        print_budget(_console(), budget)
    if to_stdout and "json" in formats:
        from finsamplan.render.document import json_bytes

        sys.stdout.write(json_bytes(budget, loaded.id, found).decode("utf-8"))
        return
    if not file_formats:
        return
    _render_files(
        loaded.id,
        loaded.plan,
        budget,
        found,
        file_formats,
        output or Path("out") / loaded.id,
        templates,
        force,
        check_result,
    )


def _criteria_check(loaded: Any, criteria: str) -> Any:
    from finsamplan.criteria import ProfileError, check, load_profile
    from finsamplan.report import print_lines

    if criteria == "none":
        return None
    try:
        profile = load_profile(criteria)
    except ProfileError as exc:
        print_lines(_console(stderr=True), exc.findings)
        raise typer.Exit(EXIT_INPUT) from None
    return check(loaded.plan, profile, loaded.id, loaded.source)


def _render_memo(
    plan_id: str,
    plan: Any,
    budget: Any,
    check_result: Any,
    insats: str,
    formats: list[str],
    folder: Path,
    templates: Path | None,
    force: bool,
) -> None:
    from finsamplan.render import memo

    try:
        outputs = _guard_templates(
            lambda: memo.render(plan_id, plan, budget, check_result, insats, formats, templates)
        )
    except memo.UnknownInsats as exc:
        raise _fail(str(exc)) from None
    _write_outputs(folder, outputs, force)


def _render_files(
    plan_id: str,
    plan: Any,
    budget: Any,
    found: list[Any],
    formats: list[str],
    folder: Path,
    templates: Path | None,
    force: bool,
    check_result: Any = None,
) -> None:
    from finsamplan.render.document import render as render_documents

    outputs = _guard_templates(
        lambda: render_documents(plan_id, plan, budget, found, formats, templates, check_result)
    )
    _write_outputs(folder, outputs, force)


def _guard_templates(make: Any) -> dict[str, bytes]:
    """Run a renderer; a broken template is a message with its file and line."""
    import jinja2

    try:
        return dict(make())
    except jinja2.TemplateError as exc:
        name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        where = f"{name}:{line}: " if line else ""
        raise _fail(f"mallfel: {where}{exc.message}") from None


def _write_outputs(folder: Path, outputs: dict[str, bytes], force: bool) -> None:
    from finsamplan.render.files import OutputConflict, write_all

    try:
        written = write_all(folder, outputs, force=force)
    except OutputConflict as exc:
        names = ", ".join(str(p) for p in exc.paths)
        raise _fail(
            f"skriver inte över filer som finsamplan inte skapat (eller som ändrats "
            f"sedan): {names}. Använd --force eller en annan mapp (-o)"
        ) from None
    except OSError as exc:
        raise _fail(f"{folder}: kan inte skriva: {exc.strerror}") from None
    console = _console()
    for path in written:
        console.print(f"skrev {path}", markup=False)


class ForecastFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def forecast(
    plan: Annotated[
        str | None,
        typer.Argument(
            help="Plan-id eller planfil; utan: den senaste planen i plans/.", show_default=False
        ),
    ] = None,
    years: Annotated[
        list[int] | None,
        typer.Option(
            "--years",
            help="Prognosår, t.ex. --years 2024 --years 2025 (eller --years 2024 2025).",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        int | None,
        typer.Option("--until", help="Prognos till och med detta år.", show_default=False),
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
        ForecastFormat, typer.Option("--format", "-f", help="table, md, json, csv eller xlsx.")
    ] = ForecastFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fil att skriva till (krävs för xlsx).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
) -> None:
    """Räkna fram kommande års ekonomi ur planens antaganden, med källa för varje siffra."""
    from finsamplan import catalog
    from finsamplan.forecast import ForecastError, project
    from finsamplan.loader import load_plan
    from finsamplan.report import print_findings

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
            project(loaded.plan, loaded.id, years=years, until=until, scenario=name)
            for name in names
        ]
    except ForecastError as exc:
        raise _fail(str(exc)) from None
    from finsamplan.render import forecast_out as out

    if compare or len(results) > 1:
        if fmt is ForecastFormat.table:
            from finsamplan.report import print_comparison

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
            from finsamplan.report import print_forecast

            print_forecast(_console(), result)
            return
        data = {
            ForecastFormat.md: lambda: out.to_markdown(result).encode("utf-8"),
            ForecastFormat.json: lambda: out.to_json_bytes(result),
            ForecastFormat.csv: lambda: out.to_csv(result),
            ForecastFormat.xlsx: lambda: out.to_xlsx(result),
        }[fmt]()
    if output is None:
        if fmt is ForecastFormat.xlsx:
            raise _fail("xlsx skrivs till en fil: ange -o FIL.xlsx")
        sys.stdout.write(data.decode("utf-8"))
        return
    _write(output, data, force)


class CheckFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"


@app.command()
def check(
    plan: Annotated[
        str | None,
        typer.Argument(
            help="Plan-id eller planfil; utan: den senaste planen i plans/.", show_default=False
        ),
    ] = None,
    criteria: Annotated[
        str,
        typer.Option("--criteria", "-c", help="Kriterieprofil: skane (inbyggd) eller en YAML-fil."),
    ] = "skane",
    within: Annotated[
        str, typer.Option("--within", help="Visa kontrollpunkter inom så lång tid: 90d, 12w, 3m.")
    ] = "90d",
    today: Annotated[
        str | None,
        typer.Option(
            "--today", help="Dagens datum (ÅÅÅÅ-MM-DD) för kontrollpunkterna.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="table, md eller json.")
    ] = CheckFormat.table,
) -> None:
    """Pröva insatserna mot en regions kriterier (Region Skåne som standard)."""
    from datetime import date

    from finsamplan.criteria import ProfileError, load_profile, parse_within
    from finsamplan.criteria import check as run_check
    from finsamplan.loader import load_plan
    from finsamplan.report import print_findings, print_lines

    path = _plan_or_newest(plan)
    try:
        days = parse_within(within)
    except ValueError:
        raise _fail(f"--within {within}: skriv t.ex. 90d, 12w eller 3m") from None
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise _fail(f"--today {today}: skriv datumet som ÅÅÅÅ-MM-DD") from None
    try:
        profile = load_profile(criteria)
    except ProfileError as exc:
        print_lines(_console(stderr=True), exc.findings)
        raise typer.Exit(EXIT_INPUT) from None
    loaded = load_plan(path)
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(EXIT_INPUT)
    result = run_check(loaded.plan, profile, loaded.id, loaded.source, day, days)
    if fmt is CheckFormat.table:
        from finsamplan.report import print_check

        print_check(_console(), result)
    elif fmt is CheckFormat.md:
        from finsamplan.render.criteria_out import to_markdown

        sys.stdout.write(to_markdown(result))
    else:
        from finsamplan.render.criteria_out import to_json

        sys.stdout.write(json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(EXIT_RULES if result.failing() else EXIT_OK)


def _plan_or_newest(plan: str | None) -> Path:
    from finsamplan import catalog

    if plan is None:
        newest = catalog.newest_plan()
        if newest is None:
            raise _fail(f"inga planer i {catalog.plans_dir()}")
        return newest
    try:
        return catalog.resolve(plan)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None


class FollowupFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    json = "json"


@app.command()
def followup(
    plan: Annotated[str, typer.Argument(help="Plan-id eller planfil.")],
    actuals: Annotated[
        Path,
        typer.Option("--actuals", "-a", help="Exporten från ekonomisystemet (CSV eller XLSX)."),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Till och med datum (ÅÅÅÅ-MM-DD); utan: exportens sista datum.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="YAML-fil med ett actuals:-block som ersätter planens.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        list[FollowupFormat] | None,
        typer.Option(
            "--format",
            "-f",
            help="table, md, html, pdf, xlsx, json (flera går).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Mapp för filerna; standard out/PLAN.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Skriv över filer som inte är finsamplans egna.")
    ] = False,
) -> None:
    """Följ upp året: utfall mot budget per rad och grupp, prognos och varningar."""
    from datetime import date

    from finsamplan import followup as fu
    from finsamplan.actuals import ImportError_, load_actuals
    from finsamplan.findings import Severity
    from finsamplan.loader import load_plan
    from finsamplan.report import print_findings, print_lines

    formats = [f.value for f in fmt] if fmt else ["table"]
    path = _plan_or_newest(plan)
    loaded = load_plan(path)
    if loaded.plan is None:
        print_findings(_console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(EXIT_INPUT)
    config = loaded.plan.actuals
    if mapping is not None:
        config = _load_mapping(mapping)
        loaded.plan = loaded.plan.model_copy(update={"actuals": config})
    try:
        day = date.fromisoformat(until) if until else None
    except ValueError:
        raise _fail(f"--until {until}: skriv datumet som ÅÅÅÅ-MM-DD") from None
    try:
        imported = load_actuals(actuals, config)
        result = fu.followup(loaded.plan, imported, loaded.id, day)
    except ImportError_ as exc:
        print_lines(_console(stderr=True), [exc.finding])
        raise typer.Exit(EXIT_INPUT) from None
    except fu.FollowupError as exc:
        raise _fail(str(exc)) from None
    from finsamplan.render import followup_out as out

    if "table" in formats:
        from finsamplan.report import print_followup

        print_followup(_console(), result)
    stamp = f"uppfoljning-{result.until}"
    files: dict[str, bytes] = {}
    for name in formats:
        if name == "md":
            files[f"{stamp}.md"] = out.to_markdown(result).encode("utf-8")
        elif name == "json":
            files[f"{stamp}.json"] = out.to_json_bytes(result)
        elif name == "xlsx":
            files[f"{stamp}.xlsx"] = out.to_xlsx(result)
        elif name in ("html", "pdf"):
            page = out.to_html(result)
            if name == "html":
                files[f"{stamp}.html"] = page.encode("utf-8")
            else:
                from finsamplan.render.document import pdf

                files[f"{stamp}.pdf"] = pdf(page)
    if files:
        if output is None and set(formats) <= {"json", "md"} and len(files) == 1:
            sys.stdout.write(next(iter(files.values())).decode("utf-8"))
        else:
            _write_outputs(output or Path("out") / loaded.id, files, force)
    failing = imported.malformed or any(w.severity is Severity.ERROR for w in result.warnings)
    raise typer.Exit(EXIT_RULES if failing else EXIT_OK)


def _load_mapping(path: Path) -> Any:
    from pydantic import BaseModel

    from finsamplan.loader import load_model
    from finsamplan.model import Actuals
    from finsamplan.report import print_lines

    class MappingFile(BaseModel):
        model_config = {"extra": "forbid", "strict": True}
        actuals: Actuals

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"{path}: kan inte läsas: {exc.strerror}") from None
    value, _, findings = load_model(data, str(path), MappingFile)
    if value is None:
        print_lines(_console(stderr=True), findings)
        raise typer.Exit(EXIT_INPUT)
    return value.actuals


class CompareFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    xlsx = "xlsx"
    json = "json"
    csv = "csv"


@app.command()
def compare(
    plans: Annotated[
        list[str], typer.Argument(help='Planfiler, mappar eller mönster ("plans/**/*.yaml").')
    ],
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="Sortera på en kolumn: admin_share, insats_share, room, equity_over …",
            show_default=False,
        ),
    ] = None,
    descending: Annotated[bool, typer.Option("--desc", help="Störst först.")] = False,
    criteria: Annotated[
        str | None,
        typer.Option(
            "--criteria",
            "-c",
            help="Räkna kriterier uppfyllda/saknade med profilen (skane, FIL).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="table, md, html, xlsx, json eller csv.")
    ] = CompareFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Fil att skriva till (krävs för html och xlsx)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
) -> None:
    """Jämför förbund: en rad per förbund och planår, med median och spridning."""
    from finsamplan import compare as cmp
    from finsamplan.render import compare_out as out

    paths = cmp.expand(plans)
    if not paths:
        raise _fail("inga planfiler hittades")
    profile = None
    if criteria:
        from finsamplan.criteria import ProfileError, load_profile
        from finsamplan.report import print_lines

        try:
            profile = load_profile(criteria)
        except ProfileError as exc:
            print_lines(_console(stderr=True), exc.findings)
            raise typer.Exit(EXIT_INPUT) from None
    try:
        result = cmp.compare(paths, profile, sort, descending)
    except KeyError:
        names = ", ".join([*cmp.COLUMNS, "forbund", "year", "plan"])
        raise _fail(f"--sort {sort}: välj en av {names}") from None
    if fmt is CompareFormat.table:
        from finsamplan.report import print_comparison_table

        print_comparison_table(_console(), result)
    else:
        data = {
            CompareFormat.md: lambda: out.to_markdown(result).encode("utf-8"),
            CompareFormat.html: lambda: out.to_html(result).encode("utf-8"),
            CompareFormat.xlsx: lambda: out.to_xlsx(result),
            CompareFormat.json: lambda: out.to_json_bytes(result),
            CompareFormat.csv: lambda: out.to_csv(result),
        }[fmt]()
        if output is None:
            if fmt in (CompareFormat.xlsx,):
                raise _fail("xlsx skrivs till en fil: ange -o FIL.xlsx")
            sys.stdout.write(data.decode("utf-8"))
        else:
            _write(output, data, force)
    raise typer.Exit(EXIT_INPUT if result.unreadable else EXIT_OK)


@app.command("new")
def new_plan(
    name: Annotated[str, typer.Argument(help="Den nya planens id (plan-2024) eller sökväg.")],
    source: Annotated[str, typer.Option("--from", help="Planen att utgå från (plan-2023).")],
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="Scenario vars antaganden ger siffrorna.")
    ] = None,
) -> None:
    """Skriv nästa års planfil: kolumnerna flyttas ett år, siffrorna från prognosen."""
    from finsamplan import catalog
    from finsamplan.findings import Severity
    from finsamplan.forecast import ForecastError
    from finsamplan.loader import load_plan
    from finsamplan.newplan import next_plan
    from finsamplan.outputs import RefusedOverwrite, atomic_write
    from finsamplan.report import print_findings
    from finsamplan.rules import validate as run

    try:
        source_path = catalog.resolve(source)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None
    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        target = Path(name)
    elif catalog.ID_PATTERN.match(name):
        target = Path("plans") / f"{name}.yaml"
    else:
        raise _fail(f"'{name}' är inget giltigt plan-id")
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


@app.command("plans")
def list_plans() -> None:
    """Lista planerna i plans/ (eller de inbyggda) med år och förbund."""
    from finsamplan import catalog
    from finsamplan.loader import load_plan

    folder = catalog.plans_dir()
    console = _console()
    console.print(f"Planer i {folder}:", markup=False)
    for path in catalog.list_plans(folder):
        loaded = load_plan(path)
        if loaded.plan is None:
            console.print(
                f"  {path.stem:<16} (kan inte läsas: kör finsamplan validate {path.stem})",
                markup=False,
            )
        else:
            p = loaded.plan
            console.print(f"  {path.stem:<16} {p.year}  {p.forbund.name}: {p.title}", markup=False)


def expand_years(argv: list[str]) -> list[str]:
    """``--years 2024 2025`` → ``--years 2024 --years 2025`` (click takes one value each)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        out.append(argv[i])
        if argv[i] == "--years":
            i += 1
            first = True
            while i < len(argv) and len(argv[i]) == 4 and argv[i].isdigit():
                if not first:
                    out.append("--years")
                out.append(argv[i])
                first = False
                i += 1
            continue
        i += 1
    return out


def main() -> None:
    """Entry point: run the app; an unexpected error is a message, never a traceback."""
    try:
        app(args=expand_years(sys.argv[1:]), prog_name="finsamplan")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("finsamplan: avbrutet\n")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("FINSAMPLAN_DEBUG"):
            raise
        sys.stderr.write(
            f"finsamplan: internt fel: {exc!r}. Detta är ett fel i finsamplan; "
            "kör med FINSAMPLAN_DEBUG=1 för detaljer och rapportera det.\n"
        )
        sys.exit(EXIT_INPUT)


if __name__ == "__main__":
    main()
