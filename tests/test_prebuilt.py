"""The plan model's validators kept between starts (plan/prebuilt.py): used when they
match, rebuilt when they do not, never a different result and never a failure."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "plans" / "plan-2023.yaml"

# A child that imports the model and says how its validators came about: "kept" when
# pydantic generated no schema (GenerateSchema is made to fail), "built" otherwise, then
# the JSON Schema's size and the seed plan's findings, to compare between the two ways.
CHILD = """
import json, sys
from pydantic._internal import _generate_schema
calls = []
original = _generate_schema.GenerateSchema.generate_schema
def spy(self, obj):
    calls.append(obj)
    return original(self, obj)
_generate_schema.GenerateSchema.generate_schema = spy
from finsamplan.plan import model
from finsamplan.plan.loader import load_plan
from finsamplan.judge.rules import validate
from pathlib import Path
loaded = load_plan(Path(sys.argv[1]))
found = sorted((f.code, f.line, f.message) for f in validate(loaded))
print(json.dumps({
    "way": "built" if calls else "kept",
    "schema": json.dumps(model.json_schema(), sort_keys=True),
    "findings": found,
    "dump": loaded.plan.model_dump(mode="json"),
}))
"""


def _run(cache: Path) -> dict[str, object]:
    import json

    env = {**os.environ, "FINSAMPLAN_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(SEED)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _kept_file(cache: Path) -> Path:
    files = list(cache.glob("finsamplan.plan.model-*.pickle"))
    assert len(files) == 1, files
    return files[0]


def test_built_once_then_kept_with_the_same_results(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first["way"] == "built"
    kept = _kept_file(tmp_path)
    second = _run(tmp_path)
    assert second["way"] == "kept"
    assert second["schema"] == first["schema"]
    assert second["findings"] == first["findings"] and first["findings"]
    assert second["dump"] == first["dump"]
    assert _kept_file(tmp_path) == kept


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", pickle.dumps((1, ("old python",), ())) + b"rest", b"\x80\x05garbage"],
)
def test_a_damaged_or_stale_file_is_built_anew(tmp_path: Path, damage: bytes) -> None:
    _run(tmp_path)
    _kept_file(tmp_path).write_bytes(damage)
    assert _run(tmp_path)["way"] == "built"
    assert _run(tmp_path)["way"] == "kept"


def test_a_changed_source_file_is_built_anew(tmp_path: Path) -> None:
    """The header names every source with its modification time and size, as a .pyc."""
    _run(tmp_path)
    path = _kept_file(tmp_path)
    with path.open("rb") as fh:
        fmt, versions, sources = pickle.load(fh)
        rest = fh.read()
    files = [file for file, _, _ in sources]
    assert any(f.endswith(os.path.join("plan", "model.py")) for f in files), files
    assert any(f.endswith(os.path.join("base", "money.py")) for f in files), files
    assert any(f.endswith(os.path.join("plan", "labels.py")) for f in files), files
    older = tuple((f, mtime - 1, size) for f, mtime, size in sources)
    path.write_bytes(pickle.dumps((fmt, versions, older)) + rest)
    assert _run(tmp_path)["way"] == "built"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    first = _run(blocker / "cache")  # a folder under a file: cannot be made
    assert first["way"] == "built" and first["findings"]
    assert _run(blocker / "cache")["way"] == "built"


def test_the_cache_folder_is_the_users_own(tmp_path: Path) -> None:
    _run(tmp_path / "ny")
    assert (tmp_path / "ny").stat().st_mode & 0o777 == 0o700
