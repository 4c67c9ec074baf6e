"""Samråd (FinsamL 23 §): the package `render --samrad` writes, read back as a member reads
it (Markdown, Chromium for HTML, pdftotext for PDF), and FIN072 on the members' answers.

The package is made for the made-up förbund Nordanå (plans/examples/nordana-2027.yaml), whose
contributions come from a population key; the figures are those test_fakturaunderlag works
out by hand (2027: Älvby 922 606 of the municipalities' 2 065 000).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL, PLANS, load, need_tool
from test_fakturaunderlag import _chromium_tables
from typer.testing import CliRunner

from finsamplan.base.findings import Finding, Severity
from finsamplan.cli import app
from finsamplan.judge.rules import validate

EXAMPLE = PLANS / "examples" / "nordana-2027.yaml"
runner = CliRunner()


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samrad") / "out"
    result = runner.invoke(app, ["render", str(EXAMPLE), "--samrad", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "samrad-2027.html",
        "samrad-2027.md",
        "samrad-2027.pdf",
    ]
    return out


def test_markdown_package(package: Path) -> None:
    md = sp((package / "samrad-2027.md").read_text("utf-8"))
    assert md.startswith("# Samråd om förslag till verksamhets- och budgetplan 2027\n")
    assert "Styrelsen avser att fastställa budgeten 2026-11-19." in md
    assert (
        "Har ni synpunkter på förslaget till verksamhets- och budgetplan 2027, och på er avgift "
        "till förbundet för 2027–2029?"
    ) in md
    assert "**Svara senast 2026-10-23** till förbundschefen, forbundschef@nordana.example." in md
    assert "| Medlemsbidrag | 8 260 000 | 8 342 600 | 8 342 600 |" in md
    assert "| **Eget kapital vid årets slut** | **1 180 000** | **582 600** | **702 600** |" in md
    assert "Arbetsförmedlingen betalar ingen egen avgift; den betalas av Försäkringskassan." in md
    alvby = md[md.index("### Älvby kommun") : md.index("### Granhults kommun")]
    assert "| Avgift | 922 606 | 931 832 | 931 832 |" in alvby
    assert (
        "Nyckeln för Älvby kommun, 41 230 invånare, ger andelen 44,68 %: exakt 922 606,25 kr, "
        "avgift 922 606 kr (avrundat nedåt)."
    ) in alvby
    assert md.count("(avrundat uppåt, +1 kr).") == 6  # one pair of brackets, not two
    assert "(+1 kr))" not in md
    assert "Svar 2026-10-21: har synpunkter (KS 2026/112 § 87): Kommunen tillstyrker" in alvby


def test_html_package_read_by_chromium(package: Path) -> None:
    tables = _chromium_tables(package / "samrad-2027.html")
    summary = {r[0]: r[1:] for r in tables["tabell-samrad-sammanfattning"]}
    assert summary["Summa kostnader"] == ["8 200 000", "8 760 000", "8 190 000"]
    assert summary["varav utrymme för ny verksamhet"] == ["680 000", "82 600", "202 600"]
    assert tables["avgift-fk"] == [["Avgift", "4 130 000", "4 171 300", "4 171 300"]]
    assert tables["avgift-sjotorp"] == [["Avgift", "289 940", "292 839", "292 839"]]
    assert "avgift-af" not in tables  # paid by Försäkringskassan
    municipalities = [
        m for m in tables if m.startswith("avgift-") and m[7:] not in ("fk", "region")
    ]
    assert len(municipalities) == 6
    total = sum(int(sp(tables[m][0][1]).replace(" ", "")) for m in municipalities)
    assert total == 2_065_000  # the municipalities' part, to the krona


def test_pdf_package_read_by_pdftotext(package: Path) -> None:
    need_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", str(package / "samrad-2027.pdf"), "-"], capture_output=True, text=True
    ).stdout
    flat = " ".join(sp(text).split())
    assert "Samråd om förslag till verksamhets- och budgetplan 2027" in flat
    assert "Svara senast 2026-10-23" in flat
    assert "Björkeda kommun" in flat and "70 469" in flat


def test_a_package_needs_the_date_to_answer_by(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL, "utf-8")
    result = runner.invoke(app, ["render", str(plan), "--samrad", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "samrad.answer_by" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("extra", "needle"),
    [(["-f", "xlsx"], "html, pdf eller md"), (["--insats", "steget"], "--insats")],
)
def test_samrad_options_that_do_not_go_together(
    tmp_path: Path, extra: list[str], needle: str
) -> None:
    result = runner.invoke(app, ["render", str(EXAMPLE), "--samrad", *extra, "-o", str(tmp_path)])
    assert result.exit_code == 2 and needle in result.output


# --- FIN072 ---------------------------------------------------------------------------------

ANSWERS = """\
samrad:
  answer_by: 2026-10-15
  answers:
    - {member: fk, date: 2026-10-10, answer: agrees}
    - {member: af, date: 2026-10-10, answer: agrees}
    - {member: region, date: 2026-10-12, answer: agrees, reference: "RS § 4"}
    - {member: kommun, date: 2026-10-14, answer: comments, comment: "Vill se en plan\\nför 2029."}
"""


def fin072(text: str) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return [f for f in validate(loaded) if f.code == "FIN072"]


def test_every_member_heard_before_adoption() -> None:
    found = fin072(MINIMAL + ANSWERS)
    assert [(f.severity, f.figures["member"]) for f in found] == [(Severity.INFO, "kommun")]
    assert found[0].message == (
        "Exempels kommun har synpunkter på förslaget (2026-10-14): Vill se en plan för 2029."
    )


def test_a_member_without_an_answer_is_a_warning_naming_it() -> None:
    text = MINIMAL + ANSWERS.replace(
        '    - {member: region, date: 2026-10-12, answer: agrees, reference: "RS § 4"}\n', ""
    )
    found = [f for f in fin072(text) if f.severity is Severity.WARNING]
    assert [f.figures for f in found] == [{"member": "region"}]
    assert found[0].message == (
        "Region Exempel har inget svar i samrådet (samrad.answers); svar begärdes senast "
        "2026-10-15; budgeten antas efter samråd med medlemmarna (23 §)"
    )
    assert found[0].line == (MINIMAL + ANSWERS).splitlines().index("samrad:") + 1
    # without an adoption date the samråd may still be under way: information
    open_ = text.replace("  adopted: 2026-11-25\n", "")
    assert [f.severity for f in fin072(open_) if "inget svar" in f.message] == [Severity.INFO]


def test_an_answer_on_or_after_the_adoption_date_is_not_before_it() -> None:
    text = MINIMAL + ANSWERS.replace(
        "{member: fk, date: 2026-10-10", "{member: fk, date: 2026-11-25"
    )
    found = [f for f in fin072(text) if f.severity is Severity.WARNING]
    assert [f.figures for f in found] == [
        {"member": "fk", "answered": "2026-11-25", "adopted": "2026-11-25"}
    ]
    assert "inte före beslutet om budgeten 2026-11-25" in found[0].message


def test_an_answer_date_after_the_adoption_is_a_warning() -> None:
    text = MINIMAL + ANSWERS.replace("answer_by: 2026-10-15", "answer_by: 2026-11-30")
    found = [f for f in fin072(text) if "ska svara senast" in f.message]
    assert [f.figures for f in found] == [{"answer_by": "2026-11-30", "adopted": "2026-11-25"}]


def test_without_samrad_the_consultation_dates_still_count() -> None:
    assert fin072(MINIMAL) == []
    after = fin072(MINIMAL.replace("consultations: [2026-10-01]", "consultations: [2026-11-28]"))
    assert [f.severity for f in after] == [Severity.WARNING]
    none = fin072(MINIMAL.replace("  consultations: [2026-10-01]\n", ""))
    assert [f.severity for f in none] == [Severity.INFO]


@pytest.mark.parametrize(
    ("answers", "needle"),
    [
        (
            "    - {member: kommunen, date: 2026-10-10, answer: agrees}\n",
            "'kommunen' är ingen medlem",
        ),
        ("    - {member: fk, date: 2026-10-11, answer: agrees}\n", "'fk' har redan ett svar"),
        ("    - {member: af, date: 2026-10-10, answer: ja}\n", "answer"),
    ],
)
def test_bad_answers_are_located_file_errors(answers: str, needle: str) -> None:
    loaded = load(MINIMAL + ANSWERS + answers)
    assert loaded.plan is None
    assert any(needle in f.message and f.line for f in loaded.findings), [
        f.as_line() for f in loaded.findings
    ]


def test_the_example_plan_has_heard_every_member() -> None:
    loaded = load(EXAMPLE.read_bytes(), str(EXAMPLE))
    found = [f for f in validate(loaded) if f.code == "FIN072"]
    assert [(f.severity, f.figures["member"]) for f in found] == [(Severity.INFO, "alvby")]
