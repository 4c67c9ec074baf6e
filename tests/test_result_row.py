"""An export that ends with "Årets resultat": the net of its rows with the sign turned."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finsamplan.cli.application import app

runner = CliRunner()

ROWS = """\
Datum;Konto;Text;Belopp
2023-01-15;3010;Försäkringskassan;-1 000 000,00
2023-01-15;3020;Region Gotland;-1 000 000,00
2023-02-10;5010;Lokalhyra;22 800,66
;;Summa;-1 977 199,34
"""


def followup(tmp_path: Path, text: str) -> dict:  # type: ignore[type-arg]
    export = tmp_path / "export.csv"
    export.write_text(text, "utf-8")
    args = ["followup", "plan-2023", "-a", str(export), "--until", "2023-10-31", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def codes(report: dict) -> list[str]:  # type: ignore[type-arg]
    every = report["malformed"] + report["notes"] + report["warnings"]
    return [f["code"] for f in every if f["code"].startswith(("ACT", "UPP04"))]


def test_the_result_row_is_kept_apart_and_summa_stays_the_exports_total(tmp_path: Path) -> None:
    report = followup(tmp_path, ROWS + ";;Årets resultat;1 977 199,34\n")
    rec = report["reconciliation"]
    assert (rec["declared_total"], rec["declared_row"], rec["difference"]) == (
        "-1977199.34",
        5,
        "0.00",
    )
    assert [(t["row"], t["rule"], t["grand"]) for t in rec["totals"]] == [
        (5, "sum", True),
        (6, "result", False),
    ]
    assert codes(report) == []


def test_a_result_row_that_is_not_the_net_is_still_an_error(tmp_path: Path) -> None:
    report = followup(tmp_path, ROWS + ";;Årets resultat;1 977 000,00\n")
    assert codes(report) == ["ACT014"]
    (bad,) = [f for f in report["malformed"] if f["code"] == "ACT014"]
    assert bad["line"] == 6


def test_a_result_row_after_an_export_without_summa(tmp_path: Path) -> None:
    text = ROWS.replace(";;Summa;-1 977 199,34\n", "") + ";;Årets resultat;1 977 199,34\n"
    report = followup(tmp_path, text)
    rec = report["reconciliation"]
    assert rec["declared_row"] is None
    assert [(t["row"], t["rule"]) for t in rec["totals"]] == [(5, "result")]
    assert codes(report) == []
