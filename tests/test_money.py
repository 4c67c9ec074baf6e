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
    share_of,
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


def test_parse_kronor_takes_kr_written_without_a_space() -> None:
    assert parse_kronor("2162000kr") == 2_162_000
    assert parse_kronor("2 162 000 KR") == 2_162_000


def test_a_sign_only_before_an_amount_above_zero() -> None:
    assert format_kronor(0, sign=True) == "0"
    assert format_kronor(1, sign=True) == "+1"
    assert format_kronor(-1, sign=True) == "\u22121"
    assert format_kronor(1) == "1"


@pytest.mark.parametrize("value", [True, False, 30, 0, None, [0.3]])
def test_parse_share_refuses_what_is_not_a_share(value: object) -> None:
    """A bare whole number could mean 30 % or 3000 %: it is refused, like a bool."""
    with pytest.raises(MoneyFormatError):
        parse_share(value)


def test_parse_share_keeps_a_decimal_and_reads_a_percent() -> None:
    assert parse_share(Decimal("0.125")) == Decimal("0.125")
    assert parse_share("12,5 %") == Decimal("0.125")
    assert parse_share("12.5") == Decimal("12.5")


def test_format_share_rounds_half_up_at_its_places() -> None:
    assert format_share(Decimal("0.3125")) == "31,3\u00a0%"  # half-even would give 31,2
    assert format_share(Decimal("0.3125"), 2) == "31,25\u00a0%"
    assert format_share(Decimal("0.3125"), 0) == "31\u00a0%"
    assert format_share(Decimal("0.205"), 0) == "21\u00a0%"
    assert format_share(Decimal("-0.0125")) == "\u22121,3\u00a0%"


def test_round_kronor_refuses_a_step_below_one_krona() -> None:
    with pytest.raises(ValueError, match="positive whole number"):
        round_kronor(Decimal("2.5"), to=0)
    assert round_kronor(Decimal("2.5"), to=1) == 3
    assert round_kronor(Decimal("1499"), to=1000) == 1000
    assert round_kronor(Decimal("-2.5")) == -3  # half away from zero


def test_share_of_is_none_only_for_a_zero_whole() -> None:
    assert share_of(1, 0) is None
    assert share_of(0, 0) is None
    assert share_of(1, 1) == Decimal(1)
    assert share_of(1, 4) == Decimal("0.25")


def test_format_number_groups_counts_and_limits() -> None:
    from finsamplan.base.money import format_number

    assert format_number(100_000) == "100\u00a0000"
    assert format_number(3650) == "3\u00a0650"
    assert format_number(-5) == "\u22125"
    assert format_number(95000.0) == "95\u00a0000,0"
