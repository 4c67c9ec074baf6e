"""`import`: a budget spreadsheet (XLSX or CSV) into a new plan file, with an account of
every cell it took, guessed or left."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.oserror import reason as os_reason
from finsamplan.base.words import counted, severity_counts
from finsamplan.cli import common
from finsamplan.cli.application import app

if TYPE_CHECKING:
    from finsamplan.year.importer import Imported


class Unit(StrEnum):
    kr = "kr"
    tkr = "tkr"


ImportBudgetBudget = Annotated[Path, typer.Argument(help="Budgetbladet: en XLSX- eller CSV-fil.")]
ImportBudgetOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Planfilen som skrivs; standard plans/plan-ÅR.yaml. En befintlig fil skrivs "
        "aldrig över.",
        show_default=False,
    ),
]
ImportBudgetUnit = Annotated[
    Unit | None,
    typer.Option("--unit", help="kr eller tkr, om bladet inte själv säger det."),
]
ImportBudgetYear = Annotated[
    str | None,
    typer.Option("--year", help="Planåret, om rubrikerna inte avgör det.", show_default=False),
]
ImportBudgetName = Annotated[
    str | None,
    typer.Option("--name", help="Förbundets namn, om bladet inte anger det.", show_default=False),
]
ImportBudgetSheet = Annotated[
    str | None,
    typer.Option("--sheet", help="Bladet att läsa i en XLSX-fil; standard det första."),
]
ImportBudgetDecimal = Annotated[
    str | None,
    typer.Option("--decimal", help='Decimaltecken i textbelopp: "," eller ".".'),
]
ImportBudgetThousands = Annotated[
    str | None,
    typer.Option("--thousands", help='Tusentalsavgränsare: space, none, ".", "," eller "\'".'),
]


@app.command("import")
def import_budget(
    budget: ImportBudgetBudget,
    output: ImportBudgetOutput = None,
    unit: ImportBudgetUnit = None,
    year: ImportBudgetYear = None,
    name: ImportBudgetName = None,
    sheet: ImportBudgetSheet = None,
    decimal: ImportBudgetDecimal = None,
    thousands: ImportBudgetThousands = None,
) -> None:
    """Läs in en budget från ett kalkylblad (XLSX eller CSV) och skriv en ny planfil."""
    from finsamplan.cli import args
    from finsamplan.year.importer import Options
    from finsamplan.year.importer import import_budget as run

    options = Options(
        unit=unit.value if unit else None,
        year=args.year(year, "--year") if year is not None else None,
        name=name.strip() if name and name.strip() else None,
        sheet=sheet,
        decimal=_decimal(decimal),
        thousands=_thousands(thousands),
    )
    target = _target(output)
    imported = run(budget, options)  # ImportFailed: its findings, file:cell, exit 2
    target = target or Path("plans") / f"plan-{imported.year}.yaml"
    if target.exists() or target.is_symlink():
        raise _refused(target)
    print_account(common.console(), imported)
    _write_plan(target, imported.text(target))
    write_schema_beside(target.parent)  # the plan's first line points at it
    raise typer.Exit(_verdict(imported, target))


def _decimal(value: str | None) -> str | None:
    if value is not None and value not in (",", "."):
        raise common.fail(f'--decimal {value}: ange "," eller "."')
    return value


def _thousands(value: str | None) -> str | None:
    if value is not None and value not in (" ", "space", ".", ",", "'", "none"):
        raise common.fail(f'--thousands {value}: ange space, none, ".", "," eller "\'"')
    return value


def _target(output: Path | None) -> Path | None:
    if output is None:
        return None
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise common.fail(f"{output}: planfilen ska sluta på .yaml")
    if output.exists() or output.is_symlink():
        raise _refused(output)
    plans_folder = output.parent.name == "plans" and output.parent.parent.is_dir()
    if not output.parent.is_dir() and not plans_folder:
        raise common.fail(
            f"{output}: mappen {output.parent} finns inte (import skapar bara plans/)"
        )
    return output


def _refused(path: Path) -> FinsamplanError:
    return common.fail(
        f"{path} finns redan; finsamplan import skriver aldrig över en fil. "
        "Ange en annan fil med -o"
    )


def _write_plan(target: Path, text: str) -> None:
    from finsamplan.base.outputs import RefusedOverwrite, atomic_write

    try:
        atomic_write(target, text, overwrite=False)
    except (RefusedOverwrite, FileExistsError):
        raise _refused(target) from None
    except OSError as exc:
        raise common.fail(f"{target}: kan inte skriva: {os_reason(exc)}") from None
    common.console().print(f"skrev {target}", markup=False)


def write_schema_beside(folder: Path, force: bool = False) -> int:
    """``plan.schema.json`` in ``folder``; exit 2 if a file finsamplan did not write is there
    (``schema --write`` without ``--force``), else 0."""
    from finsamplan.plan.schemafile import write_schema

    try:
        done = write_schema(folder, force=force)
    except OSError as exc:
        common.console(stderr=True).print(
            f"finsamplan: {folder}: kan inte skriva schemat: {os_reason(exc)}", markup=False
        )
        return common.EXIT_INPUT
    if done.status == "refused":
        common.console(stderr=True).print(f"finsamplan: {done.describe()}", markup=False)
        return common.EXIT_INPUT
    common.console().print(done.describe(), markup=False)
    return common.EXIT_OK


def _verdict(imported: Imported, target: Path) -> int:
    """What ``validate`` will say of the new file, and what to fill in: exit 1 if errors."""
    from finsamplan.base.findings import Severity

    findings = imported.findings(target)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    console = common.console()
    console.print(
        f"Planen har {severity_counts(errors, warnings)}; se dem med: finsamplan validate {target}",
        markup=False,
        soft_wrap=True,
    )
    if imported.fill_in:
        console.print("Fyll i (märkt # fyll i i planfilen):", markup=False)
        for text in imported.fill_in:
            console.print(f"  - {text}", markup=False, soft_wrap=True)
    return common.EXIT_RULES if errors else common.EXIT_OK


def print_account(console: Any, imported: Imported) -> None:
    """What was taken, guessed and left, every non-empty cell with its address."""
    from finsamplan.base.money import format_kronor as kr

    def rows(items: list[tuple[str, str]]) -> None:
        width = min(24, max((len(w) for w, _ in items), default=0))
        for where, what in items:
            console.print(f"  {where:<{width}}  {what}", markup=False, soft_wrap=True)

    took, left = imported.took, imported.left
    n_took = sum(len(a.cells) for a in took)
    n_left = sum(len(a.cells) for a in left if "!" not in a.cells[0])
    console.print(
        f"Läste {imported.file}, bladet {imported.sheet}: "
        f"{counted(imported.cells, 'cell')} med innehåll. "
        f"Belopp i {imported.amount_format}. Planår {imported.year}.",
        markup=False,
        soft_wrap=True,
    )
    console.print(f"Tog ({counted(n_took, 'cell')}):", markup=False)
    rows([(a.where(), a.what) for a in took])
    if imported.guesses:
        console.print("Gissade (märkta # granska i planfilen):", markup=False)
        rows([(g.where(), g.what) for g in imported.guesses])
    if imported.differences:
        console.print(
            "Summor i bladet som inte är summan av raderna (står under stated: i planfilen"
            + (
                ", utom delsummor och årets resultat, som planen räknar själv):"
                if not all(d.kept for d in imported.differences)
                else "):"
            ),
            markup=False,
        )
        rows(
            [
                (
                    d.cell,
                    f"{d.label}, {d.column}: bladet {kr(d.sheet)} kr, raderna {kr(d.computed)} kr "
                    f"(skillnad {kr(d.computed - d.sheet, sign=True)} kr)",
                )
                for d in imported.differences
            ]
        )
    if left:
        console.print(f"Lämnade ({counted(n_left, 'cell')}):", markup=False)
        rows([(a.where(), a.what) for a in left])
    if imported.cell_comments:
        console.print("Kommentarer i cellerna:", markup=False)
        rows([(a.where(), a.what) for a in imported.cell_comments])
    checked = imported.matched_totals
    console.print(
        f"Alla {imported.cells} celler med innehåll är redovisade: {n_took} tagna, "
        f"{n_left} lämnade; {checked} {'summarad' if checked == 1 else 'summarader'} "
        f"kontrollerad{'' if checked == 1 else 'e'}.",
        markup=False,
        soft_wrap=True,
    )


__all__ = ["import_budget", "print_account"]
