"""`check`: insatser against the criteria profiles the plan names (or ``--criteria``)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app


class CheckFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"


CheckPlan = Annotated[
    str | None,
    typer.Argument(
        help="Plan-id eller planfil; utan: den senaste planen i plans/.", show_default=False
    ),
]
CheckCriteria = Annotated[
    list[str] | None,
    typer.Option(
        "--criteria",
        "-c",
        help="Kriterieprofil i stället för planens egna (criteria:): en medföljande profils "
        "namn (criteria/, t.ex. grund), en YAML-fil, eller none. Kan anges flera gånger.",
        show_default=False,
    ),
]
CheckWithin = Annotated[
    str, typer.Option("--within", help="Visa kontrollpunkter inom så lång tid: 90d, 12w, 3m.")
]
CheckToday = Annotated[
    str | None,
    typer.Option(
        "--today", help="Dagens datum (ÅÅÅÅ-MM-DD) för kontrollpunkterna.", show_default=False
    ),
]
CheckFormats = Annotated[CheckFormat, typer.Option("--format", "-f", help="table, md eller json.")]


@app.command()
def check(
    plan: CheckPlan = None,
    criteria: CheckCriteria = None,
    within: CheckWithin = "90d",
    today: CheckToday = None,
    fmt: CheckFormats = CheckFormat.table,
) -> None:
    """Pröva insatserna mot kriterieprofilerna planen anger (eller --criteria)."""
    from finsamplan.cli import args
    from finsamplan.cli.report import print_lines
    from finsamplan.judge.criteria import check as run_check
    from finsamplan.judge.criteria import checkpoints_due, profiles_for
    from finsamplan.plan.loader import load_plan

    days = args.within(within)
    day = args.day(today, "--today") if today is not None else None
    path = common.plan_or_newest(plan)
    loaded = load_plan(path)
    loaded.plan = common.readable(loaded)
    profiles, origin, problems = profiles_for(loaded.plan, loaded.path, loaded.source, criteria)
    if problems:
        print_lines(common.console(stderr=True), problems)
        raise typer.Exit(common.EXIT_INPUT)
    results = [run_check(loaded.plan, p, loaded.id, loaded.source) for p in profiles]
    cps = checkpoints_due(loaded.plan, day, days)
    if fmt is CheckFormat.table:
        from finsamplan.cli.report import print_check

        print_check(common.console(), loaded.id, loaded.plan.forbund.name, results, cps)
    elif fmt is CheckFormat.md:
        from finsamplan.render.criteria_out import to_markdown

        sys.stdout.write(to_markdown(loaded.id, loaded.plan.forbund.name, results, cps))
    else:
        from finsamplan.render.criteria_out import to_json

        data = to_json(loaded.id, results, origin, cps)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    failing = any(r.failing() for r in results)
    raise typer.Exit(common.EXIT_RULES if failing else common.EXIT_OK)
