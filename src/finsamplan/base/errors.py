"""What stops a command: one exception base, carrying its findings and its exit code.

Problems a run can go on after are findings (base/findings.py), collected and returned. A
problem that leaves nothing to do (an export that cannot be read, a file that would be
overwritten, a plan id that names nothing) is raised as a ``FinsamplanError``; every
exception finsamplan defines derives from it, so the command line catches this one base in
one place (cli/common.py ``run_guarded``), prints its message and exits with its code.
Anything else that escapes a command is a bug in finsamplan (exit 3, ``EXIT_BUG``).
"""

from __future__ import annotations

from collections.abc import Sequence

from finsamplan.base.findings import Finding

EXIT_OK = 0
"""Nothing to report, or only warnings and notes."""
EXIT_RULES = 1
"""Rule errors (or warnings with ``--strict``)."""
EXIT_INPUT = 2
"""A file that cannot be read or understood, or a misused command."""
EXIT_BUG = 3
"""An internal error: a bug in finsamplan, never a problem of the user's files."""


class FinsamplanError(Exception):
    """A problem that stops the command: a message in Swedish, its findings, an exit code.

    Without a message the findings make it, one line each (``Finding.as_line``), and the
    command line prints those lines as they are (``said`` is False), so that an editor can
    jump to each place; a message of its own is printed after ``finsamplan:``. Subclasses
    keep a standard library base beside this one (``ValueError``, ``OSError``…) where the
    core catches them by it.
    """

    exit_code: int = EXIT_INPUT

    def __init__(
        self, message: str = "", *, findings: Sequence[Finding] = (), exit_code: int | None = None
    ) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.said = bool(message)
        super().__init__(message or "\n".join(f.as_line() for f in self.findings))
        if exit_code is not None:
            self.exit_code = exit_code


class Stop(FinsamplanError):
    """A command's own reason to stop (a wrong option, nothing to do), said in Swedish."""
