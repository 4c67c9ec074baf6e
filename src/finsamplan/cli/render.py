"""`render`: the plan document, its tables, and decision memos."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finsamplan.base.words import counted
from finsamplan.cli import common
from finsamplan.cli.application import app
from finsamplan.cli.args import CSV_HELP, CsvDialect

if TYPE_CHECKING:
    from finsamplan.base.findings import Finding
    from finsamplan.figures.budget import Budget
    from finsamplan.judge.criteria import CheckResult
    from finsamplan.plan.loader import LoadedPlan
    from finsamplan.plan.model import Plan
    from finsamplan.render.job import RenderJob


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


PlanArg = Annotated[str, typer.Argument(help="Plan-id (plan-2023) eller planfil.")]
FormatsOpt = Annotated[
    list[RenderFormat] | None,
    typer.Option(
        "--format",
        "-f",
        show_default=False,
        help="Format, ett eller flera: html, pdf, md, xlsx, csv, json, docx, table, "
        "fakturaunderlag (avgift per medlem och år, xlsx och csv). "
        "Utan: html, pdf, md och xlsx.",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Mapp att skriva till; standard out/PLAN.")
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option("--templates", help="Mapp med egna mallar; saknade mallar tas från de inbyggda."),
]
InsatsOpt = Annotated[
    str | None,
    typer.Option(
        "--insats",
        help="Skriv beslutsunderlaget för en insats (html, pdf, md, docx).",
        show_default=False,
    ),
]
SamradOpt = Annotated[
    bool,
    typer.Option(
        "--samrad",
        help="Skriv samrådsunderlaget till medlemmarna (html, pdf, md): förslaget i "
        "sammandrag, varje medlems avgift per år, frågan och svarsdatum (samrad:).",
    ),
]
CriteriaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--criteria",
        "-c",
        help="Kriterieprofil för bilagan och beslutsunderlaget i stället för planens egna "
        "(criteria:): en medföljande profils namn (criteria/, t.ex. grund), en YAML-fil, "
        "eller none. Kan anges flera gånger.",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Rendera trots regelfel, och skriv över filer som inte är finsamplans egna.",
    ),
]
PdfVariantOpt = Annotated[
    PdfVariant,
    typer.Option(
        "--pdf-variant",
        help="PDF-standard: pdf/a-3a (arkivbar och taggad för skärmläsare), pdf/ua-1, "
        "pdf/a-2a … eller none (taggad, utan standardanspråk).",
    ),
]
CsvOpt = Annotated[CsvDialect, typer.Option("--csv", help=CSV_HELP)]


@app.command()
def render(
    plan: PlanArg,
    fmt: FormatsOpt = None,
    output: OutputOpt = None,
    templates: TemplatesOpt = None,
    insats: InsatsOpt = None,
    samrad: SamradOpt = False,
    criteria: CriteriaOpt = None,
    force: ForceOpt = False,
    pdf_variant: PdfVariantOpt = PdfVariant.a3a,
    csv: CsvOpt = CsvDialect.excel,
) -> None:
    """Skriv verksamhetsplanen och budgettabellerna: html, pdf, md, xlsx, csv, json, docx,
    table."""
    from finsamplan.figures.budget import compute
    from finsamplan.plan import catalog
    from finsamplan.plan.images import assets_folder
    from finsamplan.render.job import RenderJob
    from finsamplan.render.templating import images_from

    given = tuple(dict.fromkeys(f.value for f in fmt or []))
    job = RenderJob(given, output, insats, samrad, force)
    path = catalog.resolve(plan)
    if templates is not None and not templates.is_dir():
        raise common.fail(f"--templates {templates}: mappen finns inte")
    loaded, the_plan, found = _checked(path, job)
    budget = compute(the_plan)
    if samrad:
        _render_samrad(loaded.id, the_plan, budget, job.samrad_formats(), job, templates)
        return
    check_results = _criteria_check(loaded, the_plan, criteria, budget)
    if insats is not None:
        with images_from(assets_folder(loaded.path)):
            _render_memo(
                loaded.id, the_plan, budget, check_results, job, templates, pdf_variant.value
            )
        return
    _show(loaded.id, the_plan, budget, found, job)
    if job.to_stdout or not job.file_formats():
        return
    _render_files(
        loaded.id,
        the_plan,
        budget,
        found,
        job.file_formats(),
        job.folder(loaded.id),
        templates,
        force,
        check_results,
        assets_folder(loaded.path),
        pdf_variant.value,
        csv.value,
    )


def _checked(path: Path, job: RenderJob) -> tuple[LoadedPlan, Plan, list[Finding]]:
    """The plan loaded and checked; unreadable (exit 2) or with rule errors and no --force
    (exit 1) it stops here, its findings on stderr; its warnings are shown and kept."""
    from finsamplan.cli.report import print_findings, print_lines
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import load_plan
    from finsamplan.render.job import notes

    loaded = load_plan(path)
    found = validate(loaded)
    loaded.plan = common.readable(loaded, found)
    errors = job.blocking(found)
    if errors:
        print_findings(common.console(stderr=True), loaded, errors)
        raise job.refuse(loaded.id, errors)
    shown = notes(found)
    if shown:
        err = common.console(stderr=True)
        err.print(
            f"{loaded.id}: {counted(len(shown), 'anmärkning')} (finns också i dokumentets bilaga):",
            markup=False,
        )
        print_lines(err, shown)
    return loaded, loaded.plan, found


def _show(plan_id: str, plan: Plan, budget: Budget, found: list[Finding], job: RenderJob) -> None:
    """``table``: the budget and the contributions in the terminal; ``json`` without a
    folder: the budget as JSON on stdout."""
    if "table" in job.formats:
        from finsamplan.cli.report import print_budget, print_contributions

        print_budget(common.console(), budget)
        print_contributions(common.console(), plan, budget)
    if job.to_stdout and "json" in job.formats:
        from finsamplan.render.document import json_bytes

        sys.stdout.write(json_bytes(budget, plan_id, found).decode("utf-8"))


def _render_samrad(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    formats: list[str],
    job: RenderJob,
    templates: Path | None,
) -> None:
    """The samråd package (render/samrad.py) in the formats the job allows."""
    from finsamplan.render import samrad

    files = common.guard_templates(lambda: samrad.files(plan_id, plan, budget, formats, templates))
    common.write_outputs(job.folder(plan_id), files, job.force)


def _criteria_check(
    loaded: LoadedPlan, plan: Plan, criteria: list[str] | None, budget: Budget
) -> list[CheckResult]:
    """The profiles the plan names, or ``--criteria``; none applies by default."""
    from finsamplan.cli.report import print_lines
    from finsamplan.judge.criteria import check, profiles_for

    profiles, _, problems = profiles_for(plan, loaded.path, loaded.source, criteria)
    if problems:
        print_lines(common.console(stderr=True), problems)
        raise typer.Exit(common.EXIT_INPUT)
    return [check(plan, p, loaded.id, loaded.source, budget) for p in profiles]


def _render_memo(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    check_results: list[CheckResult],
    job: RenderJob,
    templates: Path | None,
    pdf_variant: str,
) -> None:
    """The decision memo of one insats (render/memo.py)."""
    from finsamplan.render import memo

    insats = job.insats
    assert insats is not None

    outputs = common.guard_templates(
        lambda: memo.render(
            plan_id,
            plan,
            budget,
            check_results,
            insats,
            job.memo_formats(),
            templates,
            pdf_variant=pdf_variant,
        )
    )
    common.write_outputs(job.folder(plan_id), outputs, job.force)


def _render_files(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    found: list[Finding],
    formats: list[str],
    folder: Path,
    templates: Path | None,
    force: bool,
    check_results: list[CheckResult] | None = None,
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
