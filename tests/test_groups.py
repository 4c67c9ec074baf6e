"""A förbund's own cost groups, from the plan file to every output, totals checked by hand.

The made-up förbund in plans/examples/nordana-2027.yaml declares three groups of its own
(*Styrning, ledning och administration*, *Individinriktade insatser*, *Strukturövergripande
insatser*) and its own row labels. Every total here is computed in this file from the YAML
itself (:func:`hand_totals` sums the file's numbers and never calls finsamplan's budget code)
and compared with what each format shows, read by the client a person would use. Every plan
file shipped keeps the totals it had before plans could declare groups.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import PLANS, ROOT, need_tool
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.cli.render import RenderFormat

runner = CliRunner()
NORDANA = PLANS / "examples" / "nordana-2027.yaml"
YEARS = ["2026", "2027", "2028", "2029"]
GROUPS = {  # id: (title, total row, counts as), as the plan file declares them
    "styrning": (
        "Styrning, ledning och administration",
        "Summa styrning, ledning och administration",
        "administration",
    ),
    "individ": ("Individinriktade insatser", "Summa individinriktade insatser", "insatser"),
    "struktur": (
        "Strukturövergripande insatser",
        "Summa strukturövergripande insatser",
        "insatser",
    ),
}
LABELS = {  # the plan's own words for the generated rows
    "available": "Summa intäkter och eget kapital",
    "insatser": "Summa insatser (individinriktade och strukturövergripande)",
    "costs": "Summa kostnader för förbundet",
    "room": "Utrymme för nya insatser (efter reserv)",
}
DEFAULT_GROUPS = [
    ("administration", "administration"),
    ("utvecklingsinsatser", "insatser"),
    ("projekt", "insatser"),
]


# --- by hand, from the YAML ------------------------------------------------------------------


def kr(value: int | str) -> int:
    """An amount as the plan file writes it: 1760000 or "1 760 000 kr" (none is negative)."""
    return value if isinstance(value, int) else int(re.sub(r"[^0-9]", "", value))


def _amounts(node: dict[str, Any]) -> dict[str, int]:
    return {str(k): kr(v) for k, v in (node.get("amounts") or {}).items()}


def _line(line: dict[str, Any], key: str) -> int:
    if line.get("parts"):
        return sum(_amounts(p).get(key, 0) for p in line["parts"])
    return _amounts(line).get(key, 0)


def hand_totals(data: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Every total of a plan per column, by adding up the numbers of its YAML.

    Contributions computed from ``contributions.state`` are twice the state's amount: the
    region and the municipalities (or a municipality outside a region) pay as much as the
    state together (FinsamL 5 §, 5 a §), however the key splits it.
    """
    keys = [str(c.get("id", c["year"])) for c in data["columns"]]
    groups = [(g["id"], g["counts_as"]) for g in data.get("cost_groups") or []] or DEFAULT_GROUPS
    state = {str(k): kr(v) for k, v in data.get("contributions", {}).get("state", {}).items()}
    assert "sides" not in data.get("contributions", {})
    totals: dict[str, dict[str, int]] = {}
    for k in keys:
        typed = [i for i in data["income"] if i.get("kind", "contribution") == "contribution"]
        if k in state:
            assert all(k not in {str(y) for y in i.get("amounts", {})} for i in typed)
        t = {
            "income": 2 * state.get(k, 0)
            + sum(_line(i, k) for i in data["income"] if i.get("kind") != "equity"),
            "equity": sum(_line(i, k) for i in data["income"] if i.get("kind") == "equity"),
            "reserve": _amounts(data.get("reserve", {})).get(k, 0),
        }
        for group, _ in groups:
            t[group] = sum(_line(line, k) for line in data["costs"].get(group) or [])
        t["available"] = t["income"] + t["equity"]
        t["administration"] = sum(t[g] for g, c in groups if c == "administration")
        t["insatser"] = t["activities"] = sum(t[g] for g, c in groups if c == "insatser")
        t["costs"] = t["administration"] + t["insatser"]
        t["surplus"] = t["available"] - t["costs"]
        t["room"] = t["surplus"] - t["reserve"]
        for name, value in t.items():
            totals.setdefault(name, {})[k] = value
    return totals


def _yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


NORDANA_TOTALS = hand_totals(_yaml(NORDANA))


def sv(amount: int) -> str:
    """An amount as the documents print it (thin spaces read as plain spaces)."""
    return f"{amount:,}".replace(",", " ").replace("-", "−")


def test_the_hand_totals_of_nordana_are_what_the_file_says() -> None:
    """A few totals added up in the head, so that the helper above is checked too."""
    t = NORDANA_TOTALS
    assert t["styrning"]["2027"] == 1760000 + 215000 + 125000 == 2100000
    assert t["individ"]["2029"] == 1350000 + 120000 == 1470000
    assert t["struktur"]["2028"] == 650000 + 600000 == 1250000
    assert t["income"]["2027"] == 2 * 4130000
    assert t["room"]["2028"] == 8342600 + 1000000 - 8760000 - 500000 == 82600


# --- every plan shipped keeps its totals ---------------------------------------------------


def _readme_totals() -> dict[str, list[int]]:
    """The table "Totals of plan-2023" in README.md, by total name."""
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme[readme.index("### Totals of plan-2023") :].split("\n\n")[1]
    names = {
        "Intäkter och kapital": "available",
        "Administration": "administration",
        "Utvecklingsinsatser": "utvecklingsinsatser",
        "Projekt": "projekt",
        "Kostnader totalt": "costs",
        "Utrymme för ny verksamhet (efter reserv)": "room",
    }
    out = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        out[names[cells[0]]] = [int(c.replace(" ", "")) for c in cells[1:]]
    assert len(out) == len(names)
    return out


# What `render --format json` gave before plans could declare groups (commit d0a7f2f for
# plan-2023 and exempel-2027, main before this change for nordana-2027), with the old names
# `development` and `projects` written as the group ids they are now. Only the
# group ids of nordana-2027 are new: its lines are the same, in its own three groups.
BEFORE: dict[str, dict[str, list[int]]] = {
    "exempel-2027": {
        "available": [6800000, 7300000, 7000000, 6690000],
        "administration": [1650000, 1710000, 1760000, 1810000],
        "utvecklingsinsatser": [550000, 520000, 520000, 2920000],
        "projekt": [3500000, 3980000, 4230000, 1320000],
        "activities": [4050000, 4500000, 4750000, 4240000],
        "costs": [5700000, 6210000, 6510000, 6050000],
        "surplus": [1100000, 1090000, 490000, 640000],
        "room": [700000, 690000, 90000, 240000],
    },
    "nordana-2027": {
        "available": [9100000, 9380000, 9342600, 8892600],
        "styrning": [2030000, 2100000, 2160000, 2220000],  # was administration
        "struktur": [850000, 950000, 1250000, 4500000],  # was utvecklingsinsatser
        "individ": [5100000, 5150000, 5350000, 1470000],  # was projekt
        "administration": [2030000, 2100000, 2160000, 2220000],
        "activities": [5950000, 6100000, 6600000, 5970000],
        "costs": [7980000, 8200000, 8760000, 8190000],
        "surplus": [1120000, 1180000, 582600, 702600],
        "room": [620000, 680000, 82600, 202600],
    },
}


@pytest.mark.parametrize("path", sorted(PLANS.rglob("*.yaml")), ids=lambda p: p.stem)
def test_every_plan_file_validates_with_the_totals_it_had(path: Path) -> None:
    result = runner.invoke(app, ["validate", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["errors"] == 0
    result = runner.invoke(app, ["render", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)["totals"]
    data = _yaml(path)
    keys = [str(c.get("id", c["year"])) for c in data["columns"]]
    assert totals == hand_totals(data)
    before = _readme_totals() if path.stem == "plan-2023" else BEFORE[path.stem]
    for name, values in before.items():
        assert [totals[name][k] for k in keys] == values, name


def test_json_totals_carry_the_group_ids_and_the_aggregates() -> None:
    result = runner.invoke(app, ["render", str(NORDANA), "-f", "json"])
    data = json.loads(result.stdout)
    assert [(g["id"], g["title"], g["counts_as"]) for g in data["groups"]] == [
        (i, title, counts) for i, (title, _, counts) in GROUPS.items()
    ]
    aggregates = {"income", "equity", "available", "administration", "insatser"}
    aggregates |= {"activities", "costs", "surplus", "reserve", "room"}
    assert set(data["totals"]) == aggregates | set(GROUPS)
    assert "utvecklingsinsatser" not in data["totals"] and "projekt" not in data["totals"]
    assert data["totals"] == NORDANA_TOTALS


# --- every format -------------------------------------------------------------------------


FILE_FORMATS = [f.value for f in RenderFormat if f.value not in ("json", "table")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("grupper") / "out"
    args = ["render", str(NORDANA), "-o", str(out), "--csv", "tidy"]  # CSV for programs
    for fmt in [*FILE_FORMATS, "json"]:
        args += ["-f", fmt]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def _expected_rows() -> dict[str, list[str]]:
    """Each group's title row and total row, and the summary rows, as a reader sees them."""
    rows = {total: [sv(NORDANA_TOTALS[g][y]) for y in YEARS] for g, (_, total, _) in GROUPS.items()}
    for name in ("available", "insatser", "costs"):
        rows[LABELS[name]] = [sv(NORDANA_TOTALS[name][y]) for y in YEARS]
    return rows


def _cells(line: str, label: str) -> list[str]:
    """The amounts after ``label`` in a line of text (columns two or more spaces apart)."""
    text = line.strip()
    if not text.startswith(label + "  "):
        return []
    return [c.strip() for c in re.split(r"\s{2,}", text[len(label) :].strip()) if c.strip()]


def test_markdown_has_each_group_table_with_its_total(rendered: Path) -> None:
    md = (rendered / "plan.md").read_text("utf-8").replace("\u00a0", " ")
    rows = {
        cells[0].strip("*"): [c.strip("*") for c in cells[1:]]
        for line in md.splitlines()
        if line.startswith("|")
        for cells in [[c.strip() for c in line.strip().strip("|").split("|")]]
    }
    for title, _, _ in GROUPS.values():
        assert rows[title] == ["Budget 2026", "Budgetplan 2027", "Prognos 2028", "Prognos 2029"]
    for label, values in _expected_rows().items():
        assert rows[label] == values, label
    room = [f"{sv(NORDANA_TOTALS['room'][y])} (+500 000)" for y in YEARS]
    assert rows[LABELS["room"]] == room
    assert "Administration" not in rows and "Utvecklingsinsatser" not in rows


def test_html_read_by_chromium_has_each_group_table(rendered: Path) -> None:
    from playwright.sync_api import sync_playwright

    need_tool("chromium")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    args += ["--disable-component-update", "--disable-sync", "--no-first-run"]
    script = """() => Object.fromEntries(Array.from(document.querySelectorAll('table[id]')).map(
        t => [t.id, Array.from(t.querySelectorAll('tr')).map(
            r => Array.from(r.children).map(c => c.innerText))]))"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page()
            page.goto((rendered / "plan.html").as_uri())
            tables: dict[str, list[list[str]]] = page.evaluate(script)
        finally:
            browser.close()
    clean = {
        k: [[c.replace("\u00a0", " ").strip() for c in r] for r in v] for k, v in tables.items()
    }
    for group, (title, total, _) in GROUPS.items():
        table = clean[f"tabell-{group}"]
        assert table[0][0].casefold() == title.casefold()  # the style sets capitals
        assert table[-1] == [total, *_expected_rows()[total]]
    summary = {r[0]: r[1:] for r in clean["tabell-summary"]}
    assert summary[LABELS["costs"]] == _expected_rows()[LABELS["costs"]]


def test_pdf_text_has_each_group_total(rendered: Path) -> None:
    need_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered / "plan.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.replace("\u00a0", " ")
    rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]
    # A long label wraps in the first column: its first line stands on the row of figures.
    for title, _, _ in GROUPS.values():
        assert any(title.casefold().startswith(r[0].casefold()) for r in rows if len(r[0]) > 10)
    for label, values in _expected_rows().items():
        assert any(label.startswith(r[0]) and r[1:] == values for r in rows if len(r[0]) > 10)


LO_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _libreoffice(path: Path, tmp_path: Path, to: str, infilter: str | None = None) -> Path:
    """``path`` opened in headless LibreOffice (recalculating every formula), saved as ``to``."""
    soffice = need_tool("soffice")
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LO_PROFILE, "utf-8")
    out = tmp_path / f"lo-{to.split(':')[0]}"
    args = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    args += [f"--infilter={infilter}"] if infilter else []
    args += ["--convert-to", to, "--outdir", str(out), str(path)]
    subprocess.run(args, check=True, capture_output=True, timeout=240)
    return out / f"{path.stem}.{to.split(':')[0]}"


def test_xlsx_recalculated_by_libreoffice_gives_each_group_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook with every cached value set to 0: only LibreOffice's own calculation of
    the formulas can give the group totals back."""
    import xlsxwriter.worksheet

    from finsamplan.figures.budget import compute
    from finsamplan.plan.loader import load_plan
    from finsamplan.render import document

    original = xlsxwriter.worksheet.Worksheet.write_formula

    def zero_cache(self, row, col, formula, fmt=None, value=0):  # type: ignore[no-untyped-def]
        return original(self, row, col, formula, fmt, 0)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_formula", zero_cache)
    plan = load_plan(NORDANA).plan
    assert plan is not None
    stale = tmp_path / "budget.xlsx"
    stale.write_bytes(
        document.render("nordana-2027", plan, compute(plan), [], ["xlsx"])[stale.name]
    )
    sheet = openpyxl.load_workbook(_libreoffice(stale, tmp_path, "xlsx"), data_only=True)["Budget"]
    rows = {str(r[0]): list(r[1:5]) for r in sheet.iter_rows(values_only=True) if r[0]}
    names = {total: g for g, (_, total, _) in GROUPS.items()}
    names |= {label: name for name, label in LABELS.items()}
    for label, name in names.items():
        assert rows[label] == [NORDANA_TOTALS[name][y] for y in YEARS], label


def test_csv_totals_are_the_group_sums_and_libreoffice_reads_them(
    rendered: Path, tmp_path: Path
) -> None:
    path = rendered / "budget.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    totals = {(r["row"], r["year"]): int(r["amount"]) for r in rows if r["table"] == "totals"}
    for name, per_year in NORDANA_TOTALS.items():
        for year, value in per_year.items():
            assert totals[(name, year)] == value, (name, year)
    for group in GROUPS:  # the lines of each group add up to its total
        for year in YEARS:
            lines = sum(int(r["amount"]) for r in rows if r["table"] == group and r["year"] == year)
            assert lines == NORDANA_TOTALS[group][year], (group, year)
    read = _libreoffice(path, tmp_path, "xlsx", "CSV:44,34,76,1")
    cells = list(openpyxl.load_workbook(read, data_only=True).active.iter_rows(values_only=True))
    header = list(cells[0])
    as_read = {
        (r[header.index("row")], str(r[header.index("year")])): r[header.index("amount")]
        for r in cells[1:]
        if r[header.index("table")] == "totals"
    }
    assert as_read[("styrning", "2027")] == NORDANA_TOTALS["styrning"]["2027"]
    assert as_read[("room", "2029")] == NORDANA_TOTALS["room"]["2029"]


def test_json_file_holds_the_group_totals(rendered: Path) -> None:
    data = json.loads((rendered / "budget.json").read_text("utf-8"))
    assert data["totals"] == NORDANA_TOTALS


def test_terminal_table_has_each_group_with_its_total() -> None:
    result = runner.invoke(app, ["render", str(NORDANA), "-f", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.replace("\u00a0", " ").splitlines()
    for title, _, _ in GROUPS.values():
        assert any(line.strip() == title for line in lines), title
    for label, values in _expected_rows().items():
        if len(label) < 45:  # long labels fold in the terminal
            assert any(_cells(line, label) == values for line in lines), label


def test_fakturaunderlag_adds_up_to_the_contributions(rendered: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((rendered / "fakturaunderlag.csv").read_text("utf-8"))))
    assert rows
    for year in ("2027", "2028", "2029"):
        amounts = [int(r["amount"]) for r in rows if r["year"] == year]
        assert sum(amounts) == NORDANA_TOTALS["income"][year], year


if "docx" in FILE_FORMATS:  # a Word document, where render writes one

    def test_docx_read_by_libreoffice_has_each_group_total(rendered: Path, tmp_path: Path) -> None:
        docx = next(rendered.glob("*.docx"))
        text = _libreoffice(docx, tmp_path, "txt:Text").read_text("utf-8", errors="replace")
        flat = " ".join(text.replace("\u00a0", " ").split())
        for group, (title, total, _) in GROUPS.items():
            assert title in flat and total in flat
            assert all(sv(NORDANA_TOTALS[group][y]) in flat for y in YEARS)


def test_every_format_was_written(rendered: Path) -> None:
    names = {p.name for p in rendered.iterdir()}
    assert {"plan.html", "plan.pdf", "plan.md", "budget.xlsx", "budget.csv"} <= names
    assert {"budget.json", "fakturaunderlag.xlsx", "fakturaunderlag.csv"} <= names


# --- forecast --------------------------------------------------------------------------------


def test_forecast_with_the_plans_own_prognos_gives_the_hand_totals(tmp_path: Path) -> None:
    """With every line, the state's allocation and the reserve as the plan states them for
    2028, the forecast's group totals are the file's 2028 column; the equity brought into
    2028 is 2027's whole closing equity (the plan states no room assumed spent)."""
    data = _yaml(NORDANA)
    data["forecast"] = {
        "default": {"stated": True},
        "state_allocation": {"stated": True},
        "reserve": {"stated": True},
    }
    plan = tmp_path / "nordana-prognos.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = runner.invoke(app, ["forecast", str(plan), "--years", "2028", "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    totals = json.loads(result.stdout)["totals"]
    want = {name: per_year["2028"] for name, per_year in NORDANA_TOTALS.items()}
    want["equity"] = NORDANA_TOTALS["surplus"]["2027"]
    want["available"] = want["income"] + want["equity"]
    want["surplus"] = want["available"] - want["costs"]
    want["room"] = want["surplus"] - want["reserve"]
    got = {name: per_year["2028"] for name, per_year in totals.items() if "2028" in per_year}
    assert {n: got[n] for n in want} == want


def test_forecast_of_the_groups_keeps_each_group_and_the_aggregates() -> None:
    result = runner.invoke(
        app, ["forecast", str(NORDANA), "--years", "2028", "--years", "2029", "-f", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    totals = data["totals"]
    for year in ("2028", "2029"):
        t = {name: per_year[year] for name, per_year in totals.items() if year in per_year}
        assert set(GROUPS) <= set(t)
        assert t["administration"] == t["styrning"]
        assert t["insatser"] == t["individ"] + t["struktur"]
        assert t["costs"] == t["styrning"] + t["individ"] + t["struktur"]
        lines = [r for r in data["rows"] if r["table"] in GROUPS and year in r["amounts"]]
        for group in GROUPS:
            assert sum(r["amounts"][year] for r in lines if r["table"] == group) == t[group]


# --- any declared groups: totals are the sums of their lines ---------------------------------


@st.composite
def declared_plans(draw: st.DrawFn) -> dict[str, Any]:
    """A valid plan with 1–6 groups of its own, each counting as administration or insatser."""
    n = draw(st.integers(1, 6))
    counts = draw(st.lists(st.sampled_from(["administration", "insatser"]), min_size=n, max_size=n))
    amounts = st.dictionaries(st.sampled_from([2026, 2027, 2028]), st.integers(0, 10**9))
    groups = [
        {"id": f"grupp{i}", "title": f"Grupp {i}", "counts_as": c} for i, c in enumerate(counts)
    ]
    costs = {
        g["id"]: [
            {"label": f"Rad {j}", "amounts": a}
            for j, a in enumerate(draw(st.lists(amounts, max_size=4)))
        ]
        for g in groups
    }
    state = draw(st.dictionaries(st.sampled_from([2026, 2027, 2028]), st.integers(0, 10**9)))
    return {
        "format": 1,
        "title": "Plan",
        "year": 2027,
        "forbund": {
            "name": "Samordningsförbundet Prov",
            "members": [
                {"id": "fk", "name": "Försäkringskassan", "side": "state"},
                {"id": "region", "name": "Region Prov", "side": "region"},
                {"id": "kommun", "name": "Provs kommun", "side": "municipality"},
            ],
        },
        "columns": [
            {"year": 2026, "kind": "budget"},
            {"year": 2027, "kind": "budgetplan"},
            {"year": 2028, "kind": "prognos"},
        ],
        "contributions": {"state": state},
        "income": [{"label": "Eget kapital", "kind": "equity", "amounts": draw(amounts)}],
        "reserve": {"amounts": draw(amounts)},
        "cost_groups": groups,
        "costs": costs,
    }


@given(declared_plans())
def test_any_declared_groups_total_as_their_lines_add_up(data: dict[str, Any]) -> None:
    from finsamplan.figures.budget import compute
    from finsamplan.plan.loader import load_text

    loaded = load_text(yaml.safe_dump(data, allow_unicode=True).encode(), "prov.yaml")
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    budget = compute(loaded.plan)
    computed = {c.key: budget.totals[c.key].as_dict() for c in budget.columns}
    want = hand_totals(copy.deepcopy(data))
    assert {name: {k: computed[k][name] for k in computed} for name in want} == want


# --- the complete example of docs/plan-format.md ------------------------------------------------


def test_the_documented_example_has_its_groups_labels_key_and_profile() -> None:
    """The one complete example plan in docs/plan-format.md validates with no finding at all,
    declares its groups, labels and criteria profile, and has the totals its text gives."""
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import load_text

    doc = (ROOT / "docs" / "plan-format.md").read_text("utf-8")
    found = re.search(r"## Ett komplett exempel\n.*?```yaml\n(.*?)```", doc, re.S)
    assert found is not None
    loaded = load_text(found.group(1).encode("utf-8"), "exempel.yaml")
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    assert validate(loaded) == []
    plan = loaded.plan
    assert [(g.id, g.counts_as) for g in plan.groups] == [
        ("styrning", "administration"),
        ("individ", "insatser"),
        ("struktur", "insatser"),
    ]
    assert plan.labels.room is not None and plan.criteria == ["grund"]
    assert all(m.key is not None for m in plan.forbund.members if m.side == "municipality")
    t = {
        name: per_year["2027"]
        for name, per_year in hand_totals(yaml.safe_load(found.group(1))).items()
    }
    assert (t["income"], t["available"]) == (8260000, 9380000)
    assert (t["styrning"], t["individ"], t["struktur"]) == (2100000, 5200000, 900000)
    assert (t["insatser"], t["costs"], t["surplus"], t["room"]) == (
        6100000,
        8200000,
        1180000,
        680000,
    )
    text = " ".join(doc[found.end() :].split()[:80])
    for figure in ("8 260 000", "9 380 000", "2 100 000", "5 200 000", "6 100 000", "680 000"):
        assert figure in text, figure


def test_generated_plans_with_their_own_groups_are_reproducible(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_plans import make_plans

    a = make_plans(tmp_path / "a", n=12, seed=11)
    b = make_plans(tmp_path / "b", n=12, seed=11)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    declared = [_yaml(p) for p in a if "cost_groups" in _yaml(p)]
    assert declared
    for data in declared:
        assert 2 <= len(data["cost_groups"]) <= 5 and data["labels"]
        assert {g["counts_as"] for g in data["cost_groups"]} == {"administration", "insatser"}
