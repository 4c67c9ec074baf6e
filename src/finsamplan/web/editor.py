"""Editing a plan file from the browser: check first, save only what loads, lose nothing.

A save is refused, and the file left as it was, when the text does not load (a YAML or
schema error, shown with its line), or when the file changed on disk since the editor
opened it (another program or another tab wrote it: the hash the form carries differs).
Otherwise the previous version is kept in ``.finsamplan-history/`` beside the plan (a
hidden folder, so no command takes it for a plan) and the new text is written atomically.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Severity, sort_key
from finsamplan.base.inputs import InputError, read_input
from finsamplan.base.outputs import atomic_write
from finsamplan.web.state import digest

HISTORY = ".finsamplan-history"
BACKUP_NAME = re.compile(r"[A-Za-z0-9_.-]+\.[0-9]{8}-[0-9]{6}-[0-9]{6}\.ya?ml")
BOM = b"\xef\xbb\xbf"
_SAVING = threading.Lock()  # one save at a time: the hash check and the write go together


@dataclass(frozen=True)
class Checked:
    """What the loader and the rules say about a text that is not saved (yet)."""

    text: str
    sha: str  # of the text as it would be written
    loads: bool  # no loader error: it may be saved
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


@dataclass(frozen=True)
class Saved:
    sha: str
    backup: Path | None


class Conflict(FinsamplanError):
    """The file on disk is no longer the version the editor opened."""


class Refused(FinsamplanError):
    """The text does not load; nothing was written."""

    def __init__(self, checked: Checked) -> None:
        super().__init__("texten går inte att läsa in")
        self.checked = checked


def file_bytes(text: str, original: bytes) -> bytes:
    """The text as the file's bytes: the file's own line endings and BOM, a final newline.

    Browsers send a textarea's lines ended by CRLF whatever the file had.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return BOM + data if original.startswith(BOM) else data


def check(text: str, original: bytes, path: Path, rel: str) -> Checked:
    """Load the text as the file would be after saving, and run the rules on it."""
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import LoadedPlan, load_text
    from finsamplan.plan.yamlsource import SourceMap

    data = file_bytes(text, original)
    blank = LoadedPlan(id=path.stem, path=path, source=SourceMap(rel, []))
    loaded = load_text(data, rel, plan_id=path.stem, loaded=blank)
    findings = sorted(validate(loaded), key=sort_key)
    return Checked(text, digest(data), loaded.plan is not None, findings)


def save(path: Path, text: str, opened_sha: str, rel: str) -> Saved:
    """Write ``text`` to ``path`` if the file is still the version opened and the text loads.

    Raises Conflict or Refused; on either the file is untouched.
    """
    from finsamplan.plan.loader import MAX_FILE_BYTES

    with _SAVING:
        try:
            original = read_input(path, MAX_FILE_BYTES)
        except InputError as exc:
            raise Conflict(str(exc)) from None
        if digest(original) != opened_sha:
            raise Conflict("filen har ändrats sedan du öppnade den")
        checked = check(text, original, path, rel)
        if not checked.loads:
            raise Refused(checked)
        data = file_bytes(text, original)
        if data == original:
            return Saved(digest(data), None)
        backup = keep(path, original)
        atomic_write(path, data)
        return Saved(digest(data), backup)


def keep(path: Path, data: bytes) -> Path:
    """The previous version, in ``.finsamplan-history/NAME.ÅÅÅÅMMDD-TTMMSS-µs.yaml``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = path.parent / HISTORY / f"{path.stem}.{stamp}{path.suffix}"
    return atomic_write(target, data, overwrite=False)
