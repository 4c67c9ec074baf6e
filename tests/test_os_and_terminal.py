"""The operating system's reasons in Swedish, and what a terminal is shown of a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from finsamplan.cli.application import app

runner = CliRunner()


def test_a_missing_export_is_said_in_swedish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["followup", "plan-2023", "--actuals", "saknas.csv"])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "saknas.csv" in said and "kan inte läsas: finns inte" in said, said
    assert "No such file" not in result.output + result.stderr


def test_a_folder_given_as_an_export_is_said_in_swedish(tmp_path: Path) -> None:
    result = runner.invoke(app, ["followup", "plan-2023", "--actuals", str(tmp_path)])
    assert result.exit_code == 2
    assert "är en mapp, inte en fil" in " ".join(result.stderr.split()), result.stderr


def test_an_output_under_a_file_is_said_in_swedish(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x", "utf-8")
    result = runner.invoke(app, ["render", "plan-2023", "-f", "md", "-o", str(blocker / "ut")])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())  # the console folds long lines
    assert "kan inte skriva: en del av sökvägen är inte en mapp" in said, said
    assert "Not a directory" not in result.stderr


def test_an_unknown_reason_keeps_the_systems_words() -> None:
    from finsamplan.base.oserror import reason

    assert reason(OSError(5, "Input/output error")) == "Input/output error"
    assert reason(FileNotFoundError(2, "No such file or directory")) == "finns inte"


def test_a_binary_files_excerpt_shows_no_control_characters(tmp_path: Path) -> None:
    plan = tmp_path / "bin.yaml"
    plan.write_bytes(b"title: x\x00\x01\x1b[31m\nyear: [\n")
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code == 2
    assert "title: x\u2400\u2401\u241b[31m" in result.output
    assert not [c for c in result.output if ord(c) < 0x20 and c not in "\n\t"]


def test_brackets_and_colons_in_a_plan_show_as_written(tmp_path: Path) -> None:
    """rich would read ``[/b]`` as markup (an internal error, exit 3), drop ``[utkast]`` as a
    style and turn ``:smile:`` into an emoji; the terminal shows the plan's words."""
    seed = Path(__file__).parents[1] / "plans" / "plan-2023.yaml"
    text = seed.read_text("utf-8")
    first_title = next(line for line in text.splitlines() if line.startswith("title:"))
    plan = tmp_path / "hakar.yaml"
    plan.write_text(text.replace(first_title, 'title: "Plan [utkast] :smile: [/b]"'), "utf-8")
    for fmt in ("table", "text"):
        result = runner.invoke(app, ["validate", str(plan), "-f", fmt], terminal_width=200)
        assert result.exit_code == 0, result.output + result.stderr
        if fmt == "table":
            assert "Plan [utkast] :smile: [/b]" in result.output, result.output
        assert "\U0001f604" not in result.output
