"""The command line: exit codes, output shapes, and help for every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_validate_seed_plan_exits_zero_with_the_expected_findings() -> None:
    code, out, _ = run("validate", "plan-2023", "--format", "json")
    assert code == 0
    data = json.loads(out)
    found = data["plans"][0]["findings"]
    keys = {"code", "severity", "message", "file", "line", "column", "year", "figures"}
    assert all(keys <= f.keys() for f in found)
    pairs = {(f["code"], f["year"]) for f in found}
    assert {("FIN030", "2022"), ("FIN040", "2023"), ("FIN050", "2025")} <= pairs
    # 2023 leaves its reserve (the room is stated spent): under the ceiling, as forecast says
    assert ("FIN030", "2023") not in pairs
    assert {("FIN090", "2024"), ("FIN090", "2025")} <= pairs  # the printed room, explained
    assert data["summary"] == {"plans": 1, "errors": 0, "warnings": 6, "info": 6, "exit_code": 0}
    drawn = next(f for f in found if f["code"] == "FIN021" and f["year"] == "2023")
    assert drawn["severity"] == "warning" and "ska" in drawn["message"]
    jobbsam = next(f for f in found if f["code"] == "FIN050" and f["year"] == "2025")
    assert jobbsam["file"].endswith("plan-2023.yaml") and jobbsam["line"] > 0


def test_validate_table_has_summary_line() -> None:
    code, out, _ = run("validate", str(SEED_PLAN))
    assert code == 0
    assert "FIN030" in out and "FIN050" in out
    assert out.strip().splitlines()[-1] == "1 plan kontrollerad: 0 fel, 6 varningar, 6 upplysningar"


def test_validate_text_lines_are_editor_jump_targets() -> None:
    _code, out, _ = run("validate", str(SEED_PLAN), "--format", "text")
    first = out.splitlines()[0]
    file, line, column, rest = first.split(":", 3)
    assert file.endswith("plan-2023.yaml") and int(line) > 0 and int(column) > 0
    assert rest.startswith(" varning FIN030")


def test_strict_makes_warnings_fail() -> None:
    code, _, _ = run("validate", "plan-2023", "--strict")
    assert code == 1


def test_rule_error_exits_one(tmp_path: Path) -> None:
    bad = tmp_path / "obalans.yaml"
    bad.write_text(
        MINIMAL.replace("{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1700000"), "utf-8"
    )
    code, out, _ = run("validate", str(bad), "--format", "text")
    assert code == 1
    assert "fel FIN020 Budgetplan 2027: kostnaderna 2\u00a0400\u00a0000 kr" in out


def test_unreadable_plan_exits_two_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text("format: 1\ntitle: [\n", "utf-8")
    code, out, _ = run("validate", str(bad))
    assert code == 2
    assert "trasig.yaml:3:1: fel YAML001" in out
    assert "Traceback" not in out


def test_unknown_plan_id_exits_two() -> None:
    code, _, err = run("validate", "plan-1999")
    assert code == 2
    assert "planen 'plan-1999' finns inte" in err


def test_plan_id_cannot_climb_out_of_plans() -> None:
    code, _, err = run("render", "..")
    assert code == 2
    assert "inget giltigt plan-id" in err


def test_usage_error_exits_two() -> None:
    code, _, _ = run("validate", "--format", "pdf")
    assert code == 2


def test_validate_without_arguments_takes_every_plan(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a-2027.yaml").write_text(MINIMAL, "utf-8")
    (tmp_path / "plans" / "b-2023.yaml").write_bytes(SEED_PLAN.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("validate", "--format", "json")
    assert code == 0
    assert [p["id"] for p in json.loads(out)["plans"]] == ["a-2027", "b-2023"]


def test_render_json_gives_every_total() -> None:
    code, out, _ = run("render", "plan-2023", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["years"] == ["2022", "2023", "2024", "2025"]
    t = data["totals"]
    assert t["available"] == {"2022": 6393489, "2023": 6197509, "2024": 4910000, "2025": 4840000}
    assert t["income"] == {"2022": 4324000, "2023": 4314000, "2024": 4260000, "2025": 4240000}
    assert t["equity"]["2022"] == 2069489
    assert t["administration"] == {
        "2022": 1274980,
        "2023": 1909780,
        "2024": 1479980,
        "2025": 1504980,
    }
    assert t["utvecklingsinsatser"] == {
        "2022": 900000,
        "2023": 1030000,
        "2024": 496000,
        "2025": 471000,
    }
    assert t["projekt"] == {"2022": 2335000, "2023": 2290000, "2024": 2190000, "2025": 2220000}
    assert t["activities"] == {"2022": 3235000, "2023": 3320000, "2024": 2686000, "2025": 2691000}
    assert t["costs"] == {"2022": 4509980, "2023": 5229780, "2024": 4165980, "2025": 4195980}
    assert t["surplus"] == {"2022": 1883509, "2023": 967729, "2024": 744020, "2025": 644020}
    assert t["reserve"] == {"2022": 650000, "2023": 650000, "2024": 600000, "2025": 600000}
    assert t["room"] == {"2022": 1233509, "2023": 317729, "2024": 144020, "2025": 44020}
    sections = {s["id"]: s for s in data["sections"]}
    assert list(sections) == ["income", "administration", "utvecklingsinsatser", "projekt"]
    for s in data["sections"]:
        for year in data["years"]:
            assert s["total"][year] == sum(r["amounts"][year] for r in s["rows"])


def test_render_json_to_folder(tmp_path: Path) -> None:
    code, out, _ = run("render", "plan-2023", "-f", "json", "-o", str(tmp_path / "ut"))
    assert code == 0
    data = json.loads((tmp_path / "ut" / "budget.json").read_text("utf-8"))
    assert data["totals"]["room"]["2023"] == 317729
    assert "budget.json" in out


def test_render_refuses_rule_errors_unless_forced(tmp_path: Path) -> None:
    bad = tmp_path / "obalans.yaml"
    bad.write_text(
        MINIMAL.replace("{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1700000"), "utf-8"
    )
    code, out, err = run("render", str(bad), "-f", "json")
    assert code == 1 and out == ""
    assert "--force" in err
    code, out, _ = run("render", str(bad), "-f", "json", "--force")
    assert code == 0
    assert json.loads(out)["totals"]["room"]["2027"] == -200000


def test_schema_is_json_schema_of_the_plan(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"format", "forbund", "columns", "income", "costs"} <= set(schema["properties"])
    target = tmp_path / "plan.schema.json"
    assert run("schema", "-o", str(target))[0] == 0
    assert run("schema", "-o", str(target))[0] == 2  # never overwritten without --force
    assert run("schema", "-o", str(target), "--force")[0] == 0


def test_plans_lists_the_seed_plan() -> None:
    code, out, _ = run("plans")
    assert code == 0
    assert "plan-2023" in out and "FinsamGotland" in out


def test_every_command_has_help_and_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, name
        assert f"finsamplan {name}" in readme, name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Användning" in out


def test_input_file_is_never_modified(tmp_path: Path) -> None:
    before = SEED_PLAN.read_bytes()
    assert run("validate", str(SEED_PLAN))[0] == 0
    assert run("render", str(SEED_PLAN), "-f", "md", "-f", "json", "-o", str(tmp_path))[0] == 0
    assert SEED_PLAN.read_bytes() == before
