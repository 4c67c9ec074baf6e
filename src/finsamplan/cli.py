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


class RenderFormat(StrEnum):
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

    from finsamplan.report import print_findings, print_lines, summary_line

    console = _console()
    for loaded, found in results:
        if fmt is ValidateFormat.text:
            print_lines(console, found)
        else:
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


@app.command()
def render(
    plan: Annotated[str, typer.Argument(help="Plan-id (plan-2023) eller planfil.")],
    fmt: Annotated[
        list[RenderFormat],
        typer.Option("--format", "-f", help="Format: json (den beräknade budgeten)."),
    ] = [  # noqa: B006
        RenderFormat.json
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Mapp att skriva till; utan: json till stdout."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Rendera trots regelfel.")] = False,
) -> None:
    """Beräkna och skriv ut planens budget (json: tabeller, rader och summor per år)."""
    from finsamplan import catalog
    from finsamplan.budget import compute, to_json
    from finsamplan.findings import Severity
    from finsamplan.loader import load_plan
    from finsamplan.report import print_findings
    from finsamplan.rules import validate as run

    try:
        path = catalog.resolve(plan)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None
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
    budget = compute(loaded.plan)
    payload = to_json(budget, loaded.id)
    payload["findings"] = [f.to_json() for f in found]
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    _write(output / "budget.json", text, force=True)


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


def main() -> None:
    """Entry point: run the app; an unexpected error is a message, never a traceback."""
    try:
        app()
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
