"""`followup`: the year's actuals against the budget."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app


class Baseline(StrEnum):
    revised = "revised"
    adopted = "adopted"


class FollowupFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    json = "json"
    docx = "docx"


FollowupPlan = Annotated[str, typer.Argument(help="Plan-id eller planfil.")]
FollowupActuals = Annotated[
    Path,
    typer.Option(
        "--actuals",
        "-a",
        help="Exporten från ekonomisystemet: CSV, XLSX eller SIE 4 (.se, .si, .sie).",
    ),
]
FollowupUntil = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="Till och med datum (ÅÅÅÅ-MM-DD); utan: exportens sista datum.",
        show_default=False,
    ),
]
FollowupMapping = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="YAML-fil med ett actuals:-block som ersätter planens.",
        show_default=False,
    ),
]
FollowupDecimal = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help='Exportens decimaltecken: "," eller "." (annars planens actuals.format '
        "eller filens egna belopp).",
        show_default=False,
    ),
]
FollowupThousands = Annotated[
    str | None,
    typer.Option(
        "--thousands",
        help='Exportens tusentalsavgränsare: space, none, ".", "," eller "\'".',
        show_default=False,
    ),
]
FollowupBaseline = Annotated[
    Baseline,
    typer.Option(
        "--baseline",
        help="Budgeten som utfallet jämförs med: revised (den senast reviderade, "
        "standard när planen har beslut under året) eller adopted (den antagna).",
    ),
]
FollowupFormats = Annotated[
    list[FollowupFormat] | None,
    typer.Option(
        "--format",
        "-f",
        help="table, md, html, pdf, xlsx, json, docx (flera går).",
        show_default=False,
    ),
]
FollowupOutput = Annotated[
    Path | None, typer.Option("--output", "-o", help="Mapp för filerna; standard out/PLAN.")
]
FollowupForce = Annotated[
    bool, typer.Option("--force", help="Skriv över filer som inte är finsamplans egna.")
]


@app.command()
def followup(
    plan: FollowupPlan,
    actuals: FollowupActuals,
    until: FollowupUntil = None,
    mapping: FollowupMapping = None,
    decimal: FollowupDecimal = None,
    thousands: FollowupThousands = None,
    baseline: FollowupBaseline = Baseline.revised,
    fmt: FollowupFormats = None,
    output: FollowupOutput = None,
    force: FollowupForce = False,
) -> None:
    """Följ upp året: utfall mot budget per rad och grupp, prognos och varningar."""
    from finsamplan.base.findings import Severity
    from finsamplan.cli import args
    from finsamplan.figures.actuals import load_actuals
    from finsamplan.plan.actualsfile import load_mapping, stated_format
    from finsamplan.plan.loader import load_plan
    from finsamplan.year import followup as fu

    formats = [f.value for f in fmt] if fmt else ["table"]
    day = args.day(until, "--until") if until is not None else None
    path = common.plan_or_newest(plan)
    loaded = load_plan(path)
    loaded.plan = common.readable(loaded)
    config = load_mapping(mapping) if mapping is not None else loaded.plan.actuals
    if decimal is not None or thousands is not None:
        config = stated_format(config, decimal, thousands)
    loaded.plan = loaded.plan.model_copy(update={"actuals": config})
    # an export that cannot be read (ImportError_: its finding), a plan without a budget for
    # its year (FollowupError): exit 2
    imported = load_actuals(actuals, config)
    result = fu.followup(loaded.plan, imported, loaded.id, day, baseline.value, loaded.source)
    from finsamplan.render import followup_out as out

    if "table" in formats:
        from finsamplan.cli.report import print_followup

        print_followup(common.console(), result)
    files = out.files(result, [f for f in formats if f != "table"])
    shown = out.for_stdout(files, formats, output is not None)
    if shown is not None:
        sys.stdout.write(shown.decode("utf-8"))
    elif files:
        common.write_outputs(output or Path("out") / loaded.id, files, force)
    failing = imported.malformed or any(
        w.severity is Severity.ERROR for w in [*imported.notes, *result.warnings]
    )
    raise typer.Exit(common.EXIT_RULES if failing else common.EXIT_OK)
