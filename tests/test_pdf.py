"""The PDFs as a reader, a screen reader and an archive see them: tagged, in Swedish, titled,
with bookmarks; a table of contents whose page numbers are right; links that land on their
target; no nearly empty pages, no hidden text, no printed back-links.

Read with pikepdf (structure, metadata, links) and poppler (pdftotext, pdftoppm).
"""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pikepdf
import pytest
from clients import flat, id_texts, pdf_pages, pdf_region, require
from typer.testing import CliRunner

from finsamplan.cli import app

EXPORT = Path(__file__).parent / "data" / "finsamgotland-2023-10.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plan, the JobbSam memo and the October follow-up, as HTML and PDF."""
    folder = tmp_path_factory.mktemp("pdf")
    for args in (
        ["render", "plan-2023", "-f", "html", "-f", "pdf", "--criteria", "skane"],
        ["render", "plan-2023", "--insats", "jobbsam", "-f", "html", "-f", "pdf", "-c", "skane"],
        ["followup", "plan-2023", "-a", str(EXPORT), "-f", "html", "-f", "pdf"],
    ):
        result = runner.invoke(app, [*args, "-o", str(folder)])
        assert result.exit_code in (0, 1), result.output
    return folder


DOCUMENTS = {
    "plan.pdf": "Verksamhets- och budgetplan 2023 – Samordningsförbundet FinsamGotland",
    "beslutsunderlag-jobbsam.pdf": "Beslutsunderlag: JobbSam 3.0",
    "uppfoljning-2023-10-30.pdf": "Ekonomisk uppföljning 2023",
}


def _tags(node: pikepdf.Object, found: dict[str, int], depth: int = 0) -> None:
    """Count the structure element types below ``node``."""
    if depth > 200:
        return
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _tags(kid, found, depth + 1)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        name = str(node.S)[1:]
        found[name] = found.get(name, 0) + 1
        if name == "Figure":
            found["Figure with Alt"] = found.get("Figure with Alt", 0) + ("/Alt" in node)
        if "/K" in node:
            _tags(node.K, found, depth + 1)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_is_tagged_archivable_swedish_and_titled(out: Path, name: str) -> None:
    with pikepdf.open(out / name) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "sv"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        tags: dict[str, int] = {}
        _tags(root.StructTreeRoot.K, tags)
        assert tags.get("H1", 0) >= 1 and tags.get("H2", 0) >= 2, tags
        assert tags.get("Table", 0) >= 1 and tags.get("TH", 0) >= 2, tags
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "A"
        assert str(meta.get("dc:title")).startswith(DOCUMENTS[name])
        assert str(pdf.docinfo.Title).startswith(DOCUMENTS[name])
        assert "/OutputIntents" in root  # sRGB, as PDF/A asks
        with pdf.open_outline() as outline:
            assert outline.root, "no bookmarks"
    text = " ".join(pdf_pages(out / name))
    assert "\u21a9" not in text  # footnote back-links are for the screen only


def test_plan_pdf_structure_has_figures_with_alt_and_nested_bookmarks(out: Path) -> None:
    with pikepdf.open(out / "plan.pdf") as pdf:
        tags: dict[str, int] = {}
        _tags(pdf.Root.StructTreeRoot.K, tags)
        assert tags.get("Figure") == 2 and tags.get("Figure with Alt") == 2, tags
        assert tags.get("L", 0) >= 5 and tags.get("Link", 0) >= 40, tags
        with pdf.open_outline() as outline:
            top = [(item.title, [c.title for c in item.children]) for item in outline.root]
    # the bookmarks follow the table of contents: its level-1 entries, each with its level 2
    html = (out / "plan.html").read_text("utf-8")
    nav = html[html.index('<nav class="toc"') : html.index("</nav>")]
    expected: list[tuple[str, list[str]]] = [("Innehåll", [])]
    for level, label in re.findall(r'<li class="level-(\d)"><a href="#[^"]+">(.*?)</a>', nav):
        if level == "1":
            expected.append((unescape(label), []))
        elif level == "2":
            expected[-1][1].append(unescape(label))
    assert [title for title, _ in top] == [title for title, _ in expected]
    criteria = "Insatser mot kriterierna"  # its bookmarks also go to each insats' verdicts
    assert [x for x in top if not x[0].startswith(criteria)] == [
        x for x in expected if not x[0].startswith(criteria)
    ]
    assert "Anmärkningar från kontrollen" in dict(top)
    bilagor = next(children for title, children in top if title.casefold() == "bilagor")
    assert len(bilagor) == 2  # Bilaga 1 and 2, under Bilagor


@pytest.mark.parametrize(
    ("variant", "key", "value"),
    [("pdf/ua-1", "pdfuaid:part", "1"), ("pdf/a-2a", "pdfaid:part", "2"), ("none", None, None)],
)
def test_pdf_variant_can_be_chosen(
    tmp_path: Path, variant: str, key: str | None, value: str | None
) -> None:
    args = ["render", "plan-2023", "--insats", "jobbsam", "-f", "pdf", "-o", str(tmp_path)]
    result = runner.invoke(app, [*args, "--pdf-variant", variant])
    assert result.exit_code == 0, result.output
    with pikepdf.open(tmp_path / "beslutsunderlag-jobbsam.pdf") as pdf:
        meta = pdf.open_metadata()
        assert str(pdf.Root.Lang) == "sv" and "/StructTreeRoot" in pdf.Root  # always tagged
        if key is None:
            assert meta.get("pdfaid:part") is None and meta.get("pdfuaid:part") is None
        else:
            assert meta.get(key) == value
    bad = runner.invoke(app, [*args, "--pdf-variant", "pdf/x-4"])
    assert bad.exit_code == 2


def _toc_entries(pages: list[str]) -> list[tuple[str, int]]:
    """(label, page number) of each entry in the printed table of contents, which runs from
    the page headed "Innehåll" to the page before its first entry's page."""
    start = next(i for i, p in enumerate(pages) if re.search(r"^\s*Innehåll\s*$", p, re.M))
    entries: list[tuple[str, int]] = []
    pending = ""
    end = start + 1
    page = start
    while page < end:
        for line in pages[page].splitlines()[1:]:  # the first line is the running header
            line = line.strip()
            if not line or line == "Innehåll" or re.fullmatch(r"Sida \d+ av \d+", line):
                continue
            pending = f"{pending} {line}".strip()
            m = re.fullmatch(r"(.*?)[\s.…]*\s(\d+)", pending)
            if m:
                entries.append((re.sub(r"[\s.…]+$", "", m.group(1)), int(m.group(2))))
                pending = ""
                end = entries[0][1] - 1
        page += 1
    return entries


def _heading_lines(page: str) -> set[str]:
    """Every run of up to three consecutive lines of a page, flattened: a heading stands on
    its own line(s), so "Verksamhet" as a heading is not the word inside a sentence."""
    lines = [flat(x) for x in page.splitlines() if x.strip()]
    runs = (" ".join(lines[i:j]) for i in range(len(lines)) for j in range(i + 1, i + 4))
    return {run.rstrip(".") for run in runs}  # the TOC's leader swallows a final full stop


def test_every_toc_page_number_is_the_page_of_its_heading(out: Path) -> None:
    layout = pdf_pages(out / "plan.pdf", layout=True)
    pages = [_heading_lines(p) for p in pdf_pages(out / "plan.pdf")]
    entries = _toc_entries(layout)
    labels = [label for label, _ in entries]
    assert "Anmärkningar från kontrollen" in labels
    assert "Insatser mot kriterierna (Region Skåne)" in labels
    assert "Bilaga 2: Organisation, beslutanderätt och samarbetsformer" in labels
    html = (out / "plan.html").read_text("utf-8")
    nav = html[html.index('<nav class="toc"') : html.index("</nav>")]
    assert len(entries) == nav.count('<a href="#') > 40
    first_body_page = entries[0][1]
    for label, number in entries:
        found = [
            i + 1 for i, p in enumerate(pages) if i + 1 >= first_body_page and flat(label) in p
        ]
        assert found and found[0] == number, (label, number, found)


def _destinations(pdf: pikepdf.Pdf) -> dict[str, tuple[int, float]]:
    pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
    tree = pikepdf.NameTree(pdf.Root.Names.Dests)
    return {str(k): (pages[v[0].objgen], float(v[3])) for k, v in tree.items()}


def test_every_internal_link_lands_on_its_target(out: Path) -> None:
    """Each link's destination band, read back with pdftotext, starts with the text of the
    element the HTML link points to (a heading, an insats card, a footnote)."""
    html = id_texts((out / "plan.html").read_text("utf-8"))
    assert len(html.ids) == len(set(html.ids)), "repeated ids"
    with pikepdf.open(out / "plan.pdf") as pdf:
        dests = _destinations(pdf)
        links = [
            str(a.Dest)
            for page in pdf.pages
            for a in page.get("/Annots", [])
            if a.Subtype == "/Link" and "/Dest" in a
        ]
        widths = {i + 1: float(p.mediabox[2]) for i, p in enumerate(pdf.pages)}
        heights = {i + 1: float(p.mediabox[3]) for i, p in enumerate(pdf.pages)}
    assert len(set(links)) >= 45  # the table of contents and the footnotes
    assert {"fn1", "fn4", "insats-jobbsam", "avsnitt-anmarkningar"} <= set(links)
    for name in sorted(set(links)):
        page, top = dests[name]
        band = pdf_region(out / "plan.pdf", page, heights[page] - top - 2, 70, widths[page])
        expected = flat(html.texts[name])[:20]
        assert expected in flat(band), (name, page, expected, band)
    assert dests["fn4"][0] != dests["fn1"][0]  # 5.7's footnote is not page 4's


def test_footnotes_are_numbered_through_the_document(out: Path) -> None:
    text = flat(" ".join(pdf_pages(out / "plan.pdf")))
    assert "4. ett regeringsuppdrag som administreras av nns" in text
    assert "1. vårt gotland 2040" in text and "3. med parterna avses" in text


def test_running_header_is_not_on_the_cover(out: Path) -> None:
    pages = pdf_pages(out / "plan.pdf")
    header = "FinsamGotland · Verksamhets- och budgetplan 2023"
    assert header not in pages[0]
    assert all(header in p for p in pages[1:])


def test_no_nearly_empty_pages(out: Path, tmp_path: Path) -> None:
    """Every page but the last is at least a third full (its lowest ink, read from the page
    rendered by pdftoppm, below a third of the text area)."""
    from PIL import Image

    for name in ("plan.pdf", "uppfoljning-2023-10-30.pdf"):
        exe = require("pdftoppm")
        subprocess.run(
            [exe, "-r", "20", "-gray", str(out / name), str(tmp_path / name)],
            check=True,
            timeout=240,
        )
        images = sorted(tmp_path.glob(f"{name}-*.pgm"))
        assert images
        for number, path in enumerate(images[:-1], start=1):
            with Image.open(path) as image:
                width, height = image.size
                pixels = image.load()
                top, bottom = int(height * 0.075), int(height * 0.93)
                inked = [
                    y for y in range(top, bottom) if any(pixels[x, y] < 200 for x in range(width))
                ]
            fill = (max(inked) - top) / (bottom - top) if inked else 0
            assert fill > 1 / 3, f"{name} page {number} is {fill:.0%} full"
