"""The installed toolkit works from any folder, and never shows a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from finsamplan import cli
from finsamplan.plan import catalog


def test_embedded_plans_are_found_without_a_checkout() -> None:
    assert (catalog.data_dir("plans") / "plan-2023.yaml").is_file()


def test_command_runs_from_an_unrelated_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "finsamplan", "validate", "plan-2023", "--format", "text"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "FIN030" in result.stdout
    assert result.stdout.strip().endswith("0 fel, 6 varningar, 6 upplysningar")


def test_local_plans_folder_wins_over_embedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plans").mkdir()
    monkeypatch.chdir(tmp_path)
    assert catalog.plans_dir() == tmp_path / "plans"
    assert catalog.list_plans() == []
    # An id missing from the local folder falls back to the plans shipped with finsamplan …
    assert catalog.resolve("plan-2023") == catalog.data_dir("plans") / "plan-2023.yaml"
    # … but a local plan with the same id wins.
    (tmp_path / "plans" / "plan-2023.yaml").write_text("format: 1\n", "utf-8")
    assert catalog.resolve("plan-2023") == tmp_path / "plans" / "plan-2023.yaml"
    with pytest.raises(catalog.PlanNotFound, match="finns inte"):
        catalog.resolve("plan-1999")


def test_internal_error_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom() -> None:
        raise RuntimeError("oväntat")

    monkeypatch.setattr(cli, "app", boom)
    monkeypatch.delenv("FINSAMPLAN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "internt fel" in err and "Traceback" not in err


def test_the_documented_minimal_example_is_valid_and_clean() -> None:
    import re

    from conftest import ROOT, load

    from finsamplan.judge.rules import validate

    doc = (ROOT / "docs" / "plan-format.md").read_text("utf-8")
    example = re.search(r"## Ett komplett exempel\n.*?```yaml\n(.*?)```", doc, re.S)
    assert example is not None
    loaded = load(example.group(1), "exempel.yaml")
    assert loaded.plan is not None, [f.format() for f in loaded.findings]
    assert validate(loaded) == []
