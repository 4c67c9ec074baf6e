"""`close`: the year-end close from the finance system's export."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app
from finsamplan.cli.followup import Baseline


class CloseFormat(StrEnum):
    table = "table"
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


ClosePlan = Annotated[str, typer.Argument(help="Plan-id eller planfil för året som stängs.")]
CloseActuals = Annotated[
    Path,
    typer.Option(
        "--actuals",
        "-a",
        help="Årets export från ekonomisystemet: CSV, XLSX eller SIE 4 (.se, .si, .sie).",
    ),
]
CloseOpeningEquity = Annotated[
    str | None,
    typer.Option(
        "--opening-equity",
        help='Ingående eget kapital enligt bokslutet, t.ex. "1 250 000"; utan: SIE-filens '
        "#IB, annars budgetens (med en varning).",
        show_default=False,
    ),
]
CloseEquityAccounts = Annotated[
    list[str] | None,
    typer.Option(
        "--equity-accounts",
        help='Konton för eget kapital i SIE-filen, t.ex. "2010-2099" (standard) eller '
        '"2091"; flera går.',
        show_default=False,
    ),
]
CloseBaseline = Annotated[
    Baseline,
    typer.Option(
        "--baseline",
        help="Budgeten som utfallet jämförs med: revised (standard) eller adopted.",
    ),
]
CloseMapping = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="YAML-fil med ett actuals:-block som ersätter planens.",
        show_default=False,
    ),
]
CloseFormats = Annotated[
    list[CloseFormat] | None,
    typer.Option(
        "--format",
        "-f",
        help="table (standard), md, html, pdf, json (flera går).",
        show_default=False,
    ),
]
CloseOutput = Annotated[
    Path | None, typer.Option("--output", "-o", help="Mapp för filerna; standard out/PLAN.")
]
CloseTemplates = Annotated[
    Path | None,
    typer.Option("--templates", help="Mapp med egna mallar (close.md.j2, close.html.j2)."),
]
CloseWrite = Annotated[
    bool,
    typer.Option(
        "--write",
        help="Spara bokslutet bredvid planfilen (PLAN.bokslut.json) så att nästa års plan "
        "utgår från det verkliga egna kapitalet.",
    ),
]
CloseForce = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Skriv över filer som inte är finsamplans egna, och en "
        "tidigare sparad PLAN.bokslut.json.",
    ),
]


@app.command()
def close(
    plan: ClosePlan,
    actuals: CloseActuals,
    opening_equity: CloseOpeningEquity = None,
    equity_accounts: CloseEquityAccounts = None,
    baseline: CloseBaseline = Baseline.revised,
    mapping: CloseMapping = None,
    fmt: CloseFormats = None,
    output: CloseOutput = None,
    templates: CloseTemplates = None,
    write: CloseWrite = False,
    force: CloseForce = False,
) -> None:
    """Stäng året: årets resultat och eget kapital vid årets slut mot budget och tak."""
    from finsamplan.base.findings import Severity
    from finsamplan.plan.actualsfile import load_mapping
    from finsamplan.plan.loader import load_plan
    from finsamplan.year import close as core

    formats = list(dict.fromkeys(f.value for f in fmt)) if fmt else ["table"]
    opening = _kronor(opening_equity) if opening_equity is not None else None
    accounts = tuple(equity_accounts or core.EQUITY_ACCOUNTS)
    path = _resolve(plan)
    loaded = load_plan(path)
    loaded.plan = common.readable(loaded)
    if mapping is not None:
        loaded.plan = loaded.plan.model_copy(update={"actuals": load_mapping(mapping)})
    # an export that cannot be read (ImportError_: its finding), a plan without a budget for
    # its year (FollowupError): exit 2
    export = core.read_export(actuals, loaded.plan.actuals)
    result = core.close(
        loaded.plan, export, loaded.id, opening, baseline.value, accounts, loaded.source
    )
    if "table" in formats:
        from finsamplan.cli.cycle_report import print_close

        print_close(common.console(), result)
    from finsamplan.render import close_out

    wanted = [f for f in formats if f != "table"]
    files = common.guard_templates(lambda: close_out.files(result, wanted, templates))
    if files:
        if output is None and wanted == ["json"]:
            sys.stdout.write(next(iter(files.values())).decode("utf-8"))
        else:
            common.write_outputs(output or Path("out") / loaded.id, files, force)
    if write:
        from finsamplan.year.closing import record_bytes

        common.write(core.closing_path(path), record_bytes(result), force)
    imported = result.followup.imported
    failing = imported.malformed or any(
        w.severity is Severity.ERROR for w in [*imported.notes, *result.warnings]
    )
    raise typer.Exit(common.EXIT_RULES if failing else common.EXIT_OK)


def _resolve(plan: str) -> Path:
    from finsamplan.plan import catalog

    return catalog.resolve(plan)  # PlanNotFound: its message, exit 2


def _kronor(text: str) -> int:
    """``--opening-equity``: whole kronor, may be negative, at most 10¹² either way."""
    from finsamplan.base.money import MoneyFormatError, parse_kronor
    from finsamplan.plan.model import MAX_KRONOR

    shown = text if len(text) <= 40 else text[:39] + "…"
    try:
        value = parse_kronor(text) if len(text) <= 40 else None
    except MoneyFormatError:
        value = None
    if value is None or abs(value) > MAX_KRONOR:
        raise common.fail(
            f'--opening-equity {shown}: ange hela kronor, t.ex. 1250000 eller "1 250 000"'
        )
    return value
