"""The typer app and what its commands share: console, errors, exit codes, safe writing.

Only this package talks to the terminal; the commands parse, call the core and print.
"""

from __future__ import annotations

import os
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


def plan_files(names: list[str]) -> list[Path]:
    """The plan files that ids, files, folders and patterns name (``catalog.find``).

    What each folder or pattern gave is counted on stderr; a name that gives nothing is an
    error (exit 2), with every such name listed.
    """
    from finsamplan.plan import catalog

    found = catalog.find(names)
    err = _console(stderr=True)
    for source in found.sources:
        err.print(source.describe(), markup=False)
    if found.problems:
        for problem in found.problems[:-1]:
            err.print(f"finsamplan: {problem}", markup=False)
        raise _fail(found.problems[-1])
    return found.paths


def _write(path: Path, data: str | bytes, force: bool) -> None:
    from finsamplan.base.outputs import RefusedOverwrite, atomic_write

    try:
        atomic_write(path, data, overwrite=force)
    except RefusedOverwrite:
        raise _fail(f"{path} finns redan; använd --force för att skriva över") from None
    except OSError as exc:
        raise _fail(f"{path}: kan inte skriva: {exc.strerror}") from None
    _console(stderr=True).print(f"skrev {path}", markup=False)


def _write_outputs(folder: Path, outputs: dict[str, bytes], force: bool) -> None:
    from finsamplan.render.files import FolderBusy, OutputConflict, write_all

    try:
        written = write_all(folder, outputs, force=force)
    except OutputConflict as exc:
        names = ", ".join(str(p) for p in exc.paths)
        raise _fail(
            f"skriver inte över filer som finsamplan inte skapat (eller som ändrats "
            f"sedan): {names}. Använd --force eller en annan mapp (-o)"
        ) from None
    except FolderBusy as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{folder}: kan inte skriva: {exc.strerror}") from None
    console = _console()
    for path in written:
        console.print(f"skrev {path}", markup=False)


def _guard_templates(make: Any) -> dict[str, bytes]:
    """Run a renderer; a broken template is a message with its file and line."""
    import jinja2

    try:
        return dict(make())
    except jinja2.TemplateError as exc:
        name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        where = f"{name}:{line}: " if line else ""
        raise _fail(f"mallfel: {where}{exc.message}") from None


def _plan_or_newest(plan: str | None) -> Path:
    from finsamplan.plan import catalog

    if plan is None:
        newest = catalog.newest_plan()
        if newest is None:
            raise _fail(f"inga planer i {catalog.plans_dir()}")
        return newest
    try:
        return catalog.resolve(plan)
    except catalog.PlanNotFound as exc:
        raise _fail(str(exc)) from None
