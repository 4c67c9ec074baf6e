"""An evaluation budgeted for a later year than the plan year: counted, and shown with its year.

The minimal plan (tests/conftest.py, plan year 2027) runs the project Steget 2026–2029 and
budgets its evaluation, 100 000 kr, for 2029 only, on a line the insats does not list.
"""

from __future__ import annotations

from conftest import MINIMAL, load

from finsamplan.figures.budget import compute
from finsamplan.figures.evaluations import evaluations
from finsamplan.judge.criteria import check
from finsamplan.judge.profiles import load_profile
from finsamplan.plan.model import Plan
from finsamplan.render.view import build

LISTED = MINIMAL.replace(
    "    - label: Utvärdering av Steget\n", "    - id: utv\n      label: Utvärdering av Steget\n"
).replace("    lines: [steget]\n", "    lines: [steget, utv]\n")


def plan_of(text: str) -> Plan:
    loaded = load(text)
    assert loaded.plan is not None
    return loaded.plan


def card_evaluation(plan: Plan) -> str | None:
    (card,) = build("minimal", plan, compute(plan), []).cards
    return card.evaluation


def test_the_evaluation_planned_for_2029_is_found_with_its_year() -> None:
    plan = plan_of(MINIMAL)
    (planned,) = evaluations(compute(plan), plan.activities[0])
    assert (planned.label, planned.listed, planned.years) == (
        "Utvärdering av Steget",
        False,
        ((2029, 100_000),),
    )


def test_the_evaluation_criterion_counts_a_later_year() -> None:
    plan = plan_of(MINIMAL)
    (result,) = check(plan, load_profile("grund")).insatser
    verdict = next(v for v in result.verdicts if v.criterion.id == "utvardering")
    # It was "inte dokumenterat" (only 2027, the plan year, was looked at).
    assert verdict.status == "met"
    assert [e.text for e in verdict.evidence] == [
        "utvärdering i budgeten: Utvärdering av Steget, 100\u00a0000 kr (2029)"
    ]


def test_the_card_shows_the_year_not_a_zero() -> None:
    assert card_evaluation(plan_of(LISTED)) == "planerad 2029: 100\u00a0000"  # was "0"
    assert card_evaluation(plan_of(MINIMAL)) == "planerad 2029: 100\u00a0000"  # was no row
    both = LISTED.replace(
        "      amounts: {2029: 100000}", "      amounts: {2027: 40000, 2029: 60000}"
    )
    assert card_evaluation(plan_of(both)) == "40\u00a0000; planerad 2029: 60\u00a0000"


def test_an_evaluation_line_without_amounts_is_no_data_never_zero() -> None:
    none = LISTED.replace("      amounts: {2029: 100000}\n", "")
    assert card_evaluation(plan_of(none)) == "ingen uppgift"
    (result,) = check(plan_of(none), load_profile("grund")).insatser
    verdict = next(v for v in result.verdicts if v.criterion.id == "utvardering")
    assert verdict.status == "not_documented"  # no data is a question, never a failure


def test_without_a_plan_year_column_the_card_has_no_figures_not_zeros() -> None:
    plan = plan_of(LISTED.replace("{year: 2027, kind: budgetplan}", "{year: 2027, kind: prognos}"))
    (card,) = build("minimal", plan, compute(plan), []).cards
    assert (card.budget, card.evaluation) == ("ingen uppgift", "ingen uppgift")  # were "0", "0"
