"""What ``render`` was asked for, decided once: which formats, whether the plan may be
rendered, and which document (the plan, a decision memo, the samråd package) it makes.

The command line only parses the options into a ``RenderJob`` and prints; the rules of the
game live here, where they can be tested without a terminal: a plan with rule errors is not
rendered without ``--force`` (exit 1), ``--samrad`` and ``--insats`` exclude each other, a
memo is html, pdf, md or docx, the samråd package html, pdf or md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finsamplan.base.errors import EXIT_RULES, FinsamplanError
from finsamplan.base.findings import Finding, Severity

MEMO_FORMATS = ("html", "pdf", "md", "docx")
MEMO_DEFAULT = ["html", "pdf", "md"]


class RenderRefused(FinsamplanError):
    """What was asked cannot be rendered (options that exclude each other, wrong formats)."""


class RuleErrors(FinsamplanError):
    """The plan has rule errors and ``--force`` was not given: exit 1, its findings kept."""

    exit_code = EXIT_RULES


@dataclass(frozen=True)
class RenderJob:
    """The ``render`` command's options, as the core reads them."""

    given: tuple[str, ...]  # the formats named with --format, in order, once each
    output: Path | None = None
    insats: str | None = None
    samrad: bool = False
    force: bool = False

    def __post_init__(self) -> None:
        if self.samrad and self.insats is not None:
            raise RenderRefused("--samrad och --insats skriver olika underlag; ange ett av dem")

    @property
    def formats(self) -> list[str]:
        """The formats asked for, or the plan document's default ones."""
        from finsamplan.render.document import DEFAULT_FORMATS

        return list(self.given) if self.given else list(DEFAULT_FORMATS)

    def folder(self, plan_id: str) -> Path:
        """Where files go: ``-o``, else ``out/PLAN``."""
        return self.output or Path("out") / plan_id

    @property
    def to_stdout(self) -> bool:
        """Only json and table asked, no folder: the JSON goes to stdout, no file is written."""
        return self.output is None and set(self.formats) <= {"json", "table"}

    def file_formats(self) -> list[str]:
        from finsamplan.render.document import FILE_FORMATS

        return [f for f in self.formats if f in FILE_FORMATS]

    def memo_formats(self) -> list[str]:
        """A memo's formats: those asked for that a memo has, else html, pdf and md."""
        return [f for f in self.given if f in MEMO_FORMATS] if self.given else list(MEMO_DEFAULT)

    def samrad_formats(self) -> list[str]:
        """The samråd package's formats: those asked for (html, pdf, md), else all three."""
        from finsamplan.render.samrad import FORMATS

        wrong = [f for f in self.given if f not in FORMATS]
        if wrong:
            raise RenderRefused(f"--samrad skrivs som html, pdf eller md, inte {', '.join(wrong)}")
        return list(self.given) or list(FORMATS)

    def blocking(self, found: list[Finding]) -> list[Finding]:
        """The rule errors that keep the plan from being rendered: none with ``--force``."""
        return [] if self.force else [f for f in found if f.severity is Severity.ERROR]

    def refuse(self, plan_id: str, errors: list[Finding]) -> RuleErrors:
        return RuleErrors(
            f"{plan_id} har {len(errors)} regelfel; rätta dem eller använd --force",
            findings=errors,
        )


def notes(found: list[Finding]) -> list[Finding]:
    """What is said on stderr while rendering: errors and warnings, not information."""
    return [f for f in found if f.severity is not Severity.INFO]
