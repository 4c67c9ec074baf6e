"""`check`: insatser against a region's criteria."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from finsamplan.cli.app import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_RULES,
    _console,
    _plan_or_newest,
    app,
)


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
    from finsamplan.cli import args
    from finsamplan.cli.report import print_findings, print_lines
    from finsamplan.judge.criteria import ProfileError, load_profile
    from finsamplan.judge.criteria import check as run_check
    from finsamplan.plan.loader import load_plan

    days = args.within(within)
    day = args.day(today, "--today") if today is not None else None
    path = _plan_or_newest(plan)
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
        from finsamplan.cli.report import print_check

        print_check(_console(), result)
    elif fmt is CheckFormat.md:
        from finsamplan.render.criteria_out import to_markdown

        sys.stdout.write(to_markdown(result))
    else:
        from finsamplan.render.criteria_out import to_json

        sys.stdout.write(json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(EXIT_RULES if result.failing() else EXIT_OK)
