"""`followup`: the year's actuals against the budget."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from finsamplan.cli import common
from finsamplan.cli.app import app


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


@app.command()
def followup(
    plan: Annotated[str, typer.Argument(help="Plan-id eller planfil.")],
    actuals: Annotated[
        Path,
        typer.Option(
            "--actuals",
            "-a",
            help="Exporten från ekonomisystemet: CSV, XLSX eller SIE 4 (.se, .si, .sie).",
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Till och med datum (ÅÅÅÅ-MM-DD); utan: exportens sista datum.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="YAML-fil med ett actuals:-block som ersätter planens.",
            show_default=False,
        ),
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help='Exportens decimaltecken: "," eller "." (annars planens actuals.format '
            "eller filens egna belopp).",
            show_default=False,
        ),
    ] = None,
    thousands: Annotated[
        str | None,
        typer.Option(
            "--thousands",
            help='Exportens tusentalsavgränsare: space, none, ".", "," eller "\'".',
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Baseline,
        typer.Option(
            "--baseline",
            help="Budgeten som utfallet jämförs med: revised (den senast reviderade, "
            "standard när planen har beslut under året) eller adopted (den antagna).",
        ),
    ] = Baseline.revised,
    fmt: Annotated[
        list[FollowupFormat] | None,
        typer.Option(
            "--format",
            "-f",
            help="table, md, html, pdf, xlsx, json, docx (flera går).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Mapp för filerna; standard out/PLAN.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Skriv över filer som inte är finsamplans egna.")
    ] = False,
) -> None:
    """Följ upp året: utfall mot budget per rad och grupp, prognos och varningar."""
    from finsamplan.base.findings import Severity
    from finsamplan.cli import args
    from finsamplan.cli.report import print_findings, print_lines
    from finsamplan.figures.actuals import ImportError_, load_actuals
    from finsamplan.plan.loader import load_plan
    from finsamplan.year import followup as fu

    formats = [f.value for f in fmt] if fmt else ["table"]
    day = args.day(until, "--until") if until is not None else None
    path = common.plan_or_newest(plan)
    loaded = load_plan(path)
    if loaded.plan is None:
        print_findings(common.console(stderr=True), loaded, loaded.findings)
        raise typer.Exit(common.EXIT_INPUT)
    config = loaded.plan.actuals
    if mapping is not None:
        config = _load_mapping(mapping)
        loaded.plan = loaded.plan.model_copy(update={"actuals": config})
    if decimal is not None or thousands is not None:
        config = _stated_format(config, decimal, thousands)
        loaded.plan = loaded.plan.model_copy(update={"actuals": config})
    try:
        imported = load_actuals(actuals, config)
        result = fu.followup(loaded.plan, imported, loaded.id, day, baseline.value, loaded.source)
    except ImportError_ as exc:
        print_lines(common.console(stderr=True), [exc.finding])
        raise typer.Exit(common.EXIT_INPUT) from None
    except fu.FollowupError as exc:
        raise common.fail(str(exc)) from None
    from finsamplan.render import followup_out as out

    if "table" in formats:
        from finsamplan.cli.report import print_followup

        print_followup(common.console(), result)
    stamp = f"uppfoljning-{result.until}"
    files: dict[str, bytes] = {}
    for name in formats:
        if name == "md":
            files[f"{stamp}.md"] = out.to_markdown(result).encode("utf-8")
        elif name == "json":
            files[f"{stamp}.json"] = out.to_json_bytes(result)
        elif name == "xlsx":
            files[f"{stamp}.xlsx"] = out.to_xlsx(result)
        elif name == "docx":
            from finsamplan.render.docx import followup_docx

            files[f"{stamp}.docx"] = followup_docx(result)
        elif name in ("html", "pdf"):
            page = out.to_html(result)
            if name == "html":
                files[f"{stamp}.html"] = page.encode("utf-8")
            else:
                from finsamplan.render.document import pdf

                files[f"{stamp}.pdf"] = pdf(page)
    if files:
        if output is None and set(formats) <= {"json", "md"} and len(files) == 1:
            sys.stdout.write(next(iter(files.values())).decode("utf-8"))
        else:
            common.write_outputs(output or Path("out") / loaded.id, files, force)
    failing = imported.malformed or any(
        w.severity is Severity.ERROR for w in [*imported.notes, *result.warnings]
    )
    raise typer.Exit(common.EXIT_RULES if failing else common.EXIT_OK)


def _stated_format(config: Any, decimal: str | None, thousands: str | None) -> Any:
    """The plan's ``actuals.format`` with what the options state, checked like the plan."""
    from pydantic import ValidationError

    from finsamplan.plan.model import ActualsFormat

    current = config.format
    try:
        stated = ActualsFormat.model_validate(
            {
                "decimal": decimal if decimal is not None else current.decimal,
                "thousands": thousands if thousands is not None else current.thousands,
            }
        )
    except ValidationError:
        raise common.fail(
            f"--decimal {decimal or ''} --thousands {thousands or ''}: decimaltecknet ska vara "
            '"," eller "." och tusentalsavgränsaren space, none, ".", "," eller "\'" '
            "(och inte samma tecken)"
        ) from None
    return config.model_copy(update={"format": stated})


def _load_mapping(path: Path) -> Any:
    from pydantic import BaseModel

    from finsamplan.cli.report import print_lines
    from finsamplan.plan.loader import load_model
    from finsamplan.plan.model import Actuals

    class MappingFile(BaseModel):
        model_config = {"extra": "forbid", "strict": True}
        actuals: Actuals

    from finsamplan.base.inputs import InputError, read_input

    try:
        data = read_input(path, 1024 * 1024, "en fil med actuals:")
    except InputError as exc:
        raise common.fail(f"{path}: {exc}") from None
    value, _, findings = load_model(data, str(path), MappingFile)
    if value is None:
        print_lines(common.console(stderr=True), findings)
        raise typer.Exit(common.EXIT_INPUT)
    return value.actuals
