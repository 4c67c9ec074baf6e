"""The plan as pydantic models: what a plan file may say, and nothing else.

Models are frozen and forbid unknown keys, so a typo in a hand-edited file is an error,
not a silently ignored line. Validation is strict: ``1200.0``, ``"1200"`` or ``yes`` are
not quietly turned into kronor or text. The one coercion made on purpose is the Swedish
way of writing amounts (``"1 250 000"``). Totals are never stored: ``budget`` computes them.
Field descriptions are in Swedish because they reach the förbundschef through
``finsamplan schema`` in the editor.
"""

import sys
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from finsamplan.base.money import MoneyFormatError, format_number, parse_kronor, parse_share
from finsamplan.plan import prebuilt
from finsamplan.plan.labels import DEFAULT_GROUPS, DEFAULT_LABELS

FORMAT_VERSION = 1


MAX_KRONOR = 10**12
"""The largest amount a plan may state: a thousand billion kronor, far above any förbund,
and small enough that every sum of a plan's amounts stays exact in every output format
(XLSX keeps numbers as doubles, exact to 2**53)."""


MAX_AMOUNT_TEXT = 40
"""The longest text read as an amount ("1 000 000 000 000 kr" has 20 characters)."""


def _kronor(value: Any) -> Any:
    value = _kronor_value(value)
    if isinstance(value, int) and abs(value) > MAX_KRONOR:
        raise PydanticCustomError(
            "kronor_range",
            "beloppet är större än 1 000 000 000 000 kr, det högsta en plan kan ange",
        )
    return value


def _kronor_value(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_AMOUNT_TEXT:
        raise PydanticCustomError(
            "kronor_format", "en text på {length} tecken är inget belopp", {"length": len(value)}
        )
    if isinstance(value, bool):
        raise PydanticCustomError(
            "kronor_type", "belopp ska vara hela kronor, inte ett sanningsvärde"
        )
    if isinstance(value, float):
        raise PydanticCustomError(
            "kronor_float",
            "belopp ska vara hela kronor utan decimaler, inte {value}",
            {"value": format_number(value)},
        )
    if isinstance(value, str):
        try:
            return parse_kronor(value)
        except MoneyFormatError:
            raise PydanticCustomError(
                "kronor_format",
                "'{value}' är inget belopp i hela kronor (skriv t.ex. 1250000 eller \"1 250 000\")",
                {"value": value},
            ) from None
    return value


def _share(value: Any) -> Any:
    try:
        return parse_share(value)
    except MoneyFormatError:
        raise PydanticCustomError(
            "share_format",
            "'{value}' är ingen andel (skriv t.ex. \"30 %\" eller 0.3)",
            {"value": value},
        ) from None


# --- The written forms of amounts and shares, as JSON Schema patterns -----------------------
# Each pattern accepts exactly the texts its validator above accepts (base/money.py
# parse_kronor and parse_share), so that an editor flags what finsamplan refuses and nothing
# it accepts; tests/test_schema.py compares them on generated texts. Ranges the validator
# checks after reading the number are spelled out where a pattern can say them simply.
_SP = r"[ \u00a0\u202f\u2009]"  # the spaces that may group thousands
_NUMBER = rf"(?:[0-9]{{1,3}}(?:{_SP}[0-9]{{3}})+|[0-9]+)"
_ZERO = rf"(?:0{{1,3}}(?:{_SP}000)+|0+)"
_KR = r"(?:\s*[kK][rR])?"
KRONOR_PATTERN = rf"^\s*(?:\+?{_NUMBER}|[-\u2212]{_ZERO}){_KR}\s*$"
SIGNED_KRONOR_PATTERN = rf"^\s*[-+\u2212]?{_NUMBER}{_KR}\s*$"
COUNT_PATTERN = rf"^\s*\+?(?=[^1-9]*[1-9]){_NUMBER}{_KR}\s*$"
_MINUS_ZERO = r"-0+(?:[.,]0+)?"
_PLAIN_0_1 = rf"(?:\+?(?:0+(?:[.,][0-9]+)?|0*1(?:[.,]0+)?)|{_MINUS_ZERO})"
_PCT_0_100 = rf"(?:\+?(?:0*[0-9]{{1,2}}(?:[.,][0-9]+)?|0*100(?:[.,]0+)?)|{_MINUS_ZERO})\s*%"
SHARE_PATTERN = rf"^\s*(?:{_PLAIN_0_1}|{_PCT_0_100})\s*$"
_POSITIVE_FRACTION = r"0+[.,][0-9]*[1-9][0-9]*"
_PLAIN_POS_1 = rf"\+?(?:{_POSITIVE_FRACTION}|0*1(?:[.,]0+)?)"
_PCT_POS_100 = rf"\+?(?:0*[1-9][0-9]?(?:[.,][0-9]+)?|{_POSITIVE_FRACTION}|0*100(?:[.,]0+)?)\s*%"
KEY_SHARE_PATTERN = rf"^\s*(?:{_PLAIN_POS_1}|{_PCT_POS_100})\s*$"
CHANGE_PATTERN = r"^\s*[+-]?[0-9]+(?:[.,][0-9]+)?\s*%?\s*$"


def _number_or_text(
    number: dict[str, Any], pattern: str, description: str, max_length: int | None = None
) -> WithJsonSchema:
    """The schema of a value written as a number or as a text of the given pattern."""
    text: dict[str, Any] = {"type": "string", "pattern": pattern}
    if max_length is not None:
        text["maxLength"] = max_length
    return WithJsonSchema({"anyOf": [number, text], "description": description})


Kronor = Annotated[
    int,
    BeforeValidator(_kronor),
    Field(ge=0),
    _number_or_text(
        {"type": "integer", "minimum": 0, "maximum": MAX_KRONOR},
        KRONOR_PATTERN,
        'Belopp i hela kronor, t.ex. 1250000 eller "1 250 000".',
        MAX_AMOUNT_TEXT,
    ),
]
_SIGNED_KRONOR = _number_or_text(
    {"type": "integer", "minimum": -MAX_KRONOR, "maximum": MAX_KRONOR},
    SIGNED_KRONOR_PATTERN,
    'Belopp i hela kronor, får vara negativt: -120000 eller "−120 000".',
    MAX_AMOUNT_TEXT,
)
SignedKronor = Annotated[int, BeforeValidator(_kronor), _SIGNED_KRONOR]
Share = Annotated[
    Decimal,
    BeforeValidator(_share),
    Field(ge=0, le=1),
    _number_or_text(
        {"type": "number", "minimum": 0, "maximum": 1},
        SHARE_PATTERN,
        'Andel, t.ex. "30 %" eller 0.3.',
    ),
]


def _signed_share(value: Any) -> Any:
    try:
        share = parse_share(value)
    except MoneyFormatError:
        raise PydanticCustomError(
            "share_format",
            '\'{value}\' är ingen förändring i procent (skriv t.ex. "3 %" eller "-5 %")',
            {"value": value},
        ) from None
    if not Decimal("-1") < share <= Decimal("10"):
        raise PydanticCustomError(
            "share_range", "'{value}' är en orimlig förändring", {"value": value}
        )
    return share


Change = Annotated[
    Decimal,
    BeforeValidator(_signed_share),
    _number_or_text(
        {"type": "number", "exclusiveMinimum": -1, "maximum": 10},
        CHANGE_PATTERN,
        'Förändring per år, t.ex. "3 %" eller "-5 %".',
    ),
]
Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
        description="Id med små bokstäver a–z, siffror, - och _ (t.ex. steget).",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=100_000)]
Markdown = Annotated[str, Field(max_length=1_000_000, description="Text i Markdown.")]
ColumnId = Annotated[str, Field(description="Kolumnens id, normalt året (2023).")]
Amounts = Annotated[
    dict[ColumnId, Kronor],
    Field(description="Belopp per kolumn: {2027: 1250000}. Saknad kolumn betyder 0."),
]

Side = Literal["state", "region", "municipality", "municipality_without_region"]
ColumnKind = Literal["utfall", "budget", "reviderad_budget", "budgetplan", "prognos"]
IncomeKind = Literal["contribution", "equity", "other"]
ActivityKind = Literal["projekt", "utvecklingsinsats", "verksamhet"]

SIDE_LABELS: dict[str, str] = {
    "state": "staten",
    "region": "region",
    "municipality": "kommun",
    "municipality_without_region": "kommun utanför region",
}
COLUMN_LABELS: dict[str, str] = {
    "utfall": "Utfall",
    "budget": "Budget",
    "reviderad_budget": "Reviderad budget",
    "budgetplan": "Budgetplan",
    "prognos": "Prognos",
}


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


def _given(*ways: tuple[str, ...], among: tuple[str, ...], exactly: bool = True) -> Any:
    """JSON Schema for "write one of these ways": each way's fields given (not null) and,
    with ``exactly``, the other fields left out (or null), as the model's validator asks."""
    branches = []
    for way in ways:
        props: dict[str, Any] = {f: {"not": {"type": "null"}} for f in way}
        if exactly:
            props |= {f: {"type": "null"} for f in among if f not in way}
        branches.append({"required": list(way), "properties": props})
    return {"anyOf": branches}


def _count(value: Any) -> Any:
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "count_type",
            "'{value}' är inget antal (skriv ett heltal, t.ex. 61000)",
            {"value": value},
        )
    if isinstance(value, str):
        try:
            return parse_kronor(value)
        except MoneyFormatError:
            raise PydanticCustomError(
                "count_format",
                "'{value}' är inget antal (skriv t.ex. 61000 eller \"61 000\")",
                {"value": value},
            ) from None
    return value


Count = Annotated[
    int,
    BeforeValidator(_count),
    Field(gt=0),
    _number_or_text(
        {"type": "integer", "minimum": 1}, COUNT_PATTERN, 'Antal, t.ex. 41230 eller "41 230".'
    ),
]
Day = date  # a field below is called "date"


def _key_share(value: Any) -> Any:
    share = _share(value)
    if not Decimal(0) < share <= Decimal(1):
        raise PydanticCustomError(
            "share_range",
            "'{value}' är ingen andel av sidans del: den ska vara större än 0 % och högst 100 %",
            {"value": value},
        )
    return share


KeyShare = Annotated[
    Decimal,
    BeforeValidator(_key_share),
    _number_or_text(
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        KEY_SHARE_PATTERN,
        'Andel, t.ex. "12,5 %" eller 0.125.',
    ),
]


class ContributionKey(Base):
    """A member's part of its side's contributions: inhabitants on a date, or an agreed share.

    Several municipalities (or regions) split their side's part as they agree (FinsamL 5 §);
    the key says how, and ``figures.contributions`` turns it into whole kronor.
    """

    model_config = ConfigDict(
        json_schema_extra=_given(
            ("population", "date"), ("share",), among=("population", "date", "share")
        )
    )

    population: Count | None = Field(
        None, description="Invånare enligt nyckelns mått (t.ex. 16–64 år), ett heltal."
    )
    date: Day | None = Field(
        None, description="Dagen invånarantalet gäller (krävs med population)."
    )
    share: KeyShare | None = Field(
        None, description='Avtalad andel av sidans del, t.ex. "12,5 %"; andelarna blir 100 %.'
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.population is None) == (self.share is None):
            raise ValueError(
                "ange antingen population (med date) eller share, inte båda"
                if self.share is not None
                else "ange population (med date) eller share"
            )
        if self.population is not None and self.date is None:
            raise ValueError("population behöver date: dagen invånarantalet gäller")
        if self.share is not None and self.date is not None:
            raise ValueError("date hör till population, inte till share")
        return self


class Member(Base):
    """A member of the förbund and the side of the financing it belongs to (FinsamL 5 §)."""

    id: Identifier
    name: Text = Field(description="Medlemmens namn, t.ex. Älvby kommun.")
    side: Side = Field(
        description=(
            "Finansieringssida: state (staten via Försäkringskassan), region, municipality "
            "(kommun), municipality_without_region (kommun utanför region som betalar "
            "hälften, 5 a §)."
        )
    )
    paid_by: Identifier | None = Field(
        None, description=("Medlem som betalar denna medlems andel (Arbetsförmedlingen: fk).")
    )
    key: ContributionKey | None = Field(
        None,
        description=(
            "Fördelningsnyckel när flera medlemmar på samma sida delar dess del: "
            '{population: 61000, date: 2025-11-01} eller {share: "12,5 %"}.'
        ),
    )


class Forbund(Base):
    name: Text = Field(description="Förbundets namn, t.ex. Samordningsförbundet Nordanå.")
    short_name: Text | None = Field(None, description="Kort namn i sidhuvud och tabeller.")
    org_number: Text | None = Field(None, description="Organisationsnummer.")
    website: Text | None = Field(None, description="Webbplats, t.ex. www.exempel.se.")
    members: list[Member] = Field(
        min_length=1, description="Medlemmarna: staten, region(er) och kommun(er)."
    )


class Column(Base):
    """A year column of the budget table: which year, and what kind of figure it holds."""

    year: int = Field(ge=2000, le=2100, description="Kolumnens år.")
    kind: ColumnKind = Field(
        description=(
            "budget (fjolårets antagna budget), budgetplan (planåret), prognos (kommande år), "
            "utfall, reviderad_budget."
        )
    )
    id: ColumnId | None = Field(None, description="Kolumnens id; normalt året.")
    label: Text | None = Field(None, description='Rubrik; normalt t.ex. "Prognos 2024".')

    @property
    def key(self) -> str:
        return self.id if self.id is not None else str(self.year)

    @property
    def title(self) -> str:
        return self.label or f"{COLUMN_LABELS[self.kind]} {self.year}"


Once = Annotated[
    bool | dict[ColumnId, Kronor],
    Field(
        description=(
            "Engångsbelopp som prognosen inte för vidare: true (hela raden) eller per kolumn "
            "den del av årets belopp som är engångs: {2023: 400000}."
        )
    ),
]


def _check_once(once: bool | dict[str, int], amounts: dict[str, int]) -> None:
    """A one-off part is part of the year's amount: never more than it."""
    if isinstance(once, dict):
        for column, part in once.items():
            if part > amounts.get(column, 0):
                raise ValueError(
                    f"once för {column} ({part}) är större än radens belopp för kolumnen "
                    f"({amounts.get(column, 0)})"
                )


class IncomeLine(Base):
    """A row of *Intäkter och eget kapital*: a contribution, equity brought in, or other.

    Only equity may be negative: a deficit carried from an earlier year is equity below
    zero, which the members cover (FinsamL 22 §) and rule FIN060 reports as an error.
    """

    id: Identifier | None = Field(None, description="Radens id (valfritt).")
    label: Text = Field(description="Radens text.")
    kind: IncomeKind = Field(
        "contribution",
        description=(
            "contribution (medlemsavgift, kräver member), equity (eget kapital/sparade medel), "
            "other (t.ex. ESF-medel, extra tilldelning)."
        ),
    )
    member: Identifier | None = Field(None, description="Medlemmen som betalar (för contribution).")
    amounts: dict[ColumnId, SignedKronor] = Field(
        default_factory=dict,
        description=(
            "Belopp per kolumn: {2023: 2140000}. Saknad kolumn betyder 0. Bara eget kapital "
            "(kind: equity) kan vara negativt."
        ),
    )
    notes: dict[ColumnId, Text] = Field(
        default_factory=dict, description="Text i stället för belopp, per kolumn."
    )
    once: Once = False

    @model_validator(mode="after")
    def _signs_and_once(self) -> Self:
        if self.kind != "equity":
            negative = next((k for k, v in self.amounts.items() if v < 0), None)
            if negative is not None:
                raise ValueError(
                    f"beloppet för {negative} är negativt; bara eget kapital (kind: equity) "
                    "kan vara negativt"
                )
        if self.once is not False and self.kind != "other":
            raise ValueError("once hör bara till övriga intäkter (kind: other)")
        _check_once(self.once, self.amounts)
        return self


class CostPart(Base):
    label: Text = Field(description="Delpostens text.")
    amounts: Amounts = Field(default_factory=dict)
    once: Once = False

    @model_validator(mode="after")
    def _once(self) -> Self:
        _check_once(self.once, self.amounts)
        return self


class CostLine(Base):
    """A cost row. Its amount is either stated per column or the sum of its parts."""

    id: Identifier | None = Field(
        None, description="Radens id; insatser, utvärderingar och {{ id år }} hänvisar till det."
    )
    label: Text = Field(description="Radens text.")
    amounts: Amounts = Field(default_factory=dict)
    parts: list[CostPart] = Field(
        default_factory=list,
        description=("Delposter (t.ex. Köpta tjänster: ekonomi, löner); raden är deras summa."),
    )
    evaluates: Identifier | None = Field(
        None, description=("Id på projektet vars utvärdering raden bekostar.")
    )
    notes: dict[ColumnId, Text] = Field(
        default_factory=dict, description="Text i stället för belopp, per kolumn."
    )
    once: Once = False

    @model_validator(mode="after")
    def _once(self) -> Self:
        if isinstance(self.once, dict) and self.parts:
            raise ValueError("once per kolumn anges på delposterna (parts), inte på raden")
        _check_once(self.once, self.amounts)
        return self


CountsAs = Literal["administration", "insatser"]


class CostGroup(Base):
    """A group of cost lines with its own table and total, as the förbund structures its plan."""

    id: Identifier = Field(description="Gruppens id; nyckeln under costs (t.ex. individ).")
    title: Text = Field(description="Tabellens rubrik, t.ex. Individinriktade insatser.")
    total_label: Text | None = Field(
        None, description='Summaradens text; standard "Summa " följt av rubriken.'
    )
    short_title: Text | None = Field(
        None,
        description="Kort namn i diagram och sammanställningar; standard rubriken.",
    )
    counts_as: CountsAs = Field(
        description=(
            "Vad gruppen räknas som: administration (andelen administration, FIN040) eller "
            "insatser (verksamhet: insatser, projekt, strukturövergripande arbete)."
        )
    )
    projects: bool = Field(
        False,
        description=(
            "Raderna är tidsbegränsade projekt som var och en ska ha en utvärderingsrad "
            "(evaluates, FIN051)."
        ),
    )

    @property
    def legend(self) -> str:
        return self.short_title or self.title

    @property
    def total_text(self) -> str:
        return self.total_label or f"Summa {self.title[:1].lower()}{self.title[1:]}"


def default_cost_groups() -> list[CostGroup]:
    return [
        CostGroup(id=i, title=t, total_label=total, counts_as=c, projects=p)  # type: ignore[arg-type]
        for i, t, total, c, p in DEFAULT_GROUPS
    ]


class Labels(Base):
    """The wording of the generated rows; what is left out comes from neutral defaults."""

    income_title: Text | None = Field(None, description="Rubrik för intäktstabellen.")
    income_total: Text | None = Field(None, description="Summaraden för intäkter och kapital.")
    summary_title: Text | None = Field(None, description="Rubrik för sammanställningen.")
    insatser_total: Text | None = Field(
        None, description="Summan av alla grupper som räknas som insatser."
    )
    costs_total: Text | None = Field(None, description="Summan av alla kostnader.")
    surplus: Text | None = Field(None, description="Överskottet (eget kapital vid årets slut).")
    reserve: Text | None = Field(None, description="Reserven.")
    room: Text | None = Field(None, description="Utrymme för ny verksamhet efter reserv.")

    def text(self, key: str) -> str:
        value = getattr(self, key)
        return value if value is not None else DEFAULT_LABELS[key]


PayingSide = Literal["region", "municipality", "municipality_without_region"]


class Contributions(Base):
    """The totals members' contributions are computed from, per column (FinsamL 5 §, 5 a §).

    With ``state`` alone, 50/50 gives the rest: the region and the municipalities pay half the
    state's amount each (a quarter of the whole), a municipality outside a region as much as
    the state. ``sides`` states a side's total instead. Within a side with several paying
    members, each member's key splits the total. Typed ``income`` amounts stay allowed and
    must agree with what is computed.
    """

    state: Amounts = Field(
        default_factory=dict,
        description=(
            "Statens tilldelning (Försäkringskassans avgift) per kolumn: {2027: 3000000}. "
            "Region och kommuner betalar hälften var av beloppet (5 §), en kommun utanför "
            "region lika mycket (5 a §)."
        ),
    )
    sides: dict[PayingSide, Amounts] = Field(
        default_factory=dict,
        description=(
            "En sidas del per kolumn i stället för 50/50-regeln: {municipality: {2027: 1500000}}."
        ),
    )
    basis: Text | None = Field(
        None, description='Vad befolkningsnyckeln mäter, t.ex. "invånare 16–64 år".'
    )

    def columns(self) -> set[str]:
        return set(self.state) | {k for amounts in self.sides.values() for k in amounts}


class Reserve(Base):
    """The amount kept aside as reserve each year, shown after the room: "(+500 000)"."""

    label: Text = Field("Reserv", description="Reservens text i tabellen.")
    amounts: Amounts = Field(default_factory=dict)


def months_in(year: int, start: date, end: date | None) -> int:
    """Calendar months of ``year`` that a period from ``start`` to ``end`` touches (0–12).

    The one place this is counted: the period rule (FIN050) and the forecast's pro rata
    both use it, so a period ending 30 or 31 December counts the same everywhere.
    """
    if year < start.year or (end is not None and year > end.year):
        return 0
    first = start.month if start.year == year else 1
    last = end.month if end is not None and end.year == year else 12
    return max(0, last - first + 1)


class Period(Base):
    start: date = Field(description="Startdatum.")
    end: date | None = Field(None, description="Slutdatum; utelämnas för tillsvidare.")
    note: Text | None = Field(None, description='T.ex. "under 2022 har insatsen förlängts".')

    def months(self, year: int) -> int:
        return months_in(year, self.start, self.end)


def _statement(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Statement(Base):
    """What the plan says on a point, in its own words; ``met: false`` if it says it is not.

    The text is a verbatim quote of the plan unless ``summary`` says it is someone's summary
    of it: only a quote may be shown as the plan's words (``cited``).
    """

    text: Markdown = Field(min_length=1, description="Planens egna ord (belägg), ordagrant.")
    met: bool = Field(True, description="false om planen själv säger att punkten inte uppfylls.")
    summary: bool = Field(
        False,
        description=(
            "true om texten är en sammanfattning och inte planens egna ord; den visas då "
            "som Sammanfattning, inte som citat."
        ),
    )

    def cited(self) -> str:
        """The text as evidence: a quote in quotation marks, or labelled as a summary."""
        text = " ".join(self.text.split())
        return f"Sammanfattning: {text}" if self.summary else f"”{text}”"


class _TextOrObject:
    """JSON Schema for a statement written as plain text or as an object (``_statement``)."""

    def __get_pydantic_json_schema__(self, core: Any, handler: Any) -> dict[str, Any]:
        text = {"type": "string", "minLength": 1, "maxLength": 1_000_000}
        return {"anyOf": [text, handler(core)]}


Said = Annotated[Statement, BeforeValidator(_statement), _TextOrObject()]


class Implementation(Statement):
    successor: Text | None = Field(
        None, description=("Vem som tar över insatsen i ordinarie verksamhet.")
    )


class Milestone(Base):
    date: Day | None = Field(None, description="Datum för milstolpen.")
    when: Text | None = Field(None, description='När i ord, om datum saknas ("hösten 2023").')
    text: Text = Field(description="Vad som ska vara klart.")


class Checkpoint(Base):
    """A point where the board reviews the insats and may end it early."""

    date: Day | None = Field(None, description="Datum för avstämningen.")
    when: Text | None = Field(None, description='När i ord, om datum saknas ("Q3 2027").')
    review: Text = Field(description="Vad som stäms av.")
    exit_condition: Text | None = Field(None, description="Villkor för att avsluta i förtid.")


class FollowUp(Base):
    indicators: list[Text] = Field(
        default_factory=list,
        description="Indikatorer som följs (t.ex. andel i arbete efter 12 månader).",
    )
    evaluation: Said | None = Field(
        None, description=("Hur insatsen utvärderas, oavsett resultat.")
    )


class Decision(Base):
    """Decision data for an insats: what a region asks before it co-funds it. All optional."""

    parties: list[Identifier] = Field(
        default_factory=list,
        description=("Medlemmarna som deltar; en insats är mellan minst två parter."),
    )
    friction: Said | None = Field(None, description="Samverkansfriktion mellan parterna.")
    not_core: Said | None = Field(None, description="Varför det inte är någon parts kärnuppdrag.")
    scalability: Said | None = Field(None, description="Hur insatsen når hela regionen.")
    operations: Said | None = Field(None, description="Hur den knyts till ordinarie verksamhet.")
    implementation: (
        Annotated[Implementation, BeforeValidator(_statement), _TextOrObject()] | None
    ) = Field(None, description="Hur insatsen blir ordinarie verksamhet, och vem som tar över.")
    timeline: list[Milestone] = Field(default_factory=list, description="Tidplan: milstolpar.")
    follow_up: FollowUp | None = Field(None, description="Uppföljning och utvärdering.")
    checkpoints: list[Checkpoint] = Field(
        default_factory=list, description="Kontrollpunkter där styrelsen stämmer av insatsen."
    )
    proposal: Markdown | None = Field(
        None,
        description=(
            'Förslag till beslut i förbundets ord, t.ex. "Styrelsen beslutar att …"; '
            "utan det visar beslutsunderlaget ett utkast att skriva om."
        ),
    )
    meeting: Day | None = Field(None, description="Styrelsemötet där insatsen ska beslutas.")


class Activity(Base):
    """A decided project or activity, presented as a card in *Beslutade projekt/verksamheter*."""

    id: Identifier
    title: Text = Field(description="Insatsens namn (kortets rubrik).")
    kind: ActivityKind = Field(
        "utvecklingsinsats", description="projekt, utvecklingsinsats eller verksamhet."
    )
    lines: list[Identifier] = Field(
        default_factory=list,
        description=(
            "Id på budgetraderna som finansierar insatsen; budget och utvärdering räknas därifrån."
        ),
    )
    budget_note: Text | None = Field(
        None,
        description=(
            'Text om finansieringen, t.ex. "Finansiering inom ramen för ordinarie verksamhet".'
        ),
    )
    budget_text: Text | None = Field(
        None,
        description=(
            "Budgetraden som dokumentet skriver den, i stället för det belopp som räknas ur "
            'lines; belopp hämtas ur budgeten: "{{ frukostmoten 2023 }} sek.".'
        ),
    )
    period: Period | None = Field(None, description="Insatsens period: start, end, note.")
    owner: Text | None = Field(None, description="Projektägare.")
    target_group: Markdown | None = Field(None, description="Målgrupp (Markdown).")
    background: Markdown | None = Field(None, description="Bakgrund (Markdown).")
    description: Markdown | None = Field(None, description="Beskrivning (Markdown).")
    decision: Decision | None = Field(
        None,
        description=(
            "Beslutsunderlag: parter, skalbarhet, implementering, uppföljning, kontrollpunkter."
        ),
    )


class MappingRule(Base):
    """Which export rows belong to a plan line: by account (or range), cost centre or text."""

    model_config = ConfigDict(
        json_schema_extra=_given(
            ("account",),
            ("cost_centre",),
            ("project",),
            ("text",),
            among=("account", "cost_centre", "project", "text"),
            exactly=False,
        )
    )

    line: Identifier = Field(description="Id på planens rad (kostnad eller intäkt).")
    account: Text | None = Field(None, description='Konto, t.ex. "7010" eller "7010-7099".')
    cost_centre: Text | None = Field(None, description="Ansvar/kostnadsställe.")
    project: Text | None = Field(None, description="Projekt (kolumn eller SIE-dimension).")
    text: Text | None = Field(None, description="Ord som ska finnas i radens text.")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if (self.account, self.cost_centre, self.project, self.text) == (None,) * 4:
            raise ValueError("ange account, cost_centre, project eller text för regeln")
        return self


class ActualsFormat(Base):
    """How the export writes amounts, when the file itself does not decide it."""

    decimal: Literal[",", "."] | None = Field(
        None, description='Decimaltecken: "," eller ".". Utan: avgörs av filens belopp.'
    )
    thousands: Literal[" ", "space", ".", ",", "'", "none"] | None = Field(
        None,
        description=(
            'Tusentalsavgränsare: "space" (mellanslag), ".", ",", "\'" eller "none". '
            "Utan: avgörs av filens belopp."
        ),
    )

    @model_validator(mode="after")
    def _different(self) -> Self:
        if self.decimal is not None and self.decimal == self.thousands:
            raise ValueError("decimal och thousands kan inte vara samma tecken")
        return self


class ActualsTotals(Base):
    """Which rows of the export are totals or subtotals, besides the rows without an account
    whose amount is the sum of the rows above them."""

    words: list[Text] = Field(
        default_factory=list,
        description=(
            "Ord som gör en rad till summarad, t.ex. [Summa, Totalt]. Den sista summaraden "
            "efter alla andra rader är exportens summa."
        ),
    )


class ActualsDimensions(Base):
    """Which SIE dimensions hold the cost centre and the project (SIE 4: 1 and 6)."""

    cost_centre: int = Field(1, ge=1, le=9999, description="Dimension för kostnadsställe.")
    project: int = Field(6, ge=1, le=9999, description="Dimension för projekt.")


class Actuals(Base):
    """How the finance system's export is read and mapped to plan lines (for followup)."""

    mapping: list[MappingRule] = Field(
        default_factory=list, description=("Regler i ordning; den första som passar en rad avgör.")
    )
    columns: dict[Literal["date", "account", "cost_centre", "project", "text", "amount"], Text] = (
        Field(
            default_factory=dict,
            description=(
                "Kolumnrubriker i exporten om de inte är de vanliga (Datum, Konto, Ansvar, "
                "Projekt, Text, Belopp)."
            ),
        )
    )
    format: ActualsFormat = Field(
        default_factory=ActualsFormat,
        description='Beloppens format, om filen inte själv avgör det: {decimal: ","}.',
    )
    totals: ActualsTotals = Field(
        default_factory=ActualsTotals, description="Hur summarader i exporten känns igen."
    )
    dimensions: ActualsDimensions = Field(
        default_factory=ActualsDimensions,
        description="SIE: dimensionerna för kostnadsställe och projekt.",
    )
    income_negative: bool = Field(
        True, description=("Intäkter står som negativa belopp (kredit) i exporten.")
    )
    profiles: dict[Identifier, list[Annotated[int, Field(ge=1, le=12)]]] = Field(
        default_factory=dict,
        description=(
            "Rader vars kostnader faller vissa månader: {revision: [11]}; övriga jämnt per månad."
        ),
    )
    forecast: dict[Identifier, Literal["remaining", "run_rate"]] = Field(
        default_factory=dict,
        description=(
            "Helårsprognos per rad: remaining (utfall + återstående budget, standard) eller "
            "run_rate (utfall i samma takt året ut)."
        ),
    )
    threshold: Share = Field(
        Decimal("0.10"),
        description=("Varna när prognosen avviker från budget med mer än denna andel …"),
    )
    min_deviation: Kronor = Field(10_000, description="… och med minst så många kronor.")


class PlanStatements(Base):
    """What the plan says at plan level, for criteria that concern the whole förbund."""

    cooperation: Said | None = Field(
        None, description=("Samarbete och kunskapsdelning med andra förbund.")
    )
    networks: Said | None = Field(None, description="Deltagande i regionala Finsam-nätverk.")


class Section(Base):
    """A text section of the document; ``generated`` marks where tables or cards go."""

    id: Identifier
    title: Text = Field(description="Avsnittets rubrik.")
    numbered: bool = Field(
        True, description="Numreras (1., 1.1 …); false för t.ex. Sammanfattning."
    )
    text: Markdown = Field(
        "",
        description=(
            "Text i Markdown. Belopp hämtas ur budgeten med {{ namn år }}, t.ex. "
            "{{ reserve 2027 }} eller {{ steget 2027 }} (en rads id)."
        ),
    )
    generated: Literal["budget", "activities"] | None = Field(
        None,
        description="budget: budgettabellerna och diagrammen här; activities: insatsernas kort.",
    )
    tables: list[Identifier] = Field(
        default_factory=list,
        description=(
            "Med generated: budget: tabellerna som visas här (income, administration, "
            "utvecklingsinsatser, projekt, summary); tomt betyder alla som inget annat "
            "avsnitt visar."
        ),
    )
    sections: list["Section"] = Field(default_factory=list, description="Underavsnitt.")


class StatedTotal(Base):
    """A total as the printed plan states it, to be compared with the computed one.

    Written either as amounts per column (``{2028: 144000}``, the short form) or with a
    reason (``{amounts: {2028: 144000}, reason: …}``); ``short`` remembers which, so that a
    finding can point at the figure in the file.
    """

    amounts: dict[ColumnId, SignedKronor] = Field(
        default_factory=dict, description="Den tryckta summan per kolumn: {2028: 144000}."
    )
    reason: Text | None = Field(
        None,
        description=(
            "Varför den tryckta summan skiljer sig från den beräknade; visas som fotnot i "
            "dokumentet."
        ),
    )
    _short: bool = PrivateAttr(False)

    @model_validator(mode="wrap")
    @classmethod
    def _short_form(cls, value: Any, handler: Any) -> Self:
        short = isinstance(value, dict) and not ({"amounts", "reason"} & set(value))
        total: Self = handler({"amounts": value} if short else value)
        if total.__pydantic_private__ is not None:
            total.__pydantic_private__["_short"] = short
        return total

    @property
    def short(self) -> bool:
        return self._short


_STATED_AMOUNTS = {
    "type": "object",
    "propertyNames": {"not": {"enum": ["amounts", "reason"]}},
    "additionalProperties": _SIGNED_KRONOR.json_schema,
    "description": "Den tryckta summan per kolumn: {2028: 144000}.",
}
Stated = Annotated[
    StatedTotal,
    WithJsonSchema(
        {
            "anyOf": [
                _STATED_AMOUNTS,
                {
                    "type": "object",
                    "properties": {
                        "amounts": _STATED_AMOUNTS,
                        "reason": {
                            "anyOf": [
                                {"type": "string", "minLength": 1, "maxLength": 100_000},
                                {"type": "null"},
                            ],
                            "description": "Varför den tryckta summan skiljer sig (fotnot).",
                        },
                    },
                    "additionalProperties": False,
                },
            ],
            "description": "En tryckt summa: belopp per kolumn, eller {amounts, reason}.",
        }
    ),
]


class Dates(Base):
    adopted: date | None = Field(None, description="Styrelsens beslut om budgeten.")
    consultations: list[date] = Field(
        default_factory=list, description="Samråd med medlemmarna (23 §)."
    )


# --- the year's cycle: samråd, decisions during the year, financial goals ----------------


class ConsultationAnswer(Base):
    """A member's answer in the samråd before the budget is adopted (FinsamL 23 §)."""

    member: Identifier = Field(description="Medlemmens id.")
    date: Day = Field(description="Dagen svaret kom.")
    answer: Literal["agrees", "comments"] = Field(
        description="agrees (tillstyrker förslaget) eller comments (har synpunkter)."
    )
    comment: Markdown | None = Field(None, description="Medlemmens synpunkter, i dess ord.")
    reference: Text | None = Field(
        None, description='Medlemmens eget beslut, t.ex. "KS 2026/45 § 112".'
    )


class Samrad(Base):
    """The samråd with the members on the proposal: what they are asked, by when, and what
    each answered. ``render --samrad`` writes the package; FIN072 reads the answers."""

    sent: Day | None = Field(None, description="Dagen förslaget skickas till medlemmarna.")
    answer_by: Day | None = Field(None, description="Sista dag för medlemmarnas svar.")
    question: Markdown | None = Field(
        None,
        description=(
            "Frågan till medlemmarna; utan: om de har synpunkter på förslaget och sin avgift."
        ),
    )
    contact: Text | None = Field(None, description="Vem svaren skickas till.")
    answers: list[ConsultationAnswer] = Field(
        default_factory=list, description="Medlemmarnas svar, ett per medlem."
    )

    @property
    def started(self) -> bool:
        """Whether the plan records a samråd per member (else only ``dates.consultations``)."""
        return bool(self.answers) or self.sent is not None or self.answer_by is not None


Financing = Literal["room", "equity", "income"]


class RevisionChange(Base):
    """One line a decision changes: its new amount for the plan year, or the change."""

    line: Identifier = Field(description="Id på raden som ändras (kostnads- eller intäktsrad).")
    amount: Kronor | None = Field(None, description="Radens nya belopp för planåret.")
    change: SignedKronor | None = Field(
        None, description='Ändringen av radens belopp: 50000 eller "−20 000".'
    )
    financing: Financing | None = Field(
        None,
        description=(
            "Hur en högre kostnad (eller lägre intäkt) finansieras: room (årets utrymme för "
            "ny verksamhet), equity (eget kapital), income (nya intäkter i samma beslut)."
        ),
    )
    note: Text | None = Field(None, description="Kommentar till ändringen.")

    @model_validator(mode="after")
    def _amount_or_change(self) -> Self:
        if (self.amount is None) == (self.change is None):
            raise ValueError("ange antingen amount (nytt belopp) eller change (ändring)")
        return self


class Revision(Base):
    """A decision of the board during the year that changes the budget (KL 11 kap. 15 §)."""

    date: Day = Field(description="Dagen för styrelsens beslut.")
    reference: Text = Field(
        description='Beslutet: paragraf och protokoll, t.ex. "§ 12, protokoll 2023-04-20".'
    )
    text: Markdown | None = Field(None, description="Vad beslutet gäller.")
    changes: list[RevisionChange] = Field(min_length=1, description="Raderna som ändras.")


GoalMeasure = Literal[
    "result", "surplus", "room", "reserve", "equity_share", "admin_share", "insatser_share"
]
SHARE_MEASURES = ("equity_share", "admin_share", "insatser_share")


def _goal_limit(value: Any) -> Any:
    """A limit: whole kronor (``0``, ``"−100 000"``) or a share written with % (``"20 %"``)."""
    if isinstance(value, str) and "%" in value:
        return _share(value)
    if isinstance(value, float):
        return _share(value)
    return _kronor(value)


GoalLimit = Annotated[
    int | Decimal,
    BeforeValidator(_goal_limit),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer"},
                {"type": "number"},
                {"type": "string", "pattern": r"^[-−]?[0-9 \u00a0]+( kr)?$|^\d+([.,]\d+)?\s*%$"},
            ],
            "description": 'Gräns: hela kronor (0, "−100 000") eller en andel ("20 %").',
        }
    ),
]


class Goal(Base):
    """A financial goal of the plan (finansiellt mål, KL 11 kap. 6 §), checked per year."""

    id: Identifier | None = Field(None, description="Målets id (valfritt).")
    text: Text = Field(description="Målet i förbundets ord.")
    measure: GoalMeasure = Field(
        description=(
            "Vad som mäts per år: result (intäkter − kostnader), surplus (eget kapital vid "
            "årets slut), room (utrymme efter reserv), reserve, equity_share (eget kapital vid "
            "årets slut / medlemsbidragen), admin_share (administration / kostnader), "
            "insatser_share (insatser / kostnader)."
        )
    )
    min: GoalLimit | None = Field(None, description="Lägsta tillåtna värde.")
    max: GoalLimit | None = Field(None, description="Högsta tillåtna värde.")

    @model_validator(mode="after")
    def _limits(self) -> Self:
        if self.min is None and self.max is None:
            raise ValueError("ange min, max eller båda")
        share = self.measure in SHARE_MEASURES
        for limit in (self.min, self.max):
            if limit is None:
                continue
            if share and not isinstance(limit, Decimal):
                raise ValueError(f'{self.measure} är en andel: skriv gränsen med %, t.ex. "20 %"')
            if not share and isinstance(limit, Decimal):
                raise ValueError(f"{self.measure} mäts i kronor: skriv gränsen i hela kronor")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min är större än max")
        return self


class EquityTier(Base):
    """One step of the equity staircase: up to a level of contributions, this share."""

    up_to: Kronor | None = Field(
        None,
        description=(
            "Gäller när årets medlemsbidrag är högst detta belopp; utelämnas för sista steget."
        ),
    )
    share: Share


def _default_ceiling() -> list[EquityTier]:
    return [EquityTier(share=Decimal("0.20"))]


class Policy(Base):
    contribution_tolerance: Kronor = Field(
        10,
        description=(
            "Hur många kronor varje sida får avvika från sitt mål (50/50 och "
            "kvartsandelarna, FIN010, FIN011, FIN013); lika med toleransen går igenom."
        ),
    )
    admin_share_max: Share = Field(
        Decimal("0.30"), description=("Högsta andel av kostnaderna för administration.")
    )
    equity_ceiling: list[EquityTier] = Field(
        default_factory=_default_ceiling,
        min_length=1,
        description=(
            "Trappa för rimligt eget kapital som andel av årets medlemsbidrag. "
            "Kontrollera stegen mot Nationella rådets rekommendation i kraft."
        ),
    )


METHODS = ("same", "change", "index", "amount", "amounts", "stated")
"""The ways an assumption can carry a figure on; an assumption names exactly one."""

ILLUSTRATION = (
    "true om antagandet är en illustration och inte förbundets beslut; det märks så i varje utdata."
)


class Assumption(Base):
    """How a figure goes on after the years the plan states: exactly one of these ways."""

    model_config = ConfigDict(json_schema_extra=_given(*((m,) for m in METHODS), among=METHODS))

    same: Literal[True] | None = Field(None, description="Samma som året före.")
    change: Change | None = Field(None, description='Förändring per år, t.ex. "3 %".')
    index: Identifier | None = Field(None, description="Namnet på ett index i forecast.indices.")
    amount: Kronor | None = Field(None, description="Ett fast belopp varje år.")
    amounts: dict[ColumnId, Kronor] | None = Field(
        None, description="Belopp per år: {2028: 4200000}; ett år utan belopp blir som året före."
    )
    stated: Literal[True] | None = Field(
        None, description=("Som planen själv anger för året (dess prognoskolumner).")
    )
    illustration: bool = Field(False, description=ILLUSTRATION)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [name for name in METHODS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "ange exakt ett av same, change, index, amount, amounts, stated"
                + (f" (fick {', '.join(given)})" if given else "")
            )
        return self

    @property
    def method(self) -> str:
        return next(n for n in METHODS if getattr(self, n) is not None)


def _room_spent(value: Any) -> Any:
    """A share of every year's room, or kronor per year; checked here so that an error
    reads as one message, not as a failed union of two types."""
    if not isinstance(value, dict):
        share = _share(value)
        if not Decimal(0) <= share <= Decimal(1):
            raise PydanticCustomError(
                "share_range", "'{value}' är ingen andel mellan 0 % och 100 %", {"value": value}
            )
        return share
    out = {}
    for key, amount in value.items():
        kronor = _kronor(amount)
        if not isinstance(kronor, int) or kronor < 0:
            raise PydanticCustomError(
                "kronor_format",
                "room_spent för {key}: '{value}' är inget belopp i hela kronor",
                {"key": key, "value": amount},
            )
        out[key] = kronor
    return out


RoomSpent = Annotated[
    Decimal | dict[str, int],
    BeforeValidator(_room_spent),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "pattern": r"^\d+([.,]\d+)?\s*%?$"},
                {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0},
                },
            ],
            "description": (
                'Andel av utrymmet som antas användas varje år från planåret ("100 %"), '
                "eller belopp per år ({2027: 290000})."
            ),
        }
    ),
]


def _year_key(key: Any) -> Any:
    if not (isinstance(key, str) and key.isascii() and key.isdigit() and 2000 <= int(key) <= 2100):
        raise PydanticCustomError("year_key", "'{key}' är inget år (2000–2100)", {"key": key})
    return key


YearKey = Annotated[
    str,
    AfterValidator(_year_key),
    WithJsonSchema({"type": "string", "pattern": r"^(20[0-9]{2}|2100)$"}),
    Field(description="Året, t.ex. 2024 (2000–2100)."),
]


class Announcement(Base):
    """The state's allocation for a year as announced (förhandsbesked), with its source.

    An announced allocation is the förbund's best knowledge of what the state will pay:
    it overrides any index or yearly change, and the plan's own prognos for that year.
    """

    amount: Kronor = Field(description="Statens tilldelning för året enligt beskedet.")
    date: Day = Field(description="Dagen beskedet kom.")
    source: Text = Field(
        "Förhandsbesked om statlig tilldelning",
        description='Varifrån beskedet kommer, t.ex. "Förhandsbesked rörande statlig tilldelning".',
    )


def _same_as_before() -> Assumption:
    return Assumption(same=True)


class Scenario(Base):
    """A named set of assumptions that replaces the plan's figures where it says something.

    A scenario's assumptions run from the plan year (its budgetplan column), so that a
    what-if can be compared with the plan's own prognos year by year.
    """

    description: Text = Field(description="Vad scenariot antar, i ord.")
    default: Assumption | None = Field(None, description="Antagande för övriga rader.")
    state_allocation: Assumption | None = Field(None, description="Statens tilldelning.")
    groups: dict[Identifier, Assumption] = Field(
        default_factory=dict, description="Antagande per kostnadsgrupp (gruppens id)."
    )
    lines: dict[Identifier, Assumption] = Field(
        default_factory=dict, description="Antagande per rad (radens id)."
    )
    reserve: Assumption | None = Field(None, description="Reserven.")
    room_spent: RoomSpent | None = Field(
        None, description="Hur mycket av utrymmet scenariot antar används (se forecast)."
    )
    extensions: dict[Identifier, date] = Field(
        default_factory=dict,
        description=("Insatser som förlängs: insatsens id och nytt slutdatum."),
    )
    rounding: int | None = Field(
        None, ge=1, le=1_000_000, description="Avrundning (1 = hela kronor, 1000 = tusental)."
    )


class Forecast(Base):
    """What the coming years build on, kept apart from the budget figures.

    Without a scenario the forecast takes the plan's own figures (its prognos columns, else
    its budgetplan); the assumptions here carry them on past the last year the plan states.
    """

    illustration: bool = Field(
        False,
        description=(
            "true om antagandena i blocket är en illustration och inte förbundets beslut; "
            "det märks så i varje utdata."
        ),
    )
    rounding: int = Field(
        1,
        ge=1,
        le=1_000_000,
        description=(
            "Avrunda varje beräknad rad till närmaste (1 = hela kronor, 1000 = tusental)."
        ),
    )
    default: Assumption = Field(
        default_factory=_same_as_before,
        description=("Antagande för rader som inget annat säger; standard: samma som året före."),
    )
    state_allocation: Assumption = Field(
        default_factory=_same_as_before,
        description="Statens tilldelning; region och kommuner följer 50/50 av sig själva.",
    )
    announced: dict[YearKey, Announcement] = Field(
        default_factory=dict,
        description=(
            "Statens tilldelning enligt förhandsbesked, per år: "
            '{2024: {amount: 2130000, date: 2023-11-10, source: "Förhandsbesked …"}}. '
            "Går före index och antaganden."
        ),
    )
    groups: dict[Identifier, Assumption] = Field(
        default_factory=dict, description="Antagande per kostnadsgrupp (gruppens id)."
    )
    lines: dict[Identifier, Assumption] = Field(
        default_factory=dict, description="Antagande per rad (radens id)."
    )
    reserve: Assumption = Field(
        default_factory=_same_as_before, description="Reserven; standard samma."
    )
    room_spent: RoomSpent | None = Field(
        None,
        description=(
            "Hur mycket av utrymmet för ny verksamhet planen antar används, från planåret: "
            'en andel ("100 %") eller belopp per år ({2027: 290000}). Utan: hela eget '
            "kapitalet vid årets slut förs till nästa år."
        ),
    )
    extensions: dict[Identifier, date] = Field(
        default_factory=dict, description="Insatser som förlängs: insatsens id och nytt slutdatum."
    )
    indices: dict[Identifier, dict[ColumnId, Change]] = Field(
        default_factory=dict, description=('Index per år, t.ex. lon: {2024: "3 %", 2025: "3 %"}.')
    )
    scenarios: dict[Identifier, Scenario] = Field(
        default_factory=dict, description="Namngivna scenarier (finsamplan forecast -s NAMN)."
    )


class Plan(Base):
    """One plan file: one förbund, one plan year, its columns, money, insatser and text."""

    format: Literal[1] = Field(description="Planfilens formatversion; nu 1.")
    title: Text = Field(description="Dokumentets titel.")
    year: int = Field(ge=2000, le=2100, description="Planåret (budgetplanens år).")
    motto: Markdown | None = Field(None, description="Citat på titelsidan.")
    forbund: Forbund = Field(description="Förbundet och dess medlemmar.")
    columns: list[Column] = Field(
        min_length=1, description="Tabellernas årskolumner: budget, budgetplan, prognos."
    )
    income: list[IncomeLine] = Field(
        min_length=1, description="Intäkter och eget kapital, rad för rad."
    )
    cost_groups: list[CostGroup] | None = Field(
        None,
        min_length=1,
        description=(
            "Kostnadsgrupperna i planens ordning. Utelämnas: administration, "
            "utvecklingsinsatser och projekt."
        ),
    )
    costs: dict[Identifier, list[CostLine]] = Field(
        description="Kostnadsraderna per grupp: {gruppens id: [rader]}."
    )
    labels: Labels = Field(
        default_factory=Labels, description="Egna texter för tabellernas summarader."
    )
    reserve: Reserve = Field(default_factory=Reserve, description="Reserv per kolumn.")
    contributions: Contributions = Field(
        default_factory=Contributions,
        description="Medlemsavgifter som räknas fram ur statens tilldelning och nycklar.",
    )
    activities: list[Activity] = Field(
        default_factory=list, description="Beslutade projekt och verksamheter, ett kort var."
    )
    sections: list[Section] = Field(default_factory=list, description="Dokumentets avsnitt.")
    dates: Dates = Field(default_factory=Dates, description="Beslut och samråd.")
    samrad: Samrad = Field(
        default_factory=Samrad,
        description="Samrådet med medlemmarna: svarsdatum, fråga och varje medlems svar (23 §).",
    )
    revisions: list[Revision] = Field(
        default_factory=list,
        description=(
            "Styrelsens beslut under året som ändrar budgeten, i datumordning "
            "(kommunallagen 11 kap. 15 §); finsamplan revise räknar fram den reviderade budgeten."
        ),
    )
    goals: list[Goal] = Field(
        default_factory=list,
        description="Finansiella mål (kommunallagen 11 kap. 6 §), prövade för varje år.",
    )
    policy: Policy = Field(
        default_factory=Policy, description="Toleranser och gränser för reglerna."
    )
    forecast: Forecast = Field(
        default_factory=Forecast, description="Antaganden för åren efter planåret."
    )
    statements: PlanStatements = Field(
        default_factory=PlanStatements, description="Vad planen säger på förbundsnivå."
    )
    actuals: Actuals = Field(
        default_factory=Actuals, description="Hur ekonomisystemets export läses (followup)."
    )
    criteria: list[Annotated[str, Field(min_length=1, max_length=1000)]] = Field(
        default_factory=list,
        description=(
            "Kriterieprofiler som planens insatser prövas mot: namn på profiler i criteria/ "
            "(t.ex. grund) eller "
            "filer (relativt planfilen). Tom eller utelämnad: ingen profil."
        ),
    )
    stated: dict[Identifier, Stated] = Field(
        default_factory=dict,
        description=(
            "Summor som den tryckta förlagan anger, per summa och kolumn: "
            "{room: {2028: 144000}} eller {room: {amounts: {2028: 144000}, reason: …}}. "
            "finsamplan jämför dem med de beräknade (FIN090) och visar skillnaden som fotnot."
        ),
    )

    @property
    def groups(self) -> list[CostGroup]:
        """The declared cost groups, or the three every plan had before groups existed."""
        return self.cost_groups if self.cost_groups is not None else default_cost_groups()

    def group_lines(self, group_id: str) -> list[CostLine]:
        return self.costs.get(group_id, [])

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def plan_column(self) -> Column | None:
        """The plan year's own column: ``year`` the plan year, ``kind: budgetplan`` (the
        budget as adopted). Every figure "for the plan year" is read from it.

        The one fallback: None when the plan has no such column. Rule FIN070 refuses such a
        plan; what still shows one (a document rendered anyway, a criteria check) shows no
        plan-year figures rather than another column's.
        """
        return next(
            (c for c in self.columns if c.year == self.year and c.kind == "budgetplan"), None
        )

    def plan_key(self) -> str | None:
        """The key of :meth:`plan_column` (``"2023"``), or None as it says."""
        column = self.plan_column()
        return column.key if column is not None else None

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.forbund.members if m.id == member_id), None)


def json_schema() -> dict[str, Any]:
    """The plan file's JSON Schema (Draft 2020-12), as ``finsamplan schema`` gives the editor.

    It accepts every plan the loader reads and refuses what the loader refuses by its shape;
    what the loader checks beyond shape (cross-references, 50/50, a date in the calendar)
    is the rules' work. Its words are the Swedish field descriptions: the models' English
    docstrings and the generated English titles are left out.
    """
    schema = Plan.model_json_schema()
    _tidy(schema)
    for definition in schema.get("$defs", {}).values():
        definition.pop("description", None)  # a model's docstring
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "finsamplan – planfil",
        "description": (
            "En verksamhets- och budgetplan för ett samordningsförbund (Finsam), en fil per "
            "planår. Kontrollera den med finsamplan validate; formatet beskrivs i "
            "docs/plan-format.md."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


_DATA_KEYWORDS = {"default", "const", "enum", "examples"}


def _tidy(node: Any) -> None:
    """Drop the titles pydantic makes from field names, and refuse mapping keys that do not
    match the key pattern (pydantic only lists the pattern, which lets any other key by)."""
    if isinstance(node, list):
        for item in node:
            _tidy(item)
        return
    if not isinstance(node, dict):
        return
    node.pop("title", None)
    if "patternProperties" in node:
        node.setdefault("additionalProperties", False)
    for key, value in node.items():
        if key in _DATA_KEYWORDS:
            continue
        if key in ("properties", "patternProperties", "$defs"):
            for sub in value.values():
                _tidy(sub)
        else:
            _tidy(value)


prebuilt.complete(sys.modules[__name__])
