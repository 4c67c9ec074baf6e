"""Cross-references inside a plan: everything that points elsewhere points at something.

Years that are not columns, unknown members or lines, duplicate ids, reversed periods. These
are checked after the schema, with the YAML paths of the places involved, so a plan that
passes the loader is internally consistent and the rules only judge its economy.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.plan import placeholders
from finsamplan.plan.cyclerefs import check_cycle
from finsamplan.plan.forecastrefs import check_forecast
from finsamplan.plan.keys import check_keys
from finsamplan.plan.labels import TOTAL_NAMES
from finsamplan.plan.model import Activity, Plan, Section
from finsamplan.plan.walk import cost_lines, iter_sections, line_owners, table_ids, total_names

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


@dataclass(frozen=True)
class _Refs:
    """What the checks look names up in: the plan's columns, members and lines."""

    plan: Plan
    columns: list[str]
    member_ids: set[str]
    line_ids: dict[str, str]  # every line id: "income" or its cost group's id

    @classmethod
    def of(cls, plan: Plan) -> _Refs:
        return cls(
            plan, plan.column_keys(), {m.id for m in plan.forbund.members}, line_owners(plan)
        )

    @property
    def cost_ids(self) -> list[str]:
        return [k for k, v in self.line_ids.items() if v != "income"]

    def amounts(self, path: Path, mapping: dict[str, Any], what: str) -> list[Finding]:
        """REF002 for every key of ``mapping`` that is not a column of the plan."""
        return [
            _ref(
                "REF002",
                f"{what} för '{key}', som inte är en kolumn i planen "
                f"(kolumner: {', '.join(self.columns)})",
                (*path, key),
                column=key,
            )
            for key in mapping
            if key not in self.columns
        ]

    def members_text(self) -> str:
        return ", ".join(sorted(self.member_ids))


def check_references(plan: Plan) -> list[Finding]:
    """Everything in the plan that points elsewhere must point at something that exists:
    each check below in turn, in the order the plan file is usually written."""
    refs = _Refs.of(plan)
    return [f for check in _CHECKS for f in check(refs)]


def _groups(r: _Refs) -> list[Finding]:
    return check_groups(r.plan)


def _columns(r: _Refs) -> list[Finding]:
    """REF001: a column key only once."""
    return [
        _ref("REF001", f"kolumnen '{key}' finns två gånger", ("columns", i))
        for i, key in _repeated(c.key for c in r.plan.columns)
    ]


def _members(r: _Refs) -> list[Finding]:
    """REF003: a member id only once."""
    return [
        _ref("REF003", f"medlemmen '{mid}' finns två gånger", ("forbund", "members", i, "id"))
        for i, mid in _repeated(m.id for m in r.plan.forbund.members)
    ]


def _payers(r: _Refs) -> list[Finding]:
    """REF003: ``paid_by`` names a member on the same side."""
    out: list[Finding] = []
    for i, m in enumerate(r.plan.forbund.members):
        if m.paid_by is None:
            continue
        payer = r.plan.member(m.paid_by)
        path: Path = ("forbund", "members", i, "paid_by")
        if payer is None:
            message = (
                f"{m.name}: paid_by '{m.paid_by}' är ingen medlem (medlemmar: {r.members_text()})"
            )
            out.append(_ref("REF003", message, path))
        elif payer.side != m.side:
            message = (
                f"{m.name} ({m.side}) kan inte betalas av {payer.name} ({payer.side}): de hör "
                "till olika sidor"
            )
            out.append(_ref("REF003", message, path))
    return out


def _income(r: _Refs) -> list[Finding]:
    """Income lines: amounts and notes in columns; a contribution names a paying member,
    other income none."""
    out: list[Finding] = []
    for i, inc in enumerate(r.plan.income):
        path: Path = ("income", i)
        out += r.amounts((*path, "amounts"), inc.amounts, f"{inc.label}: belopp")
        out += r.amounts((*path, "notes"), inc.notes, f"{inc.label}: anteckning")
        member = _contribution_member(r, inc.label, inc.kind, inc.member)
        if member is not None:
            out.append(_ref("REF003", member, path if inc.member is None else (*path, "member")))
    return out


def _contribution_member(r: _Refs, label: str, kind: str, member: str | None) -> str | None:
    """What is wrong with an income line's ``member``, if anything."""
    if kind != "contribution":
        return (
            None
            if member is None
            else f"{label}: 'member' hör bara till kind: contribution, inte {kind}"
        )
    if member is None:
        return f"{label}: en medlemsavgift behöver 'member' (vilken medlem som betalar)"
    if member not in r.member_ids:
        return f"{label}: '{member}' är ingen medlem (medlemmar: {r.members_text()})"
    payer = r.plan.member(member)
    if payer and payer.paid_by:
        return (
            f"{label}: {payer.name} betalas av '{payer.paid_by}'; avgiften bokförs på den medlemmen"
        )
    return None


def _income_ids(r: _Refs) -> list[Finding]:
    """REF004: an income line's id only once."""
    ids = [inc.id or None for inc in r.plan.income]
    return [
        _ref("REF004", f"id '{line_id}' används redan", ("income", i, "id"))
        for i, line_id in _repeated(ids)
    ]


def _cost_lines(r: _Refs) -> list[Finding]:
    """Cost lines: an id used by no other line or group, amounts, notes and parts in
    columns, and either amounts or parts."""
    out: list[Finding] = []
    seen = {inc.id for inc in r.plan.income if inc.id} | {g.id for g in r.plan.groups}
    for group, i, line in cost_lines(r.plan):
        path: Path = ("costs", group, i)
        if line.id:
            if line.id in seen:
                out.append(_ref("REF004", f"id '{line.id}' används redan", (*path, "id")))
            seen.add(line.id)
        out += r.amounts((*path, "amounts"), line.amounts, f"{line.label}: belopp")
        out += r.amounts((*path, "notes"), line.notes, f"{line.label}: anteckning")
        if line.parts and line.amounts:
            message = (
                f"{line.label}: ange antingen amounts eller parts, inte båda (raden är summan "
                "av sina delposter)"
            )
            out.append(_ref("REF007", message, (*path, "parts")))
        for j, part in enumerate(line.parts):
            out += r.amounts((*path, "parts", j, "amounts"), part.amounts, f"{part.label}: belopp")
    return out


def _reserve(r: _Refs) -> list[Finding]:
    return r.amounts(("reserve", "amounts"), r.plan.reserve.amounts, "reserv")


def _keys(r: _Refs) -> list[Finding]:
    return check_keys(r.plan)


def _evaluations(r: _Refs) -> list[Finding]:
    """REF005: ``evaluates`` names a line, and both lie in groups that count as insatser."""
    out: list[Finding] = []
    insatser = {g.id for g in r.plan.groups if g.counts_as == "insatser"}
    for group, i, line in cost_lines(r.plan):
        if line.evaluates is None:
            continue
        target = r.line_ids.get(line.evaluates)
        if target is None:
            message = f"{line.label}: evaluates '{line.evaluates}' är ingen budgetrad"
        elif target not in insatser or group not in insatser:
            message = (
                f"{line.label}: en utvärdering och det den utvärderar hör till grupper som "
                f"räknas som insatser ({', '.join(sorted(insatser)) or 'inga'})"
            )
        else:
            continue
        out.append(_ref("REF005", message, ("costs", group, i, "evaluates")))
    return out


def _activities(r: _Refs) -> list[Finding]:
    seen: set[str] = set()
    out: list[Finding] = []
    for i, act in enumerate(r.plan.activities):
        out.extend(_check_activity(act, i, r, seen))
    return out


def _periods(r: _Refs) -> list[Finding]:
    return _overlapping_periods(r.plan)


def _figures_in(r: _Refs, text: str, title: str, path: Path) -> list[Finding]:
    """REF009: every ``{{ name column }}`` in a text names a total or a line, and a column."""
    totals = total_names(r.plan)
    known = set(totals) | set(r.cost_ids)
    out: list[Finding] = []
    for name, column, _ in placeholders.find(text):
        if name not in known:
            what = f"'{name}' är varken en summa ({', '.join(totals)}) eller en budgetrads id"
        elif column not in r.columns:
            what = f"'{column}' är ingen kolumn ({', '.join(r.columns)})"
        else:
            continue
        out.append(_ref("REF009", f"{title}: {{{{ {name} {column} }}}}: {what}", path))
    return out


def _card_figures(r: _Refs) -> list[Finding]:
    return [
        f
        for i, act in enumerate(r.plan.activities)
        if act.budget_text
        for f in _figures_in(r, act.budget_text, act.title, ("activities", i, "budget_text"))
    ]


def _sections(r: _Refs) -> list[Finding]:
    """Sections: figures in their text, their budget tables, an id only once."""
    out: list[Finding] = []
    section_ids: set[str] = set()
    placed: dict[str, Path] = {}
    tables = table_ids(r.plan)
    for path, sec in iter_sections(r.plan.sections):
        out += _figures_in(r, sec.text, sec.title, (*path, "text"))
        out += _check_tables(sec, path, placed, tables)
        if sec.id in section_ids:
            out.append(_ref("REF004", f"avsnittet '{sec.id}' finns två gånger", (*path, "id")))
        section_ids.add(sec.id)
    return out


def _forecast(r: _Refs) -> list[Finding]:
    return check_forecast(r.plan, r.line_ids)


def _cycle(r: _Refs) -> list[Finding]:
    return check_cycle(r.plan)  # revisions, samråd answers, goals


def _stated(r: _Refs) -> list[Finding]:
    """REF015: ``stated`` names totals, in columns of the plan."""
    out: list[Finding] = []
    totals = total_names(r.plan)
    for name, total in r.plan.stated.items():
        if name not in totals:
            message = f"stated: '{name}' är ingen summa ({', '.join(totals)})"
            out.append(_ref("REF015", message, ("stated", name)))
        path: Path = ("stated", name) if total.short else ("stated", name, "amounts")
        out += r.amounts(path, total.amounts, f"stated.{name}: belopp")
    return out


def _member_hint(member: str) -> str:
    """A member's id where a line's was meant: its contribution computed from the key has
    no line of its own until the plan gives it one."""
    return (
        f"; '{member}' är en medlem, inte en rad: ge medlemmens intäktsrad ett id "
        f"(`id: {member}` och `member: {member}` under income) och mappa till det"
    )


def _actuals(r: _Refs) -> list[Finding]:
    """REF011: how the export is read names lines of the plan."""
    actuals = r.plan.actuals
    members = {m.id for m in r.plan.forbund.members}
    out = [
        _ref(
            "REF011",
            f"actuals.mapping: '{rule.line}' är ingen rad i planen"
            + (_member_hint(rule.line) if rule.line in members else ""),
            ("actuals", "mapping", i, "line"),
        )
        for i, rule in enumerate(actuals.mapping)
        if rule.line not in r.line_ids
    ]
    out += [
        _ref("REF011", f"actuals: '{line_id}' är ingen rad i planen", ("actuals",))
        for line_id in [*actuals.profiles, *actuals.forecast]
        if line_id not in r.line_ids
    ]
    return out


def _equity_steps(r: _Refs) -> list[Finding]:
    """REF006: the equity staircase rises, and only its last step has no ``up_to``."""
    out: list[Finding] = []
    tiers = r.plan.policy.equity_ceiling
    for i, tier in enumerate(tiers):
        before = tiers[i - 1].up_to if i else None
        if (tier.up_to is None) != (i == len(tiers) - 1):
            message = (
                "trappan för eget kapital: bara sista steget saknar up_to, och det måste "
                "finnas ett sådant"
            )
            out.append(_ref("REF006", message, ("policy", "equity_ceiling", i)))
        elif tier.up_to is not None and before is not None and tier.up_to <= before:
            message = "trappan för eget kapital: stegen ska ha stigande up_to"
            out.append(_ref("REF006", message, ("policy", "equity_ceiling", i, "up_to")))
    return out


_CHECKS: tuple[Callable[[_Refs], list[Finding]], ...] = (
    _groups,
    _columns,
    _members,
    _payers,
    _income,
    _income_ids,
    _cost_lines,
    _reserve,
    _keys,
    _evaluations,
    _activities,
    _periods,
    _card_figures,
    _sections,
    _forecast,
    _cycle,
    _stated,
    _actuals,
    _equity_steps,
)
"""Every check, in the order its findings are listed."""


def _repeated(values: Iterable[str | None]) -> Iterator[tuple[int, str]]:
    """(place, value) for every value seen before at an earlier place (None is no value)."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            yield i, value
        seen.add(value)


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


def _check_activity(act: Activity, i: int, r: _Refs, seen: set[str]) -> list[Finding]:
    """An insats: its id only once, its lines cost lines, its parties members, its period
    ending after it starts."""
    out = []
    path: Path = ("activities", i)
    if act.id in seen:
        out.append(_ref("REF004", f"insatsen '{act.id}' finns två gånger", (*path, "id")))
    seen.add(act.id)
    for j, ref in enumerate(act.lines):
        if r.line_ids.get(ref, "income") == "income":
            out.append(
                _ref(
                    "REF005",
                    f"{act.title}: '{ref}' är ingen kostnadsrad (kända: {', '.join(r.cost_ids)})",
                    (*path, "lines", j),
                )
            )
    if act.decision is not None:
        for j, party in enumerate(act.decision.parties):
            if party not in r.member_ids:
                out.append(
                    _ref(
                        "REF003",
                        f"{act.title}: parten '{party}' är ingen medlem ({r.members_text()})",
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
