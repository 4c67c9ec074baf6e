"""A new förbund's first plan file (``finsamplan init``), from a few answers.

The answers are the förbund's name, the plan year, its members by side (regions,
municipalities, a municipality outside a region), a population key where several members
share a side, the state's allocation, the cost groups and the criteria profile. What is not
given is asked for on a terminal (:func:`complete`, through an :class:`Ask`), and otherwise
left at a neutral default or refused with a message naming the option to give.

The file is written from a :class:`~finsamplan.plan.model.Plan` by the plan writer, with a
header explaining the file and a ``fyll i`` comment wherever the förbund must put in its own
figures or text. No amount is guessed: what the answers do not say is 0 and marked. The text
is read back and judged before it is written, so ``init`` never leaves a file that
``validate`` refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Path as YamlPath
from finsamplan.base.findings import Severity
from finsamplan.base.money import MoneyFormatError, parse_kronor, parse_share
from finsamplan.plan.labels import DEFAULT_GROUPS
from finsamplan.plan.model import MAX_KRONOR, Plan
from finsamplan.plan.writer import plan_to_yaml, schema_modeline

__all__ = [
    "Answers",
    "Ask",
    "GroupSpec",
    "InitError",
    "MemberSpec",
    "complete",
    "parse_group",
    "parse_member",
    "plan_text",
    "target_path",
]

FILL_IN = "fyll i"
ADMIN_LINES = (
    "Förbundschef och kansli",
    "Styrelse och revision",
    "Lokaler, IT och ekonomitjänster",
)
"""The lines most förbund have under administration; the förbund renames or removes them."""


class InitError(FinsamplanError, ValueError):
    """Answers that cannot make a plan; the message says what to give instead."""


@dataclass(frozen=True)
class MemberSpec:
    """A member besides the state: its name and, where it shares a side, its key."""

    name: str
    population: int | None = None
    share: Decimal | None = None


@dataclass(frozen=True)
class GroupSpec:
    """A cost group: id, title, what it counts as, and whether its lines are projects."""

    id: str
    title: str
    counts_as: str
    projects: bool = False


@dataclass(frozen=True)
class Answers:
    """What ``init`` was told; ``None`` (or an empty list of members) is not yet answered."""

    name: str | None = None
    short_name: str | None = None
    year: int | None = None
    regions: list[MemberSpec] = field(default_factory=list)
    municipalities: list[MemberSpec] = field(default_factory=list)
    without_region: list[MemberSpec] = field(default_factory=list)
    population_date: date | None = None
    state_allocation: int | None = None
    groups: list[GroupSpec] | None = None
    criteria: list[str] | None = None

    def sides(self) -> dict[str, list[MemberSpec]]:
        return {
            "region": self.regions,
            "municipality": self.municipalities,
            "municipality_without_region": self.without_region,
        }


class Ask(Protocol):
    """How :func:`complete` talks to the person at the terminal."""

    def text(self, question: str, default: str = "") -> str: ...

    def confirm(self, question: str, default: bool = True) -> bool: ...

    def say(self, message: str) -> None: ...


# --- reading the answers ---------------------------------------------------------------------


def parse_member(text: str) -> MemberSpec:
    """``"Älvby kommun"``, ``"Älvby kommun:41230"`` (inhabitants) or ``"Älvby kommun:12,5 %"``."""
    name, _, key = text.rpartition(":")
    if not name or not re.fullmatch(r"\s*[0-9][0-9 \u00a0.,]*%?\s*", key):
        name, key = text, ""
    name = name.strip()
    if not name:
        raise InitError(f"'{text}': ange medlemmens namn, t.ex. \"Älvby kommun:41230\"")
    if not key:
        return MemberSpec(name)
    if key.strip().endswith("%"):
        try:
            share = parse_share(key)
        except MoneyFormatError:
            raise InitError(f"'{key.strip()}' är ingen andel (skriv t.ex. 12,5 %)") from None
        if not Decimal(0) < share <= 1:
            raise InitError(f"{name}: andelen ska vara större än 0 % och högst 100 %")
        return MemberSpec(name, share=share)
    return MemberSpec(name, population=parse_count(key, name))


def parse_count(text: str, name: str) -> int:
    try:
        count = parse_kronor(text)
    except MoneyFormatError:
        raise InitError(f"{name}: '{text.strip()}' är inget invånarantal") from None
    if count <= 0:
        raise InitError(f"{name}: invånarantalet ska vara större än 0")
    return count


def parse_group(text: str) -> GroupSpec:
    """``id:Titel:administration`` or ``id:Titel:insatser``, with ``:projekt`` when the
    group's lines are projects that each need an evaluation line."""
    parts = [p.strip() for p in text.split(":")]
    projects = len(parts) == 4 and parts[3].lower() in ("projekt", "projects")
    if len(parts) not in (3, 4) or (len(parts) == 4 and not projects):
        raise InitError(
            f"'{text}': skriv gruppen som id:Titel:administration eller id:Titel:insatser "
            "(och :projekt om raderna är projekt), t.ex. individ:Individinriktade insatser:insatser"
        )
    group_id, title, counts_as = parts[:3]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", group_id):
        raise InitError(f"'{group_id}': ett grupp-id skrivs med a–z, siffror, - och _")
    if counts_as not in ("administration", "insatser"):
        raise InitError(f"'{counts_as}': en grupp räknas som administration eller insatser")
    if not title:
        raise InitError(f"'{text}': gruppen behöver en rubrik")
    return GroupSpec(group_id, title, counts_as, projects)


def parse_year(text: str) -> int:
    if not re.fullmatch(r"\s*[0-9]{4}\s*", text) or not 2000 <= int(text) <= 2100:
        raise InitError(f"'{text.strip()}' är inget planår (2000–2100)")
    return int(text)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InitError(f"'{text.strip()}' är inget datum (skriv ÅÅÅÅ-MM-DD)") from None


def parse_amount(text: str) -> int:
    try:
        amount = parse_kronor(text)
    except MoneyFormatError:
        raise InitError(f"'{text.strip()}' är inget belopp i hela kronor") from None
    if not 0 <= amount <= MAX_KRONOR:
        raise InitError(f"'{text.strip()}': beloppet ska vara 0 eller mer")
    return amount


def parse_criteria(names: list[str], known: list[str]) -> list[str]:
    """Names of profiles in criteria/ (``grund``) or ``none``; an unknown name is refused."""
    chosen = [n.strip() for name in names for n in name.split(",") if n.strip()]
    if chosen in ([], ["none"]):
        return []
    if "none" in chosen:
        raise InitError("none betyder ingen kriterieprofil och kan inte stå med en profil")
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise InitError(
            f"okänd kriterieprofil: {', '.join(unknown)} (finns: {', '.join(known)} eller none)"
        )
    return list(dict.fromkeys(chosen))


def default_groups() -> list[GroupSpec]:
    """The three groups of a plan that declares none, offered as the starting point."""
    return [GroupSpec(i, title, c, p) for i, title, _, c, p in DEFAULT_GROUPS]


def answers_from_options(
    profiles: list[str],
    name: str | None,
    short_name: str | None,
    year: int | None,
    regions: list[str] | None,
    municipalities: list[str] | None,
    without_region: list[str] | None,
    population_date: str | None,
    state_allocation: str | None,
    groups: list[str] | None,
    criteria: list[str] | None,
) -> Answers:
    """The answers the command-line options give (as typed); unreadable ones are refused."""
    return Answers(
        name=name,
        short_name=short_name,
        year=parse_year(str(year)) if year is not None else None,
        regions=[parse_member(t) for t in regions or []],
        municipalities=[parse_member(t) for t in municipalities or []],
        without_region=[parse_member(t) for t in without_region or []],
        population_date=parse_date(population_date) if population_date else None,
        state_allocation=parse_amount(state_allocation) if state_allocation else None,
        groups=[parse_group(t) for t in groups] if groups else None,
        criteria=parse_criteria(criteria, profiles) if criteria else None,
    )


# --- asking for what is missing --------------------------------------------------------------


def complete(answers: Answers, ask: Ask, known_profiles: list[str], this_year: int) -> Answers:
    """The answers with what was missing asked for, one question at a time."""
    a = answers
    if a.name is None:
        a = replace(a, name=_until(ask, "Förbundets namn", "", _required))
    if a.year is None:
        a = replace(a, year=_until(ask, "Planår", str(this_year + 1), parse_year))
    a = _ask_populations(_ask_members(a, ask), ask)
    if a.state_allocation is None:
        question = f"Statens tilldelning {a.year} i kronor (tomt om den inte är känd)"
        amount = _until(ask, question, "", lambda t: parse_amount(t) if t.strip() else None)
        a = replace(a, state_allocation=amount)
    if a.groups is None:
        a = replace(a, groups=_ask_groups(ask))
    if a.criteria is None:
        question = f"Kriterieprofil ({', '.join(known_profiles)} eller none)"
        chosen = _until(ask, question, "none", lambda t: parse_criteria([t], known_profiles))
        a = replace(a, criteria=chosen)
    return a


def _until(ask: Ask, question: str, default: str, parse: Any) -> Any:
    while True:
        try:
            return parse(ask.text(question, default))
        except InitError as exc:
            ask.say(str(exc))


def _required(text: str) -> str:
    if not text.strip():
        raise InitError("ett svar behövs")
    return text.strip()


def _ask_members(a: Answers, ask: Ask) -> Answers:
    """The members besides the state, until they make a förbund (FinsamL 5 §, 5 a §)."""
    if (a.regions and a.municipalities) or a.without_region:
        return a
    ask.say(
        "Medlemmar utöver staten (Försäkringskassan och Arbetsförmedlingen), en per fråga, "
        'gärna med invånarantal: "Älvby kommun:41230". Tom rad när du är klar.'
    )
    regions, municipalities = a.regions, a.municipalities
    while True:
        regions = regions or _members(ask, "Region")
        municipalities = municipalities or _members(ask, "Kommun")
        without = [] if regions else _members(ask, "Kommun utanför region (5 a §)")
        if (regions and municipalities) or without:
            return replace(
                a, regions=regions, municipalities=municipalities, without_region=without
            )
        ask.say(
            "Ett förbund har en region och minst en kommun, eller en kommun utanför region "
            "(FinsamL 5 §, 5 a §)."
        )


def _members(ask: Ask, question: str) -> list[MemberSpec]:
    """Members of one kind until an empty answer; a name already given is said, not kept."""
    out: list[MemberSpec] = []
    while True:
        asked = f"{question} (fler? tom rad när du är klar)" if out else question
        member = _until(ask, asked, "", lambda t: parse_member(t) if t else None)
        if member is None:
            return out
        named = " ".join(member.name.split()).casefold()
        if any(" ".join(m.name.split()).casefold() == named for m in out):
            ask.say(f"{member.name} finns redan med; varje medlem anges en gång.")
            continue
        out.append(member)


def _ask_populations(a: Answers, ask: Ask) -> Answers:
    """Invånare for each member of a side that several share, and the day they are counted."""
    sides = {}
    for side, members in a.sides().items():
        if len(members) > 1 and not any(m.share is not None for m in members):
            members = [
                m
                if m.population is not None
                else replace(m, population=_until(ask, f"Invånare i {m.name}", "", _count(m)))
                for m in members
            ]
        sides[side] = members
    a = replace(
        a,
        regions=sides["region"],
        municipalities=sides["municipality"],
        without_region=sides["municipality_without_region"],
    )
    counted = any(m.population is not None for ms in a.sides().values() if len(ms) > 1 for m in ms)
    if counted and a.population_date is None:
        default = f"{(a.year or 2000) - 2}-12-31"
        a = replace(a, population_date=_until(ask, "Invånarantalen gäller", default, parse_date))
    return a


def _count(member: MemberSpec) -> Any:
    return lambda text: parse_count(text, member.name)


def _ask_groups(ask: Ask) -> list[GroupSpec]:
    titles = ", ".join(g.title for g in default_groups())
    if ask.confirm(f"Kostnadsgrupper: {titles}. Använda dem?", True):
        return default_groups()
    ask.say("En grupp per fråga: id:Titel:administration eller id:Titel:insatser. Tom rad: klart.")
    groups: list[GroupSpec] = []
    while True:
        group = _until(ask, "Grupp", "", lambda t: parse_group(t) if t.strip() else None)
        if group is None and groups:
            return groups
        if group is not None:
            groups.append(group)


# --- the plan --------------------------------------------------------------------------------


def check_answers(a: Answers) -> None:
    """Refuse answers that cannot make a plan, saying which option to give."""
    problems = []
    if not a.name or not a.name.strip():
        problems.append("förbundets namn (--name)")
    if a.year is None:
        problems.append("planåret (--year)")
    if not a.regions and not a.without_region:
        problems.append(
            "en region (--region), eller en kommun utanför region (--municipality-without-region)"
        )
    if a.regions and not a.municipalities:
        problems.append("minst en kommun (--municipality)")
    if problems:
        raise InitError("ange " + "; ".join(problems))
    _refuse_twice(a)
    for members in a.sides().values():
        keyed = [m for m in members if m.population is not None or m.share is not None]
        if len(members) > 1 and len(keyed) < len(members):
            raise InitError(
                "när flera medlemmar delar en sida behöver var och en en fördelningsnyckel: "
                'invånare ("Älvby kommun:41230") eller andel ("Älvby kommun:40 %")'
            )
        if len({m.population is None for m in keyed}) > 1:
            raise InitError("ange antingen invånare eller andelar för medlemmarna, inte båda")
        if len(members) > 1 and keyed[0].population is not None and a.population_date is None:
            raise InitError("ange dagen invånarantalen gäller (--population-date ÅÅÅÅ-MM-DD)")
    if a.groups is not None and len({g.id for g in a.groups}) < len(a.groups):
        raise InitError("två kostnadsgrupper har samma id")


def _refuse_twice(a: Answers) -> None:
    """A member named twice (on one side or on two) is a slip, never two members."""
    seen: set[str] = set()
    for members in a.sides().values():
        for m in members:
            key = " ".join(m.name.split()).casefold()
            if key in seen:
                raise InitError(f"'{m.name}' står två gånger bland medlemmarna; ange den en gång")
            seen.add(key)


def build_plan(a: Answers) -> tuple[Plan, dict[YamlPath, str]]:
    """The plan the answers describe, and the comments that go with it."""
    check_answers(a)
    assert a.name is not None and a.year is not None
    years = [a.year - 1, a.year, a.year + 1, a.year + 2]
    zeros = {str(y): 0 for y in years}
    groups = a.groups if a.groups is not None else default_groups()
    members, comments = _members_of(a)
    state = a.state_allocation or 0
    costs = _costs(groups, zeros, a.year, comments)
    data: dict[str, Any] = {
        "format": 1,
        "title": f"Verksamhets- och budgetplan {a.year}",
        "year": a.year,
        "forbund": {
            "name": a.name.strip(),
            "short_name": (a.short_name or "").strip() or None,
            "members": members,
        },
        "columns": [
            {"year": y, "kind": k}
            for y, k in zip(years, ("budget", "budgetplan", "prognos", "prognos"), strict=True)
        ],
        "contributions": {"state": {str(years[0]): 0, **{str(y): state for y in years[1:]}}},
        "income": [{"label": "Eget kapital/sparade medel", "kind": "equity", "amounts": zeros}],
        "reserve": {"amounts": zeros},
        "cost_groups": [
            {"id": g.id, "title": g.title, "counts_as": g.counts_as, "projects": g.projects}
            for g in groups
        ],
        "costs": costs,
        "sections": _sections(a.year),
        "criteria": a.criteria or [],
    }
    comments.update(_comments(a, years))
    try:
        return Plan.model_validate(data), comments
    except ValidationError as exc:  # a text too long for a plan, say
        from finsamplan.plan.loader import schema_findings
        from finsamplan.plan.yamlsource import SourceMap

        found = schema_findings(exc, SourceMap("init", []))
        raise InitError("; ".join(f.message for f in found)) from None


def _costs(
    groups: list[GroupSpec], zeros: dict[str, int], year: int, comments: dict[YamlPath, str]
) -> dict[str, list[dict[str, Any]]]:
    """The usual administration lines in the first such group, at 0; no insats is made up."""
    costs: dict[str, list[dict[str, Any]]] = {g.id: [] for g in groups}
    admin = next((g.id for g in groups if g.counts_as == "administration"), None)
    if admin is not None:
        costs[admin] = [{"label": label, "amounts": dict(zeros)} for label in ADMIN_LINES]
        comments[("costs", admin, 0, "amounts")] = f"{FILL_IN}: kostnaderna per år"
    for g in groups:
        if g.counts_as == "insatser":
            comments[("costs", g.id)] = (
                f"{FILL_IN}: en rad per insats, t.ex.\n"
                f"- {{id: steget, label: Steget, amounts: {{{year}: 500000}}}}"
            )
    return costs


def _member_id(name: str, taken: set[str]) -> str:
    words = [w for w in name.lower().split() if w not in ("kommun", "kommuns", "region", "stad")]
    slug = "-".join(words).translate(str.maketrans("åäöéüæø", "aaoeuao"))
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:40].strip("-") or "medlem"
    unique, n = slug, 2
    while unique in taken:
        unique, n = f"{slug}-{n}", n + 1
    taken.add(unique)
    return unique


def _members_of(a: Answers) -> tuple[list[dict[str, Any]], dict[YamlPath, str]]:
    members: list[dict[str, Any]] = [
        {"id": "fk", "name": "Försäkringskassan", "side": "state"},
        {"id": "af", "name": "Arbetsförmedlingen", "side": "state", "paid_by": "fk"},
    ]
    taken = {"fk", "af"}
    for side, specs in a.sides().items():
        for spec in specs:
            member: dict[str, Any] = {"id": _member_id(spec.name, taken), "name": spec.name}
            member["side"] = side
            if len(specs) > 1 and spec.population is not None:
                member["key"] = {"population": spec.population, "date": a.population_date}
            elif len(specs) > 1 and spec.share is not None:
                member["key"] = {"share": spec.share}
            members.append(member)
    comments: dict[YamlPath, str] = {
        ("forbund", "members"): (
            "Medlemmarna (FinsamL 3 §). Försäkringskassan betalar statens del, också\n"
            "Arbetsförmedlingens; key fördelar en sidas del när flera medlemmar delar den."
        )
    }
    return members, comments


def _sections(year: int) -> list[dict[str, Any]]:
    return [
        {"id": "sammanfattning", "title": "Sammanfattning", "numbered": False},
        {"id": "budgetplan", "title": f"Budgetplan för år {year}", "generated": "budget"},
        {
            "id": "beslutade-insatser",
            "title": f"Beslutade projekt/verksamheter {year}",
            "generated": "activities",
        },
    ]


def _comments(a: Answers, years: list[int]) -> dict[YamlPath, str]:
    allocation = (
        f"{FILL_IN}: statens tilldelning {a.year} (besked från Försäkringskassan)"
        if not a.state_allocation
        else f"statens tilldelning {a.year} enligt beskedet"
    )
    comments: dict[YamlPath, str] = {
        ("contributions", "state"): (
            f"{allocation}; {years[2]}–{years[3]}: bedömning,\n"
            f"här samma som {a.year}. {FILL_IN}: {years[0]}, fjolårets antagna budget: statens\n"
            f"belopp {years[0]} här ger avgifterna {years[0]} med årets nyckel; var fjolårets\n"
            f"fördelning en annan, ta bort {years[0]} här och skriv fjolårets avgifter per\n"
            f"medlem under income (docs/plan-format.md). 0 ger inga avgifter {years[0]}.\n"
            "Regionen betalar hälften av statens belopp och kommunerna tillsammans hälften\n"
            "(FinsamL 5 §); finsamplan räknar fram varje medlems avgift."
        ),
        ("income", 0, "amounts"): f"{FILL_IN}: eget kapital som förs in i året",
        ("reserve", "amounts"): f"{FILL_IN}: belopp av årets överskott som hålls som reserv",
        ("cost_groups",): (
            "Kostnadsgrupperna, i tabellernas ordning. Rubrikerna kan ändras; counts_as säger\n"
            "om gruppen räknas som administration eller insatser."
        ),
        ("sections", 0, "title"): f"{FILL_IN}: text: | och sammanfattningen i Markdown",
    }
    if a.criteria:
        comments[("criteria",)] = "Kriterieprofiler som insatserna prövas mot (finsamplan check)."
    return comments


def header(a: Answers, name: str) -> str:
    """The comment at the top of the file; ``name`` is how commands name the plan."""
    return "\n".join(
        [
            f"Verksamhets- och budgetplan {a.year} för {a.name}.",
            "",
            "Skapad med finsamplan init. Planfilen är källan till hela dokumentet: tabeller,",
            'summor och text. Belopp anges i hela kronor (1250000 eller "1 250 000"); summor',
            "skrivs aldrig in, finsamplan räknar dem.",
            "",
            f'Där det står "{FILL_IN}" väntar planen på förbundets egna belopp och texter.',
            f"Kontrollera filen med    finsamplan validate {name}",
            f"och skriv dokumentet med finsamplan render {name}",
            "Formatet (också insatser, datum för beslut och samråd, egna texter i labels:)",
            "beskrivs i finsamplans docs/plan-format.md.",
        ]
    )


def plan_text(a: Answers, path: Path) -> str:
    """The text of the plan file at ``path``, read back and judged: an error is refused."""
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import load_text

    plan_id = path.stem
    name = plan_id if path.parent == Path("plans") else str(path)  # an id finds plans/ID.yaml
    plan, comments = build_plan(a)
    text = schema_modeline(path) + plan_to_yaml(plan, header=header(a, name), comments=comments)
    loaded = load_text(text.encode("utf-8"), f"{plan_id}.yaml", plan_id=plan_id)
    errors = [f for f in validate(loaded) if f.severity is Severity.ERROR]
    if errors:
        raise InitError("planen blir inte giltig: " + "; ".join(f.message for f in errors))
    return text


def target_path(name: str, plans: Path) -> Path:
    """Where ``init NAME`` writes: ``plans/NAME.yaml`` for an id, else the path as given
    (in a folder that exists: ``init`` creates no folder but the plans folder)."""
    from finsamplan.plan.catalog import ID_PATTERN

    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        target = Path(name)
        if target.suffix not in (".yaml", ".yml"):
            raise InitError(f"'{name}': en planfil ska sluta på .yaml")
        if not target.parent.is_dir():
            raise InitError(f"'{name}': mappen {target.parent} finns inte")
        return target
    if ID_PATTERN.match(name) and ".." not in name:
        return plans / f"{name}.yaml"
    raise InitError(f"'{name}' är inget giltigt plan-id (t.ex. plan-2027)")
