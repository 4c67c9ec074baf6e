"""Writing files safely: whole or not at all, never over a file the user wrote, and no
text cell a spreadsheet could run.

Every output goes to a temporary file in the target folder and is renamed into place, so
a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from finsamplan.base.errors import FinsamplanError

# What makes Excel or LibreOffice read a cell as a formula (OWASP, CSV injection), and the
# full-width forms some spreadsheets also take for them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def guard_text(text: str) -> str:
    """A text cell no spreadsheet takes for a formula: a leading apostrophe where needed.

    The one guard for every text cell of every CSV and XLSX file finsamplan writes (XLSX
    writers mark such a cell "quote prefix" instead, which shows it without the
    apostrophe). A plain number written as text (``-0.1250``) is left as it is.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class RefusedOverwrite(FinsamplanError, FileExistsError):
    """The target exists and the caller did not say ``--force``."""


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets the usual 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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
        os.chmod(tmp, _mode_for(path))
        if not overwrite:
            os.link(tmp, path)  # fails if the target appeared meanwhile
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: fsync the folder's entry list (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)
