"""What a new user met on the first day: places, paths and the next year's plan."""

from pathlib import Path

from typer.testing import CliRunner

from finsamplan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLAN_2023 = ROOT / "plans" / "plan-2023.yaml"
runner = CliRunner()


def test_forecast_findings_name_the_plan_file_not_a_placeholder() -> None:
    result = runner.invoke(app, ["forecast", str(PLAN_2023), "--until", "2026"])
    lines = [line for line in result.output.splitlines() if " FIN040 Prognos 2024" in line]
    assert lines, result.output
    assert lines[0].startswith("plans/plan-2023.yaml: varning FIN040 Prognos 2024: administrat")
    assert "<plan>" not in result.output
