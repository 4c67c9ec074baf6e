"""Cross-references inside a plan: everything that points elsewhere points at something.

Years that are not columns, unknown members or lines, duplicate ids, reversed periods. These
are checked after the schema, with the YAML paths of the places involved, so a plan that
passes the loader is internally consistent and the rules only judge its economy.
"""

from __future__ import annotations

import difflib
from typing import Any

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.plan import placeholders
from finsamplan.plan.cyclerefs import check_cycle
from finsamplan.plan.keys import check_keys
from finsamplan.plan.labels import TOTAL_NAMES
from finsamplan.plan.model import Activity, Plan, Section
from finsamplan.plan.walk import cost_lines, iter_sections, table_ids, total_names

KEY_CODES = {"REF002", "REF004"}


def _ref(code: str, message: str, path: Path, **figures: Any) -> Finding:
    return Finding(code, Severity.ERROR, message, path=path, figures=figures)


def check_groups(plan: Plan) -> list[Finding]:
    """Declared groups have unique ids that do not shadow a total, and every key under
    ``costs`` is a declared group (a typo would otherwise drop its lines from every total)."""
    out: list[Finding] = []
    seen: set[str] = set()
    admin = [g for g in plan.groups if g.counts_as == "administration"]
    for i, group in enumerate(plan.cost_groups or []):
        path: Path = ("cost_groups", i, "id")
        if group.id in seen:
            out.append(_ref("REF004", f"kostnadsgruppen '{group.id}' finns två gånger", path))
        seen.add(group.id)
        if group.id in TOTAL_NAMES and not (group.id == "administration" and admin == [group]):
            out.append(
                _ref(
                    "REF014",
                    f"kostnadsgruppen '{group.id}' har samma namn som en summa "
                    f"({', '.join(TOTAL_NAMES)}); välj ett annat id",
                    path,
                )
            )
    declared = [g.id for g in plan.groups]
    for key in plan.costs:
        if key not in declared:
            near = difflib.get_close_matches(key, declared, n=1)
            hint = f"; menade du '{near[0]}'?" if near else ""
            out.append(
                _ref(
                    "REF014",
                    f"costs: '{key}' är ingen kostnadsgrupp (grupper: {', '.join(declared)}){hint}",
                    ("costs", key),
                    key=key,
                )
            )
    return out


def check_references(plan: Plan) -> list[Finding]:
    """Everything in the plan that points elsewhere must point at something that exists."""
    out: list[Finding] = check_groups(plan)
    columns = plan.column_keys()
    seen_cols: set[str] = set()
    for i, col in enumerate(plan.columns):
        if col.key in seen_cols:
            out.append(_ref("REF001", f"kolumnen '{col.key}' finns två gånger", ("columns", i)))
        seen_cols.add(col.key)

    def amounts(path: Path, mapping: dict[str, Any], what: str) -> None:
        for key in mapping:
            if key not in columns:
                out.append(
                    _ref(
                        "REF002",
                        f"{what} för '{key}', som inte är en kolumn i planen "
                        f"(kolumner: {', '.join(columns)})",
                        (*path, key),
                        column=key,
                    )
                )

    member_ids: set[str] = set()
    for i, m in enumerate(plan.forbund.members):
        if m.id in member_ids:
            out.append(
                _ref(
                    "REF003",
                    f"medlemmen '{m.id}' finns två gånger",
                    ("forbund", "members", i, "id"),
                )
            )
        member_ids.add(m.id)
    for i, m in enumerate(plan.forbund.members):
        if m.paid_by is None:
            continue
        payer = plan.member(m.paid_by)
        if payer is None:
            out.append(
                _ref(
                    "REF003",
                    f"{m.name}: paid_by '{m.paid_by}' är ingen medlem "
                    f"(medlemmar: {', '.join(sorted(member_ids))})",
                    ("forbund", "members", i, "paid_by"),
                )
            )
        elif payer.side != m.side:
            out.append(
                _ref(
                    "REF003",
                    f"{m.name} ({m.side}) kan inte betalas av "
                    f"{payer.name} ({payer.side}): de hör till olika sidor",
                    ("forbund", "members", i, "paid_by"),
                )
            )

    for i, inc in enumerate(plan.income):
        path: Path = ("income", i)
        amounts((*path, "amounts"), inc.amounts, f"{inc.label}: belopp")
        amounts((*path, "notes"), inc.notes, f"{inc.label}: anteckning")
        if inc.kind == "contribution":
            if inc.member is None:
                out.append(
                    _ref(
                        "REF003",
                        f"{inc.label}: en medlemsavgift behöver 'member' "
                        "(vilken medlem som betalar)",
                        path,
                    )
                )
            elif inc.member not in member_ids:
                out.append(
                    _ref(
                        "REF003",
                        f"{inc.label}: '{inc.member}' är ingen medlem "
                        f"(medlemmar: {', '.join(sorted(member_ids))})",
                        (*path, "member"),
                    )
                )
            elif (payer := plan.member(inc.member)) and payer.paid_by:
                out.append(
                    _ref(
                        "REF003",
                        f"{inc.label}: {payer.name} betalas av "
                        f"'{payer.paid_by}'; avgiften bokförs på den medlemmen",
                        (*path, "member"),
                    )
                )
        elif inc.member is not None:
            out.append(
                _ref(
                    "REF003",
                    f"{inc.label}: 'member' hör bara till kind: contribution, inte {inc.kind}",
                    (*path, "member"),
                )
            )

    line_ids: dict[str, str] = {}
    group_ids = {g.id for g in plan.groups}
    for i, inc in enumerate(plan.income):
        if inc.id:
            if inc.id in line_ids:
                out.append(_ref("REF004", f"id '{inc.id}' används redan", ("income", i, "id")))
            line_ids[inc.id] = "income"
    for group, i, line in cost_lines(plan):
        path = ("costs", group, i)
        if line.id:
            if line.id in line_ids or line.id in group_ids:
                out.append(_ref("REF004", f"id '{line.id}' används redan", (*path, "id")))
            line_ids[line.id] = group
        amounts((*path, "amounts"), line.amounts, f"{line.label}: belopp")
        amounts((*path, "notes"), line.notes, f"{line.label}: anteckning")
        if line.parts and line.amounts:
            out.append(
                _ref(
                    "REF007",
                    f"{line.label}: ange antingen amounts eller parts, inte "
                    "båda (raden är summan av sina delposter)",
                    (*path, "parts"),
                )
            )
        for j, part in enumerate(line.parts):
            amounts((*path, "parts", j, "amounts"), part.amounts, f"{part.label}: belopp")
    amounts(("reserve", "amounts"), plan.reserve.amounts, "reserv")
    out.extend(check_keys(plan))

    insatser = {g.id for g in plan.groups if g.counts_as == "insatser"}
    for group, i, line in cost_lines(plan):
        if line.evaluates is None:
            continue
        target = line_ids.get(line.evaluates)
        if target is None:
            out.append(
                _ref(
                    "REF005",
                    f"{line.label}: evaluates '{line.evaluates}' är ingen budgetrad",
                    ("costs", group, i, "evaluates"),
                )
            )
        elif target not in insatser or group not in insatser:
            out.append(
                _ref(
                    "REF005",
                    f"{line.label}: en utvärdering och det den utvärderar hör till grupper som "
                    f"räknas som insatser ({', '.join(sorted(insatser)) or 'inga'})",
                    ("costs", group, i, "evaluates"),
                )
            )

    activity_ids: set[str] = set()
    for i, act in enumerate(plan.activities):
        out.extend(_check_activity(act, i, line_ids, activity_ids, member_ids))
    out.extend(_overlapping_periods(plan))

    totals = total_names(plan)
    known = set(totals) | {k for k, v in line_ids.items() if v != "income"}

    def figures_in(text: str, title: str, path: Path) -> None:
        for name, column, _ in placeholders.find(text):
            if name not in known or column not in columns:
                what = (
                    f"'{name}' är varken en summa ({', '.join(totals)}) eller en budgetrads id"
                    if name not in known
                    else f"'{column}' är ingen kolumn ({', '.join(columns)})"
                )
                out.append(_ref("REF009", f"{title}: {{{{ {name} {column} }}}}: {what}", path))

    for i, act in enumerate(plan.activities):
        if act.budget_text:
            figures_in(act.budget_text, act.title, ("activities", i, "budget_text"))
    section_ids: set[str] = set()
    placed: dict[str, Path] = {}
    for path, sec in iter_sections(plan.sections):
        figures_in(sec.text, sec.title, (*path, "text"))
        out.extend(_check_tables(sec, path, placed, table_ids(plan)))
        if sec.id in section_ids:
            out.append(_ref("REF004", f"avsnittet '{sec.id}' finns två gånger", (*path, "id")))
        section_ids.add(sec.id)

    out.extend(_check_forecast(plan, line_ids))
    out.extend(check_cycle(plan))  # revisions, samråd answers, goals
    for name, total in plan.stated.items():
        if name not in totals:
            out.append(
                _ref(
                    "REF015",
                    f"stated: '{name}' är ingen summa ({', '.join(totals)})",
                    ("stated", name),
                )
            )
        path = ("stated", name) if total.short else ("stated", name, "amounts")
        amounts(path, total.amounts, f"stated.{name}: belopp")
    for i, rule in enumerate(plan.actuals.mapping):
        if rule.line not in line_ids:
            out.append(
                _ref(
                    "REF011",
                    f"actuals.mapping: '{rule.line}' är ingen rad i planen",
                    ("actuals", "mapping", i, "line"),
                )
            )
    for line_id in [*plan.actuals.profiles, *plan.actuals.forecast]:
        if line_id not in line_ids:
            out.append(_ref("REF011", f"actuals: '{line_id}' är ingen rad i planen", ("actuals",)))

    tiers = plan.policy.equity_ceiling
    for i, tier in enumerate(tiers):
        last = i == len(tiers) - 1
        if (tier.up_to is None) != last:
            out.append(
                _ref(
                    "REF006",
                    "trappan för eget kapital: bara sista steget saknar "
                    "up_to, och det måste finnas ett sådant",
                    ("policy", "equity_ceiling", i),
                )
            )
        elif (
            i
            and tier.up_to is not None
            and tiers[i - 1].up_to is not None
            and tier.up_to <= (tiers[i - 1].up_to or 0)
        ):
            out.append(
                _ref(
                    "REF006",
                    "trappan för eget kapital: stegen ska ha stigande up_to",
                    ("policy", "equity_ceiling", i, "up_to"),
                )
            )
    return out


def _check_tables(
    sec: Section, path: Path, placed: dict[str, Path], tables: list[str]
) -> list[Finding]:
    """A budget section's ``tables`` name known tables, each shown in one place only."""
    out: list[Finding] = []
    if sec.tables and sec.generated != "budget":
        out.append(
            _ref(
                "REF016",
                f"{sec.title}: tables gäller bara ett avsnitt med generated: budget",
                (*path, "tables"),
            )
        )
    for j, table in enumerate(sec.tables):
        where: Path = (*path, "tables", j)
        if table not in tables:
            out.append(
                _ref(
                    "REF016",
                    f"{sec.title}: '{table}' är ingen tabell ({', '.join(tables)})",
                    where,
                )
            )
        elif table in placed:
            out.append(_ref("REF016", f"{sec.title}: tabellen '{table}' visas redan", where))
        placed.setdefault(table, where)
    return out


def _check_activity(
    act: Activity, i: int, line_ids: dict[str, str], seen: set[str], member_ids: set[str]
) -> list[Finding]:
    out = []
    path: Path = ("activities", i)
    if act.id in seen:
        out.append(_ref("REF004", f"insatsen '{act.id}' finns två gånger", (*path, "id")))
    seen.add(act.id)
    for j, ref in enumerate(act.lines):
        if ref not in line_ids or line_ids[ref] == "income":
            out.append(
                _ref(
                    "REF005",
                    f"{act.title}: '{ref}' är ingen kostnadsrad "
                    f"(kända: {', '.join(k for k, v in line_ids.items() if v != 'income')})",
                    (*path, "lines", j),
                )
            )
    members = set(member_ids)
    if act.decision is not None:
        for j, party in enumerate(act.decision.parties):
            if party not in members:
                out.append(
                    _ref(
                        "REF003",
                        f"{act.title}: parten '{party}' är ingen medlem "
                        f"({', '.join(sorted(members))})",
                        (*path, "decision", "parties", j),
                    )
                )
    if act.period and act.period.end and act.period.end < act.period.start:
        out.append(
            _ref(
                "REF008",
                f"{act.title}: perioden slutar {act.period.end} före sin start {act.period.start}",
                (*path, "period", "end"),
            )
        )
    return out


def _check_forecast(plan: Plan, line_ids: dict[str, str]) -> list[Finding]:
    """Forecast assumptions name lines, indices and insatser that exist."""
    out: list[Finding] = []
    fc = plan.forecast
    projectable = {k for k, v in line_ids.items() if v != "income"} | {
        inc.id for inc in plan.income if inc.id and inc.kind == "other"
    }
    with_period = {a.id for a in plan.activities if a.period is not None}
    group_ids = {g.id for g in plan.groups}
    blocks: list[tuple[Path, Any]] = [(("forecast",), fc)] + [
        (("forecast", "scenarios", name), sc) for name, sc in fc.scenarios.items()
    ]
    for path, block in blocks:
        for line_id in block.lines:
            if line_id not in projectable:
                out.append(
                    _ref(
                        "REF010",
                        f"prognosen: '{line_id}' är ingen kostnadsrad eller "
                        "övrig intäkt (medlemsavgifterna följer statens tilldelning)",
                        (*path, "lines", line_id),
                    )
                )
        for group_id in block.groups:
            if group_id not in group_ids:
                out.append(
                    _ref(
                        "REF010",
                        f"prognosen: '{group_id}' är ingen kostnadsgrupp "
                        f"({', '.join(sorted(group_ids))})",
                        (*path, "groups", group_id),
                    )
                )
        assumptions = (
            [(("lines", k), v) for k, v in block.lines.items()]
            + [(("groups", k), v) for k, v in block.groups.items()]
            + [
                ((name,), getattr(block, name))
                for name in ("default", "state_allocation", "reserve")
                if getattr(block, name) is not None
            ]
        )
        for sub, assumption in assumptions:
            if assumption.index is not None and assumption.index not in fc.indices:
                out.append(
                    _ref(
                        "REF010",
                        f"prognosen: indexet '{assumption.index}' finns inte "
                        f"i forecast.indices ({', '.join(fc.indices) or 'inga'})",
                        (*path, *sub, "index"),
                    )
                )
        if isinstance(block.room_spent, dict):
            for key in block.room_spent:
                if key not in plan.column_keys():
                    out.append(
                        _ref(
                            "REF010",
                            f"prognosen: room_spent för '{key}', som inte är en kolumn i planen",
                            (*path, "room_spent", key),
                        )
                    )
        for act_id in block.extensions:
            if act_id not in with_period:
                out.append(
                    _ref(
                        "REF010",
                        f"prognosen: '{act_id}' är ingen insats med period",
                        (*path, "extensions", act_id),
                    )
                )
    return out


def _overlapping_periods(plan: Plan) -> list[Finding]:
    """A budget line can follow only one period: two insatser with overlapping periods that
    both draw on it make the forecast and the period rule ambiguous."""
    out: list[Finding] = []
    owner: dict[str, tuple[int, Activity]] = {}
    for i, act in enumerate(plan.activities):
        if act.period is None:
            continue
        for j, line_id in enumerate(act.lines):
            if line_id not in owner:
                owner[line_id] = (i, act)
                continue
            _, other = owner[line_id]
            assert other.period is not None
            a, b = other.period, act.period
            a_end = a.end or b.start.replace(year=9999)
            b_end = b.end or a.start.replace(year=9999)
            if a.start <= b_end and b.start <= a_end:
                out.append(
                    _ref(
                        "REF012",
                        f"{act.title}: raden '{line_id}' finansierar redan "
                        f"{other.title} under en period som överlappar "
                        f"({a.start}–{a.end or 'tills vidare'} och "
                        f"{b.start}–{b.end or 'tills vidare'})",
                        ("activities", i, "lines", j),
                    )
                )
    return out
