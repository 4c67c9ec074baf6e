"""Printed totals (``stated:``): compared with the computed ones, reported, and footnoted in
the document, read back with the clients a person uses (Chromium, LibreOffice)."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, SEED_PLAN, load
from typer.testing import CliRunner

from finsamplan.base.findings import Finding, Severity
from finsamplan.cli import app
from finsamplan.figures.budget import compute
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Statement
from finsamplan.render import document
from finsamplan.year.forecast import project

runner = CliRunner()
NB = "\u00a0"
NOTE_2024 = (
    f"Den tryckta planen anger 744{NB}020 (Prognos 2024) och 644{NB}020 (Prognos 2025). "
    "Där står utrymmet för 2024 och 2025 före reserven"
)


def in_stated(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in the ``stated:`` block of ``text``."""
    at = text.index(needle, text.index("\nstated:"))
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def fin090(text: str) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return [f for f in validate(loaded) if f.code == "FIN090"]


# --- the rule ----------------------------------------------------------------------------------


def test_a_printed_total_that_differs_is_a_warning_with_both_figures() -> None:
    text = MINIMAL + 'stated:\n  costs: {2027: "2 100 000", 2028: 2000000}\n'
    found = fin090(text)
    assert len(found) == 1  # 2028 agrees: no finding
    f = found[0]
    assert f.severity is Severity.WARNING
    assert f.year == "2027"
    assert f.figures == {"stated": 2_100_000, "computed": 2_000_000, "difference": -100_000}
    assert f.message == (
        f"Budgetplan 2027: kostnaderna totalt (costs) är 2{NB}000{NB}000 kr räknat ur planens "
        f"rader, men den tryckta planen anger 2{NB}100{NB}000 kr (skillnad −100{NB}000 kr); "
        "kontrollera raderna och den tryckta summan, eller ange skälet (stated.costs.reason)"
    )
    assert (f.line, f.column) == in_stated(text, '"2 100 000"')  # the printed figure


def test_a_difference_with_its_reason_is_info_and_says_the_reason() -> None:
    text = MINIMAL + (
        "stated:\n  room:\n    amounts: {2029: 300000}\n"
        "    reason: Förlagan anger utrymmet före reserven.\n"
    )
    (f,) = fin090(text)
    assert f.severity is Severity.INFO
    assert f.figures["computed"] == 200_000 and f.figures["stated"] == 300_000
    assert f.message.endswith(
        "(skillnad −100\u00a0000 kr). Skäl: Förlagan anger utrymmet före reserven."
    )
    assert (f.line, f.column) == in_stated(text, "300000")


def test_printed_figures_may_be_negative_and_equal_ones_say_nothing() -> None:
    text = MINIMAL + (
        'stated:\n  room: {2026: "200 000", 2027: "−5 000"}\n'
        "  available: {2026: 2300000, 2027: 2300000, 2028: 2300000, 2029: 2300000}\n"
    )
    (f,) = fin090(text)
    assert f.year == "2027" and f.figures["stated"] == -5_000
    assert f.figures["difference"] == 205_000


def test_an_unknown_total_or_column_is_a_file_error() -> None:
    loaded = load(MINIMAL + "stated:\n  utrymme: {2027: 1}\n  room: {2031: 1}\n")
    codes = sorted((f.code, f.severity.value) for f in loaded.findings)
    assert codes == [("REF002", "error"), ("REF015", "error")]
    ref013 = next(f for f in loaded.findings if f.code == "REF015")
    assert "'utrymme' är ingen summa" in ref013.message
    bad = load(MINIMAL + "stated:\n  room: {2027: 1.5}\n")
    assert [f.code for f in bad.findings] == ["SCH004"]


def test_a_projection_is_not_the_printed_plan() -> None:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None and loaded.plan.stated
    result = project(loaded.plan, "plan-2023", years=[2024, 2025])
    assert result.projected.stated == {}
    assert not [f for f in result.findings if f.code == "FIN090"]


# --- plan-2023 ---------------------------------------------------------------------------------


def test_plan_2023_states_the_seeds_totals_and_only_the_room_differs() -> None:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    stated = loaded.plan.stated
    assert set(stated) == {
        "available",
        "administration",
        "utvecklingsinsatser",
        "projekt",
        "insatser",
        "costs",
        "room",
    }
    found = [f for f in validate(loaded) if f.code == "FIN090"]
    assert [(f.year, f.severity, f.figures) for f in found] == [
        ("2024", Severity.INFO, {"stated": 744_020, "computed": 144_020, "difference": -600_000}),
        ("2025", Severity.INFO, {"stated": 644_020, "computed": 44_020, "difference": -600_000}),
    ]
    assert stated["room"].reason and "före reserven" in stated["room"].reason


def test_the_totals_in_the_readme_are_plan_2023s() -> None:
    """README's "Totals of plan-2023" table, read as a person reads it, is the computed one."""
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("### Totals of plan-2023", 1)[1].split("\n\n", 2)[1]
    names = {
        "Intäkter och kapital": "available",
        "Administration": "administration",
        "Utvecklingsinsatser": "utvecklingsinsatser",
        "Projekt": "projekt",
        "Kostnader totalt": "costs",
        "Utrymme för ny verksamhet (efter reserv)": "room",
    }
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    budget = compute(loaded.plan)
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    assert [r[0].strip() for r in rows] == list(names)
    for label, *cells in rows:
        name = names[label.strip()]
        figures = [int(c.strip().replace(" ", "")) for c in cells]
        assert figures == [budget.totals[y].get(name) for y in ("2022", "2023", "2024", "2025")]


def test_the_golden_markdown_shows_144_020_with_the_printed_744_020_and_why() -> None:
    golden = (ROOT / "tests" / "golden" / "plan-2023.md").read_text("utf-8")
    assert (
        f"| **144{NB}020[^not-a] (+600{NB}000)** | **44{NB}020[^not-a] (+600{NB}000)** |" in golden
    )
    note = next(line for line in golden.splitlines() if line.startswith("[^not-a]: "))
    assert note.startswith("[^not-a]: " + NOTE_2024)
    # The printed figure stands only in the note (and in the findings appendix, which lists
    # FIN090), and as what it is, the equity at year end before the reserve, in the table of
    # the financial position (never as the room).
    body = golden[: golden.index("## Anmärkningar från kontrollen")].replace(note, "")
    assert [line.split("|")[1].strip() for line in body.splitlines() if "744\u00a0020" in line] == [
        "**Eget kapital vid årets slut**"
    ]


# --- the document, read back -------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stated") / "plan-2023"
    result = runner.invoke(
        app, ["render", "plan-2023", "-o", str(out), "-f", "html", "-f", "xlsx", "-f", "md"]
    )
    assert result.exit_code == 0, result.output
    return out


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Chromium is required (bash tests/install-clients.sh installs it)")
    return path


def test_the_html_shows_144_020_with_a_footnote_naming_744_020(rendered: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium(),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.goto((rendered / "plan.html").as_uri())
        room = page.locator("#tabell-summary tr[data-row=room] td")
        cells = [re.sub(r"[ \t\n]+", " ", t).strip() for t in room.all_inner_texts()]
        assert cells == [
            f"1{NB}233{NB}509 (+650{NB}000)",
            f"317{NB}729 (+650{NB}000)",
            f"144{NB}020a (+600{NB}000)",  # the computed figure, with note a
            f"44{NB}020a (+600{NB}000)",
        ]
        assert room.nth(2).locator("sup").inner_text() == "a"
        assert room.nth(0).locator("sup").count() == 0  # 2022 agrees with the print
        link = room.nth(2).locator("sup a")
        target = link.get_attribute("href")
        assert target == "#not-a"
        note = page.locator(target)
        assert note.is_visible()
        assert re.sub(r"[ \t\n]+", " ", note.inner_text()) == (
            f"a {NOTE_2024} (intäkter och kapital minus kostnader), men för 2022 och 2023 "
            "efter den; här räknas det efter reserven för alla år."
        )
        link.click()
        assert page.evaluate("location.hash") == "#not-a"
        browser.close()


def test_the_xlsx_has_the_printed_figure_as_a_comment_libreoffice_reads(
    rendered: Path, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is required (bash tests/install-clients.sh installs it)")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path),
            str(rendered / "budget.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }
    tree = ET.parse(tmp_path / "budget.fods")
    notes: dict[str, str] = {}
    for cell in tree.iter(f"{{{ns['table']}}}table-cell"):
        note = cell.find("office:annotation", ns)
        value = cell.get(f"{{{ns['office']}}}value")
        if note is not None and value is not None:
            paragraphs = ["".join(t.itertext()) for t in note.findall("text:p", ns)]
            notes[value] = re.sub(r"[ \t\n]+", " ", " ".join(paragraphs))
    assert set(notes) == {"144020", "44020"}
    assert notes["144020"].startswith(f"Den tryckta planen anger 744{NB}020 (Prognos 2024).")
    assert "före reserven" in notes["144020"]
    assert notes["44020"].startswith(f"Den tryckta planen anger 644{NB}020 (Prognos 2025).")


def test_a_total_no_table_shows_gets_its_note_below_the_last_table(tmp_path: Path) -> None:
    text = MINIMAL + (
        "stated:\n  surplus: {2027: 999}\n  costs: {2026: 1}\nsections:\n"
        "  - {id: budget, title: Budget, generated: budget}\n"
    )
    loaded = load(text)
    assert loaded.plan is not None
    budget = compute(loaded.plan)
    md = document.render("x", loaded.plan, budget, [], ["md"])["plan.md"].decode()
    assert f"| **Summa kostnader** | **2{NB}000{NB}000[^not-a]**" in md
    assert "[^not-a]: Den tryckta planen anger 1 (Budget 2026)." in md
    assert "\nÖverskottet: Den tryckta planen anger 999 (Budgetplan 2027).\n" in md


def test_a_quote_is_shown_quoted_and_a_summary_labelled() -> None:
    quote = Statement(text="Det uttalade målet  att implementera insatsen.")
    summary = Statement(text="Insatsen blir inte ordinarie verksamhet.", summary=True)
    assert quote.cited() == "”Det uttalade målet att implementera insatsen.”"
    assert summary.cited() == "Sammanfattning: Insatsen blir inte ordinarie verksamhet."
    loaded = load(
        MINIMAL.replace(
            "    period: {start: 2026-01-01, end: 2029-12-31}\n",
            "    period: {start: 2026-01-01, end: 2029-12-31}\n"
            "    decision:\n      operations: {text: Teamet sitter i kommunen., summary: true}\n",
        )
    )
    assert loaded.plan is not None and not loaded.findings
    decision = loaded.plan.activities[0].decision
    assert decision is not None and decision.operations is not None
    assert decision.operations.summary is True
    assert re.match(r"^Sammanfattning: ", decision.operations.cited())


def test_the_editor_schema_accepts_plan_2023_and_both_forms_of_stated() -> None:
    """`finsamplan schema` (what the editor checks against) accepts plan-2023 as written:
    statements as plain text, stated totals in the short and the long form."""
    import jsonschema
    import yaml

    from finsamplan.plan.model import json_schema

    def as_json(value: object) -> object:
        if isinstance(value, dict):
            return {str(k): as_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_json(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    validator = jsonschema.Draft202012Validator(json_schema())
    data = as_json(yaml.safe_load(SEED_PLAN.read_text("utf-8")))
    assert [e.message for e in validator.iter_errors(data)] == []
    assert isinstance(data, dict)
    data["stated"] = {"room": {"2024": "x", "reason": 5}}
    assert list(validator.iter_errors(data))  # a wrong reason is caught
