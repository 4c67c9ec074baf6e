"""`compare`: many förbund side by side."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app
from finsamplan.cli.args import CSV_HELP, CsvDialect
from finsamplan.cli.args import stdout as _stdout


class CompareFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    xlsx = "xlsx"
    json = "json"
    csv = "csv"


ComparePlans = Annotated[
    list[str],
    typer.Argument(
        help='Plan-id, planfiler, mappar (med undermappar) eller mönster ("plans/**/*.yaml").'
    ),
]
CompareSort = Annotated[
    str | None,
    typer.Option(
        "--sort",
        help="Sortera på en kolumn: admin_share, insats_share, room, equity_over …",
        show_default=False,
    ),
]
CompareDescending = Annotated[bool, typer.Option("--desc", help="Störst först.")]
CompareCriteria = Annotated[
    str | None,
    typer.Option(
        "--criteria",
        "-c",
        help="Räkna kriterier uppfyllda, inte uppfyllda och inte dokumenterade med "
        "profilen (en medföljande profils namn, t.ex. grund, eller FIL), samma profil för "
        "alla planer.",
        show_default=False,
    ),
]
CompareFormats = Annotated[
    CompareFormat, typer.Option("--format", "-f", help="table, md, html, xlsx, json eller csv.")
]
CompareOutput = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Fil att skriva till (krävs för html och xlsx)."),
]
CompareForce = Annotated[bool, typer.Option("--force", help="Skriv över en befintlig fil.")]
CompareCsv = Annotated[CsvDialect, typer.Option("--csv", help=CSV_HELP)]


@app.command()
def compare(
    plans: ComparePlans,
    sort: CompareSort = None,
    descending: CompareDescending = False,
    criteria: CompareCriteria = None,
    fmt: CompareFormats = CompareFormat.table,
    output: CompareOutput = None,
    force: CompareForce = False,
    csv: CompareCsv = CsvDialect.excel,
) -> None:
    """Jämför förbund: en rad per förbund och planår, med median och spridning."""
    from finsamplan.render import compare_out as out
    from finsamplan.year import compare as cmp

    paths = common.plan_files(plans)
    profile = None
    if criteria:
        from finsamplan.judge.criteria import load_profile

        profile = load_profile(criteria)  # ProfileError: its findings, exit 2
    result = cmp.compare(paths, profile, sort, descending)  # UnknownSort: exit 2
    if fmt is CompareFormat.table:
        from finsamplan.cli.report import print_comparison_table

        print_comparison_table(common.console(), result)
    else:
        data = {
            CompareFormat.md: lambda: out.to_markdown(result).encode("utf-8"),
            CompareFormat.html: lambda: out.to_html(result).encode("utf-8"),
            CompareFormat.xlsx: lambda: out.to_xlsx(result),
            CompareFormat.json: lambda: out.to_json_bytes(result),
            CompareFormat.csv: lambda: out.to_csv(result, csv.value),
        }[fmt]()
        if output is None:
            if fmt in (CompareFormat.xlsx,):
                raise common.fail("xlsx skrivs till en fil: ange -o FIL.xlsx")
            _stdout(data, fmt is CompareFormat.csv)
        else:
            common.write(output, data, force)
    raise typer.Exit(common.EXIT_INPUT if result.unreadable else common.EXIT_OK)
