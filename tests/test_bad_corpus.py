"""The bad-plan corpus (tests/bad/): each file's exact code and place, exit 2, no traceback,
and hostile input refused within the stated bounds (docs/reliability.md)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.plan.loader import load_plan

BAD = ROOT / "tests" / "bad"
EXPECTED: dict[str, str] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))
MEMORY_LIMIT = 500 * 1024 * 1024  # 500 MB of address space for the whole process
TIME_LIMIT = 5.0  # seconds, on the 2-core reference machine
runner = CliRunner()


def test_the_corpus_is_complete() -> None:
    files = sorted(p.name for p in BAD.glob("*.yaml") if p.name != "expected.yaml")
    assert files == sorted(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_has_its_code_and_place(name: str) -> None:
    code, place = EXPECTED[name].split()
    line, column = (int(x) for x in place.split(":"))
    loaded = load_plan(BAD / name)
    assert loaded.plan is None
    assert (code, line, column) in [(f.code, f.line, f.column) for f in loaded.findings], [
        f.as_line() for f in loaded.findings
    ]
    assert all(f.severity.value == "error" and f.message for f in loaded.findings)
    result = runner.invoke(app, ["validate", str(BAD / name), "--format", "text"])
    assert result.exit_code == 2
    assert f"{name}:{line}:{column}: fel {code}" in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(path: Path) -> tuple[int, str, float]:
    """The real command in its own process, with the memory bound enforced by the kernel."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "finsamplan", "validate", str(path), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT * 3,
        preexec_fn=_limited,
    )
    return result.returncode, result.stdout + result.stderr, time.perf_counter() - start


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "alias-bomb": BAD / "30-alias-bomb.yaml",
        "deep-flow": folder / "deep-flow.yaml",
        "big": folder / "big.yaml",
        "long-string": folder / "long-string.yaml",
        "just-under-limit": folder / "under.yaml",
    }
    files["deep-flow"].write_text("format: " + "[" * 200_000 + "]" * 200_000 + "\n")
    deep = 100_000
    for name, text in {
        "deep-compact-sequence": "format: 1\nx:\n  " + "- " * deep + "x\n",
        "deep-complex-keys": "format: 1\n" + "? " * deep + "x\n",
        "deep-flow-mapping": "format: " + "{a: " * deep + "}" * deep + "\n",
        "deep-mixed-flow": "format: " + "[{a: " * deep + "\n",
        "deep-block": "".join(" " * i + f"k{i}:\n" for i in range(3_000)),
    }.items():
        files[name] = folder / f"{name}.yaml"
        files[name].write_text(text)
    files["fifo"] = folder / "fifo.yaml"
    os.mkfifo(files["fifo"])
    files["device"] = Path("/dev/zero")
    with files["big"].open("w") as fh:
        fh.write("format: 1\n")
        line = "# " + "x" * 1022 + "\n"
        fh.write(line * (50 * 1024))
    files["long-string"].write_text('format: 1\ntitle: "' + "x" * 10_000_000 + '"\n')
    with files["just-under-limit"].open("w") as fh:
        fh.write("format: 1\n")
        fh.write(("- [" + "a, " * 300 + "]\n") * 19_000)
    return files


@pytest.mark.parametrize(
    "name, code",
    [
        ("alias-bomb", "YAML003"),
        ("deep-flow", "YAML009"),
        ("big", "IO001"),
        ("long-string", "SCH005"),
        ("just-under-limit", "YAML001"),
        ("deep-compact-sequence", "deep-compact-sequence.yaml:3:129: fel YAML009"),
        ("deep-complex-keys", "deep-complex-keys.yaml:2:129: fel YAML009"),
        ("deep-flow-mapping", "deep-flow-mapping.yaml:1:261: fel YAML009"),
        ("deep-mixed-flow", "deep-mixed-flow.yaml:1:"),
        ("deep-block", "deep-block.yaml:65:65: fel YAML009"),
        ("fifo", "fifo.yaml: fel IO001 är ingen vanlig fil"),
        ("device", "/dev/zero: fel IO001 är ingen vanlig fil"),
    ],
)
def test_hostile_input_is_refused_within_bounds(
    hostile: dict[str, Path], name: str, code: str
) -> None:
    returncode, output, seconds = run_bounded(hostile[name])
    assert returncode == 2, output[-2000:]
    assert code in output
    assert "Traceback" not in output
    assert seconds < TIME_LIMIT, seconds


def test_fifty_megabytes_is_refused_before_reading(hostile: dict[str, Path]) -> None:
    loaded = load_plan(hostile["big"])
    assert [f.code for f in loaded.findings] == ["IO001"]
    assert "50 MB; en planfil får vara högst 20 MB" in loaded.findings[0].message


def test_long_string_is_named_with_its_place(hostile: dict[str, Path]) -> None:
    loaded = load_plan(hostile["long-string"])
    titles = [f for f in loaded.findings if f.path[:1] == ("title",)]
    assert titles and (titles[0].line, titles[0].column) == (2, 8)
    assert titles[0].excerpt is not None and len(titles[0].excerpt) < 400


EXPORT = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"


def commands(plan: str, out: Path) -> list[list[str]]:
    return [
        ["validate", plan],
        ["validate", plan, "--format", "json"],
        ["render", plan, "-f", "md", "-f", "csv", "-o", str(out)],
        ["forecast", plan, "-f", "csv"],
        ["check", plan],
        ["compare", plan, "-f", "csv"],
        ["followup", plan, "-a", str(EXPORT)],
        ["new", str(out / "ny.yaml"), "--from", plan],
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_command_exits_two_on_every_bad_file(name: str, tmp_path: Path) -> None:
    for args in commands(str(BAD / name), tmp_path / "ut"):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert "internt fel" not in result.output
    assert not (tmp_path / "ut").exists()


def test_a_folder_with_bad_plans_still_reports_the_good_one(tmp_path: Path) -> None:
    from conftest import MINIMAL

    for name in ("45-impossible-date.yaml", "49-deep-compact-sequence.yaml", "30-alias-bomb.yaml"):
        (tmp_path / name).write_bytes((BAD / name).read_bytes())
    (tmp_path / "bra.yaml").write_text(MINIMAL, "utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    plans = {Path(p["file"]).name: p["readable"] for p in json.loads(result.stdout)["plans"]}
    assert plans == {
        "45-impossible-date.yaml": False,
        "49-deep-compact-sequence.yaml": False,
        "30-alias-bomb.yaml": False,
        "bra.yaml": True,
    }
    result = runner.invoke(app, ["compare", str(tmp_path), "-f", "json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert [r["file"] for r in payload["rows"]] == [str(tmp_path / "bra.yaml")]
    assert len(payload["unreadable"]) == 3
