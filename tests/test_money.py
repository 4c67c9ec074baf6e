"""Kronor parsing and Swedish formatting: fixed cases and the round-trip property."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsamplan.base.money import (
    MoneyFormatError,
    format_kronor,
    format_share,
    parse_kronor,
    parse_share,
    round_kronor,
)


@pytest.mark.parametrize(
    "text, value",
    [
        ("2162000", 2_162_000),
        ("2 162 000", 2_162_000),
        ("2\u00a0162\u00a0000", 2_162_000),
        ("2\u202f162\u202f000 kr", 2_162_000),
        ("650 000 kr", 650_000),
        ("0", 0),
        ("-5 200", -5_200),
        ("\u22125 200", -5_200),
    ],
)
def test_parse_kronor(text: str, value: int) -> None:
    assert parse_kronor(text) == value


@pytest.mark.parametrize("text", ["2 16 000", "1 000,50", "12.5", "", "kr", "1,000", "abc"])
def test_parse_kronor_refuses(text: str) -> None:
    with pytest.raises(MoneyFormatError):
        parse_kronor(text)


def test_format_kronor() -> None:
    assert format_kronor(2_162_000) == "2\u00a0162\u00a0000"
    assert format_kronor(-44_020) == "\u221244\u00a0020"
    assert format_kronor(0) == "0"
    assert format_kronor(600_000, sign=True) == "+600\u00a0000"
    with pytest.raises(TypeError):
        format_kronor(1.0)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_is_identity(amount: int) -> None:
    assert parse_kronor(format_kronor(amount)) == amount


def test_shares() -> None:
    assert parse_share("30 %") == Decimal("0.30")
    assert parse_share("0,3") == Decimal("0.3")
    assert parse_share(0.3) == Decimal("0.3")
    assert format_share(Decimal(1_909_780) / Decimal(5_229_780)) == "36,5\u00a0%"
    with pytest.raises(MoneyFormatError):
        parse_share(True)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3))
def test_round_kronor_is_within_half_a_krona(value: Decimal) -> None:
    assert abs(Decimal(round_kronor(value)) - value) <= Decimal("0.5")


def test_round_kronor_half_up_and_to_thousands() -> None:
    assert round_kronor(Decimal("2.5")) == 3
    assert round_kronor(Decimal("1 234 500".replace(" ", "")), to=1000) == 1_235_000
