"""``plan.schema.json`` beside the plans, for the editor: written and refreshed by finsamplan,
never written over a file someone else put there.

Plan files that finsamplan writes start with a line naming this file
(:func:`finsamplan.plan.writer.schema_modeline`), so that VS Code's YAML extension completes
and checks every field. The file carries a ``$comment`` saying finsamplan wrote it; only a
file with that mark (or the same content) is replaced without ``--force``, so a newer
finsamplan refreshes its own schema but never a schema the user keeps there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from finsamplan.plan.writer import SCHEMA_FILE

MARK = "Skriven av finsamplan (finsamplan schema --write); finsamplan skriver om den vid behov."
MAX_BYTES = 10 * 1024 * 1024


def schema_text() -> str:
    """The plan's JSON Schema as the file holds it, marked as finsamplan's."""
    from finsamplan.plan.model import json_schema

    schema = json_schema()
    schema = {"$schema": schema.pop("$schema"), "$comment": MARK, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def written_by_finsamplan(path: Path) -> bool:
    """Whether the file at ``path`` is a schema finsamplan wrote (it carries the mark)."""
    from finsamplan.base.inputs import InputError, read_input

    try:
        data = json.loads(read_input(path, MAX_BYTES, "en schemafil"))
    except (InputError, ValueError):
        return False
    return isinstance(data, dict) and data.get("$comment") == MARK


@dataclass(frozen=True)
class SchemaFile:
    """What became of ``plan.schema.json`` in a folder."""

    path: Path
    status: str  # "written", "updated", "unchanged" or "refused"

    def describe(self) -> str:
        return {
            "written": f"skrev {self.path} (schemat för editorn)",
            "updated": f"skrev {self.path} (schemat uppdaterat)",
            "unchanged": f"{self.path} är redan aktuellt",
            "refused": (
                f"{self.path} finns redan och är inte skrivet av finsamplan; "
                "det skrivs inte över utan --force"
            ),
        }[self.status]


def write_schema(folder: Path, *, force: bool = False) -> SchemaFile:
    """Write ``plan.schema.json`` into ``folder`` (created if missing), atomically."""
    from finsamplan.base.outputs import atomic_write

    path = folder / SCHEMA_FILE
    text = schema_text()
    status = "written"
    if path.exists() or path.is_symlink():
        try:
            if path.is_file() and path.read_text("utf-8") == text:
                return SchemaFile(path, "unchanged")
        except (OSError, UnicodeDecodeError):
            pass
        if not force and not written_by_finsamplan(path):
            return SchemaFile(path, "refused")
        status = "updated"
    atomic_write(path, text, overwrite=True)
    return SchemaFile(path, status)
