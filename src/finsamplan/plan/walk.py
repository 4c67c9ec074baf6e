"""A plan walked in its own order: cost lines with their groups, sections with their paths,
the budget tables and the totals by name.

The plan model holds these as nested lists and mappings; every layer above (the reference
checks, the budget, the rules, criteria, the documents) walks them the same way through
these functions, so that "every cost line" or "every section" means one thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from finsamplan.base.findings import Path
from finsamplan.plan.labels import TOTAL_NAMES
from finsamplan.plan.model import CostLine, Plan, Section

__all__ = [
    "cost_lines",
    "document_sections",
    "iter_sections",
    "line_owners",
    "table_ids",
    "total_names",
]


def cost_lines(plan: Plan) -> Iterator[tuple[str, int, CostLine]]:
    """Every cost line with its group's id and its place in the group, in the plan's order."""
    for group in plan.groups:
        for i, line in enumerate(plan.group_lines(group.id)):
            yield group.id, i, line


def line_owners(plan: Plan) -> dict[str, str]:
    """Every budget line's id, with what it belongs to: ``income`` or its cost group's id
    (income first, then the cost lines in order; a repeated id keeps its last owner)."""
    out = {inc.id: "income" for inc in plan.income if inc.id}
    out.update({line.id: group for group, _, line in cost_lines(plan) if line.id})
    return out


def iter_sections(
    sections: list[Section], path: Path = ("sections",)
) -> Iterator[tuple[Path, Section]]:
    """Every section and subsection, depth first, with its YAML path."""
    for i, s in enumerate(sections):
        yield (*path, i), s
        yield from iter_sections(s.sections, (*path, i, "sections"))


def document_sections(plan: Plan) -> list[Section]:
    """The document's sections: the plan's own, then the budget section and the insatser
    section where the plan places none (the rendered document and the criteria's search
    of the plan's text see the same sections, numbered the same way)."""
    sections = list(plan.sections)
    placed = {s.generated for _, s in iter_sections(sections)}
    if "budget" not in placed:
        sections.append(
            Section(id="budgetplan", title=f"Budgetplan för år {plan.year}", generated="budget")
        )
    if "activities" not in placed and plan.activities:
        sections.append(
            Section(
                id="beslutade-insatser",
                title=f"Beslutade projekt/verksamheter {plan.year}",
                generated="activities",
            )
        )
    return sections


def table_ids(plan: Plan) -> list[str]:
    """The document's budget tables, in order: income, each cost group, the summary."""
    return ["income", *(g.id for g in plan.groups), "summary"]


def total_names(plan: Plan) -> list[str]:
    """Every total by name: the aggregates, then each cost group's id."""
    return [*TOTAL_NAMES, *(g.id for g in plan.groups if g.id not in TOTAL_NAMES)]
