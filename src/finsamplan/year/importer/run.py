"""The import, step by step: read, find the header, classify, read money, build, check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from finsamplan.base.findings import Path as PlanPath
from finsamplan.year.importer import Imported, ImportFailed, Options
from finsamplan.year.importer import build as b
from finsamplan.year.importer.account import Ledger
from finsamplan.year.importer.build import Built, CellProblem
from finsamplan.year.importer.checks import Checked, check_totals
from finsamplan.year.importer.headers import (
    Header,
    decide_unit,
    find_header,
    plan_year,
    unit_evidence,
    unit_words,
)
from finsamplan.year.importer.layout import Layout, classify, read_rows
from finsamplan.year.importer.sheet import Sheet, SheetError, address, read_sheet

FORBUND_NAME = re.compile(
    r"Samordningsförbund(?:et)?\s+(?:i\s+|för\s+)?[A-ZÅÄÖ0-9][\w\-]*(?:[ \-][A-ZÅÄÖ][\w\-]*)*"
)
PLAN_ORDER = ("format", "title", "year", "forbund", "columns", "income", "cost_groups", "costs")


def run(path: Path, options: Options) -> Imported:
    file = str(path)
    try:
        sheet = read_sheet(path, options.sheet)
        header = _header(sheet)
        year = plan_year(header, options.year)
        factor, unit_text = decide_unit(
            unit_evidence(sheet, header), options.unit, header.cells[0].address
        )
    except SheetError as exc:
        raise ImportFailed(file, [CellProblem(exc.code, exc.message, exc.cell)]) from None
    layout = classify(read_rows(sheet, header))
    built = Built(data={"format": 1, "title": f"Verksamhets- och budgetplan {year}", "year": year})
    found, amount_format = b.read_amounts(layout, factor, options.decimal, options.thousands)
    problems = _broken(sheet) + found
    if not problems:
        b.settle_signs(layout, built)
        b.mark_parts(layout)
        b.settle_totals(layout)
        problems = b.negative_lines(layout)
    if problems:
        raise ImportFailed(file, problems)
    ledger = Ledger(sheet)
    try:
        return _plan(
            sheet, header, layout, built, ledger, options, factor, amount_format, unit_text
        )
    except ValidationError as exc:  # pragma: no cover - the steps above build only valid data
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        problem = CellProblem("IMP099", f"planen kunde inte byggas ({where}); rapportera det")
        raise ImportFailed(file, [problem]) from None


def _header(sheet: Sheet) -> Header:
    try:
        return find_header(sheet)
    except SheetError as exc:
        if sheet.other_sheets and exc.code == "IMP002":
            names = ", ".join(f"'{n}'" for n, _, _ in sheet.other_sheets)
            exc.message += f"; bladet '{sheet.name}' lästes, ange --sheet för ett annat ({names})"
        raise


def _broken(sheet: Sheet) -> list[CellProblem]:
    return [
        CellProblem("IMP015", f"rad {row} kan inte läsas: {why}", address(row, column or 1))
        for row, column, why in sheet.broken
    ]


def _plan(
    sheet: Sheet,
    header: Header,
    layout: Layout,
    built: Built,
    ledger: Ledger,
    options: Options,
    factor: int,
    amount_format: str,
    unit_text: str,
) -> Imported:
    data = built.data
    name = _titles(sheet, header, ledger, options.name)
    data["forbund"] = {"name": name}
    data["columns"] = b.columns(header, ledger)
    ids: set[str] = set()
    b.income(layout, ledger, data, ids)
    b.groups(layout, ledger, built, ids)
    b.reserve(layout, ledger, built)
    titles = {c.key: _column_title(c.kind or "budget", c.year, c.label) for c in header.columns}
    checked = check_totals(layout, built, _budget(data), ledger, titles)
    _apply(checked, layout, data)
    _structure(layout, header, ledger)
    comments, fill_in = _comments(ledger, checked, data)
    accounts = ledger.finish()
    return Imported(
        file=sheet.file,
        sheet=sheet.name,
        unit="tkr" if factor == 1000 else "kr",
        amount_format=f"{unit_text}" + (f"; text: {amount_format}" if amount_format else ""),
        year=data["year"],
        data=_ordered(data),
        comments=comments,
        accounts=accounts,
        guesses=ledger.guesses,
        differences=checked.differences,
        fill_in=fill_in,
        cell_comments=ledger.comments,
        matched_totals=checked.matched,
        cells=len(sheet.all_cells()),
    )


def _column_title(kind: str, year: int, label: str) -> str:
    from finsamplan.plan.model import COLUMN_LABELS

    return label or f"{COLUMN_LABELS[kind]} {year}"


def _titles(sheet: Sheet, header: Header, ledger: Ledger, stated: str | None) -> str:
    """The rows above the header: the förbund's name, the unit; the rest is left."""
    name = stated or ""
    for number in sheet.rows():
        if number >= header.row:
            break
        for cell in sheet.row(number):
            found = FORBUND_NAME.search(cell.text) if cell.is_text else None
            if found and not name:
                name = found.group(0).strip()
                ledger.take([cell], f"förbundets namn: {name}")
            elif cell.is_text and unit_words(cell.text):
                ledger.take([cell], f"enhet: {unit_words(cell.text)}")
            else:
                ledger.leave([cell], "titelrad ovanför rubrikraden; används inte i planen")
    for cell in header.cells:
        if cell.column in header.label_columns:
            ledger.take([cell], "rubrik över radtexterna")
    for number in header.below:
        ledger.take(sheet.row(number), "enhet under årsrubrikerna")
    for cell in header.other:
        ledger.leave([cell], f"kolumnen '{cell.text}' är ingen årskolumn")
    return name


def _budget(data: dict[str, Any]) -> Any:
    """The budget computed from the data, for checking totals: a plan the model accepts,
    with a stand-in only where the sheet lacks what the model requires but totals do not
    depend on (the name, the members, an income line)."""
    from finsamplan.figures.budget import compute
    from finsamplan.plan.model import Plan

    twin = dict(data)
    twin["forbund"] = {
        "name": data["forbund"]["name"] or "-",
        "members": data["forbund"]["members"] or [{"id": "x", "name": "-", "side": "state"}],
    }
    twin["income"] = data["income"] or [{"label": "-", "kind": "other"}]
    return compute(Plan.model_validate(twin))


def _apply(checked: Checked, layout: Layout, data: dict[str, Any]) -> None:
    """Labels as the sheet writes them, the group totals' texts, the differing figures."""
    from finsamplan.plan.labels import DEFAULT_LABELS

    labels = dict(checked.labels)
    for section in layout.sections:
        key = {"income": "income_title", "summary": "summary_title"}.get(section.area)
        if key and section.heading and section.title != DEFAULT_LABELS[key]:
            labels.setdefault(key, section.title)
    if labels:
        data["labels"] = labels
    for group in data.get("cost_groups", []):
        text = checked.total_labels.get(group["id"])
        default = f"Summa {group['title'][:1].lower()}{group['title'][1:]}"
        if text and text != default:
            group["total_label"] = text
    if checked.stated:
        data["stated"] = checked.stated


def _structure(layout: Layout, header: Header, ledger: Ledger) -> None:
    """Headings and the rows left out, with what they were taken as or why."""
    for row in layout.rows:
        ledger.take(row.headings, "kolumnrubriken upprepad över ett block")
    for row, what in layout.headings:
        ledger.take(row.label_cells, what)
    for section in layout.sections:
        if section.heading is not None and section.area in ("income", "summary"):
            what = "rubrik: " + ("intäkter" if section.area == "income" else "sammanställning")
            ledger.take(section.heading.label_cells, what)
        elif section.heading is not None:
            ledger.leave(section.heading.label_cells, "rubrik utan budgetrader under sig")
        for item in section.items:
            if item.role == "summary":
                ledger.leave(
                    item.row.cells, "sammanställningsrad som inte är någon av planens summor"
                )
    for row, why in layout.left:
        ledger.leave(row.cells, why)
    named = {c.column: c.text for c in header.other}
    for row in layout.rows:
        for cell in row.others:
            title = named.get(cell.column)
            ledger.leave(
                [cell],
                f"i kolumnen '{title}', som inte är någon årskolumn"
                if title
                else "i en kolumn utan rubrik till höger om radtexterna",
            )
        for cell in row.notes.values():
            ledger.leave([cell], "text i en årskolumn på en rad som inte är en budgetrad")
        ledger.leave(row.percents, "en andel i procent, inget belopp")
        if row.label_cells and not row.amounts:
            ledger.leave(row.label_cells, "text utan belopp")


def _comments(
    ledger: Ledger, checked: Checked, data: dict[str, Any]
) -> tuple[dict[PlanPath, str], list[str]]:
    """``# granska`` for every guess and differing total, ``# fyll i`` for what is missing."""
    comments: dict[PlanPath, list[str]] = {}
    for guess in ledger.guesses:
        where = f" ({guess.where()})" if guess.cells else ""
        comments.setdefault(guess.path, []).append(f"granska: {guess.what}{where}")
    for name, cells in checked.stated_cells.items():
        comments.setdefault(("stated", name), []).append(
            f"granska: bladets summa ({', '.join(cells)}) är inte radernas summa; "
            "rätta raderna, ta bort raden här, eller skriv skälet (reason)"
        )
    fill_in = _missing(data)
    for path, text in fill_in:
        comments.setdefault(path, []).append(f"fyll i: {text}")
    if any(g.path[:1] == ("columns",) for g in ledger.guesses):
        comments.setdefault(("year",), []).append("granska: planåret, se kolumnerna")
    wrapped = {
        p: "\n".join(line for t in texts for line in _wrap(t)) for p, texts in comments.items()
    }
    return wrapped, [t for _, t in fill_in]


def _wrap(text: str) -> list[str]:
    """A comment in lines that fit the file's width (continuation lines indented)."""
    import textwrap

    return textwrap.wrap(text, width=88, subsequent_indent="  ", break_on_hyphens=False)


def _missing(data: dict[str, Any]) -> list[tuple[PlanPath, str]]:
    out: list[tuple[PlanPath, str]] = []
    members: PlanPath = ("forbund", "members")
    if not data["forbund"]["name"]:
        out.append((("forbund", "name"), "förbundets namn (bladet anger det inte; eller --name)"))
    sides = {m["side"] for m in data["forbund"]["members"]}
    if not data["forbund"]["members"]:
        text = "medlemmarna: ingen intäktsrad nämner Försäkringskassan, en region eller en kommun"
        out.append((members, text))
    elif "state" not in sides:
        text = "medlemmen på statens sida (Försäkringskassan) och dess avgift: ingen rad nämner den"
        out.append((members, text))
    elif not sides & {"region", "municipality", "municipality_without_region"}:
        out.append((members, "region och kommuner: ingen intäktsrad nämner dem"))
    if not data["income"]:
        out.append((("income",), "intäkterna: bladet har inga intäktsrader"))
    if not any(data["costs"].values()):
        out.append((("costs",), "kostnaderna: bladet har inga kostnadsrader"))
    return out


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """The plan's keys in the order of the plan model (as ``plan_to_yaml`` writes them)."""
    order = [*PLAN_ORDER, "labels", "reserve", "stated"]
    return {k: data[k] for k in order if k in data}
