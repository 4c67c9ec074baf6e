"""The output folder after any interruption, and under two renders at once.

A render is killed (``os._exit`` in a forked child: no cleanup, no ``finally``, as with
``kill -9``) just before and just after each ``fsync`` and each rename it makes. The next
render must then recognise the files as its own, write without ``--force``, leave no
temporary file, and still refuse a file the user edited.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_PLAN

from finsamplan.render.files import MANIFEST, OutputConflict, write_all

V1 = {"plan.md": b"# Plan 1\n", "budget.csv": b"a,b\n1,2\n", "budget.json": b"{}\n"}
V2 = {"plan.md": b"# Plan 2\n", "budget.csv": b"a,b\n3,4\n", "budget.json": b'{"v": 2}\n'}
WATCHED = ("fsync", "replace", "link")


def run_until(point: int | None, action: Callable[[], object]) -> int:
    """Run ``action`` in a forked child that dies at the ``point``-th watched call (before it
    when even, after it when odd); the number of watched calls made, or -1 if it died."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        os.close(read)
        calls = [0]

        def watch(name: str) -> None:
            real = getattr(os, name)

            def wrapped(*args: object, **kwargs: object) -> object:
                n = calls[0]
                calls[0] += 1
                if point is not None and n * 2 == point:
                    os._exit(137)
                result = real(*args, **kwargs)
                if point is not None and n * 2 + 1 == point:
                    os._exit(137)
                return result

            setattr(os, name, wrapped)

        for name in WATCHED:
            watch(name)
        try:
            action()
            os.write(write, str(calls[0]).encode())
            os._exit(0)
        except BaseException:
            os._exit(3)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    out = os.read(read, 100).decode()
    os.close(read)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, 137), f"the child failed with {code}"
    return int(out) if code == 0 else -1


def assert_clean(folder: Path, outputs: dict[str, bytes]) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*outputs, MANIFEST]), names  # no temporary file is left
    for name, data in outputs.items():
        assert (folder / name).read_bytes() == data
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    assert set(manifest["files"]) == set(outputs) and "pending" not in manifest


POINTS = 2 * 15  # before and after each watched call of one render of three files


def test_the_fault_points_are_counted(tmp_path: Path) -> None:
    """Three files and two manifest updates, each: fsync of the file, rename, fsync of the
    folder. The tests below stop a render at each of these points, before and after."""
    assert 2 * run_until(None, lambda: write_all(tmp_path / "ut", V1)) == POINTS


@pytest.mark.parametrize("point", range(POINTS))
def test_first_render_interrupted_anywhere(tmp_path: Path, point: int) -> None:
    folder = tmp_path / "ut"
    assert run_until(point, lambda: write_all(folder, V1)) == -1
    write_all(folder, V1)  # no --force
    assert_clean(folder, V1)


@pytest.mark.parametrize("point", range(POINTS))
def test_rerender_interrupted_anywhere_keeps_protection(tmp_path: Path, point: int) -> None:
    folder = tmp_path / "ut"
    write_all(folder, V1)
    assert run_until(point, lambda: write_all(folder, V2)) == -1
    # What the interrupted render left is finsamplan's own: a new render proceeds ...
    write_all(folder, V2)
    assert_clean(folder, V2)
    # ... and an edit by the user is still protected.
    assert run_until(point, lambda: write_all(folder, V1)) == -1
    (folder / "budget.csv").write_bytes(b"mina egna siffror\n")
    with pytest.raises(OutputConflict) as refused:
        write_all(folder, V1)
    assert [p.name for p in refused.value.paths] == ["budget.csv"]


def test_interrupted_render_of_other_formats_then_fewer(tmp_path: Path) -> None:
    """A render cut short while writing plan.md, then one of budget.json only, then all."""
    folder = tmp_path / "ut"
    write_all(folder, V1)
    assert run_until(4, lambda: write_all(folder, V2)) == -1
    write_all(folder, {"budget.json": V2["budget.json"]})
    write_all(folder, V2)
    assert_clean(folder, V2)


def test_a_user_file_named_like_a_temporary_file_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "ut"
    folder.mkdir()
    (folder / ".anteckning.tmp").write_text("min", "utf-8")
    (folder / ".plan.md.kladd.tmp").write_text("min", "utf-8")
    write_all(folder, V1)
    assert (folder / ".anteckning.tmp").exists() and (folder / ".plan.md.kladd.tmp").exists()


def test_a_second_render_waits_for_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "ut"
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another render holds the folder
    done = threading.Event()
    thread = threading.Thread(target=lambda: (write_all(folder, V1), done.set()))
    thread.start()
    time.sleep(0.5)
    assert not done.is_set() and not (folder / "plan.md").exists()
    os.close(fd)
    thread.join(10)
    assert done.is_set()
    assert_clean(folder, V1)


def test_concurrent_renders_into_one_folder_both_succeed(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    command = [
        sys.executable,
        "-m",
        "finsamplan",
        "render",
        str(SEED_PLAN),
        "-f",
        "md",
        "-f",
        "csv",
        "-f",
        "json",
        "-f",
        "xlsx",
        "-o",
        str(out),
    ]
    for _ in range(6):
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        results = [(p.wait(120), p.stderr.read().decode() if p.stderr else "") for p in runs]
        for p in runs:
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()
        assert [code for code, _ in results] == [0, 0], results
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["plan.md", "budget.csv", "budget.json", "budget.xlsx", MANIFEST]
    )
