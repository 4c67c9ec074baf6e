"""``policy.contribution_tolerance`` means one thing in FIN010 and FIN011: how many kronor each
side may be from its target. A deviation equal to the tolerance passes; one krona more fails.

FIN010: the state's target is half of all contributions, and so is the other sides' together
(the state is ``difference / 2`` from it). FIN011: the region's and the municipalities'
target is half the state's amount each (the odd krona the region's).
"""

from __future__ import annotations

import pytest
from conftest import MINIMAL, load

from finsamplan.base.findings import Finding
from finsamplan.judge.rules import validate

NB = "\u00a0"


def plan(state: int, region: int, kommun: int, tolerance: int | None = None) -> str:
    """MINIMAL with these contributions for 2027 (the other years stay 50/50)."""
    text = MINIMAL
    for label, amount, was in (
        ("fk", state, 1_000_000),
        ("region", region, 500_000),
        ("kommun", kommun, 500_000),
    ):
        old = f"member: {label}\n    amounts: {{2026: {was}, 2027: {was},"
        assert old in text
        text = text.replace(old, f"member: {label}\n    amounts: {{2026: {was}, 2027: {amount},")
    if tolerance is not None:
        text += f"policy:\n  contribution_tolerance: {tolerance}\n"
    return text


def found(text: str, *codes: str) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    every = validate(loaded)
    assert not [f for f in every if f.code == "FIN000"], [f.message for f in every]
    return [f for f in every if f.code in codes]


@pytest.mark.parametrize("tolerance", [None, 0, 1, 37])
def test_fin010_the_state_as_far_from_half_as_the_tolerance_passes(tolerance: int | None) -> None:
    tol = 10 if tolerance is None else tolerance
    # 2 000 000 in all: the state tol kr over half, the others tol kr under it; the region
    # and the municipalities are each tol kr from half the state's amount too
    at = plan(1_000_000 + tol, 500_000 - tol // 2, 500_000 - (tol - tol // 2), tolerance)
    assert found(at, "FIN010", "FIN011") == []


@pytest.mark.parametrize("tolerance", [None, 0, 1, 37])
def test_fin010_one_krona_further_fails(tolerance: int | None) -> None:
    tol = 10 if tolerance is None else tolerance
    # 2 000 000 in all: the state tol + 1 kr over half, the others as much under it
    past = plan(1_000_001 + tol, 500_000 - tol, 499_999, tolerance)
    (f,) = [f for f in found(past, "FIN010") if f.year == "2027"]
    assert f.figures == {
        "state": 1_000_001 + tol,
        "others": 999_999 - tol,
        "difference": 2 * tol + 2,
        "tolerance": tol,
    }
    assert f.message.endswith(
        f"Skillnad {2 * tol + 2} kr (tolerans {tol} kr per sida, högst {2 * tol} kr mellan sidorna)"
    )


def test_fin010_the_sides_may_differ_by_twice_the_tolerance() -> None:
    """The half-krona case: a difference of 21 kr puts each side 10,5 kr from half."""
    assert found(plan(1_000_020, 500_000, 500_000), "FIN010") == []
    (f,) = found(plan(1_000_021, 500_000, 500_000), "FIN010")
    assert (f.year, f.figures["difference"]) == ("2027", 21)
    assert f.message.endswith(
        "Skillnad 21 kr (tolerans 10 kr per sida, högst 20 kr mellan sidorna)"
    )


@pytest.mark.parametrize("tolerance", [None, 0, 1, 37])
@pytest.mark.parametrize("side", ["region", "kommun"])
def test_fin011_a_side_as_far_from_its_target_as_the_tolerance_passes(
    tolerance: int | None, side: str
) -> None:
    tol = 10 if tolerance is None else tolerance
    amounts = {"region": 500_000, "kommun": 500_000}
    amounts[side] += tol
    assert found(plan(1_000_000, tolerance=tolerance, **amounts), "FIN011") == []


@pytest.mark.parametrize("tolerance", [None, 0, 1, 37])
@pytest.mark.parametrize(("side", "name"), [("region", "region"), ("kommun", "municipality")])
def test_fin011_one_krona_further_fails(tolerance: int | None, side: str, name: str) -> None:
    tol = 10 if tolerance is None else tolerance
    amounts = {"region": 500_000, "kommun": 500_000}
    amounts[side] -= tol + 1
    (f,) = found(plan(1_000_000, tolerance=tolerance, **amounts), "FIN011")
    assert f.figures == {
        "side": name,
        "amount": 499_999 - tol,
        "expected": 500_000,
        "state": 1_000_000,
    }
    assert f"skillnad \u2212{tol + 1} kr, tolerans {tol} kr" in f.message.replace(NB, " ")
    # the state is (tol + 1) / 2 kr from half the total: within a tolerance of 1 kr or more
    fin010 = found(plan(1_000_000, tolerance=tolerance, **amounts), "FIN010")
    assert [f.figures["difference"] for f in fin010] == ([] if tol else [1])


def test_both_rules_say_the_same_of_the_same_deviation() -> None:
    """The state 11 kr over half the total (the others 11 kr under): FIN010 at tolerance 10,
    and the region, whose target moves with the state's amount, is 11 kr off: FIN011."""
    text = plan(1_000_011, 499_995, 499_994)
    assert [f.figures["difference"] for f in found(text, "FIN010")] == [22]
    assert [(f.figures["side"], f.figures["expected"]) for f in found(text, "FIN011")] == [
        ("region", 500_006),
        ("municipality", 500_005),
    ]
