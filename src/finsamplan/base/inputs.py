"""Reading an input file: a regular file only, and never more than a stated number of bytes.

``Path.read_bytes`` reads whatever the path names: ``/dev/zero`` until memory runs out, a
FIFO until someone writes to it (forever, usually). A size checked with ``stat`` first says
nothing about what a device or a growing file will give. So the file is opened without
blocking, must be a regular file by ``fstat`` of the open descriptor (no race between the
check and the read), and the limit is applied to the bytes actually read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.oserror import reason as os_reason

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK = 1 << 20
MB = 1024 * 1024


class InputError(FinsamplanError, OSError):
    """The file cannot be read as an input; the message says why, in Swedish."""


def read_input(path: Path, limit: int, what: str = "en planfil") -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes."""
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise InputError("filen finns inte") from None
    except IsADirectoryError:
        raise InputError(f"är en mapp, inte {what}") from None
    except OSError as exc:
        raise InputError(f"filen kan inte läsas: {os_reason(exc)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"är en mapp, inte {what}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                "är ingen vanlig fil (utan en enhet, en FIFO eller en socket); "
                "finsamplan läser bara vanliga filer"
            )
        if info.st_size > limit:
            raise InputError(_too_large(info.st_size, limit, what))
        return _read_at_most(fd, limit, what)
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"filen kan inte läsas: {os_reason(exc)}") from None
    finally:
        os.close(fd)


def _read_at_most(fd: int, limit: int, what: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:  # the file grew after fstat
            raise InputError(_too_large(total, limit, what, at_least=True))


def _too_large(size: int, limit: int, what: str, *, at_least: bool = False) -> str:
    shown = f"{size // MB} MB" if size >= MB else f"{size} byte"
    return f"filen är {'minst ' if at_least else ''}{shown}; {what} får vara högst {limit // MB} MB"
