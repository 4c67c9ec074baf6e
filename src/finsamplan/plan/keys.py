"""Contribution keys in a plan: who pays a side's part, and whether the keys can split it.

FinsamL 5 § lets several municipalities (or regions) split their side's part as they
agree. A plan says how with a ``key`` on each paying member, and may say from what total
with its ``contributions`` block. This module knows which members pay, which sides the
block computes, and checks that every key can be used: a key the arithmetic cannot use
(a member without one, a key on a member that pays nothing, shares that do not make
100 %) is a located error when the plan is read, never a guess.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.money import format_share
from finsamplan.plan.model import SIDE_LABELS, Member, Plan

T = TypeVar("T")
SIDES = ("state", "region", "municipality", "municipality_without_region")
SIDE_PARTS = {
    "state": "statens del",
    "region": "regionens del",
    "municipality": "kommunernas del",
    "municipality_without_region": "kommunens del",
}


def paying_members(plan: Plan) -> dict[str, list[Member]]:
    """The members that pay for themselves (no ``paid_by``), per side, in the plan's order."""
    out: dict[str, list[Member]] = {side: [] for side in SIDES}
    for m in plan.forbund.members:
        if m.paid_by is None:
            out[m.side].append(m)
    return out


def sides_from_state(present: Collection[str]) -> tuple[str, ...]:
    """The sides that 50/50 gives a part of the state's amount (FinsamL 5 §, 5 a §).

    The region and the municipalities pay half the state's amount each (a quarter of the
    whole); a municipality outside a region, with no region in the förbund, all of it.
    """
    if "municipality_without_region" in present and "region" not in present:
        return ("municipality_without_region",)
    return tuple(side for side in ("region", "municipality") if side in present)


def computed_sides(plan: Plan) -> set[str]:
    """The sides whose total the ``contributions`` block gives for at least one column."""
    payers = paying_members(plan)
    present = {side for side, members in payers.items() if members}
    block = plan.contributions
    out: set[str] = {side for side in block.sides if side in present}
    if block.state and "state" in present:
        out |= {"state", *sides_from_state(present - {"state"})}
    return out


def key_weight(member: Member) -> Fraction:
    """The member's key as an exact number: its inhabitants, or its share."""
    assert member.key is not None
    if member.key.population is not None:
        return Fraction(member.key.population)
    assert member.key.share is not None
    return Fraction(member.key.share)


def _ref(message: str, path: Path, **figures: Any) -> Finding:
    return Finding("REF013", Severity.ERROR, message, path=path, figures=figures)


def check_keys(plan: Plan) -> list[Finding]:
    """Every key and every total of ``contributions`` can be used to split a side's part."""
    out = _check_block(plan)
    index = {id(m): i for i, m in enumerate(plan.forbund.members)}
    for i, m in enumerate(plan.forbund.members):
        if m.key is not None and m.paid_by is not None:
            out.append(
                _ref(
                    f"{m.name} betalas av '{m.paid_by}' och har ingen egen del att fördela; "
                    "ta bort key (nyckeln hör till medlemmar som betalar själva)",
                    ("forbund", "members", i, "key"),
                )
            )
    computed = computed_sides(plan)
    for side, payers in paying_members(plan).items():
        keyed = [m for m in payers if m.key is not None]
        if len(payers) < 2 or not (keyed or side in computed):
            continue
        places: list[Path] = [("forbund", "members", index[id(m)]) for m in payers]
        out.extend(_missing_keys(side, payers, places))
        if len(keyed) == len(payers):
            out.extend(_inconsistent_keys(side, payers, places))
    return out


def _check_block(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    columns = plan.column_keys()
    block = plan.contributions
    payers = paying_members(plan)
    amounts: list[tuple[Path, dict[str, int]]] = [(("contributions", "state"), block.state)]
    amounts += [(("contributions", "sides", s), a) for s, a in block.sides.items()]
    for path, mapping in amounts:
        for key in mapping:
            if key not in columns:
                out.append(
                    Finding(
                        "REF002",
                        Severity.ERROR,
                        f"contributions: belopp för '{key}', som inte är en kolumn i planen "
                        f"(kolumner: {', '.join(columns)})",
                        path=(*path, key),
                        figures={"column": key},
                    )
                )
    if block.state and not payers["state"]:
        out.append(
            _ref(
                "contributions.state: ingen medlem på statens sida betalar (side: state utan "
                "paid_by)",
                ("contributions", "state"),
            )
        )
    for side in block.sides:
        if not payers[side]:
            out.append(
                _ref(
                    f"contributions.sides: ingen medlem med side: {side} betalar "
                    f"({SIDE_LABELS[side]}); lägg till medlemmen eller ta bort raden",
                    ("contributions", "sides", side),
                )
            )
    return out


def _missing_keys(side: str, payers: list[Member], places: list[Path]) -> list[Finding]:
    names = ", ".join(m.name for m in payers)
    return [
        _ref(
            f"{m.name} saknar key: {SIDE_PARTS[side]} delas mellan {len(payers)} medlemmar "
            f"({names}) och var och en behöver en fördelningsnyckel, "
            '{population: 61000, date: 2025-11-01} eller {share: "25 %"}'
            + ("; betalar medlemmen inte själv, ange paid_by" if side == "state" else ""),
            place,
            side=side,
        )
        for m, place in zip(payers, places, strict=True)
        if m.key is None
    ]


def _inconsistent_keys(side: str, payers: list[Member], places: list[Path]) -> list[Finding]:
    """One kind of key per side; shares make exactly 100 %; inhabitants counted on one day.

    The odd one out is reported: the key that differs from most of the side's keys.
    """
    keys = [m.key for m in payers if m.key is not None]
    kinds = ["population" if k.population is not None else "share" for k in keys]
    kind = _most_common(kinds)
    for m, place, other in zip(payers, places, kinds, strict=True):
        if other != kind:
            what = "invånare" if kind == "population" else "andelar"
            return [
                _ref(
                    f"{m.name}: {SIDE_PARTS[side]} fördelas efter {what} för de flesta "
                    "medlemmarna; alla medlemmar på sidan behöver samma slags nyckel",
                    (*place, "key"),
                )
            ]
    if kind == "share":
        total = sum((key_weight(m) for m in payers), Fraction(0))
        if total != 1:
            shown = format_share(as_decimal(total), 2)
            return [
                _ref(
                    f"andelarna för {SIDE_PARTS[side]} blir tillsammans {shown}; "
                    "de ska bli exakt 100 %",
                    (*places[-1], "key", "share"),
                    total=str(as_decimal(total)),
                )
            ]
        return []
    day = _most_common([k.date for k in keys])
    for m, place, key in zip(payers, places, keys, strict=True):
        if key.date != day:
            return [
                _ref(
                    f"{m.name}: invånarantalet gäller {key.date}, för de flesta medlemmarna "
                    f"{day}; nyckelns invånare räknas samma dag för alla",
                    (*place, "key", "date"),
                )
            ]
    return []


def _most_common(values: list[T]) -> T:
    """The value given most often; between equally common ones, the first given."""
    return max(values, key=lambda v: (values.count(v), -values.index(v)))


def as_decimal(value: Fraction) -> Decimal:
    """An exact fraction (a share) as a Decimal, for showing it."""
    return Decimal(value.numerator) / Decimal(value.denominator)
