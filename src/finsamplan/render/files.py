"""Writing a render's files: all or nothing, and only over files finsamplan wrote itself.

The output folder keeps a manifest (``.finsamplan-render.json``) of the files a render
wrote and their SHA-256. A later render replaces a file only if it is in the manifest and
unchanged since; a file the user wrote or edited is kept unless ``--force``. Every file is
produced in memory before the first one is written, and each is written atomically.

An interrupted render (a crash, ``kill -9``, a full disk) must not make the next one refuse
its own files. So the new digests are recorded in the manifest as *pending* before the first
rename, and moved to *files* after the last: a file whose content is either its recorded or
its pending digest is finsamplan's. Temporary files an interrupted render left behind are
removed. Two renders into one folder take turns: the folder is locked (``flock``) from the
reading of the manifest to its last update.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.outputs import atomic_write

MANIFEST = ".finsamplan-render.json"
LOCK_WAIT = 120.0  # seconds to wait for another render into the same folder


class OutputConflict(FinsamplanError, FileExistsError):
    """Files in the output folder that finsamplan did not write (or that were edited)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


class FolderBusy(FinsamplanError, OSError):
    """Another render has held the output folder longer than LOCK_WAIT."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The recorded digests and the pending ones (from a render that did not finish)."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict):
        return {}, {}

    def names(key: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items() if _plain_name(str(k))}

    return names("files"), names("pending")


def _plain_name(name: str) -> bool:
    """A file name in the folder itself (a manifest could be edited to say anything)."""
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name


def _write_manifest(folder: Path, files: dict[str, str], pending: dict[str, str]) -> None:
    payload: dict[str, object] = {"generator": "finsamplan", "files": files}
    if pending:
        payload["pending"] = pending
    atomic_write(folder / MANIFEST, json.dumps(payload, indent=2, sort_keys=True) + "\n")


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the folder itself; no lock file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    busy = f"{folder}: en annan körning av finsamplan skriver där"
                    raise FolderBusy(busy) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _temp_pattern(names: set[str]) -> re.Pattern[str]:
    """The temporary files ``atomic_write`` makes for these names: ``.NAME.XXXXXXXX.tmp``."""
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    return re.compile(rf"\.(?:{alternatives})\.[a-z0-9_]{{8}}\.tmp")


def _remove_leftovers(folder: Path, names: set[str]) -> None:
    """Remove temporary files an interrupted render left (only ever our own names)."""
    pattern = _temp_pattern(names | {MANIFEST})
    for entry in os.scandir(folder):
        if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


def _settled(folder: Path, known: dict[str, str], pending: dict[str, str]) -> dict[str, str]:
    """The recorded digests, with those of an unfinished render's files that made it."""
    out = dict(known)
    for name, digest in pending.items():
        path = folder / name
        if path.is_file() and not path.is_symlink() and _digest(path.read_bytes()) == digest:
            out[name] = digest
    return out


def _conflicts(folder: Path, outputs: dict[str, bytes], known: dict[str, str]) -> list[Path]:
    out = []
    for name in outputs:
        target = folder / name
        if not (target.exists() or target.is_symlink()):
            continue
        ours = target.is_file() and not target.is_symlink()
        if not ours or _digest(target.read_bytes()) != known.get(name):
            out.append(target)
    return out


def write_all(folder: Path, outputs: dict[str, bytes], *, force: bool = False) -> list[Path]:
    """Write ``outputs`` (file name → bytes) into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        recorded, pending = _read_manifest(folder)
        _remove_leftovers(folder, set(outputs) | set(recorded) | set(pending))
        known = _settled(folder, recorded, pending)
        if not force:
            conflicts = _conflicts(folder, outputs, known)
            if conflicts:
                raise OutputConflict(conflicts)
        new = {name: _digest(data) for name, data in outputs.items()}
        _write_manifest(folder, known, new)  # the journal: what the renames will leave
        written = [atomic_write(folder / name, data) for name, data in outputs.items()]
        _write_manifest(folder, {**known, **new}, {})
    return written
