"""Writes the bad-plan corpus: one problem per file, from the minimal plan in conftest.py.

    python tests/bad/make_corpus.py

The expected code and line:col of each file are in expected.yaml, written by hand and
checked by tests/test_bad_corpus.py. Files too large to keep (50 MB, a 10 MB string) are
made by the test itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from conftest import MINIMAL  # noqa: E402

M = MINIMAL


def sub(old: str, new: str, count: int = 1) -> str:
    assert old in M, old
    return M.replace(old, new, count)


CASES: dict[str, str | bytes] = {
    "01-syntax-unclosed-list.yaml": sub(
        "consultations: [2026-10-01]", "consultations: [2026-10-01"
    ),
    "02-syntax-colon-in-value.yaml": sub(
        "title: Verksamhets- och budgetplan 2027", "title: Verksamhets- och budgetplan: 2027"
    ),
    "03-tab-indentation.yaml": sub(
        "  name: Samordningsförbundet Exempel", "\tname: Samordningsförbundet Exempel"
    ),
    "04-duplicate-top-level.yaml": sub("year: 2027\n", "year: 2027\nyear: 2028\n"),
    "05-duplicate-in-forbund.yaml": sub(
        "  name: Samordningsförbundet Exempel\n",
        "  name: Samordningsförbundet Exempel\n  name: Annat\n",
    ),
    "06-duplicate-in-member.yaml": sub(
        "{id: fk, name: Försäkringskassan, side: state}",
        "{id: fk, name: Försäkringskassan, side: state, id: fk2}",
    ),
    "07-duplicate-in-income-line.yaml": sub(
        "  - label: Försäkringskassan\n    member: fk\n",
        "  - label: Försäkringskassan\n    member: fk\n    member: af\n",
    ),
    "08-duplicate-year-in-amounts.yaml": sub(
        "{2026: 300000, 2027: 300000", "{2026: 300000, 2026: 350000"
    ),
    "09-duplicate-cost-group.yaml": sub("  projekt:\n", "  administration: []\n  projekt:\n"),
    "10-duplicate-in-period.yaml": sub(
        "{start: 2026-01-01, end: 2029-12-31}",
        "{start: 2026-01-01, end: 2029-12-31, end: 2030-12-31}",
    ),
    "11-duplicate-in-dates.yaml": sub(
        "  adopted: 2026-11-25\n", "  adopted: 2026-11-25\n  adopted: 2026-11-26\n"
    ),
    "12-unknown-top-level-key.yaml": M + "budgett: 1\n",
    "13-unknown-key-in-member.yaml": sub(
        "{id: region, name: Region Exempel, side: region}",
        "{id: region, name: Region Exempel, sid: region}",
    ),
    "14-unknown-key-in-cost-line.yaml": sub(
        "    - label: Utbildningar\n      amounts:", "    - label: Utbildningar\n      amount:"
    ),
    "15-wrong-type-columns.yaml": M.replace(
        "columns:\n  - {year: 2026, kind: budget}\n  - {year: 2027, kind: budgetplan}\n"
        "  - {year: 2028, kind: prognos}\n  - {year: 2029, kind: prognos}\n",
        "columns: {year: 2027, kind: budgetplan}\n",
    ),
    "16-wrong-type-year.yaml": sub("year: 2027\n", "year: tjugotjugosju\n"),
    "17-float-amount.yaml": sub("{2026: 200000, 2027: 200000", "{2026: 200000.5, 2027: 200000"),
    "18-negative-amount.yaml": sub("{2026: 200000, 2027: 200000", "{2026: -200000, 2027: 200000"),
    "19-amount-not-kronor.yaml": sub(
        "{2026: 200000, 2027: 200000", '{2026: "200 000,50", 2027: 200000'
    ),
    "20-amount-for-unknown-year.yaml": sub(
        "{2026: 200000, 2027: 200000, 2028: 200000, 2029: 200000}",
        "{2026: 200000, 2027: 200000, 2028: 200000, 2031: 200000}",
    ),
    "21-unknown-member.yaml": sub("    member: kommun\n", "    member: komun\n"),
    "22-unknown-paid-by.yaml": sub("paid_by: fk}", "paid_by: fkk}"),
    "23-reversed-period.yaml": sub(
        "{start: 2026-01-01, end: 2029-12-31}", "{start: 2026-01-01, end: 2025-12-31}"
    ),
    "24-overlapping-periods.yaml": M
    + (
        "  - id: steget-2\n    kind: projekt\n    title: Steget, andra delen\n"
        "    lines: [steget]\n    period: {start: 2028-01-01, end: 2030-12-31}\n"
    ).replace("  - id: steget-2", "  - id: steget-2", 1)
    if False
    else sub(
        "dates:\n",
        "  - id: steget-2\n    kind: projekt\n    title: Steget, andra delen\n"
        "    lines: [steget]\n    period: {start: 2028-01-01, end: 2030-12-31}\ndates:\n",
    ),
    "25-empty.yaml": "",
    "26-only-comments.yaml": "# En plan ska stå här.\n# Men det gör den inte.\n",
    "27-latin-1.yaml": M.encode("latin-1"),
    "28-bom-with-duplicate.yaml": b"\xef\xbb\xbf"
    + sub("year: 2027\n", "year: 2027\nyear: 2028\n").encode(),
    "29-crlf-with-unknown-key.yaml": sub("  consultations:", "  consultatons:")
    .replace("\n", "\r\n")
    .encode(),
    "30-alias-bomb.yaml": "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    "31-deep-flow-nesting.yaml": "format: " + "[" * 1000 + "]" * 1000 + "\n",
    "32-deep-block-nesting.yaml": "".join("  " * i + f"k{i}:\n" for i in range(100))
    + "  " * 100
    + "x: 1\n",
    "33-yaml11-no.yaml": sub("label: Utbildningar", "label: no"),
    "34-yaml11-octal.yaml": sub("{2026: 200000, 2027: 200000", "{2026: 010, 2027: 200000"),
    "35-yaml11-date-as-text.yaml": sub("label: Utbildningar", "label: 2027-01-01"),
    "36-missing-columns.yaml": M.replace(
        "columns:\n  - {year: 2026, kind: budget}\n  - {year: 2027, kind: budgetplan}\n"
        "  - {year: 2028, kind: prognos}\n  - {year: 2029, kind: prognos}\n",
        "",
    ),
    "37-two-documents.yaml": M + "---\nformat: 1\n",
    "38-list-at-top.yaml": "- format: 1\n- title: Plan\n",
    "39-nul-byte.yaml": M.encode()[:200] + b"\x00" + M.encode()[200:],
    "40-python-tag.yaml": sub(
        "title: Verksamhets- och budgetplan 2027", "title: !!python/object:os.system echo"
    ),
    "41-merge-key.yaml": sub("  adopted: 2026-11-25\n", "  <<: {adopted: 2026-11-25}\n"),
    "42-unknown-kind.yaml": sub("{year: 2028, kind: prognos}", "{year: 2028, kind: prognoss}"),
    "43-unknown-side.yaml": sub("side: region}", "side: landsting}"),
    "44-id-with-space.yaml": sub("{id: kommun, name:", "{id: min kommun, name:"),
    "45-impossible-date.yaml": sub("  adopted: 2026-11-25\n", "  adopted: 2026-11-31\n"),
    "46-february-29.yaml": sub("{start: 2026-01-01, end: 2029-12-31}", "{start: 2027-02-29}"),
    "47-month-13.yaml": sub("consultations: [2026-10-01]", "consultations: [2026-13-01]"),
    "48-date-past-2100.yaml": sub("  adopted: 2026-11-25\n", "  adopted: 2126-11-25\n"),
    "49-deep-compact-sequence.yaml": sub(
        "  consultations: [2026-10-01]\n", "  consultations:\n    " + "- " * 1000 + "x\n"
    ),
    "50-deep-complex-keys.yaml": M + "? " * 1000 + "x\n",
    "51-deep-flow-mapping.yaml": "format: " + "{a: " * 1000 + "}" * 1000 + "\n",
    "52-fullwidth-digits.yaml": sub(
        "{2026: 200000, 2027: 200000", '{2026: "\uff12\uff10\uff10\uff10\uff10\uff10", 2027: 200000'
    ),
    "53-arabic-indic-digits.yaml": sub(
        "{2026: 200000, 2027: 200000", '{2026: "\u0662\u0660\u0660\u0660\u0660\u0660", 2027: 200000'
    ),
    "54-underscore-in-number.yaml": sub(
        "{2026: 200000, 2027: 200000", "{2026: 200_000, 2027: 200000"
    ),
    "55-tag-on-list.yaml": sub("consultations: [2026-10-01]", "consultations: !!seq [2026-10-01]"),
    "56-tag-on-mapping.yaml": sub("dates:\n", "dates: !plan\n"),
    "57-tag-on-text.yaml": sub("year: 2027\n", "year: !!str 2027\n"),
    "58-amount-10-to-30.yaml": sub(
        "{2026: 200000, 2027: 200000", "{2026: " + "1" + "0" * 30 + ", 2027: 200000"
    ),
    "59-amount-2-to-53-plus-1.yaml": sub(
        "{2026: 200000, 2027: 200000", "{2026: 9007199254740993, 2027: 200000"
    ),
    "60-hundred-digits.yaml": sub(
        "{2026: 200000, 2027: 200000", "{2026: " + "9" * 100 + ", 2027: 200000"
    ),
    "61-amounts-sum-too-large.yaml": sub(
        "    - label: Utbildningar\n      amounts: "
        "{2026: 200000, 2027: 200000, 2028: 200000, 2029: 200000}\n",
        "    - label: Utbildningar\n      parts:\n"
        + "        - {label: Del, amounts: {2026: 1000000000000, 2027: 1000000000000, "
        "2028: 1000000000000, 2029: 1000000000000}}\n" * 251,
    ),
    "62-rounding-too-large.yaml": M + "forecast:\n  rounding: 100000000\n",
}


def main() -> None:
    for name, content in CASES.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (HERE / name).write_bytes(data)
    print(f"{len(CASES)} filer i {HERE}")


if __name__ == "__main__":
    main()
