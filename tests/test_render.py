"""`finsamplan render`: every format, read back by a real client."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from conftest import MINIMAL, ROOT, SEED_PLAN, need_tool
from typer.testing import CliRunner

from finsamplan.base.money import format_kronor
from finsamplan.cli import app
from finsamplan.figures.budget import TOTAL_NAMES, Budget, compute
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan
from finsamplan.render import document

GOLDEN = ROOT / "tests" / "golden" / "plan-2023.md"
YEARS = ("2022", "2023", "2024", "2025")
SEED_TOTALS = {  # seed 003, section 4
    "available": (6_393_489, 6_197_509, 4_910_000, 4_840_000),
    "administration": (1_274_980, 1_909_780, 1_479_980, 1_504_980),
    "utvecklingsinsatser": (900_000, 1_030_000, 496_000, 471_000),
    "projekt": (2_335_000, 2_290_000, 2_190_000, 2_220_000),
    "activities": (3_235_000, 3_320_000, 2_686_000, 2_691_000),
    "costs": (4_509_980, 5_229_780, 4_165_980, 4_195_980),
    "room": (1_233_509, 317_729, 144_020, 44_020),
}
runner = CliRunner()


@pytest.fixture(scope="module")
def seed() -> tuple[Budget, list]:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return compute(loaded.plan), validate(loaded)


@pytest.fixture(scope="module")
def rendered(seed: tuple[Budget, list], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "plan-2023"
    result = runner.invoke(
        app,
        [
            "render",
            "plan-2023",
            "-o",
            str(out),
            "-f",
            "html",
            "-f",
            "pdf",
            "-f",
            "md",
            "-f",
            "xlsx",
            "-f",
            "csv",
            "--csv",
            "tidy",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_render_writes_the_document_set_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["render", "plan-2023"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "plan-2023"
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert names == ["budget.xlsx", "plan.html", "plan.md", "plan.pdf"]
    for name in names:
        assert f"skrev out/plan-2023/{name}" in result.stdout


def test_markdown_matches_golden(rendered: Path, update_golden: bool) -> None:
    text = (rendered / "plan.md").read_text("utf-8")
    if update_golden:
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8"), "run pytest --update-golden and review the diff"


def test_golden_markdown_holds_every_seed_total_in_swedish_format() -> None:
    text = GOLDEN.read_text("utf-8")
    for values in SEED_TOTALS.values():
        for v in values:
            assert f"**{format_kronor(v)}" in text, v
    assert "**1\u00a0233\u00a0509 (+650\u00a0000)**" in text
    assert "| Språkstöd 2022 | 50\u00a0000 | – | Om insatsen förlängs | – |" in text
    assert "De 650\u00a0000 kronor inom parentes" in text  # filled from reserve 2023


class _Tables(HTMLParser):
    """Collects each table's rows of cell texts, and every <script> element seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.scripts = 0
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self._table = dict(attrs).get("id") or f"t{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    p.close()
    return p


def test_html_has_the_tables_with_the_seed_totals(rendered: Path) -> None:
    tables = parse((rendered / "plan.html").read_text("utf-8")).tables
    income = tables["tabell-income"]
    assert income[0] == [
        "Intäkter och eget kapital",
        "Budget 2022",
        "Budgetplan 2023",
        "Prognos 2024",
        "Prognos 2025",
    ]
    assert income[-1] == [
        "TOTALT: Intäkter och kapital",
        *(format_kronor(v) for v in SEED_TOTALS["available"]),
    ]
    assert tables["tabell-administration"][-1][1:] == [
        format_kronor(v) for v in SEED_TOTALS["administration"]
    ]
    assert tables["tabell-utvecklingsinsatser"][-1][1:] == [
        format_kronor(v) for v in SEED_TOTALS["utvecklingsinsatser"]
    ]
    assert tables["tabell-projekt"][-1][1:] == [format_kronor(v) for v in SEED_TOTALS["projekt"]]
    summary = {row[0]: row[1:] for row in tables["tabell-summary"][1:]}
    assert summary["TOTALT: Kostnader Administration och Verksamhet"] == [
        format_kronor(v) for v in SEED_TOTALS["costs"]
    ]
    assert summary["Utrymme för ny verksamhet (rimligt överskott till kommande år)"] == [
        "1\u00a0233\u00a0509(+650\u00a0000)",
        "317\u00a0729(+650\u00a0000)",
        "144\u00a0020a(+600\u00a0000)",  # note a: the printed 744 020
        "44\u00a0020a(+600\u00a0000)",
    ]


def test_html_has_charts_toc_and_board_appendix(rendered: Path) -> None:
    html = (rendered / "plan.html").read_text("utf-8")
    assert html.count("<svg") == 2
    assert 'id="diagram-kostnader"' in html and 'id="diagram-ekonomi"' in html
    assert '<a href="#insats-jobbsam">5.1 JobbSam 3.0' in html
    assert "Anmärkningar från kontrollen" in html and "FIN050" in html


def test_findings_appendix_shows_every_finding_of_validate(
    rendered: Path, seed: tuple[Budget, list]
) -> None:
    _, findings = seed
    assert len(findings) >= 11 and any(f.severity.value == "info" for f in findings)
    html = (rendered / "plan.html").read_text("utf-8")
    appendix = parse(html[html.index('id="avsnitt-anmarkningar"') :]).tables["t0"][1:]
    md = (rendered / "plan.md").read_text("utf-8")
    md = md[md.index("## Anmärkningar från kontrollen") :]
    for rows in (
        [(r[0], r[2]) for r in appendix],
        re.findall(r"^- \*\*(FIN\d+)\*\* \([a-z]+\): (.*)$", md, re.M),
    ):
        assert sorted(rows) == sorted((f.code, f.message) for f in findings)
    count = {s: sum(f.severity.value == s for f in findings) for s in ("warning", "info")}
    warnings = "1 varning" if count["warning"] == 1 else f"{count['warning']} varningar"
    infos = "1 upplysning" if count["info"] == 1 else f"{count['info']} upplysningar"
    assert f"gav 0 fel, {warnings} och {infos}" in md
    assert [r[1] for r in appendix] == ["varning"] * count["warning"] + ["info"] * count["info"]


def test_footnotes_are_numbered_through_the_document(rendered: Path) -> None:
    html = (rendered / "plan.html").read_text("utf-8")
    refs = re.findall(r'<a href="#fn(\d+)" id="fnref\1">(\d+)</a>', html)
    assert [(a, b) for a, b in refs] == [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]
    note4 = html[html.index('<li id="fn4"') :]
    assert note4.index("Ett regeringsuppdrag") < 80
    assert '<ol class="footnotes-list" start="4"' in html
    md = (rendered / "plan.md").read_text("utf-8")
    assert "våldsutövande[^4]" in md and "\n[^4]: Ett regeringsuppdrag" in md


def test_text_headings_nest_under_their_section(rendered: Path) -> None:
    from clients import id_texts

    headings = id_texts((rendered / "plan.html").read_text("utf-8")).headings
    at = headings.index((3, "Bilaga 2: Organisation, beslutanderätt och samarbetsformer"))
    assert headings[at + 1] == (4, "Samordningsförbundets uppgift och beslutanderätt")
    assert headings[at + 2] == (5, "Förbundet har till uppgift att:")
    levels = [level for level, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # no skipped level
    md = (rendered / "plan.md").read_text("utf-8")
    assert "\n#### Samordningsförbundets uppgift och beslutanderätt\n" in md


def test_plan_text_cannot_inject_markup(tmp_path: Path) -> None:
    hostile = MINIMAL.replace(
        "    title: Steget\n",
        '    title: "Steget <script>alert(1)</script>"\n'
        '    description: "<img src=x onerror=alert(2)> [x](javascript:alert(3))"\n',
    )
    hostile = hostile.replace("label: Förbundschef", 'label: "<b>Förbundschef</b>"')
    plan = tmp_path / "fientlig.yaml"
    plan.write_text(hostile, "utf-8")
    result = runner.invoke(app, ["render", str(plan), "-f", "html", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "o" / "plan.html").read_text("utf-8")
    parsed = parse(html)
    assert parsed.scripts == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and 'href="javascript:' not in html
    assert "&lt;b&gt;Förbundschef&lt;/b&gt;" in html


def test_pdf_text_holds_every_total(rendered: Path) -> None:
    need_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered / "plan.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    flat = text.replace("\u00a0", " ")
    for name, values in SEED_TOTALS.items():
        for v in values:
            assert format_kronor(v).replace("\u00a0", " ") in flat, (name, v)
    assert "Verksamhets- och budgetplan 2023" in flat
    assert "Sida 3 av" in flat  # page numbers
    assert "FinsamGotland · Verksamhets- och budgetplan 2023" in flat  # running header
    toc = flat[flat.index("Innehåll") : flat.index("Innehåll") + 4000]
    assert "5.1 JobbSam 3.0" in toc
    assert any(
        line.rstrip()[-2:].strip().isdigit()
        for line in toc.splitlines()
        if "BUDGETPLAN för år 2023" in line
    )  # the TOC has page numbers


def test_pdf_pages_render_to_images(rendered: Path, tmp_path: Path) -> None:
    need_tool("pdftoppm")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "3",
            str(rendered / "plan.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3 and all(p.stat().st_size > 2000 for p in pages)


def _xlsx_totals(path: Path) -> dict[str, list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)["Budget"]
    return {str(r[0]): list(r[1:5]) for r in ws.iter_rows(values_only=True) if r[0]}


XLSX_ROWS = {
    "TOTALT: Intäkter och kapital": "available",
    "TOTALT: Kostnader: Administration": "administration",
    "Kostnader: Utvecklingsinsatser": "utvecklingsinsatser",
    "Kostnader: projekt": "projekt",
    "TOTALT: Kostnader verksamhet (Utvecklingsinsatser och projekt)": "activities",
    "TOTALT: Kostnader Administration och Verksamhet": "costs",
    "Utrymme för ny verksamhet (rimligt överskott till kommande år)": "room",
}


def test_xlsx_cached_values_equal_the_model(rendered: Path, seed: tuple[Budget, list]) -> None:
    budget, _ = seed
    rows = _xlsx_totals(rendered / "budget.xlsx")
    for label, name in XLSX_ROWS.items():
        assert rows[label] == [budget.totals[y].get(name) for y in YEARS], label
    formulas = openpyxl.load_workbook(rendered / "budget.xlsx")["Budget"]
    cells = [c.value for row in formulas.iter_rows() for c in row]
    assert sum(1 for v in cells if isinstance(v, str) and v.startswith("=SUM(")) >= 20
    assert formulas.freeze_panes == "B4"
    # Four years fit a portrait page best; the whole budget is fitted to one (issue 16).
    assert formulas.page_setup.orientation == "portrait"
    assert formulas.sheet_properties.pageSetUpPr.fitToPage


LO_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(xlsx: Path, tmp_path: Path) -> Path:
    """Open ``xlsx`` in headless LibreOffice set to always recalculate, and save it again."""
    soffice = need_tool("soffice")
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LO_PROFILE, "utf-8")
    out = tmp_path / "recalculated"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out / xlsx.name


def test_xlsx_recalculated_by_libreoffice_gives_the_model_totals(
    rendered: Path, seed: tuple[Budget, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    budget, findings = seed
    # Cached values deliberately wrong: only a real recalculation can bring the totals back.
    import xlsxwriter.worksheet

    original = xlsxwriter.worksheet.Worksheet.write_formula

    def zero_cache(self, row, col, formula, fmt=None, value=0):  # type: ignore[no-untyped-def]
        return original(self, row, col, formula, fmt, 0)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_formula", zero_cache)
    stale = tmp_path / "budget.xlsx"
    stale.write_bytes(
        document.render("plan-2023", budget.plan, budget, findings, ["xlsx"])["budget.xlsx"]
    )
    assert _xlsx_totals(stale)["TOTALT: Intäkter och kapital"] == [0, 0, 0, 0]
    rows = _xlsx_totals(recalculate(stale, tmp_path))
    for label, name in XLSX_ROWS.items():
        assert rows[label] == [budget.totals[y].get(name) for y in YEARS], label


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    plan = tmp_path / "formel.yaml"
    plan.write_text(
        MINIMAL.replace("label: Förbundschef", 'label: "=1+1"').replace(
            "label: Utbildningar", 'label: "@SUM(A1)"'
        ),
        "utf-8",
    )
    assert (
        runner.invoke(
            app,
            [
                "render",
                str(plan),
                "-f",
                "xlsx",
                "-f",
                "csv",
                "--csv",
                "tidy",
                "-o",
                str(tmp_path / "o"),
            ],
        ).exit_code
        == 0
    )
    ws = openpyxl.load_workbook(tmp_path / "o" / "budget.xlsx")["Budget"]
    labels = [c.value for c in ws["A"]]
    assert "=1+1" in labels and "@SUM(A1)" in labels
    cell = next(c for c in ws["A"] if c.value == "=1+1")
    assert cell.data_type == "s"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "o" / "budget.csv").read_text("utf-8"))))
    assert {"'=1+1", "'@SUM(A1)"} <= {r["label"] for r in rows}


def test_csv_is_tidy_with_bare_numbers(rendered: Path, seed: tuple[Budget, list]) -> None:
    budget, _ = seed
    rows = list(csv.DictReader(io.StringIO((rendered / "budget.csv").read_text("utf-8"))))
    lines = sum(len(t.rows) for t in budget.tables)
    names = [*TOTAL_NAMES, "utvecklingsinsatser", "projekt"]  # the aggregates, then each group
    assert len(rows) == (lines + len(names)) * 4
    assert [r["row"] for r in rows if r["table"] == "totals"][::4] == names
    jobbsam = [r for r in rows if r["row"] == "jobbsam"]
    assert [(r["year"], r["amount"]) for r in jobbsam] == [
        ("2022", "2185000"),
        ("2023", "2140000"),
        ("2024", "2190000"),
        ("2025", "2220000"),
    ]
    room = {
        r["year"]: int(r["amount"]) for r in rows if r["table"] == "totals" and r["row"] == "room"
    }
    assert room == dict(zip(YEARS, SEED_TOTALS["room"], strict=True))


def test_json_file_matches_stdout(rendered: Path) -> None:
    """`render -f json` without -o prints what `-o DIR` writes to budget.json, byte for byte."""
    written = (rendered / "budget.json").read_text("utf-8")
    result = runner.invoke(app, ["render", "plan-2023", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == written
    data = json.loads(result.stdout)
    assert data["totals"]["costs"]["2023"] == 5_229_780
    assert [(f["code"], f["year"]) for f in data["findings"]] == [
        ("FIN021", "2022"), ("FIN021", "2023"), ("FIN030", "2022"), ("FIN040", "2023"),
        ("FIN040", "2024"), ("FIN040", "2025"), ("FIN050", "2024"), ("FIN050", "2025"),
        ("FIN071", None), ("FIN072", None), ("FIN090", "2024"), ("FIN090", "2025"),
    ]  # fmt: skip


def test_table_prints_budget_in_terminal() -> None:
    result = runner.invoke(app, ["render", "plan-2023", "-f", "table"])
    assert result.exit_code == 0
    assert "TOTALT: Intäkter och kapital" in result.stdout
    assert "6\u00a0393\u00a0489" in result.stdout
    assert "144\u00a0020 (+600\u00a0000)" in result.stdout


def test_template_override_changes_output_and_missing_ones_fall_back(tmp_path: Path) -> None:
    mine = tmp_path / "mallar"
    mine.mkdir()
    (mine / "card.md.j2").write_text("\n### {{ card.number }} INSATS: {{ card.title }}\n", "utf-8")
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["render", "plan-2023", "-f", "md", "-o", str(out), "--templates", str(mine)]
    )
    assert result.exit_code == 0, result.output
    text = (out / "plan.md").read_text("utf-8")
    assert "### 5.1 INSATS: JobbSam 3.0" in text  # the override
    assert "| **TOTALT: Intäkter och kapital** |" in text  # built-in budget.md.j2
    assert "**Projektperiod:**" not in text
    missing = runner.invoke(
        app, ["render", "plan-2023", "-f", "md", "--templates", str(tmp_path / "finns-inte")]
    )
    assert missing.exit_code == 2


def test_template_error_is_a_message(tmp_path: Path) -> None:
    mine = tmp_path / "mallar"
    mine.mkdir()
    (mine / "plan.md.j2").write_text("{% for x in %}\n", "utf-8")
    result = runner.invoke(
        app,
        ["render", "plan-2023", "-f", "md", "-o", str(tmp_path / "o"), "--templates", str(mine)],
    )
    assert result.exit_code == 2
    assert "mallfel" in result.stderr and "plan.md.j2:1" in result.stderr


def test_render_replaces_only_its_own_outputs(tmp_path: Path) -> None:
    out = tmp_path / "o"
    args = ["render", "plan-2023", "-f", "md", "-f", "csv", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    (out / "mina-anteckningar.txt").write_text("behåll", "utf-8")
    assert runner.invoke(app, args).exit_code == 0  # its own files: replaced
    assert (out / "mina-anteckningar.txt").read_text("utf-8") == "behåll"
    (out / "plan.md").write_text("handredigerad", "utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "plan.md" in result.stderr
    assert (out / "plan.md").read_text("utf-8") == "handredigerad"
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert (out / "plan.md").read_text("utf-8").startswith("# Verksamhets- och budgetplan 2023")


def test_a_user_file_with_an_output_name_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "plan.md").write_text("min egen fil", "utf-8")
    result = runner.invoke(app, ["render", "plan-2023", "-f", "md", "-o", str(out)])
    assert result.exit_code == 2
    assert (out / "plan.md").read_text("utf-8") == "min egen fil"


def test_failure_mid_render_leaves_earlier_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "o"
    args = ["render", "plan-2023", "-f", "md", "-f", "pdf", "-o", str(out)]
    assert runner.invoke(app, ["render", "plan-2023", "-f", "md", "-o", str(out)]).exit_code == 0
    before = (out / "plan.md").read_bytes()

    def broken(html_text: str, *variant: object) -> bytes:
        raise RuntimeError("PDF-motorn kraschade")

    monkeypatch.setattr(document, "pdf", broken)
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert (out / "plan.md").read_bytes() == before
    assert not (out / "plan.pdf").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_render_lists_the_warnings_in_its_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "plan-2023", "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "plan-2023: 6 anmärkningar" in result.stderr
    assert "varning FIN050 Prognos 2025: JobbSam 3.0" in result.stderr
    assert "FIN071" not in result.stderr  # info stays out of the way


def test_prose_numbers_footnotes_across_blocks_and_nests_headings() -> None:
    from finsamplan.render.prose import Prose

    first, second = (
        "Ett[^1] och två[^a].\n\n[^1]: Första.\n[^a]: Andra.",
        "Igen[^1].\n\n[^1]: Tredje.",
    )
    html = Prose()
    one, two = html.html(first), html.html(second)
    assert '<a href="#fn3" id="fnref3">3</a>' in two and 'id="fn3"' in two
    assert 'id="fn1"' in one and 'id="fn2"' in one and 'id="fn1"' not in two
    md = Prose()
    assert md.markdown(first) == "Ett[^1] och två[^2].\n\n[^1]: Första.\n[^2]: Andra."
    assert md.markdown(second) == "Igen[^3].\n\n[^3]: Tredje."
    text = "# Topp\n\nText\n\nUnder\n-----\n\n### Djupare"
    nested = Prose().markdown(text, level=3)
    assert nested.splitlines()[0] == "#### Topp" and "##### Under" in nested
    assert "###### Djupare" in nested and "-----" not in nested
    assert "<h4>Topp</h4>" in Prose().html(text, level=3)
