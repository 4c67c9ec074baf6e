"""The seed plan's equity in every output that shows it: one figure per label.

plan-2023 (seed 003) budgets for 2023 an opening equity of 1 883 509 kr and a result of
−915 780 kr: *Eget kapital vid årets slut* 967 729 kr, of which 317 729 kr is room for new
activity that the plan assumes spent (``forecast.room_spent: "100 %"``), so *Eget kapital
efter planerat använt utrymme* is 650 000 kr, what 2024 brings in. Here the ceiling is
lowered to 10 % (431 400 kr) so that FIN030 speaks, and a goal caps the year-end equity at
900 000 kr so that FIN110 speaks; both, compare and the position table must agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures.equity import AFTER_ROOM, YEAR_END

runner = CliRunner()
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = SEED_PLAN.read_text("utf-8").replace('    - share: "20 %"', '    - share: "10 %"')
    text += "goals:\n  - {text: Eget kapital högst 900 000 kr., measure: surplus, max: 900000}\n"
    path = tmp_path_factory.mktemp("ek") / "plan-2023.yaml"
    path.write_text(text, "utf-8")
    return path


def sp(text: str) -> str:
    return text.replace(NBSP, " ")


def test_the_two_labels() -> None:
    assert (YEAR_END, AFTER_ROOM) == (
        "Eget kapital vid årets slut",
        "Eget kapital efter planerat använt utrymme",
    )


def test_validate_names_each_figure_by_its_label(plan: Path) -> None:
    out = json.loads(runner.invoke(app, ["validate", str(plan), "-f", "json"]).stdout)
    found = {(f["code"], f["year"]): sp(f["message"]) for f in out["plans"][0]["findings"]}
    fin030 = found[("FIN030", "2023")]
    assert fin030.startswith(
        "Budgetplan 2023: eget kapital efter planerat använt utrymme 650 000 kr överstiger "
        "taket 431 400 kr (10 % av medlemsbidragen 4 314 000 kr) med 218 600 kr (eget kapital "
        "vid årets slut 2023 967 729 kr, varav 317 729 kr (100 % av utrymmet 317 729 kr) "
        "antas användas enligt forecast.room_spent)"
    )
    fin110 = found[("FIN110", "2023")]
    assert "eget kapital vid årets slut är 967 729 kr, målet är högst 900 000 kr" in fin110
    # a year that assumes nothing of its room spent: the year-end equity, and its own label
    assert found[("FIN030", "2022")].startswith(
        "Budget 2022: eget kapital vid årets slut 1 883 509 kr överstiger taket 432 400 kr"
    )


def test_compare_and_the_position_table_agree(plan: Path, tmp_path: Path) -> None:
    rows = json.loads(runner.invoke(app, ["compare", str(plan), "-f", "json"]).stdout)["rows"]
    (row,) = rows
    assert (row["equity"], row["equity_after_room"]) == (967_729, 650_000)
    assert (row["ceiling"], row["equity_over"]) == (431_400, 218_600)  # FIN030's figures
    md = runner.invoke(app, ["compare", str(plan), "-f", "md"]).stdout
    head = next(line for line in md.splitlines() if line.startswith("| Förbund"))
    values = next(line for line in md.splitlines() if line.startswith("| Samordningsförbundet"))
    cells = dict(zip(head.split(" | "), sp(values).split(" | "), strict=True))
    assert (cells[YEAR_END], cells[AFTER_ROOM], cells["Över taket"]) == (
        "967 729",
        "650 000",
        "218 600",
    )
    out = tmp_path / "doc"
    result = runner.invoke(app, ["render", str(plan), "-f", "md", "-o", str(out), "--force"])
    assert result.exit_code in (0, 1), result.output
    doc = sp("".join(p.read_text("utf-8") for p in out.rglob("*.md")))
    position = re.search(r"\| \*\*Eget kapital vid årets slut\*\* \|(.*)\|", doc)
    assert position is not None
    assert [c.strip(" *") for c in position.group(1).split("|")] == [
        "1 883 509",
        "967 729",
        "744 020",
        "644 020",
    ]
