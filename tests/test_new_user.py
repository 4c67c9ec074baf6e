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


def test_new_clears_last_years_board_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finsamplan.plan.loader import load_plan

    text = NORDANA.read_text("utf-8").replace(
        "    decision:\n",
        "    decision:\n      proposal: Styrelsen beslutar att bevilja 1 000 000 kr.\n"
        "      meeting: 2026-11-19\n",
        1,
    )
    (tmp_path / "nordana-2027.yaml").write_text(text, "utf-8")
    source = load_plan(tmp_path / "nordana-2027.yaml").plan
    assert source is not None and source.activities[0].decision is not None
    assert source.activities[0].decision.meeting is not None  # the edit took
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["new", "nordana-2028", "--from", "nordana-2027.yaml"])
    assert made.exit_code == 0, made.output
    new = load_plan(tmp_path / "nordana-2028.yaml").plan
    assert new is not None and new.activities[0].decision is not None
    assert new.activities[0].decision.proposal is None
    assert new.activities[0].decision.meeting is None
    assert new.activities[0].decision.parties == source.activities[0].decision.parties
    written = (tmp_path / "nordana-2028.yaml").read_text("utf-8")
    assert "Styrelsen beslutar att bevilja" not in written
    assert "insatsernas förslag till beslut och beslutsmöte töms" in written


def test_new_state_allocation_is_for_the_new_plan_year_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finsamplan.plan.loader import load_plan

    (tmp_path / "nordana-2027.yaml").write_bytes(NORDANA.read_bytes())
    monkeypatch.chdir(tmp_path)
    args = ["new", "nordana-2028", "--from", "nordana-2027.yaml"]
    made = runner.invoke(
        app, [*args, "--state-allocation", "4200000", "--announced-on", "2027-11-01"]
    )
    assert made.exit_code == 0, made.output
    new = load_plan(tmp_path / "nordana-2028.yaml").plan
    assert new is not None
    # as the help and docs/year-cycle.md say: the announcement is the new year's; the
    # prognos years keep the forecast's amounts from nordana-2027
    assert new.contributions.state == {
        "2027": 4130000,
        "2028": 4200000,
        "2029": 4171300,
        "2030": 4171300,
    }
    helped = runner.invoke(app, ["new", "--help"], terminal_width=200)
    assert "för det nya planåret (bara det året)" in helped.output
