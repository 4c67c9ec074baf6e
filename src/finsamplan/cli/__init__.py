"""The ``finsamplan`` command: parse arguments, call the core, print, exit.

One module per command (``validate``, ``render``, ``forecast``, ``check``, ``followup``,
``compare``), registered on the typer app in ``app``. Exit codes: 0 fine, 1 rule errors
(or warnings with ``--strict``), 2 input that cannot be read or a misused command. Nothing
here parses YAML or adds money: that is the core's.
"""

from __future__ import annotations

import os
import sys

import finsamplan.cli.importer
import finsamplan.cli.init  # noqa: F401  (registers `init`)
from finsamplan.cli import check, compare, followup, forecast, render, serve, validate  # noqa: F401
from finsamplan.cli.app import EXIT_INPUT, app

__all__ = ["app", "expand_years", "main"]


def expand_years(argv: list[str]) -> list[str]:
    """``--years 2024 2025`` → ``--years 2024 --years 2025`` (click takes one value each)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        out.append(argv[i])
        if argv[i] == "--years":
            i += 1
            first = True
            while i < len(argv) and len(argv[i]) == 4 and argv[i].isdigit():
                if not first:
                    out.append("--years")
                out.append(argv[i])
                first = False
                i += 1
            continue
        i += 1
    return out


def main() -> None:
    """Entry point: run the app; an unexpected error is a message, never a traceback."""
    try:
        app(args=expand_years(sys.argv[1:]), prog_name="finsamplan")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("finsamplan: avbrutet\n")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("FINSAMPLAN_DEBUG"):
            raise
        sys.stderr.write(
            f"finsamplan: internt fel: {exc!r}. Detta är ett fel i finsamplan; "
            "kör med FINSAMPLAN_DEBUG=1 för detaljer och rapportera det.\n"
        )
        sys.exit(EXIT_INPUT)


if __name__ == "__main__":
    main()
