"""Writing a render's files: all or nothing, and only over files finsamplan wrote itself.

The output folder keeps a manifest (``.finsamplan-render.json``) of the files a render
wrote and their SHA-256. A later render replaces a file only if it is in the manifest and
unchanged since; a file the user wrote or edited is kept unless ``--force``. Every file is
produced in memory before the first one is written, and each is written atomically, so a
failure leaves the earlier outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from finsamplan.base.outputs import atomic_write

MANIFEST = ".finsamplan-render.json"


class OutputConflict(FileExistsError):
    """Files in the output folder that finsamplan did not write (or that were edited)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def write_all(folder: Path, outputs: dict[str, bytes], *, force: bool = False) -> list[Path]:
    """Write ``outputs`` (file name → bytes) into ``folder``; return the paths written."""
    manifest = _manifest(folder)
    conflicts = []
    for name in outputs:
        target = folder / name
        if target.exists() and not force:
            known = manifest.get(name)
            if known is None or not target.is_file() or _digest(target.read_bytes()) != known:
                conflicts.append(target)
    if conflicts:
        raise OutputConflict(conflicts)
    written = []
    for name, data in outputs.items():
        written.append(atomic_write(folder / name, data))
        manifest[name] = _digest(data)
        atomic_write(
            folder / MANIFEST,
            json.dumps({"generator": "finsamplan", "files": manifest}, indent=2, sort_keys=True)
            + "\n",
        )
    return written
