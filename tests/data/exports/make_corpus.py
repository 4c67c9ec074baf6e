"""Writes the export corpus: one small CSV per way a finance system writes money.

Run by hand (python tests/data/exports/make_corpus.py); the files are checked in. Each file
is written byte for byte here (encoding, line endings); what it must give (every bucket, sum
and finding) is stated, worked out by hand, in tests/test_exports.py. The plan they are read
with is plans/plan-2023.yaml (accounts 7010–7699 personal, 5010 förbrukning, 6210 telefoni;
9999 is mapped by no rule), followed up to 2023-10-31.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
HEADER = "Datum;Konto;Ansvar;Text;Belopp"

FILES: dict[str, tuple[str, str, list[str]]] = {  # name: (encoding, newline, lines)
    # The Swedish default: decimal comma, space between thousands; a total the sum rule finds.
    "komma-mellanslag.csv": (
        "utf-8",
        "\r\n",
        [
            HEADER,
            "2023-01-25;7010;ADM;Lön januari;95 000,00",
            "2023-02-25;7010;ADM;Lön februari;95 000,00",
            "2023-03-01;5010;ADM;Lokalhyra;3 000,50",
            "2023-03-14;9999;;Okänt konto;1 234,56",
            ";;;Summa;194 235,06",
        ],
    ),
    # English style: decimal point, comma between thousands, comma-separated, quoted amounts.
    "punkt-komma.csv": (
        "utf-8",
        "\n",
        [
            "Date,Account,Cost centre,Description,Amount",
            '2023-01-25,7010,ADM,Salary,"95,000.00"',
            '2023-02-01,5010,ADM,Rent,"3,000.50"',
            "2023-02-10,6210,ADM,Phone,310.00",
            ',,,Total,"98,310.50"',
        ],
    ),
    # Decimal comma, point between thousands: 95.000 is ninety-five thousand, decided by 1.234,50.
    "punkt-tusental.csv": (
        "utf-8",
        "\n",
        [
            HEADER,
            "2023-01-25;7010;ADM;Lön;95.000",
            "2023-02-01;5010;ADM;Hyra;1.234,50",
            "2023-02-02;6210;ADM;Telefon;310",
        ],
    ),
    # Apostrophe between thousands, decimal point, tab-separated.
    "apostrof.csv": (
        "utf-8",
        "\n",
        [
            "Datum\tKonto\tText\tBelopp",
            "2023-04-01\t7010\tLöner april\t1'234'567.50",
            "2023-04-02\t5010\tHyra\t3'000.00",
            "2023-04-03\t6210\tTelefon\t12.05",
        ],
    ),
    # Negatives as a trailing minus, in parentheses and with the minus sign U+2212.
    "minus-efter.csv": (
        "utf-8",
        "\r\n",
        [
            "Datum;Konto;Text;Belopp",
            "2023-01-15;3010;Bidrag Försäkringskassan;539 250,00-",
            "2023-02-25;7010;Lön;95 000,00",
            "2023-03-01;5010;Hyra, återbetald;(3 000,00)",
            "2023-03-02;5010;Hyra;\u22121 500,00",
            ";;Summa;(448 750,00)",
        ],
    ),
    # Windows-1252, as Excel writes CSV on a Swedish Windows.
    "windows-1252.csv": (
        "cp1252",
        "\r\n",
        [
            HEADER,
            "2023-05-25;7010;ADM;Lön förbundschef maj;95 000,00",
            "2023-05-26;6210;ADM;Växel och telefoni;1 234,50",
            "2023-05-27;9999;;Övrigt, ej fördelat;250,25",
        ],
    ),
    # An unclosed quote on row 3: only that row is lost; rows 4 and 5 are read.
    "oavslutat-citat.csv": (
        "utf-8",
        "\n",
        [
            HEADER,
            "2023-01-25;7010;ADM;Lön;95 000,00",
            '2023-02-01;5010;ADM;"Hyra;3 000,00',
            "2023-02-25;7010;ADM;Lön;95 000,00",
            '2023-03-10;6210;ADM;"Telefon ""mobil""";310,00',
            "2023-03-31;;;Summa;193 310,00",
        ],
    ),
    # A ledger printout: a title, subtotals per account, a grand total.
    "delsummor.csv": (
        "utf-8",
        "\r\n",
        [
            "Huvudbok 2023-01-01 – 2023-03-31;;;;",
            "",
            HEADER,
            "2023-01-25;7010;ADM;Lön januari;95 000,00",
            "2023-02-25;7010;ADM;Lön februari;95 000,00",
            ";;;Summa konto 7010;190 000,00",
            "2023-02-01;5010;ADM;Hyra februari;3 000,00",
            "2023-03-01;5010;ADM;Hyra mars;3 000,00",
            ";;;Summa konto 5010;6 000,00",
            ";;;Summa totalt;196 000,00",
        ],
    ),
    # Rows before the plan year, after --until and in the next year.
    "utanfor-perioden.csv": (
        "utf-8",
        "\n",
        [
            HEADER,
            "2022-12-30;7010;ADM;Lön december 2022;95 000,00",
            "2023-01-25;7010;ADM;Lön januari;95 000,00",
            "2023-10-25;7010;ADM;Lön oktober;95 000,00",
            "2023-11-25;7010;ADM;Lön november;95 000,00",
            "2024-01-05;5010;ADM;Hyra januari 2024;3 000,00",
            ";;;Summa;383 000,00",
        ],
    ),
    # Only the header: no rows at all.
    "bara-rubrik.csv": ("utf-8", "\r\n", [HEADER]),
    # Nothing in the file decides between 95.000 = 95 000 and 95.000 = 95,00.
    "tvetydig.csv": (
        "utf-8",
        "\n",
        [
            "Datum;Konto;Text;Belopp",
            "2023-01-25;7010;Lön;95.000",
            "2023-02-01;5010;Hyra;1,234",
            "2023-02-02;6210;Telefon;310",
        ],
    ),
    # Two rows with decimal comma and point between thousands, one the other way round.
    "oense.csv": (
        "utf-8",
        "\n",
        [
            "Datum;Konto;Text;Belopp",
            "2023-01-25;7010;Lön;1.234,50",
            "2023-01-26;7010;Lön;2.000,00",
            "2023-02-01;5010;Hyra;1,234.50",
        ],
    ),
    # A 40-digit amount and one with fractions of an öre: errors, the others read.
    "stora-belopp.csv": (
        "utf-8",
        "\n",
        [
            "Datum;Konto;Text;Belopp",
            "2023-01-25;7010;Lön;1234567890123456789012345678901234567890,00",
            "2023-01-27;7010;Lön;1 234,567",
            "2023-01-28;5010;Hyra;3 000,00",
        ],
    ),
}


def main() -> None:
    for name, (encoding, newline, lines) in FILES.items():
        (HERE / name).write_bytes((newline.join(lines) + newline).encode(encoding))
        print(HERE / name)


if __name__ == "__main__":
    main()
