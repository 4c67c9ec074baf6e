"""`validate`, `schema` and `plans`: check plan files, and show the schema and the plans."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from finsamplan.cli.app import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_RULES,
    _console,
    _fail,
    _write,
    app,
    plan_files,
)


class ValidateFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


@app.command()
def validate(
    plans: Annotated[
        list[str] | None,
        typer.Argument(
            help="Plan-id (plan-2023), planfiler, mappar (med undermappar) eller mönster "
            '("plans/**/*.yaml"). Utan argument: alla planer i plans/.',
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
    from finsamplan.base.findings import Severity, sort_key
    from finsamplan.judge.rules import validate as run
    from finsamplan.plan.loader import load_plan

    results = []
    unreadable = False
    for path in plan_files(plans or []):
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

    from finsamplan.cli.report import summary_line

    if fmt is ValidateFormat.text:  # plain lines: no terminal library needed
        for loaded, found in results:
            for f in found:
                sys.stdout.write(f.report_line() + "\n")
                if loaded.plan is None and f.excerpt:
                    sys.stdout.write("".join(f"    {ln}\n" for ln in f.excerpt.splitlines()))
        sys.stdout.write(summary_line(len(results), counts, strict) + "\n")
        raise typer.Exit(code)

    from finsamplan.cli.report import print_findings

    console = _console()
    for loaded, found in results:
        print_findings(console, loaded, found)
    console.print(summary_line(len(results), counts, strict), markup=False)
    raise typer.Exit(code)


@app.command()
def schema(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Med --write: mappen att skriva i; standard plans/.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Skriv till fil i stället för stdout.")
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Skriv plan.schema.json i planmappen, där planfilernas första rad pekar på den "
            "(uppdateras av finsamplan; en fil som någon annan skrivit ändras inte utan --force).",
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")] = False,
) -> None:
    """Skriv ut planfilens JSON Schema (för editorns komplettering och kontroll)."""
    from finsamplan.plan.model import json_schema

    if write or folder is not None:
        from finsamplan.cli.importer import write_schema_beside

        if not write or output is not None:
            raise _fail("ange mappen med --write (utan -o): finsamplan schema --write plans/")
        raise typer.Exit(write_schema_beside(folder or Path("plans"), force))
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    _write(output, text, force)


@app.command("plans")
def list_plans(
    plans: Annotated[
        list[str] | None,
        typer.Argument(
            help="Plan-id, planfiler, mappar (med undermappar) eller mönster "
            '("plans/**/*.yaml"). Utan argument: planerna i plans/ (eller de inbyggda).',
            show_default=False,
        ),
    ] = None,
) -> None:
    """Lista planer med år och förbund: de i plans/ (eller de inbyggda), eller de angivna."""
    from finsamplan.plan import catalog
    from finsamplan.plan.loader import load_plan

    paths = plan_files(plans or [])
    console = _console()
    if plans:
        names = [_shown(p) for p in paths]
        console.print(f"{len(paths)} planfil" + ("" if len(paths) == 1 else "er") + ":")
    else:
        names = [p.stem for p in paths]
        console.print(f"Planer i {catalog.plans_dir()}:", markup=False)
    width = max(16, *(len(n) for n in names))
    unreadable = False
    for path, name in zip(paths, names, strict=True):
        loaded = load_plan(path)
        if loaded.plan is None:
            unreadable = True
            console.print(
                f"  {name:<{width}} (kan inte läsas: kör finsamplan validate {name})",
                markup=False,
                soft_wrap=True,
            )
        else:
            p = loaded.plan
            line = f"  {name:<{width}} {p.year}  {p.forbund.name}: {p.title}"
            console.print(line, markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT if unreadable else EXIT_OK)


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to the working directory if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
