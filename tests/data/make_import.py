"""Writes the budget sheets in tests/data/import/ that `finsamplan import` is tested on.

Run by hand (python tests/data/make_import.py); the files are checked in. Both förbund are
made up. Each sheet is laid out the way förbund lay out their own budgets, not the way
finsamplan writes one:

- sjobygden-2025.xlsx: amounts in tkr (said in the title), one decimal where a member's
  share is half a thousand, merged headings across the table, a heading "KOSTNADER" over the
  three cost groups, bold total rows (one of them without a word such as "Summa": the
  group's name again, in bold), a comment column, a note in a cell comment.
- kustbygd-2026.csv: Windows-1252, ";" between fields, decimal comma and space between
  thousands ("2 400 000,00"), a dash for nothing, indented lines, "S:a" totals, no
  budgetplan column (the plan year is the latest "Budget" column), a reserve and a room row.

Every total row is the sum of the rows it closes, as the förbund's own spreadsheet would
compute it; tests/test_import.py checks the imported plans against those rows with figures
written out by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "import"

# --- Sjöbygden, tkr ----------------------------------------------------------------------

SJO_COLUMNS = ["Utfall 2023", "Budget 2024", "Förslag budget 2025", "Plan 2026", "Plan 2027"]
SJO_INCOME: list[tuple[str, list[Decimal]]] = [
    ("Försäkringskassan", [Decimal(v) for v in ("3000", "3100", "3200", "3200", "3200")]),
    ("Region Norrsjö", [Decimal(v) for v in ("1500", "1550", "1600", "1600", "1600")]),
    ("Åby kommun", [Decimal(v) for v in ("600", "620", "640", "640", "640")]),
    ("Berga kommun", [Decimal(v) for v in ("525", "542.5", "560", "560", "560")]),
    ("Dalby stad", [Decimal(v) for v in ("375", "387.5", "400", "400", "400")]),
    ("Ianspråktaget eget kapital", [Decimal(v) for v in ("250", "300", "450", "200", "0")]),
]
SJO_GROUPS: list[tuple[str, str, list[tuple[str, list[int], str]]]] = [
    (
        "Styrning, ledning och administration",
        "Summa styrning, ledning och administration",
        [
            ("Förbundschef inkl. sociala avgifter", [1050, 1090, 1130, 1165, 1200], ""),
            ("Styrelse, revision och försäkringar", [180, 185, 190, 195, 200], ""),
            ("Kansli, lokaler och IT", [270, 275, 280, 290, 300], ""),
        ],
    ),
    (
        "Individinriktade insatser",
        "Individinriktade insatser",  # the total repeats the heading, in bold
        [
            ("Steget vidare", [2400, 2500, 2600, 2650, 2700], "Förlängt till 2027"),
            ("Arbetsträning i samverkan", [900, 950, 1000, 1000, 1000], ""),
            ("Utvärdering av Steget vidare", [0, 50, 100, 100, 150], ""),
        ],
    ),
    (
        "Strukturövergripande insatser",
        "Summa strukturövergripande insatser",
        [
            ("Kompetensutveckling för parterna", [500, 550, 600, 500, 450], ""),
            ("Kartläggning av målgruppen", [150, 0, 200, 0, 0], ""),
        ],
    ),
]


def _number(value: Decimal | int) -> int | float:
    """An amount as XLSX stores it: a whole number, or the one decimal a share needs."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def make_sjobygden(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Budget 2025"
    bold, big = Font(bold=True), Font(bold=True, size=14)
    ws["A1"], ws["A1"].font = "Samordningsförbundet Sjöbygden", big
    ws.merge_cells("A1:G1")
    ws["A2"] = "Budget 2025 och plan 2026–2027, tkr"
    ws.merge_cells("A2:G2")
    for j, title in enumerate(["Post", *SJO_COLUMNS, "Kommentar"], start=1):
        ws.cell(4, j, title).font = bold
    row = 5

    def heading(text: str) -> None:
        nonlocal row
        ws.cell(row, 1, text).font = bold
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        row += 1

    def line(label: str, values: list[Decimal] | list[int], note: str = "") -> None:
        nonlocal row
        ws.cell(row, 1, label).alignment = Alignment(indent=1)
        for j, v in enumerate(values, start=2):
            ws.cell(row, j, _number(v)).number_format = "#,##0.0"
        if note:
            ws.cell(row, 7, note)
        row += 1

    def total(label: str, values: list[Decimal]) -> None:
        nonlocal row
        ws.cell(row, 1, label).font = bold
        for j, v in enumerate(values, start=2):
            cell = ws.cell(row, j, _number(v))
            cell.font, cell.number_format = bold, "#,##0.0"
        row += 2

    heading("INTÄKTER")
    for label, values in SJO_INCOME:
        line(label, values)
    available = [sum(v[i] for _, v in SJO_INCOME) for i in range(5)]
    total("Summa intäkter", available)
    heading("KOSTNADER")
    costs = [Decimal(0)] * 5
    for title, total_label, lines in SJO_GROUPS:
        heading(title)
        for label, values, note in lines:
            line(label, values, note)
        sums = [Decimal(sum(v[i] for _, v, _ in lines)) for i in range(5)]
        costs = [a + b for a, b in zip(costs, sums, strict=True)]
        total(total_label, sums)
    total("Summa kostnader", costs)
    total("Årets resultat", [a - c for a, c in zip(available, costs, strict=True)])
    ws["F23"].comment = Comment("Beslut om fortsättning hösten 2025", "Kansliet")
    ws.column_dimensions["A"].width = 44
    wb.properties.creator = "Kansliet"
    wb.save(path)


# --- Kustbygd, kr, CSV -------------------------------------------------------------------

KUST_COLUMNS = ["Bokslut 2024", "Budget 2025", "Budget 2026", "Plan 2027", "Plan 2028"]
KUST_CONTRIBUTIONS = [
    ("Statlig tilldelning via Försäkringskassan", [2400000, 2450000, 2500000, 2500000, 2500000]),
    ("Region Kustland", [1200000, 1225000, 1250000, 1250000, 1250000]),
    ("Kustby kommun", [700000, 715000, 730000, 730000, 730000]),
    ("Hamnstads kommun", [500000, 510000, 520000, 520000, 520000]),
]
KUST_OTHER = ("ESF-medel", [150000, 0, None, None, None])  # None: a dash
KUST_EQUITY = ("Sparade medel från tidigare år", [300000, 250000, 200000, 100000, 0])
KUST_GROUPS = [
    (
        "Kansli och administration",
        "S:a kansli och administration",
        [
            ("Personal", [1150000, 1180000, 1210000, 1240000, 1270000]),
            ("Lokaler och drift", [180000, 185000, 190000, 195000, 200000]),
            ("Övrigt kansli", [95000, 100000, 100000, 100000, 100000]),
        ],
    ),
    (
        "Insatser",
        "S:a insatser",
        [
            ("Jobbspåret", [2100000, 2150000, 2200000, 2250000, 2300000]),
            ("Unga till arbete", [1300000, 1250000, 1250000, 1200000, 1050000]),
            ("Samverkansdagar", [250000, 200000, 150000, 100000, 50000]),
        ],
    ),
]
KUST_RESERVE = [100000] * 5


def _kr(value: int | None, ore: bool = True) -> str:
    """Swedish style: space between thousands, decimal comma; a dash for nothing."""
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,}".replace(",", " ")
    return sign + text + (",00" if ore else "")


def make_kustbygd(path: Path) -> None:
    rows: list[list[str]] = [
        ["Samordningsförbundet Kustbygd"],
        ["Budget 2026 med flerårsplan. Belopp i kronor"],
        [],
        ["Post", *KUST_COLUMNS],
        ["Finansiering"],
    ]

    def amounts(values: Any, ore: bool = True) -> list[str]:
        return [_kr(v, ore) for v in values]

    def add(values: Any) -> list[int]:
        return [sum(v[i] or 0 for v in values) for i in range(5)]

    income = [v for _, v in KUST_CONTRIBUTIONS] + [KUST_OTHER[1]]
    for label, values in [*KUST_CONTRIBUTIONS, KUST_OTHER]:
        rows.append([label, *amounts(values)])
    rows.append(["Summa finansiering", *amounts(add(income))])
    rows.append([KUST_EQUITY[0], *amounts(KUST_EQUITY[1])])
    available = add([*income, KUST_EQUITY[1]])
    rows.append(["Summa tillgängliga medel", *amounts(available)])
    rows += [[], ["Verksamhetskostnader"]]
    costs = [0] * 5
    for title, total_label, lines in KUST_GROUPS:
        rows.append([title])
        for n, (label, values) in enumerate(lines):
            rows.append([f"  {label}", *amounts(values, ore=n % 2 == 0)])
        sums = add([v for _, v in lines])
        costs = [a + b for a, b in zip(costs, sums, strict=True)]
        rows.append([total_label, *amounts(sums)])
    rows.append(["Totala kostnader", *amounts(costs)])
    surplus = [a - c for a, c in zip(available, costs, strict=True)]
    room = [s - r for s, r in zip(surplus, KUST_RESERVE, strict=True)]
    rows += [
        [],
        ["Resultat", *amounts(surplus)],
        ["Reserv", *amounts(KUST_RESERVE)],
        ["Utrymme för nya insatser", *amounts(room)],
    ]
    width = 6
    text = "\r\n".join(";".join(r + [""] * (width - len(r))) for r in rows) + "\r\n"
    path.write_bytes(text.encode("cp1252"))


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    make_sjobygden(OUT / "sjobygden-2025.xlsx")
    make_kustbygd(OUT / "kustbygd-2026.csv")
    print(f"skrev {OUT}")
