"""Swedish counted words: one helper, the right number everywhere."""

from pathlib import Path

from finsamplan.base.findings import Severity
from finsamplan.base.words import counted, severity_counts
from finsamplan.cli.report import summary_line

ROOT = Path(__file__).resolve().parent.parent


def test_counted_takes_the_singular_for_one() -> None:
    assert counted(1, "varning") == "1 varning"
    assert counted(2, "varning") == "2 varningar"
    assert counted(0, "varning") == "0 varningar"
    assert counted(1, "upplysning") == "1 upplysning"
    assert counted(3, "upplysning") == "3 upplysningar"
    assert counted(1, "fel") == "1 fel"
    assert counted(5, "fel") == "5 fel"
    assert counted(2, "plan") == "2 planer"
    assert counted(2, "insats", "insatser") == "2 insatser"


def test_severity_counts_reads_as_a_sentence() -> None:
    assert severity_counts(1, 1, 1) == "1 fel, 1 varning och 1 upplysning"
    assert severity_counts(0, 2, 5) == "0 fel, 2 varningar och 5 upplysningar"
    assert severity_counts(2, 1) == "2 fel och 1 varning"


def test_the_validate_summary_line_says_1_varning() -> None:
    counts = {Severity.ERROR: 1, Severity.WARNING: 1, Severity.INFO: 1}
    assert summary_line(1, counts, False) == "1 plan kontrollerad: 1 fel, 1 varning, 1 upplysning"
    counts = {Severity.ERROR: 0, Severity.WARNING: 2, Severity.INFO: 0}
    assert summary_line(3, counts, True) == (
        "3 planer kontrollerade: 0 fel, 2 varningar, 0 upplysningar"
        " (--strict: varningar räknas som fel)"
    )


def test_no_empty_forbundet_heading_without_plan_level_verdicts() -> None:
    import dataclasses

    from finsamplan.render.criteria_out import STATUSES, ProfileView, profile_lines

    view = ProfileView(
        name="Region X",
        source=None,
        basis="",
        criteria=(),
        insatser=(),
        plan=(),
        notes=(),
        counts=dict.fromkeys(STATUSES, 0),
    )
    assert not any("Förbundet" in line for line in profile_lines(view))
    assert dataclasses.is_dataclass(view)


def test_numbers_echoed_in_messages_are_swedish() -> None:
    from decimal import Decimal

    from finsamplan.base.money import format_number

    assert format_number(95000.0) == "95\u00a0000,0"
    assert format_number(95.0) == "95,0"
    assert format_number(-1234567.25) == "\u22121\u00a0234\u00a0567,25"
    assert format_number(Decimal("12.50")) == "12,50"


def test_a_float_amount_is_echoed_with_a_decimal_comma(tmp_path: Path) -> None:
    from finsamplan.plan.loader import load_plan

    source = (ROOT / "plans" / "examples" / "nordana-2027.yaml").read_text("utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(source.replace("{2026: 1000000, 2027", "{2026: 95000.0, 2027", 1), "utf-8")
    messages = [f.message for f in load_plan(plan).findings]
    assert any(
        m.endswith("belopp ska vara hela kronor utan decimaler, inte 95\u00a0000,0")
        for m in messages
    ), messages


def test_insats_suggestions_are_ordered_by_closeness() -> None:
    from finsamplan.render.memo import unknown_insats_text

    assert unknown_insats_text("natverk2", ["natverka", "webbplats", "natverk"]) == (
        "insatsen 'natverk2' finns inte i planen; menade du natverk eller natverka? "
        "(finns: natverka, webbplats, natverk)"
    )
    assert unknown_insats_text("zzz", []) == "insatsen 'zzz' finns inte i planen (finns: inga)"


def test_a_float_in_a_schema_message_is_swedish() -> None:
    from finsamplan.plan.loader import _describe

    assert _describe(95000.0) == "95\u00a0000,0"
    assert _describe("95,000") == "'95,000'"  # the user's own text is quoted as written
