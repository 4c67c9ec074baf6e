"""From a checked plan to the bytes of each requested output file.

All outputs are produced in memory here; ``files.write_all`` writes them. Formats that
print to the terminal (``table``) are the CLI's.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from finsamplan.base.findings import Finding
from finsamplan.figures.budget import Budget, to_json
from finsamplan.plan.model import Plan

FILE_FORMATS: dict[str, str] = {
    "html": "plan.html",
    "pdf": "plan.pdf",
    "md": "plan.md",
    "xlsx": "budget.xlsx",
    "csv": "budget.csv",
    "json": "budget.json",
    "docx": "plan.docx",
    "fakturaunderlag": "fakturaunderlag.xlsx",  # and fakturaunderlag.csv
}
DEFAULT_FORMATS = ("html", "pdf", "md", "xlsx")

# PDF/A-3a by default: archivable (ISO 19005-3: fonts embedded, sRGB output intent, XMP
# metadata) and, at level "a", tagged for screen readers. README "PDF" says why.
DEFAULT_PDF_VARIANT = "pdf/a-3a"


def markdown(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    findings: list[Finding],
    templates: Path | None = None,
    criteria: Any = None,
) -> str:
    from finsamplan.render.templating import environment, render_template
    from finsamplan.render.view import build

    doc = replace(build(plan_id, plan, budget, findings), criteria=criteria)
    return render_template(environment(templates), "plan.md.j2", doc=doc)


def html(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    findings: list[Finding],
    templates: Path | None = None,
    criteria: Any = None,
    assets: Path | None = None,
) -> str:
    from finsamplan.render.charts import all_charts
    from finsamplan.render.templating import environment, images_from, render_template
    from finsamplan.render.view import build

    doc = replace(
        build(plan_id, plan, budget, findings), charts=all_charts(budget), criteria=criteria
    )
    with images_from(assets):
        return render_template(environment(templates), "plan.html.j2", doc=doc)


def pdf_options(variant: str | None = DEFAULT_PDF_VARIANT) -> dict[str, Any]:
    """WeasyPrint's options for a tagged PDF in ``variant`` (``none``: tagged, no claim)."""
    options: dict[str, Any] = {"pdf_tags": True}
    if variant and variant != "none":
        options["pdf_variant"] = variant
    return options


def pdf(
    html_text: str, assets: Path | None = None, variant: str | None = DEFAULT_PDF_VARIANT
) -> bytes:
    """The page printed to a tagged PDF (structure tree, language, title, bookmarks) in
    ``variant``. WeasyPrint fetches nothing but ``data:`` URIs and files in ``assets`` (the
    plan's own assets folder), whatever the page or a template says."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    base = assets.resolve().parent.as_uri() + "/" if assets is not None else None
    page = HTML(string=html_text, base_url=base, url_fetcher=local_fetcher(assets))
    return bytes(page.write_pdf(**pdf_options(variant)))


def local_fetcher(assets: Path | None) -> Any:
    """A WeasyPrint URL fetcher that refuses the network and every file outside ``assets``."""
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from finsamplan.base.inputs import read_input
    from finsamplan.plan.images import MAX_IMAGE_BYTES, TYPES

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data" and len(url) <= 2 * MAX_IMAGE_BYTES:
                return super().fetch(url, headers)
            if scheme == "file" and assets is not None:
                path = Path(url2pathname(url.split("?", 1)[0].removeprefix("file:")))
                try:
                    folder = assets.resolve()
                    inside = path.resolve().is_relative_to(folder)
                    if inside and path.suffix.lower() in TYPES:
                        data = read_input(path, MAX_IMAGE_BYTES, "en bild")
                        kind = {"Content-Type": TYPES[path.suffix.lower()]}
                        return URLFetcherResponse(url, body=data, headers=kind)
                except (OSError, ValueError):
                    pass
            raise ValueError(f"finsamplan hämtar inte {url[:80]}")

    return LocalOnly()


def render(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    findings: list[Finding],
    formats: list[str],
    templates: Path | None = None,
    criteria: Any = None,
    assets: Path | None = None,
    pdf_variant: str | None = DEFAULT_PDF_VARIANT,
    csv: str = "excel",
) -> dict[str, bytes]:
    """The bytes of each file format in ``formats``, keyed by file name; images of the
    plan's text come from ``assets`` (plan/images.py), nothing else is fetched. ``csv`` is
    the CSV dialect (``render.cells``): ``excel`` or ``tidy``."""
    out: dict[str, bytes] = {}
    page: str | None = None
    for fmt in formats:
        name = FILE_FORMATS[fmt]
        if fmt == "md":
            out[name] = markdown(plan_id, plan, budget, findings, templates, criteria).encode(
                "utf-8"
            )
        elif fmt in ("html", "pdf"):
            page = page or html(plan_id, plan, budget, findings, templates, criteria, assets)
            out[name] = page.encode("utf-8") if fmt == "html" else pdf(page, assets, pdf_variant)
        elif fmt == "docx":
            from finsamplan.render.docx import plan_docx

            out[name] = plan_docx(plan_id, plan, budget, findings, criteria)
        elif fmt == "xlsx":
            from finsamplan.render.xlsx import to_xlsx

            out[name] = to_xlsx(budget, plan_id, findings)
        elif fmt == "csv":
            from finsamplan.render.tabular import to_csv

            out[name] = to_csv(budget, plan_id, csv)
        elif fmt == "json":
            out[name] = json_bytes(budget, plan_id, findings)
        elif fmt == "fakturaunderlag":
            from finsamplan.render import fakturaunderlag

            out.update(fakturaunderlag.files(plan_id, plan, budget, csv))
    return out


def json_bytes(budget: Budget, plan_id: str, findings: list[Finding]) -> bytes:
    payload = to_json(budget, plan_id)
    payload["findings"] = [f.to_json() for f in findings]
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
