"""The rules a plan is judged by: one small function per rule, each with a stable code.

A rule sees the plan and its computed budget and returns findings whose messages show the
figures compared, so the economist can check the working. Rules never raise for a plan
that loaded; a rule that crashes is a bug and is reported as finding ``FIN000``.
Codes are stable: documents and scripts may refer to them (``docs/rules.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.money import format_kronor as kr
from finsamplan.base.money import format_share, round_share
from finsamplan.figures.budget import Budget, Totals, compute
from finsamplan.figures.contributions import disagreements, side_targets
from finsamplan.figures.equity import Carried, carried, equity_ceiling
from finsamplan.plan.keys import paying_members
from finsamplan.plan.loader import LoadedPlan
from finsamplan.plan.model import Column, Plan, months_in
from finsamplan.plan.walk import cost_lines

RuleFn = Callable[["Context"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    fn: RuleFn


RULES: list[Rule] = []


def rule(code: str, severity: Severity, title: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(code, severity, title, fn))
        return fn

    return register


@dataclass(frozen=True)
class Context:
    plan: Plan
    budget: Budget

    def finding(
        self,
        code: str,
        message: str,
        path: Path = (),
        year: Column | None = None,
        severity: Severity | None = None,
        **figures: object,
    ) -> Finding:
        default = next(r.severity for r in RULES if r.code == code)
        return Finding(
            code,
            severity or default,
            message,
            path=path,
            year=year.key if year else None,
            figures=dict(figures),
        )

    def years(self) -> Iterator[tuple[Column, Totals]]:
        """The budget-type columns: an utfall column is history, not something to judge."""
        for col in self.plan.columns:
            if col.kind != "utfall":
                yield col, self.budget.totals[col.key]

    def contribution_path(self, col: Column, side: str | None = None) -> Path:
        for i, inc in enumerate(self.plan.income):
            if inc.kind != "contribution" or inc.member is None:
                continue
            member = self.plan.member(inc.member)
            if side is None or (member and member.side == side):
                return ("income", i, "amounts", col.key)
        return ("income",)

    def equity_path(self, col: Column) -> Path:
        for i, inc in enumerate(self.plan.income):
            if inc.kind == "equity":
                return ("income", i, "amounts", col.key)
        return ("income",)


def _label(col: Column) -> str:
    return col.title


# --- financing (FinsamL 5 §, 5 a §) -----------------------------------------------------


@rule("FIN010", Severity.ERROR, "Staten och övriga medlemmar bidrar med hälften var")
def fifty_fifty(ctx: Context) -> Iterator[Finding]:
    """Each side's target is half the contributions, and ``policy.contribution_tolerance``
    is how far a side may be from its target, as in FIN011 and FIN013. The state is
    ``difference / 2`` from half, so the sides may differ by up to twice the tolerance."""
    tol = ctx.plan.policy.contribution_tolerance
    for col, t in ctx.years():
        if t.contributions == 0:
            continue
        diff = t.state - t.others
        if abs(diff) > 2 * tol:
            yield ctx.finding(
                "FIN010",
                f"{_label(col)}: staten (Försäkringskassan) bidrar med {kr(t.state)} kr och "
                f"region/kommuner med {kr(t.others)} kr; enligt 5 § ska staten stå för hälften "
                f"av {kr(t.contributions)} kr. Skillnad {kr(abs(diff))} kr (tolerans {kr(tol)} kr "
                f"per sida, högst {kr(2 * tol)} kr mellan sidorna)",
                ctx.contribution_path(col, "state"),
                col,
                state=t.state,
                others=t.others,
                difference=diff,
                tolerance=tol,
            )


@rule("FIN011", Severity.ERROR, "Region och kommuner bidrar med hälften av statens belopp var")
def quarters(ctx: Context) -> Iterator[Finding]:
    """The target follows from the state's contribution: region and municipalities each pay
    half the state's amount (5 §), so a side is judged by what it pays, not by a quarter of
    a total that another side's error has moved; only the side that deviates is flagged, when
    it is further from its target than ``policy.contribution_tolerance`` (as in FIN010)."""
    tol = ctx.plan.policy.contribution_tolerance
    present = {side for side, members in paying_members(ctx.plan).items() if members}
    for col, t in ctx.years():
        if t.state == 0:
            continue  # no state money to match: FIN010 says so
        targets = side_targets(t.state, present)
        for side, name in (("region", "regionen"), ("municipality", "kommunerna")):
            if side not in targets:
                continue
            amount, expected = t.by_side.get(side, 0), targets[side]
            if abs(amount - expected) > tol:
                yield ctx.finding(
                    "FIN011",
                    f"{_label(col)}: {name} bidrar med {kr(amount)} kr men ska enligt 5 § "
                    f"betala hälften av statens {kr(t.state)} kr, dvs. {kr(expected)} kr "
                    f"(skillnad {kr(amount - expected, sign=True)} kr, tolerans {kr(tol)} kr)",
                    ctx.contribution_path(col, side),
                    col,
                    side=side,
                    amount=amount,
                    expected=expected,
                    state=t.state,
                )


@rule("FIN012", Severity.WARNING, "Medlemmarna täcker statens, regionens och kommunernas sida")
def membership(ctx: Context) -> Iterator[Finding]:
    sides = {m.side for m in ctx.plan.forbund.members}
    path: Path = ("forbund", "members")
    if "state" not in sides:
        yield ctx.finding(
            "FIN012",
            "förbundet saknar medlem på statens sida (Försäkringskassan och "
            "Arbetsförmedlingen); vilka som kan vara medlemmar anger lag (2003:1210) 3 §, och "
            "staten står för hälften av medlen (5 §)",
            path,
        )
    if "municipality_without_region" in sides:
        if "region" in sides:
            yield ctx.finding(
                "FIN012",
                "en kommun utanför region betalar hälften bara när ingen region deltar "
                "(lag (2003:1210) 5 a §), men förbundet har en region",
                path,
            )
    elif "region" not in sides or "municipality" not in sides:
        missing = "region" if "region" not in sides else "kommun"
        yield ctx.finding(
            "FIN012",
            f"förbundet saknar medlem som är {missing}; medlemmarna är staten, region och "
            "kommuner (lag (2003:1210) 3 §), och region och kommuner bär en fjärdedel var av "
            "medlen (5 §)",
            path,
        )


_SOURCES = {
    "state": "contributions.state",
    "fifty_fifty": "50/50-regeln (5 §)",
    "stated": "contributions.sides",
}


@rule("FIN013", Severity.ERROR, "Inskrivna medlemsavgifter stämmer med fördelningsnyckeln")
def keyed_contributions(ctx: Context) -> Iterator[Finding]:
    tol = ctx.plan.policy.contribution_tolerance
    columns = {c.key: c for c in ctx.plan.columns}
    for d in disagreements(ctx.plan):
        if abs(d.typed - d.computed) <= tol:
            continue
        col = columns[d.column]
        basis = "fördelningsnyckeln" if d.split.keyed else _SOURCES[d.split.source]
        yield ctx.finding(
            "FIN013",
            f"{_label(col)}: {d.member.name} har {kr(d.typed)} kr inskrivet men {basis} ger "
            f"{kr(d.computed)} kr av {kr(d.split.total)} kr (skillnad "
            f"{kr(d.typed - d.computed, sign=True)} kr, tolerans {kr(tol)} kr); rätta beloppet "
            "eller nyckeln, eller ta bort det inskrivna beloppet",
            d.path,
            col,
            member=d.member.id,
            typed=d.typed,
            computed=d.computed,
            total=d.split.total,
        )


# --- balance and equity -----------------------------------------------------------------


@rule("FIN020", Severity.ERROR, "Kostnaderna ryms i intäkter och eget kapital")
def balanced(ctx: Context) -> Iterator[Finding]:
    for col, t in ctx.years():
        if t.costs > t.available:
            yield ctx.finding(
                "FIN020",
                f"{_label(col)}: kostnaderna {kr(t.costs)} kr överstiger intäkter och eget "
                f"kapital {kr(t.available)} kr med {kr(t.costs - t.available)} kr. Förbundet "
                "får inte låna utöver vanlig kredit (lag (2003:1210) 21 § andra stycket), och "
                "det som tillgångarna inte täcker får medlemmarna täcka i samma proportioner "
                "som de finansierar förbundet (22 §)",
                ("costs",),
                col,
                costs=t.costs,
                available=t.available,
                shortfall=t.costs - t.available,
            )


# The severity FIN021 gives the plan year's budget, which kommunallagen 11 kap. 5 § binds
# ("ska"). By the law's word it would be an error; it is a warning because an error stops
# `render`, and nearly every förbund plans to use saved equity, as the state's allocation
# model encourages, yet must still be able to print its plan for the board. As a warning it
# is in the document's remarks and fails `validate --strict`. docs/rules.md says the same.
BALANCE_SEVERITY = Severity.WARNING


def _balance_severity(ctx: Context, col: Column) -> Severity:
    """The budget for the plan year is what kommunallagen 11 kap. 5 § binds ("ska"). Later
    years are the plan for the economy (11 kap. 6 §): a warning. Earlier years are budgets
    already adopted: information."""
    if col.year == ctx.plan.year:
        return BALANCE_SEVERITY
    return Severity.WARNING if col.year > ctx.plan.year else Severity.INFO


@rule("FIN021", BALANCE_SEVERITY, "Budgeten ska upprättas så att intäkterna överstiger kostnaderna")
def equity_drawn(ctx: Context) -> Iterator[Finding]:
    for col, t in ctx.years():
        if t.costs > t.income and t.costs <= t.available:
            yield ctx.finding(
                "FIN021",
                f"{_label(col)}: kostnaderna {kr(t.costs)} kr överstiger årets intäkter "
                f"{kr(t.income)} kr; {kr(t.costs - t.income)} kr tas av eget kapital "
                f"({kr(t.equity)} kr). Enligt kommunallagen 11 kap. 5 § första stycket ska "
                "budgeten upprättas så att intäkterna överstiger kostnaderna; lag (2003:1210) "
                "21 § tillämpar det på förbundet utan kommunernas undantag. Redovisa för "
                "styrelsen varför eget kapital används",
                ctx.equity_path(col),
                col,
                severity=_balance_severity(ctx, col),
                costs=t.costs,
                income=t.income,
                drawn=t.costs - t.income,
                equity=t.equity,
            )


def _carried(ctx: Context, col: Column) -> Carried:
    t = ctx.budget.totals[col.key]
    return carried(ctx.plan, t.surplus, t.reserve, col)


@rule("FIN030", Severity.WARNING, "Eget kapital under taket i fördelningsmodellen")
def equity_ceiling_rule(ctx: Context) -> Iterator[Finding]:
    """The equity a year leaves, read by the same policy as ``forecast``: after the part of
    the room the plan states it spends (figures.equity)."""
    for col, t in ctx.years():
        if t.contributions == 0:
            continue
        limit, share = equity_ceiling(ctx.plan.policy.equity_ceiling, t.contributions)
        left = _carried(ctx, col)
        if left.amount > limit:
            yield ctx.finding(
                "FIN030",
                f"{_label(col)}: {left.label.lower()} {kr(left.amount)} kr överstiger "
                f"taket {kr(limit)} kr ({format_share(share, 0)} av medlemsbidragen "
                f"{kr(t.contributions)} kr) med {kr(left.amount - limit)} kr"
                + (f" ({left.explain()})" if left.spent else "")
                + "; det kan minska kommande statlig tilldelning (Nationella rådets "
                "rekommendation 2013-10-02). Trappans steg i policy.equity_ceiling är inte "
                "bekräftade: kontrollera dem mot den rekommendation som gäller",
                ("columns", ctx.plan.columns.index(col)),
                col,
                equity=left.amount,
                ceiling=limit,
                over=left.amount - limit,
                contributions=t.contributions,
                share=str(share),
            )


@rule("FIN060", Severity.WARNING, "Eget kapital förs vidare mellan åren")
def equity_continuity(ctx: Context) -> Iterator[Finding]:
    """Each year brings in what the year before leaves (figures.equity), and never less
    than nothing: a negative equity is an error with its year."""
    by_year = {c.year: c for c in ctx.plan.columns if c.kind != "utfall"}
    for year in sorted(by_year):
        col = by_year[year]
        brought = ctx.budget.totals[col.key].equity
        if brought < 0:
            yield ctx.finding(
                "FIN060",
                f"{_label(col)}: ingående eget kapital är negativt, {kr(brought)} kr. "
                "Förbundet får inte låna utöver vanlig kredit (lag (2003:1210) 21 § andra "
                "stycket); det som tillgångarna inte täcker får medlemmarna täcka i samma "
                "proportioner som de finansierar förbundet (22 §)",
                ctx.equity_path(col),
                col,
                severity=Severity.ERROR,
                equity=brought,
            )
        before = by_year.get(year - 1)
        if before is None:
            continue
        left = _carried(ctx, before)
        if brought != left.amount:
            yield ctx.finding(
                "FIN060",
                f"{_label(col)}: ingående eget kapital {kr(brought)} kr är inte vad {year - 1} "
                f"lämnar, {kr(left.amount)} kr ({left.explain()}); skillnad "
                f"{kr(brought - left.amount, sign=True)} kr"
                + _continuity_hint(ctx.plan, before, left),
                ctx.equity_path(col),
                col,
                # a year before the plan year is last year's budget: the equity brought in
                # may rest on a newer estimate or the closed books
                severity=Severity.INFO if before.year < ctx.plan.year else None,
                brought=brought,
                expected=left.amount,
                closing=left.closing,
                spent=left.spent,
            )


def _continuity_hint(plan: Plan, before: Column, left: Carried) -> str:
    if before.year < plan.year:
        return f" (från bokslutet eller en nyare prognos för {before.year}?)"
    if left.stated is None and left.room > 0:
        return ". Antar planen att en del av utrymmet används, ange det i forecast.room_spent"
    return ""


@rule("FIN080", Severity.WARNING, "Reserven hålls")
def reserve_kept(ctx: Context) -> Iterator[Finding]:
    for col, t in ctx.years():
        if t.room < 0 <= t.surplus:
            yield ctx.finding(
                "FIN080",
                f"{_label(col)}: överskottet {kr(t.surplus)} kr räcker inte till reserven "
                f"{kr(t.reserve)} kr; {kr(-t.room)} kr av reserven tas i anspråk",
                ("reserve", "amounts", col.key),
                col,
                surplus=t.surplus,
                reserve=t.reserve,
            )


# --- administration ---------------------------------------------------------------------


@rule("FIN040", Severity.WARNING, "Administrationens andel av kostnaderna")
def admin_share(ctx: Context) -> Iterator[Finding]:
    limit = ctx.plan.policy.admin_share_max
    for col, t in ctx.years():
        share = t.admin_share
        if share is not None and share > limit:
            yield ctx.finding(
                "FIN040",
                f"{_label(col)}: administrationen {kr(t.administration)} kr är "
                f"{format_share(share)} av kostnaderna {kr(t.costs)} kr, över gränsen "
                f"{format_share(limit, 0)}",
                _admin_path(ctx.plan),
                col,
                administration=t.administration,
                costs=t.costs,
                share=str(round_share(share)),
                limit=str(limit),
            )


def _admin_path(plan: Plan) -> Path:
    """Where the administration is written: the first group that counts as administration."""
    group = next((g.id for g in plan.groups if g.counts_as == "administration"), None)
    return ("costs", group) if group else ("costs",)


# --- projects ---------------------------------------------------------------------------


@rule("FIN050", Severity.WARNING, "Budget inom insatsens period")
def within_period(ctx: Context) -> Iterator[Finding]:
    lines = {line.id: (group, i, line) for group, i, line in cost_lines(ctx.plan) if line.id}
    for act in ctx.plan.activities:
        if act.period is None:
            continue
        start, end = act.period.start, act.period.end
        span = f"{start}–{end}" if end else f"från {start}"
        for ref in act.lines:
            group, i, line = lines[ref]
            if line.evaluates:
                continue
            for col in ctx.plan.columns:
                amount = ctx.budget.table(group).rows[i].amounts[col.key]
                if amount == 0:
                    continue
                path: Path = ("costs", group, i, "amounts", col.key)
                if col.year < start.year or (end and col.year > end.year):
                    yield ctx.finding(
                        "FIN050",
                        f"{_label(col)}: {line.label} har {kr(amount)} kr men insatsens period "
                        f"är {span}; beloppet förutsätter en förlängning som inte är beslutad",
                        path,
                        col,
                        amount=amount,
                        start=str(start),
                        end=str(end) if end else None,
                    )
                elif end and col.year == end.year and end < date(col.year, 12, 31):
                    months = months_in(col.year, start, end)
                    yield ctx.finding(
                        "FIN050",
                        f"{_label(col)}: {line.label} har {kr(amount)} kr men perioden slutar "
                        f"{end}, efter {months} av årets 12 månader",
                        path,
                        col,
                        severity=Severity.INFO,
                        amount=amount,
                        months=months,
                        end=str(end),
                    )


@rule("FIN051", Severity.WARNING, "Projekt har en budget för utvärdering")
def evaluation(ctx: Context) -> Iterator[Finding]:
    evaluated = {line.evaluates for _, _, line in cost_lines(ctx.plan) if line.evaluates}
    current = [c for c in ctx.plan.columns if c.year >= ctx.plan.year]
    for group in ctx.plan.groups:
        if not group.projects:
            continue
        for i, line in enumerate(ctx.plan.group_lines(group.id)):
            if line.evaluates or (line.id and line.id in evaluated):
                continue
            row = ctx.budget.table(group.id).rows[i]
            if not any(row.amounts[c.key] for c in current):
                continue
            yield ctx.finding(
                "FIN051",
                f"{line.label}: projektet har ingen budget för utvärdering (ingen rad med "
                f"evaluates: {line.id or '…'})",
                ("costs", group.id, i),
                None,
            )


# --- horizon and dates (kommunallagen 11 kap. 6 §, FinsamL 23 §) -------------------------


@rule("FIN070", Severity.WARNING, "Planen omfattar budgetåret och två år till")
def horizon(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    if plan.plan_column() is None:
        yield ctx.finding(
            "FIN070",
            f"kolumnen för budgetåret {plan.year} (kind: budgetplan) saknas",
            ("columns",),
            severity=Severity.ERROR,
        )
    missing = [
        y
        for y in (plan.year + 1, plan.year + 2)
        if not any(c.year == y and c.kind in ("prognos", "budgetplan") for c in plan.columns)
    ]
    if missing:
        years = " och ".join(str(y) for y in missing)
        yield ctx.finding(
            "FIN070",
            f"prognos saknas för {years}: ekonomin ska planeras för "
            "tre år med budgetåret först (kommunallagen 11 kap. 6 §)",
            ("columns",),
            years=missing,
        )


@rule("FIN071", Severity.WARNING, "Budgeten antas senast 30 november året före")
def adoption(ctx: Context) -> Iterator[Finding]:
    deadline = date(ctx.plan.year - 1, 11, 30)
    adopted = ctx.plan.dates.adopted
    if adopted is None:
        yield ctx.finding(
            "FIN071",
            f"datum för styrelsens beslut saknas (dates.adopted); "
            f"budgeten ska antas senast {deadline} (23 §)",
            ("dates",),
            severity=Severity.INFO,
            deadline=str(deadline),
        )
    elif adopted > deadline:
        yield ctx.finding(
            "FIN071",
            f"budgeten antas {adopted}, efter sista dag {deadline} (23 §)",
            ("dates", "adopted"),
            adopted=str(adopted),
            deadline=str(deadline),
        )


@rule("FIN072", Severity.WARNING, "Samråd med medlemmarna före beslutet")
def consultation(ctx: Context) -> Iterator[Finding]:
    """The samråd before adoption (23 §): each member's answer when the plan records them
    (``samrad``), else the dates of ``dates.consultations``."""
    dates = ctx.plan.dates
    if ctx.plan.samrad.started:
        yield from _answers(ctx)
    elif not dates.consultations:
        yield ctx.finding(
            "FIN072",
            "inget samråd med medlemmarna angivet (samrad eller dates.consultations); "
            "budgeten antas efter samråd (23 §)",
            ("dates",),
            severity=Severity.INFO,
        )
    if dates.consultations and dates.adopted and min(dates.consultations) > dates.adopted:
        yield ctx.finding(
            "FIN072",
            f"samrådet {min(dates.consultations)} ligger efter beslutet "
            f"{dates.adopted}; samrådet ska föregå beslutet (23 §)",
            ("dates", "consultations"),
        )


def _answers(ctx: Context) -> Iterator[Finding]:
    """Every member heard before the adoption date: an answer dated before it. Without an
    adoption date a missing answer is information (the samråd may still be under way)."""
    samrad, adopted = ctx.plan.samrad, ctx.plan.dates.adopted
    answers = {a.member: (i, a) for i, a in reversed(list(enumerate(samrad.answers)))}
    asked = f"; svar begärdes senast {samrad.answer_by}" if samrad.answer_by else ""
    if samrad.answer_by and adopted and samrad.answer_by >= adopted:
        yield ctx.finding(
            "FIN072",
            f"medlemmarna ska svara senast {samrad.answer_by}, inte före beslutet om budgeten "
            f"{adopted}; samrådet ska föregå beslutet (23 §)",
            ("samrad", "answer_by"),
            answer_by=str(samrad.answer_by),
            adopted=str(adopted),
        )
    for member in ctx.plan.forbund.members:
        if member.id not in answers:
            yield ctx.finding(
                "FIN072",
                f"{member.name} har inget svar i samrådet (samrad.answers){asked}; budgeten "
                "antas efter samråd med medlemmarna (23 §)",
                ("samrad",),
                severity=Severity.WARNING if adopted else Severity.INFO,
                member=member.id,
            )
            continue
        i, answer = answers[member.id]
        path: Path = ("samrad", "answers", i)
        if adopted and answer.date >= adopted:
            yield ctx.finding(
                "FIN072",
                f"{member.name} svarade i samrådet {answer.date}, inte före beslutet om "
                f"budgeten {adopted}; budgeten antas efter samråd med medlemmarna (23 §)",
                (*path, "date"),
                member=member.id,
                answered=str(answer.date),
                adopted=str(adopted),
            )
        elif answer.answer == "comments":
            said = f": {' '.join(answer.comment.split())}" if answer.comment else ""
            yield ctx.finding(
                "FIN072",
                f"{member.name} har synpunkter på förslaget ({answer.date}){said}",
                path,
                severity=Severity.INFO,
                member=member.id,
            )


# --- running the rules --------------------------------------------------------------------


def run_rules(plan: Plan, budget: Budget | None = None) -> list[Finding]:
    """Every rule over one plan; a crashing rule becomes a finding, never a traceback."""
    budget = budget or compute(plan)
    ctx = Context(plan, budget)
    out: list[Finding] = []
    for r in RULES:
        try:
            out.extend(r.fn(ctx))
        except Exception as exc:
            out.append(
                Finding(
                    "FIN000",
                    Severity.ERROR,
                    f"regeln {r.code} kunde inte köras: {exc!r} (ett fel i "
                    "finsamplan; rapportera det)",
                )
            )
    return out


def validate(loaded: LoadedPlan, budget: Budget | None = None) -> list[Finding]:
    """Loader findings, or (for a plan that loaded) rule findings placed in the file."""
    if loaded.plan is None:
        return list(loaded.findings)
    from finsamplan.plan import images

    found = [*run_rules(loaded.plan, budget), *images.findings(loaded.plan, loaded.path)]
    return [*loaded.findings, *(loaded.source.place(f) for f in found)]


# Rules kept in modules of their own register themselves when imported.
from finsamplan.judge import goals as _goals  # noqa: E402, F401  (FIN110)
from finsamplan.judge import revisions as _revisions  # noqa: E402, F401  (FIN100–FIN102)
from finsamplan.judge import stated as _stated  # noqa: E402, F401  (FIN090)
