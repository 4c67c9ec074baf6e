"""`render`: the plan document, its tables, and decision memos."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from finsamplan.cli import common
from finsamplan.cli.app import app
from finsamplan.cli.args import CSV_HELP, CsvDialect


class RenderFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    md = "md"
    xlsx = "xlsx"
    csv = "csv"
    json = "json"
    docx = "docx"
    table = "table"
    fakturaunderlag = "fakturaunderlag"


class PdfVariant(StrEnum):
    a3a = "pdf/a-3a"
    a2a = "pdf/a-2a"
    ua1 = "pdf/ua-1"
    ua2 = "pdf/ua-2"
    a3u = "pdf/a-3u"
    a2u = "pdf/a-2u"
    a3b = "pdf/a-3b"
    a2b = "pdf/a-2b"
    none = "none"


@app.command()
def render(
    plan: Annotated[str, typer.Argument(help="Plan-id (plan-2023) eller planfil.")],
    fmt: Annotated[
        list[RenderFormat] | None,
        typer.Option(
            "--format",
            "-f",
            show_default=False,
            help="Format, ett eller flera: html, pdf, md, xlsx, csv, json, docx, table, "
            "fakturaunderlag (avgift per medlem och år, xlsx och csv). "
            "Utan: html, pdf, md och xlsx.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Mapp att skriva till; standard out/PLAN.")
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Mapp med egna mallar; saknade mallar tas från de inbyggda."
        ),
    ] = None,
    insats: Annotated[
        str | None,
        typer.Option(
            "--insats",
            help="Skriv beslutsunderlaget för en insats (html, pdf, md, docx).",
            show_default=False,
        ),
    ] = None,
    samrad: Annotated[
        bool,
        typer.Option(
            "--samrad",
            help="Skriv samrådsunderlaget till medlemmarna (html, pdf, md): förslaget i "
            "sammandrag, varje medlems avgift per år, frågan och svarsdatum (samrad:).",
        ),
    ] = False,
    criteria: Annotated[
        list[str] | None,
        typer.Option(
            "--criteria",
            "-c",
            help="Kriterieprofil för bilagan och beslutsunderlaget i stället för planens egna "
            "(criteria:): grund, skane, en YAML-fil, eller none. Kan anges flera gånger.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rendera trots regelfel, och skriv över filer som inte är finsamplans egna.",
        ),
    ] = False,
    pdf_variant: Annotated[
        PdfVariant,
        typer.Option(
            "--pdf-variant",
            help="PDF-standard: pdf/a-3a (arkivbar och taggad för skärmläsare), pdf/ua-1, "
            "pdf/a-2a … eller none (taggad, utan standardanspråk).",
        ),
    ] = PdfVariant.a3a,
    csv: Annotated[CsvDialect, typer.Option("--csv", help=CSV_HELP)] = CsvDialect.excel,
) -> None:
    """Skriv verksamhetsplanen och budgettabellerna: html, pdf, md, xlsx, csv, json, docx,
    table."""
    from finsamplan.base.findings import Severity
    from finsamplan.cli.report import print_findings
    from finsamplan.figures.budget import compute
    from finsamplan.judge.rules import validate as run
    from finsamplan.plan import catalog
    from finsamplan.plan.images import assets_folder
    from finsamplan.plan.loader import load_plan
    from finsamplan.render.document import DEFAULT_FORMATS, FILE_FORMATS

    formats = [f.value for f in fmt] if fmt else list(DEFAULT_FORMATS)
    formats = list(dict.fromkeys(formats))
    if samrad and insats is not None:
        raise common.fail("--samrad och --insats skriver olika underlag; ange ett av dem")
    try:
        path = catalog.resolve(plan)
    except catalog.PlanNotFound as exc:
        raise common.fail(str(exc)) from None
    if templates is not None and not templates.is_dir():
        raise common.fail(f"--templates {templates}: mappen finns inte")
    loaded = load_plan(path)
    found = run(loaded)
    if loaded.plan is None:
        print_findings(common.console(stderr=True), loaded, found)
        raise typer.Exit(common.EXIT_INPUT)
    errors = [f for f in found if f.severity is Severity.ERROR]
    if errors and not force:
        print_findings(common.console(stderr=True), loaded, errors)
        raise common.fail(
            f"{loaded.id} har {len(errors)} regelfel; rätta dem eller använd --force",
            common.EXIT_RULES,
        )
    notes = [f for f in found if f.severity is not Severity.INFO]
    if notes:
        from finsamplan.cli.report import print_lines

        err = common.console(stderr=True)
        err.print(
            f"{loaded.id}: {len(notes)} anmärkningar (finns också i dokumentets bilaga):",
            markup=False,
        )
        print_lines(err, notes)
    budget = compute(loaded.plan)
    if samrad:
        _render_samrad(
            loaded.id, loaded.plan, budget, formats if fmt else [], output, templates, force
        )
        return
    check_results = _criteria_check(loaded, criteria, budget)
    if insats is not None:
        memo_formats = (
            [f for f in formats if f in ("html", "pdf", "md", "docx")]
            if fmt
            else ["html", "pdf", "md"]
        )
        from finsamplan.render.templating import images_from

        with images_from(assets_folder(loaded.path)):
            _render_memo(
                loaded.id,
                loaded.plan,
                budget,
                check_results,
                insats,
                memo_formats,
                output or Path("out") / loaded.id,
                templates,
                force,
                pdf_variant.value,
            )
        return
    file_formats = [f for f in formats if f in FILE_FORMATS]
    to_stdout = output is None and set(formats) <= {"json", "table"}
    if "table" in formats:
        from finsamplan.cli.report import print_budget

        print_budget(common.console(), budget)
        from finsamplan.cli.report import print_contributions

        print_contributions(common.console(), loaded.plan, budget)
    if to_stdout and "json" in formats:
        from finsamplan.render.document import json_bytes

        sys.stdout.write(json_bytes(budget, loaded.id, found).decode("utf-8"))
        return
    if not file_formats:
        return
    _render_files(
        loaded.id,
        loaded.plan,
        budget,
        found,
        file_formats,
        output or Path("out") / loaded.id,
        templates,
        force,
        check_results,
        assets_folder(loaded.path),
        pdf_variant.value,
        csv.value,
    )


def _render_samrad(
    plan_id: str,
    plan: Any,
    budget: Any,
    formats: list[str],
    output: Path | None,
    templates: Path | None,
    force: bool,
) -> None:
    """The samråd package (render/samrad.py); md, html and pdf unless formats are given."""
    from finsamplan.render import samrad

    wrong = [f for f in formats if f not in samrad.FORMATS]
    if wrong:
        raise common.fail(f"--samrad skrivs som html, pdf eller md, inte {', '.join(wrong)}")
    try:
        files = common.guard_templates(
            lambda: samrad.files(plan_id, plan, budget, formats or list(samrad.FORMATS), templates)
        )
    except samrad.NoAnswerDate as exc:
        raise common.fail(str(exc)) from None
    common.write_outputs(output or Path("out") / plan_id, files, force)


def _criteria_check(loaded: Any, criteria: list[str] | None, budget: Any) -> list[Any]:
    """The profiles the plan names, or ``--criteria``; none applies by default."""
    from finsamplan.cli.report import print_lines
    from finsamplan.judge.criteria import check, profiles_for

    profiles, _, problems = profiles_for(loaded.plan, loaded.path, loaded.source, criteria)
    if problems:
        print_lines(common.console(stderr=True), problems)
        raise typer.Exit(common.EXIT_INPUT)
    return [check(loaded.plan, p, loaded.id, loaded.source, budget) for p in profiles]


def _render_memo(
    plan_id: str,
    plan: Any,
    budget: Any,
    check_results: list[Any],
    insats: str,
    formats: list[str],
    folder: Path,
    templates: Path | None,
    force: bool,
    pdf_variant: str,
) -> None:
    from finsamplan.render import memo

    try:
        outputs = common.guard_templates(
            lambda: memo.render(
                plan_id,
                plan,
                budget,
                check_results,
                insats,
                formats,
                templates,
                pdf_variant=pdf_variant,
            )
        )
    except memo.UnknownInsats as exc:
        raise common.fail(str(exc)) from None
    common.write_outputs(folder, outputs, force)


def _render_files(
    plan_id: str,
    plan: Any,
    budget: Any,
    found: list[Any],
    formats: list[str],
    folder: Path,
    templates: Path | None,
    force: bool,
    check_results: list[Any] | None = None,
    assets: Path | None = None,
    pdf_variant: str = "pdf/a-3a",
    csv: str = "excel",
) -> None:
    from finsamplan.render.criteria_out import appendix
    from finsamplan.render.document import render as render_documents

    views = appendix(check_results or [])
    outputs = common.guard_templates(
        lambda: render_documents(
            plan_id,
            plan,
            budget,
            found,
            formats,
            templates,
            views,
            assets,
            pdf_variant,
            csv,
        )
    )
    common.write_outputs(folder, outputs, force)
