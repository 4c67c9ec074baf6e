"""`revise`: the revised budget from the board's decisions during the year."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app


class ReviseFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    json = "json"


RevisePlan = Annotated[str, typer.Argument(help="Plan-id eller planfil med revisions:.")]
ReviseFormats = Annotated[
    list[ReviseFormat] | None,
    typer.Option(
        "--format",
        "-f",
        help="table (standard), md, html, pdf, xlsx, json (flera går).",
        show_default=False,
    ),
]
ReviseOutput = Annotated[
    Path | None, typer.Option("--output", "-o", help="Mapp för filerna; standard out/PLAN.")
]
ReviseTemplates = Annotated[
    Path | None,
    typer.Option("--templates", help="Mapp med egna mallar (revise.md.j2, revise.html.j2)."),
]
ReviseForce = Annotated[
    bool, typer.Option("--force", help="Skriv över filer som inte är finsamplans egna.")
]


@app.command()
def revise(
    plan: RevisePlan,
    fmt: ReviseFormats = None,
    output: ReviseOutput = None,
    templates: ReviseTemplates = None,
    force: ReviseForce = False,
) -> None:
    """Reviderad budget: den antagna budgeten med styrelsens beslut under året (revisions)."""
    from finsamplan.base.findings import has_errors
    from finsamplan.judge.rules import validate
    from finsamplan.plan import catalog
    from finsamplan.plan.loader import load_plan
    from finsamplan.year.revise import revised_budget

    formats = list(dict.fromkeys(f.value for f in fmt)) if fmt else ["table"]
    if templates is not None and not templates.is_dir():
        raise common.fail(f"--templates {templates}: mappen finns inte")
    path = catalog.resolve(plan)  # PlanNotFound: exit 2
    loaded = load_plan(path)
    found = validate(loaded)
    loaded.plan = common.readable(loaded, found)
    result = revised_budget(loaded.plan, loaded.id, found)
    if result is None:
        raise common.fail(
            f"{loaded.id} har inga beslut under året (revisions:); se docs/year-cycle.md"
        )
    if "table" in formats:
        from finsamplan.cli.cycle_report import print_revision

        print_revision(common.console(), result)
    from finsamplan.render import revise_out

    wanted = [f for f in formats if f != "table"]
    files = common.guard_templates(lambda: revise_out.files(result, wanted, templates))
    if files:
        if output is None and wanted == ["json"]:
            sys.stdout.write(next(iter(files.values())).decode("utf-8"))
        else:
            common.write_outputs(output or Path("out") / loaded.id, files, force)
    raise typer.Exit(common.EXIT_RULES if has_errors(list(result.findings)) else common.EXIT_OK)
