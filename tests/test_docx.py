"""The Word documents as a förbundschef opens them: python-docx reads the heading styles,
header rows, pictures and the table of contents field back; LibreOffice (headless) prints
them to PDF and pdftotext finds every heading and every total."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from clients import flat, require
from conftest import SEED_PLAN
from docx.oxml.ns import qn
from test_render import SEED_TOTALS
from typer.testing import CliRunner

from finsamplan.base.money import format_kronor
from finsamplan.cli import app
from finsamplan.figures.budget import compute
from finsamplan.plan.loader import load_plan
from finsamplan.render.view import SectionView, build

EXPORT = Path(__file__).parent / "data" / "finsamgotland-2023-10.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docx")
    for args in (
        ["render", "plan-2023", "-f", "docx", "--criteria", "skane"],
        ["render", "plan-2023", "--insats", "jobbsam", "-f", "docx", "--criteria", "skane"],
        ["followup", "plan-2023", "-a", str(EXPORT), "-f", "docx"],
    ):
        result = runner.invoke(app, [*args, "-o", str(folder)])
        assert result.exit_code in (0, 1), result.output
    return folder


NAMES = ("plan.docx", "beslutsunderlag-jobbsam.docx", "uppfoljning-2023-10-30.docx")


@pytest.fixture(scope="module")
def printed(out: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each DOCX converted to PDF by LibreOffice, as pdftotext reads it."""
    soffice = require("soffice")
    pdftotext = require("pdftotext")
    profile = tmp_path_factory.mktemp("lo-profile")
    pdfs = tmp_path_factory.mktemp("lo-pdf")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *(str(out / n) for n in NAMES),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    texts = {}
    for name in NAMES:
        pdf = pdfs / name.replace(".docx", ".pdf")
        texts[name] = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
        ).stdout
    return texts


def _headings(path: Path) -> list[tuple[int, str]]:
    document = docx.Document(str(path))
    return [
        (int(p.style.name.split()[-1]), p.text)
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading ")
    ]


def _expected_outline() -> list[tuple[int, str]]:
    """The plan's sections and insats cards with their levels, from the view model."""
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    doc = build("plan-2023", loaded.plan, compute(loaded.plan), [])
    out: list[tuple[int, str]] = []

    def walk(sections: tuple[SectionView, ...]) -> None:
        for s in sections:
            out.append((s.level, s.heading))
            if s.generated == "activities":
                out.extend((s.level + 1, f"{c.number} {c.title}") for c in doc.cards)
            walk(s.children)

    walk(doc.sections)
    return out


def test_plan_headings_are_word_headings_at_their_levels(out: Path) -> None:
    headings = _headings(out / "plan.docx")
    expected = [
        *_expected_outline(),
        (1, "Anmärkningar från kontrollen"),
        (1, "Insatser mot kriterierna (Region Skåne)"),
    ]
    it = iter(headings)
    for item in expected:  # in this order, with text headings in between
        assert item in it, item
    at = headings.index((2, "Bilaga 2: Organisation, beslutanderätt och samarbetsformer"))
    assert headings[at + 1] == (3, "Samordningsförbundets uppgift och beslutanderätt")
    assert headings[at + 2] == (4, "Förbundet har till uppgift att:")
    levels = [level for level, _ in headings]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def _xml(path: Path) -> Any:
    return docx.Document(str(path))


def test_plan_docx_has_toc_field_header_rows_pictures_and_swedish(out: Path) -> None:
    document = _xml(out / "plan.docx")
    body = document.element.body
    instructions = "".join(t.text or "" for t in body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-3"' in instructions
    assert len(document.tables) >= 7
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    income = document.tables[0]
    assert [c.text for c in income.rows[0].cells] == [
        "Intäkter och eget kapital",
        "Budget 2022",
        "Budgetplan 2023",
        "Prognos 2024",
        "Prognos 2025",
    ]
    assert [c.text for c in income.rows[-1].cells][1:] == [
        format_kronor(v) for v in SEED_TOTALS["available"]
    ]
    pictures = body.xpath(".//wp:docPr")
    assert len(pictures) == 2
    assert all("Budgetplan 2023" in p.get("descr") for p in pictures)
    assert document.core_properties.title.startswith("Verksamhets- och budgetplan 2023")
    langs = {el.get(qn("w:val")) for el in document.styles.element.iter(qn("w:lang"))}
    assert langs == {"sv-SE"}
    footnotes = [p.text for p in document.paragraphs if p.text.startswith("4. Ett regerings")]
    assert footnotes, "footnote 4 is numbered 4"


def test_libreoffice_prints_every_heading_and_total(out: Path, printed: dict[str, str]) -> None:
    text = flat(printed["plan.docx"])
    for _, heading in _headings(out / "plan.docx"):
        assert flat(heading) in text, heading
    for name, values in SEED_TOTALS.items():
        for v in values:
            assert flat(format_kronor(v)) in text, (name, v)
    assert "1 233 509 (+650 000)" in text


def test_memo_and_followup_docx(out: Path, printed: dict[str, str]) -> None:
    memo = _headings(out / "beslutsunderlag-jobbsam.docx")
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    jobbsam = next(a for a in loaded.plan.activities if a.id == "jobbsam")
    assert memo[0] == (1, f"Beslutsunderlag: {jobbsam.title}")

    assert memo[-5:] == [
        (2, "Budget"),
        (2, "Kriterier"),
        (3, "Region Skåne"),
        (2, "Kontrollpunkter"),
        (2, "Öppna frågor inför beslutet"),
    ]
    text = flat(printed["beslutsunderlag-jobbsam.docx"])
    assert "insatsen totalt" in text and flat(format_kronor(2_140_000)) in text
    report = _headings(out / "uppfoljning-2023-10-30.docx")
    assert report[0] == (1, "Ekonomisk uppföljning 2023 till och med 2023-10-30")
    assert (2, "Resultat och eget kapital") in report
    printed_report = flat(printed["uppfoljning-2023-10-30.docx"])
    for _, heading in report:
        assert flat(heading) in printed_report, heading
    document = _xml(out / "uppfoljning-2023-10-30.docx")
    sums = [t.rows[-1].cells[0].text for t in document.tables if len(t.columns) == 7]
    assert sums and set(sums) == {"Summa"}
