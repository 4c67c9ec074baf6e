"""The installed toolkit works from any folder, and never shows a traceback."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from finsamplan import cli
from finsamplan.plan import catalog


def _shipped(folder: Path) -> list[Path]:
    """The files under a folder of the checkout that a wheel must hold: what git tracks (a
    checkout may hold files of its own, e.g. a plan made while trying things out)."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--", str(folder.relative_to(ROOT))],
        capture_output=True,
        check=False,
        timeout=60,
    )
    if listed.returncode == 0:  # a git checkout
        return [ROOT / name for name in listed.stdout.decode().split("\0") if name]
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """finsamplan built as a wheel from this checkout, as `pip install` builds it."""
    folder = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (found,) = folder.glob("finsamplan-*.whl")
    return found


def test_the_wheel_holds_every_data_file(wheel: Path) -> None:
    """An editable install reads plans/, templates/ and criteria/ from the checkout, so only a
    built wheel shows a file left out of the package: every shipped file is in it."""
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"finsamplan/_data/{p.relative_to(ROOT).as_posix()}"
        for name in ("plans", "templates", "criteria")
        for p in _shipped(ROOT / name)
    }
    src = ROOT / "src"
    expected |= {p.relative_to(src).as_posix() for p in _shipped(src / "finsamplan")}
    assert {"finsamplan/_data/plans/plan-2023.yaml", "finsamplan/web/static/app.js"} <= expected
    assert sorted(expected - names) == []


def test_embedded_plans_are_found_without_a_checkout(wheel: Path, tmp_path: Path) -> None:
    """The wheel installed into a folder of its own, first on the path, from a folder that
    is no checkout: plans and criteria come from inside the installed package."""
    target = tmp_path / "installed"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
    done = subprocess.run([*pip, str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code = (
        "from finsamplan.plan import catalog; "
        "print(catalog.resolve('plan-2023')); print(catalog.data_dir('criteria'))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    data = target / "finsamplan" / "_data"
    assert shown.stdout.splitlines() == [
        str(data / "plans" / "plan-2023.yaml"),
        str(data / "criteria"),
    ]


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
    def boom(**_: object) -> None:
        raise RuntimeError("oväntat")

    monkeypatch.setattr(cli, "only_the_command_named", lambda args: boom)
    monkeypatch.delenv("FINSAMPLAN_DEBUG", raising=False)
    pace = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main()
    finally:  # main sets the process's garbage collection for a command's life
        gc.set_threshold(*pace)
        gc.unfreeze()
    assert exc.value.code == 3
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
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    assert validate(loaded) == []
