"""`validate`, `schema` and `plans`: check plan files, and show the schema and the plans."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app

if TYPE_CHECKING:
    from finsamplan.judge.batch import PlanResult


class ValidateFormat(StrEnum):
    table = "table"
    text = "text"
    json = "json"


MANY = 10
"""More plans than this: the table format shows the problems and counts per code, not a
table per plan (a thousand tables help no one, and drawing them takes longer than checking)."""


ValidatePlans = Annotated[
    list[str] | None,
    typer.Argument(
        help="Plan-id (plan-2023), planfiler, mappar (med undermappar) eller mönster "
        '("plans/**/*.yaml"). Utan argument: alla planer i plans/.',
        show_default=False,
    ),
]
ValidateFormats = Annotated[
    ValidateFormat,
    typer.Option(
        "--format",
        "-f",
        help=f"table (fler än {MANY} planer: fel och varningar och en räkning per kod), "
        "text (en rad per fynd) eller json.",
    ),
]
ValidateStrict = Annotated[bool, typer.Option("--strict", help="Varningar räknas som fel.")]


@app.command()
def validate(
    plans: ValidatePlans = None,
    fmt: ValidateFormats = ValidateFormat.table,
    strict: ValidateStrict = False,
) -> None:
    """Kontrollera planfiler: format, hänvisningar och ekonomiska regler."""
    from finsamplan.cli import report
    from finsamplan.judge.batch import check_plans

    paths = common.plan_files(plans or [])
    tally = Tally(strict)
    results = tally.count(check_plans(paths))
    if fmt is ValidateFormat.json:
        report.write_json(results, tally.summary)
    elif fmt is ValidateFormat.text:  # plain lines: no terminal library needed
        report.write_lines(results)
        sys.stdout.write(tally.line() + "\n")
    else:
        console = common.console()
        if len(paths) > MANY:
            report.print_problems(console, results)
            report.print_codes(console, tally.codes, tally.plans)
        else:
            for r in results:
                report.print_plan(console, r.id, r.file, r.title, r.findings)
        console.print(tally.line(), markup=False)
    raise typer.Exit(tally.exit_code)


class Tally:
    """What ``validate`` counts while results go by: the summary, and the exit code."""

    def __init__(self, strict: bool) -> None:
        from finsamplan.base.findings import Severity

        self.strict = strict
        self.plans = 0
        self.unreadable = 0
        self.counts = dict.fromkeys(Severity, 0)
        self.codes: dict[tuple[str, Severity], list[int]] = {}  # findings, plans

    def count(self, results: Iterable[PlanResult]) -> Iterator[PlanResult]:
        for r in results:
            self.plans += 1
            self.unreadable += not r.readable
            for f in r.findings:
                self.counts[f.severity] += 1
                self.codes.setdefault((f.code, f.severity), [0, 0])[0] += 1
            for key in {(f.code, f.severity) for f in r.findings}:
                self.codes[key][1] += 1
            yield r

    @property
    def exit_code(self) -> int:
        from finsamplan.base.findings import Severity

        failing = self.counts[Severity.ERROR] or (self.strict and self.counts[Severity.WARNING])
        return (
            common.EXIT_INPUT
            if self.unreadable
            else common.EXIT_RULES
            if failing
            else common.EXIT_OK
        )

    def line(self) -> str:
        from finsamplan.cli.report import summary_line

        return summary_line(self.plans, self.counts, self.strict)

    def summary(self) -> dict[str, int]:
        from finsamplan.base.findings import Severity

        return {
            "plans": self.plans,
            "errors": self.counts[Severity.ERROR],
            "warnings": self.counts[Severity.WARNING],
            "info": self.counts[Severity.INFO],
            "exit_code": self.exit_code,
        }


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
            raise common.fail("ange mappen med --write (utan -o): finsamplan schema --write plans/")
        raise typer.Exit(write_schema_beside(folder or Path("plans"), force))
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    common.write(output, text, force)


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

    paths = common.plan_files(plans or [])
    console = common.console()
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
    raise typer.Exit(common.EXIT_INPUT if unreadable else common.EXIT_OK)


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to the working directory if inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)
