"""What the commands share: the console, stopping with a message, safe writing, plan names.

Every command module uses these (``common.console()``, ``common.fail(…)``); none imports a
private helper of another. ``run_guarded`` is the one place where what stops a command
(``FinsamplanError``) becomes a message and an exit code, and where anything else that
escapes a command is reported as a bug in finsamplan (exit 3).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from finsamplan.base.errors import (
    EXIT_BUG,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_RULES,
    FinsamplanError,
    Stop,
)
from finsamplan.base.oserror import reason as os_reason

if TYPE_CHECKING:
    from rich.console import Console

    from finsamplan.base.findings import Finding
    from finsamplan.plan.loader import LoadedPlan
    from finsamplan.plan.model import Plan

__all__ = [
    "EXIT_BUG",
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_RULES",
    "console",
    "crash",
    "fail",
    "guard_templates",
    "plan_files",
    "plan_or_newest",
    "readable",
    "run_guarded",
    "write",
    "write_outputs",
]

T = TypeVar("T")

BUG_REPORT = (
    "Det här är ett fel i finsamplan, inte i dina filer. Skicka gärna en felrapport till "
    "finsamplans utvecklare med versionen (finsamplan {version}), kommandot du körde och "
    "planfilen bifogad; med FINSAMPLAN_DEBUG=1 visas hela förloppet (traceback)."
)


def console(stderr: bool = False) -> Console:
    """rich's console for stdout (or stderr); a pipe or a file gets 120 columns, not 80.

    Text is printed as it is: no rich markup, no ``:emoji:`` codes, no highlighting, so
    that a plan title such as ``Plan [utkast]`` or ``[/b]`` shows as written (it crashed
    the table, or vanished) and rich's emoji table is never loaded.
    """
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False, markup=False, emoji=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = 120  # a pipe or a file: do not fold messages at 80 columns
    return out


def fail(message: str, code: int = EXIT_INPUT) -> Stop:
    """What stops the command, to raise: ``finsamplan: message`` on stderr, exit ``code``."""
    return Stop(message, exit_code=code)


def show_stop(exc: FinsamplanError) -> None:
    """What stopped the command, on stderr: its findings one line each as they are (an
    editor jumps to each ``file:line:col``), else ``finsamplan: message``."""
    err = console(stderr=True)
    if exc.findings and not exc.said:
        for finding in exc.findings:
            err.print(finding.as_line(), markup=False, emoji=False, soft_wrap=True)
        return
    for line in str(exc).splitlines() or [type(exc).__name__]:
        err.print(f"finsamplan: {line}", markup=False)


def crash(exc: BaseException) -> None:
    """An exception nobody expected: a short message in Swedish, the traceback only with
    ``FINSAMPLAN_DEBUG=1``."""
    if os.environ.get("FINSAMPLAN_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    summary = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if len(summary) > 300:
        summary = summary[:299] + "…"
    from finsamplan import __version__

    report = BUG_REPORT.format(version=__version__)
    sys.stderr.write(f"finsamplan: internt fel ({summary}).\n{report}\n")


def run_guarded(run: Callable[[], T]) -> T:
    """Run a command: a ``FinsamplanError`` is its message and exit code, anything else an
    internal error (exit 3). ``SystemExit`` and click's own exceptions pass through."""
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort, Exit

    try:
        return run()
    except (ClickException, Exit, Abort, SystemExit, KeyboardInterrupt):
        raise
    except FinsamplanError as exc:
        show_stop(exc)
        sys.exit(exc.exit_code)
    except Exception as exc:
        crash(exc)
        sys.exit(EXIT_BUG)


def plan_files(names: list[str]) -> list[Path]:
    """The plan files that ids, files, folders and patterns name (``catalog.find``).

    What each folder or pattern gave is counted on stderr; a name that gives nothing is an
    error (exit 2), with every such name listed.
    """
    from finsamplan.plan import catalog

    found = catalog.find(names)
    if found.sources or found.problems:  # (the terminal library only when there is news)
        err = console(stderr=True)
        for source in found.sources:
            err.print(source.describe(), markup=False)
        for problem in found.problems[:-1]:
            err.print(f"finsamplan: {problem}", markup=False)
    if found.problems:
        raise fail(found.problems[-1])
    return found.paths


def write(path: Path, data: str | bytes, force: bool) -> None:
    """Write one output file atomically; an existing file only with ``--force``."""
    from finsamplan.base.outputs import RefusedOverwrite, atomic_write

    try:
        atomic_write(path, data, overwrite=force)
    except RefusedOverwrite:
        raise fail(f"{path} finns redan; använd --force för att skriva över") from None
    except OSError as exc:
        raise fail(f"{path}: kan inte skriva: {os_reason(exc)}") from None
    console(stderr=True).print(f"skrev {path}", markup=False)


def write_outputs(folder: Path, outputs: dict[str, bytes], force: bool) -> None:
    """Write a command's files into its folder (render/files.py: manifest, no clobbering)."""
    from finsamplan.render.files import FolderBusy, OutputConflict, write_all

    try:
        written = write_all(folder, outputs, force=force)
    except OutputConflict as exc:
        names = ", ".join(str(p) for p in exc.paths)
        raise fail(
            f"skriver inte över filer som finsamplan inte skapat (eller som ändrats "
            f"sedan): {names}. Använd --force eller en annan mapp (-o)"
        ) from None
    except FolderBusy as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{folder}: kan inte skriva: {os_reason(exc)}") from None
    out = console()
    for path in written:
        out.print(f"skrev {path}", markup=False)


def guard_templates(make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    """Run a renderer; a broken template is a message with its file and line."""
    import jinja2

    try:
        return dict(make())
    except jinja2.TemplateError as exc:
        name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        where = f"{name}:{line}: " if line else ""
        raise fail(f"mallfel: {where}{exc.message}") from None


def plan_or_newest(plan: str | None) -> Path:
    """The plan a name gives (``catalog.resolve``), or the newest in plans/ without one."""
    from finsamplan.plan import catalog

    if plan is None:
        newest = catalog.newest_plan()
        if newest is None:
            raise fail(f"inga planer i {catalog.plans_dir()}")
        return newest
    return catalog.resolve(plan)  # PlanNotFound: its message, exit 2 (run_guarded)


def readable(loaded: LoadedPlan, findings: list[Finding] | None = None) -> Plan:
    """The loaded plan, or its findings on stderr and exit 2 when it cannot be read: every
    command that works on one plan starts so."""
    if loaded.plan is None:
        import typer

        from finsamplan.cli.report import print_findings

        shown = loaded.findings if findings is None else findings
        print_findings(console(stderr=True), loaded, shown)
        raise typer.Exit(EXIT_INPUT)
    return loaded.plan
