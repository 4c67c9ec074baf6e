"""Writes finsamgotland-2023-10.csv: a made-up ledger export for FinsamGotland, Jan–Oct 2023.

Run by hand (python tests/data/make_export.py); the CSV is checked in. The figures are
designed so the follow-up has known answers: see tests/test_followup.py. Costs are debit
(positive), income credit (negative), as in most Swedish finance systems; the file is
Windows-1252 with ';' and decimal commas. Rows 3 to the end are sorted by date.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

ROWS: list[tuple[str, str, str, str, str]] = []  # date, account, cost centre, text, amount


def add(date: str, account: str, kst: str, text: str, amount: str) -> None:
    ROWS.append((date, account, kst, text, amount))


for m in range(1, 11):
    d = f"2023-{m:02d}-25"
    add(d, "7010", "ADM", "Månadslön förbundschef", "95 000,00")
    add(d, "7510", "ADM", "Arbetsgivaravgifter", "29 849,00")
    add(f"2023-{m:02d}-28", "6210", "ADM", "Telefoni och webbhotell", "3 100,00")
    add(f"2023-{m:02d}-28", "6570", "ADM", "Bankavgifter", "410,00")
    add(f"2023-{m:02d}-01", "5010", "ADM", "Lokalhyra", "3 000,00")
for m in (1, 4, 7, 10):
    add(f"2023-{m:02d}-15", "3010", "", "Bidrag Försäkringskassan kvartal", "-539 250,00")
    add(f"2023-{m:02d}-20", "4010", "JS", "JobbSam 3.0 kvartalsbetalning", "535 000,00")
for m in (1, 7):
    add(f"2023-{m:02d}-15", "3020", "", "Bidrag Region Gotland halvår", "-1 078 500,00")
for m in (3, 6, 9):
    add(f"2023-{m:02d}-30", "6550", "ADM", "Ekonomitjänster Region Gotland", "25 000,00")
    add(f"2023-{m:02d}-30", "6552", "ADM", "Lönehantering Region Gotland", "1 500,00")
    add(f"2023-{m:02d}-30", "7630", "ADM", "Arvoden styrelse", "7 500,00")
add("2023-02-10", "6981", "ADM", "Medlemsavgift Sobona och NNS", "21 180,00")
add("2023-03-14", "6110", "ADM", "Kontorsmaterial", "2 345,50")
add("2023-05-16", "5800", "ADM", "Konferens Nationella nätverket", "18 300,00")
add("2023-07-04", "5800", "ADM", "Almedalsveckan resor och logi", "22 450,00")
add("2023-09-21", "5800", "ADM", "Regionalt förbundschefsnätverk", "11 950,00")
add("2023-04-12", "6071", "ADM", "Representation styrelsemöte", "4 120,00")
add("2023-10-05", "6071", "ADM", "Representation samråd", "5 750,00")
add("2023-03-09", "4010", "INSP", "Inspiration Finsam föreläsare", "45 000,00")
add("2023-05-11", "4010", "INSP", "Inspiration Finsam föreläsare och lokal", "60 000,00")
add("2023-10-12", "4010", "INSP", "Inspiration Finsam hösten", "38 000,00")
for m in (2, 3, 4, 5, 9, 10):
    add(f"2023-{m:02d}-08", "4010", "FRUK", "Frukostmöte catering", "5 200,00")
add("2023-04-20", "4010", "METOD", "MI-utbildning", "120 000,00")
add("2023-09-14", "4010", "METOD", "Supported Employment utbildning", "95 000,00")
add("2023-01-10", "6540", "IND", "Licens Indikatorerna", "10 000,00")
add("2023-06-15", "6550", "KONS", "Konsult utveckling ny verksamhet", "40 000,00")
add("2023-03-22", "4010", "SAMV", "Samverkan Länsstyrelsen", "30 000,00")
add("2023-06-08", "4010", "SAMV", "Finsams pris", "25 000,00")
add("2023-09-28", "4010", "SAMV", "Dialogmöte psykisk ohälsa", "41 500,00")
add("2023-10-18", "6550", "JSUTV", "Extern utvärdering JobbSam 3.0 del 1", "55 000,00")
# Rows the plan's mapping does not cover: listed as unmapped, never dropped.
add("2023-08-31", "8310", "", "Ränteintäkter", "-1 234,56")
add("2023-09-19", "6993", "", "Lämnat bidrag, ej planerat", "12 500,00")
add("2023-10-30", "4990", "", "Rättelse", "3 350,75")
ROWS.sort(key=lambda r: r[0])

# Two rows damaged on their way out of the system: a date and an amount that cannot be read.
# Their true amounts are in the system's total, so the reconciliation shows them.
BAD_DATE = ("2023-13-45", "6071", "ADM", "Representation, felaktigt datum", "4 500,00")
BAD_AMOUNT = ("2023-10-20", "6210", "ADM", "Telefoni, trasigt belopp", "1 234,5,0")
TRUE_BAD_AMOUNT = Decimal("1234.50")


def amount(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


def main() -> None:
    rows = list(ROWS)
    rows.insert(40, BAD_DATE)
    rows.insert(70, BAD_AMOUNT)
    total = sum((amount(r[4]) for r in ROWS), Decimal(0)) + amount(BAD_DATE[4]) + TRUE_BAD_AMOUNT
    lines = ["Datum;Konto;Ansvar;Text;Belopp"]
    lines += [";".join(r) for r in rows]
    total_text = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    lines.append(f";;;Summa;{total_text}")
    out = Path(__file__).with_name("finsamgotland-2023-10.csv")
    out.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    print(out, len(rows), "rows, total", total_text)


if __name__ == "__main__":
    main()
