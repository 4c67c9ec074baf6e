"""What the operating system said, in Swedish: "filen finns inte", not "No such file or directory".

Messages are Swedish, but ``OSError.strerror`` is the C library's English. The reasons a
user meets (a missing file or folder, a folder where a file was meant, no permission, a full
disk) are said in Swedish here, for every command; a rarer one keeps the system's words.
"""

from __future__ import annotations

import errno

REASONS: dict[int, str] = {
    errno.ENOENT: "finns inte",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är inte en mapp",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EEXIST: "finns redan",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ELOOP: "för många symboliska länkar i sökvägen",
    errno.EADDRINUSE: "adressen används redan",
    errno.EADDRNOTAVAIL: "adressen finns inte på den här datorn",
}


def reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Swedish where finsamplan knows the words."""
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    return exc.strerror or str(exc) or type(exc).__name__
