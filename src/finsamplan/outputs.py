"""Writing files safely: whole or not at all, and never over a file the user wrote.

Every output goes to a temporary file in the target folder and is renamed into place, so
a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class RefusedOverwrite(FileExistsError):
    """The target exists and the caller did not say ``--force``."""


def atomic_write(path: Path, data: bytes | str, *, overwrite: bool = True) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise RefusedOverwrite(str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not overwrite:
            os.link(tmp, path)  # fails if the target appeared meanwhile
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
