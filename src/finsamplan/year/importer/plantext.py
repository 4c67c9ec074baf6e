"""The imported plan as the text of a plan file, through the one plan writer.

A plan that the model accepts is written by :func:`finsamplan.plan.writer.plan_to_yaml`. A
plan that lacks what the model requires (no name, no member, no income in the sheet) is
still written, by the same writer's :func:`~finsamplan.plan.writer.to_yaml` from the same
plan-shaped data, with ``# fyll i`` where something is missing: the förbundschef fills it in
rather than starting over. Either way the file starts with the editor's schema line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from finsamplan.year.importer import Imported


def plan_text(imported: Imported, plan_path: Path) -> str:
    from pydantic import ValidationError

    from finsamplan.plan.model import Plan
    from finsamplan.plan.writer import plan_to_yaml, schema_modeline, to_yaml

    comments = {p: t for p, t in imported.comments.items() if _has(imported.data, p)}
    header = _header(imported, plan_path)
    try:
        plan = Plan.model_validate(imported.data)
    except ValidationError:
        body = to_yaml(imported.data, header=header, comments=comments)
    else:
        body = plan_to_yaml(plan, header=header, comments=comments)
    return schema_modeline(plan_path) + body


def _header(imported: Imported, plan_path: Path) -> str:
    import textwrap

    unit = "tusental kronor (tkr)" if imported.unit == "tkr" else "kronor"
    said = (
        f"Importerad med finsamplan import från {Path(imported.file).name} (bladet "
        f"{imported.sheet}). Bladets belopp stod i {unit}; här står de i hela kronor. "
        "finsamplan räknar alla summor ur raderna; bladets egna summarader är kontrollerade "
        "mot dem" + _differing(imported)
    )
    lines = textwrap.wrap(said, width=88)
    lines.append('"# granska" märker det som är gissat ur bladet: kontrollera och ta bort raden.')
    if imported.fill_in:
        lines.append('"# fyll i" märker det som saknas i bladet och måste skrivas in.')
    lines += ["Kontrollera filen med:", f"  finsamplan validate {plan_path}"]
    return "\n".join(lines)


def _has(data: Mapping[str, Any], path: tuple[str | int, ...]) -> bool:
    """Whether ``path`` names a value in the data (a comment needs something to sit on)."""
    node: Any = data
    for part in path:
        in_map = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_list):
            return False
        node = node[part]
    return True


def _differing(imported: Imported) -> str:
    """The end of the header's sentence on the sheet's totals: where differing ones are."""
    kept = any(d.kept for d in imported.differences)
    other = any(not d.kept for d in imported.differences)
    if kept:
        return ", och de som skiljer sig står under stated:."
    if other:
        return (
            "; delsummor och årets resultat som skiljer sig räknar planen själv (finsamplan "
            "import listade dem)."
        )
    return "."
