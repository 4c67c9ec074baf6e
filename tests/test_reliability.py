"""Nothing lost, nothing injected: inputs unchanged by every command, no template escape."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import MINIMAL, PLANS, ROOT, SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app

runner = CliRunner()
EXPORT = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_command_modifies_its_inputs(tmp_path: Path) -> None:
    inputs = [
        SEED_PLAN,
        PLANS / "examples" / "exempel-2027.yaml",
        EXPORT,
        ROOT / "criteria" / "skane.yaml",
    ]
    before = {p: digest(p) for p in inputs}
    out = str(tmp_path / "ut")
    commands = [
        ["validate", str(SEED_PLAN)],
        ["render", str(SEED_PLAN), "-o", out, "-f", "md", "-f", "xlsx", "-f", "csv"],
        ["render", str(SEED_PLAN), "--insats", "jobbsam", "-o", out, "-f", "md"],
        ["forecast", str(SEED_PLAN), "-f", "json"],
        ["check", str(SEED_PLAN), "--criteria", str(ROOT / "criteria" / "skane.yaml")],
        ["followup", str(SEED_PLAN), "-a", str(EXPORT), "-f", "json", "-o", out],
        ["compare", str(SEED_PLAN), str(PLANS / "examples" / "exempel-2027.yaml")],
        ["new", str(tmp_path / "plan-2024.yaml"), "--from", str(SEED_PLAN)],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.output)
    assert {p: digest(p) for p in inputs} == before


def test_plan_text_is_not_a_template(tmp_path: Path) -> None:
    plan = tmp_path / "mall.yaml"
    plan.write_text(
        MINIMAL + 'sections:\n  - id: s\n    title: "{{ 7*7 }}"\n'
        "    text: \"{% include '/etc/passwd' %} {{ config }} {{ reserve 2027 }}\"\n",
        "utf-8",
    )
    result = runner.invoke(
        app, ["render", str(plan), "-f", "md", "-f", "html", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    md = (tmp_path / "o" / "plan.md").read_text("utf-8")
    assert "{{ 7*7 }}" in md and "{% include '/etc/passwd' %}" in md and "{{ config }}" in md
    assert "100\u00a0000" in md  # only the budget placeholder is filled
    assert "root:" not in md


def test_templates_cannot_escape_their_folder(tmp_path: Path) -> None:
    mine = tmp_path / "mallar"
    mine.mkdir()
    (tmp_path / "hemlig.j2").write_text("HEMLIGT", "utf-8")
    (mine / "plan.md.j2").write_text("{% include '../hemlig.j2' %}", "utf-8")
    result = runner.invoke(
        app,
        ["render", str(SEED_PLAN), "-f", "md", "-o", str(tmp_path / "o"), "--templates", str(mine)],
    )
    assert result.exit_code == 2
    assert "mallfel" in result.stderr
    assert not (tmp_path / "o" / "plan.md").exists()


def test_plan_ids_stay_inside_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ".." names a folder (searched with its subfolders, like any folder); here the folder
    # above holds no plans, so it gives nothing, and the test reads no files around it.
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    for name in ("../plan-2023", "..", "plans/../../etc", "-x"):
        result = runner.invoke(app, ["validate", name])
        assert result.exit_code == 2, name
