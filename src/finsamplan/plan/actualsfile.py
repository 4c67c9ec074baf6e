"""The plan's ``actuals:`` block from elsewhere: a side file (``--mapping``) or the amount
format stated on the command line (``--decimal``, ``--thousands``), checked as the plan's own.

Used by ``followup`` and ``close``; a file or a format that cannot be used stops the command
(``ActualsFileError``, exit 2) with its findings or a message saying what to give.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.inputs import InputError, read_input
from finsamplan.plan.model import Actuals, ActualsFormat

MAX_BYTES = 1024 * 1024


class ActualsFileError(FinsamplanError):
    """A mapping file or a stated amount format that cannot be used (exit 2)."""


class MappingFile(BaseModel):
    """A YAML file holding an ``actuals:`` block and nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True)
    actuals: Actuals


def load_mapping(path: Path) -> Actuals:
    """The ``actuals:`` block of a side file, with the plan's checks and places."""
    from finsamplan.plan.loader import load_model

    try:
        data = read_input(path, MAX_BYTES, "en fil med actuals:")
    except InputError as exc:
        raise ActualsFileError(f"{path}: {exc}") from None
    value, _, findings = load_model(data, str(path), MappingFile)
    if value is None:
        raise ActualsFileError(findings=findings)
    return value.actuals


def stated_format(config: Actuals, decimal: str | None, thousands: str | None) -> Actuals:
    """The plan's ``actuals.format`` with what the options state, checked like the plan."""
    current = config.format
    try:
        stated = ActualsFormat.model_validate(
            {
                "decimal": decimal if decimal is not None else current.decimal,
                "thousands": thousands if thousands is not None else current.thousands,
            }
        )
    except ValidationError:
        raise ActualsFileError(
            f"--decimal {decimal or ''} --thousands {thousands or ''}: decimaltecknet ska vara "
            '"," eller "." och tusentalsavgränsaren space, none, ".", "," eller "\'" '
            "(och inte samma tecken)"
        ) from None
    return config.model_copy(update={"format": stated})
