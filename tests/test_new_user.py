"""What a new user met on the first day: places, paths and the next year's plan."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from finsamplan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLAN_2023 = ROOT / "plans" / "plan-2023.yaml"
NORDANA = ROOT / "plans" / "examples" / "nordana-2027.yaml"
runner = CliRunner()


def test_forecast_findings_name_the_plan_file_not_a_placeholder() -> None:
    result = runner.invoke(app, ["forecast", str(PLAN_2023), "--until", "2026"])
    lines = [line for line in result.output.splitlines() if " FIN040 Prognos 2024" in line]
    assert lines, result.output
    assert lines[0].startswith("plans/plan-2023.yaml: varning FIN040 Prognos 2024: administrat")
    assert "<plan>" not in result.output


def test_new_inside_the_plans_folder_puts_the_plan_next_to_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "nordana-2027.yaml").write_bytes(NORDANA.read_bytes())
    monkeypatch.chdir(plans)
    result = runner.invoke(app, ["new", "nordana-2028", "--from", "nordana-2027"])
    assert result.exit_code == 0, result.output
    assert (plans / "nordana-2028.yaml").is_file()
    assert not (plans / "plans").exists()  # never plans/plans


def test_new_from_a_shipped_plan_writes_into_the_users_plans_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"])
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()).startswith("skrev plans/plan-2024.yaml från plan-2023")
    assert (tmp_path / "plans" / "plan-2024.yaml").is_file()
