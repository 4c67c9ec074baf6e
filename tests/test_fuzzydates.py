"""Dates in words: each reads as the range of days it can mean, or not at all."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsamplan.judge.fuzzydates import parse_when, when_range

CASES = [
    ("hösten 2023", "2023-09-01", "2023-12-31"),
    ("Hösten 2023", "2023-09-01", "2023-12-31"),
    ("våren 2024", "2024-01-01", "2024-06-30"),
    ("sommaren 2024", "2024-06-01", "2024-08-31"),
    ("höstterminen 2024", "2024-08-01", "2024-12-31"),
    ("Q3 2024", "2024-07-01", "2024-09-30"),
    ("2024 Q1", "2024-01-01", "2024-03-31"),
    ("kvartal 4 2023", "2023-10-01", "2023-12-31"),
    ("2:a kvartalet 2025", "2025-04-01", "2025-06-30"),
    ("3:e kvartalet 2025", "2025-07-01", "2025-09-30"),
    ("T2 2024", "2024-05-01", "2024-08-31"),
    ("december 2023", "2023-12-01", "2023-12-31"),
    ("dec. 2023", "2023-12-01", "2023-12-31"),
    ("februari 2024", "2024-02-01", "2024-02-29"),
    ("första halvåret 2023", "2023-01-01", "2023-06-30"),
    ("andra halvåret 2023", "2023-07-01", "2023-12-31"),
    ("under 2023", "2023-01-01", "2023-12-31"),
    ("början av 2024", "2024-01-01", "2024-04-30"),
    ("slutet av 2024", "2024-09-01", "2024-12-31"),
    ("2024-03", "2024-03-01", "2024-03-31"),
    ("2024-03-15", "2024-03-15", "2024-03-15"),
    ("vintern 2023/24", "2023-12-01", "2024-02-29"),
]


@pytest.mark.parametrize("text, start, end", CASES, ids=[c[0] for c in CASES])
def test_reads_as_a_range(text: str, start: str, end: str) -> None:
    rng = parse_when(text)
    assert rng is not None
    assert (str(rng.start), str(rng.end)) == (start, end)


@pytest.mark.parametrize(
    "text",
    ["när styrelsen beslutar", "Q5 2024", "2024-13", "2023-02-30", "hösten", "vintern 2023/26"],
)
def test_what_it_cannot_read_it_does_not_guess(text: str) -> None:
    assert parse_when(text) is None


def test_an_exact_date_wins_over_words() -> None:
    rng = when_range(date(2023, 10, 1), "hösten 2023")
    assert rng is not None and rng.start == rng.end == date(2023, 10, 1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_month_name_covers_its_month(day: date) -> None:
    names = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]  # fmt: skip
    rng = parse_when(f"{names[day.month - 1]} {day.year}")
    assert rng is not None and rng.start <= day <= rng.end
    quarter = parse_when(f"Q{(day.month - 1) // 3 + 1} {day.year}")
    assert quarter is not None and quarter.start <= day <= quarter.end
