"""Financial goals (kommunallagen 11 kap. 6 §): the plan's data, FIN110 with its figures, and
the document's table of the financial position at year end and of the goals.

The minimal plan, by hand: every year from 2027 income 2 000 000, equity brought in 300 000,
costs 2 000 000 of which insatser 1 500 000 (75 %), reserve 100 000, room 200 000, equity at
year end 300 000 (15 % of the contributions 2 000 000).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MINIMAL, PLANS, load
from test_fakturaunderlag import _chromium_tables
from typer.testing import CliRunner

from finsamplan.base.findings import Finding, Severity
from finsamplan.cli import app
from finsamplan.figures.budget import compute
from finsamplan.figures.goals import measure
from finsamplan.judge.rules import validate

runner = CliRunner()


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


def fin110(text: str) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    every = validate(loaded)
    assert not [f for f in every if f.code == "FIN000"], [f.message for f in every]
    return [f for f in every if f.code == "FIN110"]


def test_a_goal_missed_every_year_gives_one_warning_a_year_with_its_figures() -> None:
    text = (
        MINIMAL
        + 'goals:\n  - {text: Minst 80 % till insatser., measure: insatser_share, min: "80 %"}\n'
    )
    found = fin110(text)
    assert [(f.year, f.severity) for f in found] == [
        ("2027", Severity.WARNING),
        ("2028", Severity.WARNING),
        ("2029", Severity.WARNING),
    ]  # 2026 is last year's budget: not a year of the plan's goals
    assert found[0].figures == {
        "goal": None,
        "measure": "insatser_share",
        "value": "0.75",
        "min": "0.8",
        "max": None,
    }
    assert sp(found[0].message) == (
        "Budgetplan 2027: målet ”Minst 80 % till insatser.” nås inte: insatser / kostnader är "
        "75,0 %, målet är minst 80,0 % (kommunallagen 11 kap. 6 §, genom lag (2003:1210) 21 §)"
    )
    assert found[0].line == text.splitlines().index("goals:") + 2


def test_a_goal_in_kronor_missed_one_year() -> None:
    text = (
        MINIMAL.replace(
            "{2026: 1300000, 2027: 1300000, 2028: 1300000",
            "{2026: 1300000, 2027: 1300000, 2028: 1400000",
        )
        + "goals:\n  - {id: balans, text: Budgeten i balans., measure: result, min: 0}\n"
        + '  - {text: Eget kapital högst 20 %., measure: equity_share, max: "20 %"}\n'
    )
    found = fin110(text)
    assert [(f.year, f.figures["goal"], f.figures["value"]) for f in found] == [
        ("2028", "balans", "-100000")
    ]
    assert "årets resultat är −100 000 kr, målet är minst 0 kr" in sp(found[0].message)


def test_a_plan_without_goals_has_no_finding_but_the_document_says_so(tmp_path: Path) -> None:
    assert fin110(MINIMAL) == []
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL, "utf-8")
    result = runner.invoke(app, ["render", str(plan), "-f", "md", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "o" / "plan.md").read_text("utf-8")
    assert (
        "Planen anger inga finansiella mål. Budgeten anger finansiella mål som är av betydelse "
        "för en god ekonomisk hushållning (kommunallagen 11 kap. 6 §, genom lag (2003:1210) 21 §)."
    ) in md
    assert "Finansiella mål\n" not in md


def test_no_data_is_not_a_missed_goal() -> None:
    loaded = load(MINIMAL)
    assert loaded.plan is not None
    totals = compute(loaded.plan).totals["2027"]
    assert measure("equity_share", totals) == Decimal("0.15")
    empty = type(totals)(0, 0, 0, 0, 0, 0, {}, {})
    assert measure("equity_share", empty) is None and measure("admin_share", empty) is None
    assert measure("result", empty) == 0


@pytest.mark.parametrize(
    ("goal", "needle"),
    [
        ("{text: x, measure: equity_share, max: 20}", 'skriv gränsen med %, t.ex. "20 %"'),
        ('{text: x, measure: result, min: "5 %"}', "skriv gränsen i hela kronor"),
        ("{text: x, measure: result}", "ange min, max eller båda"),
        ('{text: x, measure: admin_share, min: "30 %", max: "20 %"}', "min är större än max"),
        ("{text: x, measure: resultat, min: 0}", "measure"),
    ],
)
def test_a_goal_that_cannot_be_judged_is_a_located_error(goal: str, needle: str) -> None:
    loaded = load(MINIMAL + f"goals:\n  - {goal}\n")
    assert loaded.plan is None
    assert any(needle in f.message and f.line for f in loaded.findings), [
        f.as_line() for f in loaded.findings
    ]


def test_the_document_shows_the_position_and_the_goals(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL
        + 'goals:\n  - {text: Minst 80 % till insatser., measure: insatser_share, min: "80 %"}\n'
        + "  - {text: Reserven hålls., measure: room, min: 0}\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(plan), "-f", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = sp((out / "plan.md").read_text("utf-8"))
    assert (
        "| Ekonomisk ställning vid årets slut | Budget 2026 | Budgetplan 2027 | Prognos 2028 "
        "| Prognos 2029 |"
    ) in md
    assert "| **Årets resultat** | **0** | **0** | **0** | **0** |" in md
    assert "| **Eget kapital vid årets slut** | **300 000** | **300 000** |" in md
    assert (
        "| Tak för eget kapital (20 % av medlemsbidragen) | 400 000 | 400 000 | 400 000 | 400 000 |"
        in md
    )
    assert (
        "| Minst 80 % till insatser. (mål: minst 80,0 %) | 75,0 % (nås inte) | 75,0 % (nås inte) "
        "| 75,0 % (nås inte) |"
    ) in md
    kept = "| Reserven hålls. (mål: minst 0 kr) | " + " | ".join(["200 000 kr (nås)"] * 3) + " |"
    assert kept in md


def test_the_example_document_read_by_chromium(tmp_path: Path) -> None:
    out = tmp_path / "out"
    example = PLANS / "examples" / "nordana-2027.yaml"
    result = runner.invoke(app, ["render", str(example), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tables = _chromium_tables(out / "plan.html")
    position = {r[0]: r[1:] for r in tables["tabell-stallning"]}
    # 2026 by hand: contributions 8 100 000 + equity 1 000 000 − costs 7 980 000
    assert position["Eget kapital vid årets slut"] == [
        "1 120 000",
        "1 180 000",
        "582 600",
        "702 600",
    ]
    assert position["varav utrymme för ny verksamhet"] == [
        "620 000",
        "680 000",
        "82 600",
        "202 600",
    ]
    goals = {r[0]: r[1:] for r in tables["tabell-finansiella-mal"]}
    assert goals["Minst 70 % av kostnaderna går till insatser. (mål: minst 70,0 %)"] == [
        "74,4 % (nås)",
        "75,3 % (nås)",
        "72,9 % (nås)",
    ]


def test_the_revised_budget_is_judged_by_the_goals_too() -> None:
    text = (
        MINIMAL.replace(
            "    - label: Förbundschef\n", "    - id: chef\n      label: Förbundschef\n"
        )
        + "goals:\n  - {text: Reserven hålls., measure: room, min: 0}\n"
        + "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        + "      - {line: chef, change: 250000, financing: equity}\n"
    )
    found = fin110(text)
    assert [(f.year, f.figures["value"]) for f in found] == [("2027-reviderad", "-50000")]


def test_the_editor_schema_accepts_samrad_goals_and_revisions() -> None:
    """`finsamplan schema` accepts the example with a samråd, goals and decisions as written,
    and catches a goal limit that is neither kronor nor a share with %."""
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
    example = PLANS / "examples" / "nordana-2027.yaml"
    data = as_json(yaml.safe_load(example.read_text("utf-8")))
    assert isinstance(data, dict) and {"samrad", "goals", "revisions"} <= set(data)
    assert [e.message for e in validator.iter_errors(data)] == []
    data["goals"][0]["max"] = "tjugo procent"
    assert list(validator.iter_errors(data))


def test_the_word_document_shows_the_position_and_the_goals(tmp_path: Path) -> None:
    import docx

    example = PLANS / "examples" / "nordana-2027.yaml"
    result = runner.invoke(app, ["render", str(example), "-f", "docx", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "plan.docx"))
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    position = {
        r.cells[0].text: [c.text for c in r.cells[1:]]
        for r in tables["Ekonomisk ställning vid årets slut"].rows
    }
    assert [sp(x) for x in position["Eget kapital vid årets slut"]] == [
        "1 120 000",
        "1 180 000",
        "582 600",
        "702 600",
    ]
    goals = tables["Finansiella mål"]
    assert sp(goals.rows[3].cells[0].text).startswith("Minst 70 % av kostnaderna")
    assert [sp(c.text) for c in goals.rows[3].cells[1:]] == [
        "74,4 % (nås)",
        "75,3 % (nås)",
        "72,9 % (nås)",
    ]
