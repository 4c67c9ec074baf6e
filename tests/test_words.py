"""Swedish counted words: one helper, the right number everywhere."""

from finsamplan.base.findings import Severity
from finsamplan.base.words import counted, severity_counts
from finsamplan.cli.report import summary_line


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
