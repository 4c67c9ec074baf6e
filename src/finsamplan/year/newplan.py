"""Next year's plan file, written from this year's plan and its forecast.

The columns shift one year (Budget 2023, Budgetplan 2024, Prognos 2025/2026), the figures
come from the forecast, the text, insatser, policy and assumptions are carried over, and a
YAML comment above every line says where its numbers came from. The förbundschef then
edits the file by hand like any other plan. PyYAML quotes every scalar; this module only
lays out the structure and the comments.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import Budget, compute, total_names
from finsamplan.plan import placeholders
from finsamplan.plan.model import Plan, Section
from finsamplan.year.forecast import ForecastResult, Key, base_column, project


class TargetError(ValueError):
    """The name given to ``new`` is no place a plan file may be written."""


def target_path(name: str, plans: Path) -> Path:
    """Where ``new NAME`` writes: ``plans/NAME.yaml`` for an id, else the path as given.

    A path must name a ``.yaml`` file in a folder that exists: ``new`` creates no folders
    but the plans folder itself, so a mistyped ``../../x`` cannot scatter folders around.
    """
    from finsamplan.plan.catalog import ID_PATTERN

    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        target = Path(name)
        if target.suffix not in (".yaml", ".yml"):
            raise TargetError(f"'{name}': en planfil ska sluta på .yaml")
        if not target.parent.is_dir():
            raise TargetError(
                f"'{name}': mappen {target.parent} finns inte; finsamplan new skapar inga mappar"
            )
        return target
    if ID_PATTERN.match(name) and ".." not in name:
        return plans / f"{name}.yaml"
    raise TargetError(f"'{name}' är inget giltigt plan-id")


class _Dumper(yaml.SafeDumper):
    """Markdown as literal blocks, shares as "3 %", small mappings in flow style."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not re.search(r"[ \t]\n|\t", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    pct = (value * 100).normalize()
    text = f"{pct:f}".replace(".", ",")
    return dumper.represent_scalar("tag:yaml.org,2002:str", f"{text} %")


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)


def _dump(value: Any, indent: int = 0, flow: bool = False) -> str:
    text = yaml.dump(
        value,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=flow,
    )
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _flow(value: dict[Any, Any]) -> str:
    return _dump(value, flow=True).strip()


def _amounts(amounts: dict[str, int]) -> dict[int | str, int]:
    return {int(k) if k.isdigit() else k: v for k, v in amounts.items()}


def _sections(
    sections: list[Section], old: int, new: int, freeze: Any = None
) -> list[dict[str, Any]]:
    out = []
    for s in sections:
        item: dict[str, Any] = {"id": s.id, "title": re.sub(rf"\b{old}\b", str(new), s.title)}
        if not s.numbered:
            item["numbered"] = False
        if s.generated:
            item["generated"] = s.generated
        if s.tables:
            item["tables"] = list(s.tables)
        if s.text:
            item["text"] = freeze(s.text) if freeze else s.text
        if s.sections:
            item["sections"] = _sections(s.sections, old, new, freeze)
        out.append(item)
    return out


def _source_comment(result: ForecastResult, key: Key, old_year: int, plan_id: str) -> str:
    texts = {}
    for y in result.years:
        src = result.source(key, y) or result.source((*key, "0"), y)
        if src is not None:
            texts[y] = src.text
    distinct = list(dict.fromkeys(texts.values()))
    later = (
        f"{result.years[0]}–{result.years[-1]}: {distinct[0]}"
        if len(distinct) == 1
        else "; ".join(f"{y}: {t}" for y, t in texts.items())
    )
    return (
        f"# {old_year}: budgetplanen i {plan_id}. {later}"
        if later
        else f"# {old_year}: budgetplanen i {plan_id}"
    )


def next_plan(
    plan: Plan, plan_id: str, scenario: str | None = None, today: date | None = None
) -> str:
    """The text of next year's plan file."""
    old, new = plan.year, plan.year + 1
    result = project(plan, plan_id, years=[new, new + 1, new + 2], scenario=scenario)
    p = result.projected
    base_key = base_column(plan)

    def shift(amounts: dict[str, int]) -> dict[int | str, int]:
        """The old plan year's column becomes this file's budget column, keyed by year."""
        return _amounts({(str(old) if k == base_key else k): v for k, v in amounts.items()})

    made = (today or date.today()).isoformat()
    head = [
        f"# {re.sub(rf'{old}', str(new), plan.title)} för {plan.forbund.name}.",
        f"# Skapad {made} av `finsamplan new` från {plan_id}"
        + (f" (scenario {scenario})" if scenario else "")
        + ".",
        "# Beloppen för kommande år är prognosens; kommentaren ovanför varje rad säger varifrån",
        "# de kommer. Texten är fjolårets: uppdatera den. Kontrollera med finsamplan validate.",
        "",
        "format: 1",
        _dump({"title": re.sub(rf"\b{old}\b", str(new), plan.title), "year": new}).rstrip(),
    ]
    if plan.motto:
        head.append(_dump({"motto": plan.motto}).rstrip())
    head += [
        "",
        _dump({"forbund": plan.forbund.model_dump(exclude_none=True)}).rstrip(),
        "",
        "columns:",
        f"  - {{year: {old}, kind: budget}}      # budgetplanen i {plan_id}",
        f"  - {{year: {new}, kind: budgetplan}}",
        f"  - {{year: {new + 1}, kind: prognos}}",
        f"  - {{year: {new + 2}, kind: prognos}}",
        "",
        "income:",
    ]
    lines = head
    for i, inc in enumerate(p.income):
        key: Key = ("income", inc.id or str(i))
        lines.append("  " + _source_comment(result, key, old, plan_id))
        item: dict[str, Any] = {
            k: v for k, v in (("id", inc.id), ("label", inc.label)) if v is not None
        }
        if inc.kind != "contribution":
            item["kind"] = inc.kind
        if inc.member:
            item["member"] = inc.member
        lines.append(_dump([item], 2).rstrip())
        lines.append(f"    amounts: {_flow(shift(inc.amounts))}")
    lines += [
        "",
        "reserve:",
        f"  # {old}: budgetplanen i {plan_id}. "
        + (_source_comment(result, ("reserve",), old, plan_id).split(". ", 1)[-1]),
        f"  label: {_flow({'x': p.reserve.label})[4:-1]}",
        f"  amounts: {_flow(shift(p.reserve.amounts))}",
        "",
    ]
    declared = p.model_dump(mode="python", exclude_none=True, include={"cost_groups", "labels"})
    for name in ("cost_groups", "labels"):
        if declared.get(name):
            lines += [_dump({name: declared[name]}).rstrip(), ""]
    lines.append("costs:")
    for group in p.groups:
        lines.append(f"  {group.id}:")
        for i, line in enumerate(p.group_lines(group.id)):
            key = ("costs", group.id, line.id or str(i))
            lines.append("    " + _source_comment(result, key, old, plan_id))
            item = {
                k: v
                for k, v in (("id", line.id), ("label", line.label), ("evaluates", line.evaluates))
                if v is not None
            }
            lines.append(_dump([item], 4).rstrip())
            if line.parts:
                lines.append("      parts:")
                for part in line.parts:
                    lines.append(_dump([{"label": part.label}], 8).rstrip())
                    lines.append(f"          amounts: {_flow(shift(part.amounts))}")
            else:
                lines.append(f"      amounts: {_flow(shift(line.amounts))}")
    kept = {str(old), str(new), str(new + 1), str(new + 2)}
    source_budget = compute(plan)
    frozen: list[str] = []

    def freeze(text: str) -> str:
        """A figure whose column leaves the plan is written out as it was."""

        def value(m: re.Match[str]) -> str:
            name, column = m.group(1), m.group(2)
            if column in kept:
                return m.group(0)
            frozen.append(m.group(0))
            return format_kronor(_amount(source_budget, name, column))

        return placeholders.PLACEHOLDER.sub(value, text)

    body = p.model_dump(mode="python", exclude_none=True)
    for act in body["activities"]:
        if "budget_text" in act:  # the card's budget line speaks of the plan year
            shifted = re.sub(
                rf"(\{{\{{\s*[a-z0-9][a-z0-9_-]*\s+){old}(\s*\}}\}})",
                rf"\g<1>{new}\g<2>",
                act["budget_text"],
            )
            act["budget_text"] = freeze(shifted)
    if body["activities"]:
        lines += ["", _dump({"activities": body["activities"]}).rstrip()]
    lines += [
        "",
        "# Datum för styrelsens beslut (senast 30 november) och samråd med medlemmarna.",
        "dates:",
        "  adopted: null",
        "  consultations: []",
        "",
        _dump({"policy": body["policy"]}).rstrip(),
        "",
        f"# Antagandena från {plan_id}; se över index och belopp per år.",
        _dump({"forecast": _forecast(body["forecast"])}).rstrip(),
    ]
    if plan.sections:
        sections = _sections(plan.sections, old, new, freeze)
        lines += ["", "# Texten från " + plan_id + ": uppdatera den för " + str(new) + "."]
        if frozen:
            lines.append(
                "# Belopp i texten vars kolumn inte finns kvar är utskrivna som tal: "
                + ", ".join(dict.fromkeys(frozen))
            )
        lines.append(_dump({"sections": sections}).rstrip())
    return "\n".join(lines) + "\n"


def _amount(budget: Budget, name: str, column: str) -> int:
    if name in total_names(budget.plan):
        return budget.totals[column].get(name)
    for table in budget.tables:
        for row in table.rows:
            if row.id == name:
                return row.amounts.get(column, 0)
    return 0


def _forecast(data: dict[str, Any]) -> dict[str, Any]:
    """The forecast block without its defaults, so the file says only what was chosen."""

    def assumption(a: dict[str, Any]) -> dict[str, Any]:
        return {k: (_amounts(v) if k == "amounts" else v) for k, v in a.items() if v is not None}

    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("default", "state_allocation", "reserve"):
            out[key] = assumption(value)
        elif key in ("groups", "lines"):
            if value:
                out[key] = {k: assumption(v) for k, v in value.items()}
        elif key == "indices":
            if value:
                out[key] = {k: _amounts(v) for k, v in value.items()}
        elif key == "scenarios":
            if value:
                out[key] = {
                    name: {
                        k: (
                            assumption(v)
                            if isinstance(v, dict)
                            and k in ("default", "state_allocation", "reserve")
                            else {kk: assumption(vv) for kk, vv in v.items()}
                            if k in ("groups", "lines")
                            else v
                        )
                        for k, v in sc.items()
                        if v not in (None, {})
                    }
                    for name, sc in value.items()
                }
        elif key == "extensions":
            if value:
                out[key] = value
        else:
            out[key] = value
    return out
