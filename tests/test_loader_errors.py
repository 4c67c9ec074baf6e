"""Each class of bad input gets its code, a Swedish message and the exact line and column."""

from __future__ import annotations

import pytest
from conftest import MINIMAL, load, where

from finsamplan.base.findings import Finding


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.as_line() for f in findings]
    return findings[0]


def test_minimal_plan_loads_clean() -> None:
    loaded = load(MINIMAL)
    assert loaded.plan is not None
    assert loaded.findings == []


def test_yaml_syntax_error_points_at_the_problem() -> None:
    text = MINIMAL.replace(
        "title: Verksamhets- och budgetplan 2027", "title: Verksamhets- och budgetplan: 2027"
    )
    f = only(load(text).findings)
    assert f.code == "YAML001"
    line, column = where(text, "budgetplan: 2027")
    assert (f.line, f.column) == (line, column + len("budgetplan"))
    assert "kolon på fel plats" in f.message
    assert f.excerpt is not None and f.excerpt.endswith("^")


def test_tab_indentation_is_named() -> None:
    text = MINIMAL.replace(
        "  name: Samordningsförbundet Exempel", "\tname: Samordningsförbundet Exempel"
    )
    f = only(load(text).findings)
    assert f.code == "YAML001"
    assert f.line == where(text, "\tname")[0]
    assert "tabbtecken" in f.message


def test_unknown_key_with_suggestion() -> None:
    text = MINIMAL.replace("  consultations:", "  consultatons:")
    f = only(load(text).findings)
    assert f.code == "SCH001"
    assert (f.line, f.column) == where(text, "consultatons")
    assert f.message == "okänd nyckel 'consultatons'; menade du 'consultations'?"


def test_unknown_top_level_key_lists_nothing_misleading() -> None:
    text = MINIMAL + "budgett: 1\n"
    f = only(load(text).findings)
    assert f.code == "SCH001"
    assert (f.line, f.column) == where(text, "budgett")
    assert "budgett" in f.message


@pytest.mark.parametrize(
    "needle, dup",
    [
        ("title: Verksamhets- och budgetplan 2027\n", "title: Annan titel\n"),
        ("  name: Samordningsförbundet Exempel\n", "  name: Dubblett\n"),
    ],
)
def test_duplicate_keys_are_rejected_not_silently_replaced(needle: str, dup: str) -> None:
    text = MINIMAL.replace(needle, needle + dup)
    f = only(load(text).findings)
    assert f.code == "YAML002"
    assert (f.line, f.column) == where(text, dup.strip())
    assert f"finns redan på rad {where(text, needle)[0]}" in f.message


def test_duplicate_year_in_amounts_is_rejected() -> None:
    text = MINIMAL.replace(
        "amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}",
        "amounts: {2026: 500000, 2027: 500000, 2027: 900000, 2029: 500000}",
        1,
    )
    f = only(load(text).findings)
    assert f.code == "YAML002"
    assert (f.line, f.column) == where(text, "2027: 900000")
    assert "nyckeln '2027'" in f.message


def test_wrong_type_mapping_where_list_expected() -> None:
    text = MINIMAL.replace("  consultations: [2026-10-01]", "  consultations: 2026-10-01")
    f = only(load(text).findings)
    assert f.code == "SCH003"
    assert (f.line, f.column) == where(text, "2026-10-01")
    assert "en lista" in f.message


def test_float_amount_is_refused() -> None:
    text = MINIMAL.replace(
        "{2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n  - label: Exempels",
        "{2026: 500000.5, 2027: 500000, 2028: 500000, 2029: 500000}\n  - label: Exempels",
    )
    f = only(load(text).findings)
    assert f.code == "SCH004"
    assert (f.line, f.column) == where(text, "500000.5")
    assert "hela kronor utan decimaler" in f.message


def test_negative_amount_is_refused() -> None:
    text = MINIMAL.replace(
        "{2026: 500000, 2027: 500000, 2028: 500000, 2029: 200000}",
        "{2026: 500000, 2027: 500000, 2028: 500000, 2029: 200000}",
    )
    text = text.replace(
        "amounts: {2026: 200000, 2027: 200000", "amounts: {2026: -200000, 2027: 200000"
    )
    f = only(load(text).findings)
    assert f.code == "SCH004"
    assert (f.line, f.column) == where(text, "-200000")
    assert "negativt" in f.message


def test_swedish_amount_strings_are_accepted() -> None:
    text = MINIMAL.replace(
        "{2026: 1000000, 2027: 1000000", '{2026: "1 000 000", 2027: "1\u00a0000\u00a0000 kr"'
    )
    loaded = load(text)
    assert loaded.findings == []
    assert loaded.plan is not None
    assert loaded.plan.income[0].amounts == {
        "2026": 1000000,
        "2027": 1000000,
        "2028": 1000000,
        "2029": 1000000,
    }


def test_amount_text_that_is_not_kronor() -> None:
    text = MINIMAL.replace("{2026: 1000000, 2027: 1000000", '{2026: "1 000,50", 2027: 1000000')
    f = only(load(text).findings)
    assert f.code == "SCH004"
    assert (f.line, f.column) == where(text, '"1 000,50"')
    assert "'1 000,50' är inget belopp i hela kronor" in f.message


def test_amount_for_a_year_that_is_not_a_column() -> None:
    text = MINIMAL.replace(
        "{2026: 200000, 2027: 200000, 2028: 200000, 2029: 200000}",
        "{2026: 200000, 2027: 200000, 2028: 200000, 2030: 200000}",
    )
    f = only(load(text).findings)
    assert f.code == "REF002"
    assert (f.line, f.column) == where(text, "2030")
    assert "'2030', som inte är en kolumn" in f.message
    assert "2026, 2027, 2028, 2029" in f.message


@pytest.mark.parametrize("word", ["no", "on", "yes", "off"])
def test_yaml11_booleans_where_text_is_meant(word: str) -> None:
    text = MINIMAL.replace("label: Utbildningar", f"label: {word}")
    f = only(load(text).findings)
    assert f.code == "SCH003"
    line, column = where(text, f"label: {word}")
    assert (f.line, f.column) == (line, column + len("label: "))
    assert f"YAML läser '{word}' som ett sanningsvärde" in f.message
    assert f"'{word}' inom citattecken" in f.message


def test_yaml11_bare_date_where_text_is_meant() -> None:
    text = MINIMAL.replace("label: Utbildningar", "label: 2027-01-01")
    f = only(load(text).findings)
    assert f.code == "SCH003"
    assert (f.line, f.column) == where(text, "2027-01-01")
    assert "som ett datum" in f.message


def test_yaml11_octal_number_is_refused() -> None:
    text = MINIMAL.replace("{2026: 200000, 2027: 200000", "{2026: 010, 2027: 200000")
    f = only(load(text).findings)
    assert f.code == "YAML004"
    assert (f.line, f.column) == where(text, "010")
    assert "talet 8" in f.message


def test_empty_file() -> None:
    f = only(load("# bara en kommentar\n\n").findings)
    assert (f.code, f.line, f.column) == ("YAML005", 1, 1)


def test_wrong_encoding_names_the_byte_and_line() -> None:
    data = MINIMAL.encode("latin-1")
    f = only(load(data).findings)
    assert f.code == "YAML006"
    assert (f.line, f.column) == where(MINIMAL, "ö")
    assert "0xF6" in f.message and "UTF-8" in f.message


def test_bom_and_crlf_are_accepted() -> None:
    data = b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8")
    loaded = load(data)
    assert loaded.findings == []


def test_alias_is_refused() -> None:
    text = (
        MINIMAL.replace(
            "title: Verksamhets- och budgetplan 2027", "title: &t Verksamhets- och budgetplan 2027"
        )
        + "motto: *t\n"
    )
    f = only(load(text).findings)
    assert f.code == "YAML003"
    assert (f.line, f.column) == where(text, "*t")


def test_missing_required_key() -> None:
    text = MINIMAL.replace("year: 2027\n", "")
    f = only(load(text).findings)
    assert f.code == "SCH002"
    assert (f.line, f.column) == (1, 1)
    assert "'year' saknas" in f.message


def test_unknown_member_reference() -> None:
    text = MINIMAL.replace("    member: kommun", "    member: komun")
    f = only(load(text).findings)
    assert f.code == "REF003"
    assert (f.line, f.column) == where(text, "komun")
    assert "'komun' är ingen medlem" in f.message


def test_reversed_period() -> None:
    text = MINIMAL.replace(
        "{start: 2026-01-01, end: 2029-12-31}", "{start: 2026-01-01, end: 2025-12-31}"
    )
    f = only(load(text).findings)
    assert f.code == "REF008"
    assert (f.line, f.column) == where(text, "2025-12-31")


def test_every_problem_of_a_file_is_reported_in_one_run() -> None:
    text = (
        MINIMAL.replace("  consultations:", "  consultatons:")
        .replace("label: Utbildningar", "label: no")
        .replace("amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 200000}", "x")
        .replace("{2026: 200000, 2027: 200000", "{2026: 200000.0, 2027: 200000")
    )
    codes = sorted(f.code for f in load(text).findings)
    assert codes == ["SCH001", "SCH003", "SCH004"]
    lines = sorted(f.line for f in load(text).findings)
    assert lines == sorted(
        [where(text, "consultatons")[0], where(text, "label: no")[0], where(text, "200000.0")[0]]
    )


def test_a_comma_in_an_amount_is_said_as_such_not_as_a_year() -> None:
    text = MINIMAL.replace(
        "amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}",
        "amounts: {2026: 500000, 2027: 1,234, 2028: 500000, 2029: 500000}",
        1,
    )
    (found,) = load(text).findings
    assert (found.code, found.line) == ("SCH003", 22)
    assert found.message == (
        "income.1.amounts: ett kommatecken i ett belopp delade det, så att '234' blev ett eget "
        "år utan belopp. Skriv beloppet i hela kronor utan kommatecken (1234) eller inom "
        'citattecken med mellanslag ("1 234")'
    )
