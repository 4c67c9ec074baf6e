"""Members and income kinds from the texts of income rows.

A förbund's income rows name who pays: "Försäkringskassan" (or "Staten", "Statlig
tilldelning"), "Region …", "… kommun", "… stad". Equity brought in is "Eget kapital",
"Sparade medel", "Ingående eget kapital"; anything else ("ESF-medel", "Ränteintäkter") is
other income. The side of each member (FinsamL 5 §, 5 a §) is read from the name and is
always a guess for a person to confirm: a municipality is ``municipality_without_region``
when no region is a member, and a lone region that pays as much as the state with no
municipality beside it is taken the same way (a region that is also a municipality, 5 a §).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STATE = re.compile(r"försäkringskassan|\bfk\b|\bstat(en|lig|ligt|liga|ens)?\b", re.IGNORECASE)
EMPLOYMENT = re.compile(r"arbetsförmedlingen", re.IGNORECASE)
REGION = re.compile(r"\bregion(en)?\b|\blandsting(et)?\b", re.IGNORECASE)
MUNICIPALITY = re.compile(r"\bkommun(en|erna|er)?\b|\bstad\b|kommun$", re.IGNORECASE)
EQUITY = re.compile(
    r"eget kapital|sparade medel|ackumulerat|överfört från|ingående balans|balanserat|"
    r"fonderade medel|tidigare års överskott|ianspråktag",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^(medlems)?(avgift|bidrag|tilldelning|insats|andel)(er)?\s*(från|för)?\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_CODE = re.compile(r"^[0-9][0-9 .:\-]*\s")  # an account number before the text
_NAMED_REGION = re.compile(
    r"(Region(?:en)?|Landstinget)\s+[A-ZÅÄÖ][\w\-åäöé]+(?:\s[A-ZÅÄÖ][\w\-]+)*"
)
_NAMED_MUNICIPALITY = re.compile(r"[A-ZÅÄÖ][\w\-åäöé]+(?:\s[A-ZÅÄÖ][\w\-åäöé]+)*\s(?:kommun|stad)")


@dataclass(frozen=True)
class Payer:
    """Who an income row says pays it."""

    name: str
    side: str  # state, region, municipality (decided later: with or without region)


def income_kind(label: str) -> str:
    """``contribution`` for a member's row, ``equity`` or ``other``."""
    if EQUITY.search(label):
        return "equity"
    return "contribution" if payer(label) is not None else "other"


def looks_like_income(label: str) -> bool:
    """A row before any heading that reads like income: a member or equity."""
    return income_kind(label) != "other"


def payer(label: str) -> Payer | None:
    """The member an income row names, if it names one."""
    text = _PREFIX.sub("", _CODE.sub("", label.strip()))
    if EMPLOYMENT.search(text):
        return Payer("Arbetsförmedlingen", "state")
    if STATE.search(text):
        return Payer("Försäkringskassan", "state")
    if REGION.search(text):
        named = _NAMED_REGION.search(text)
        return Payer(named.group(0) if named else text, "region")
    if MUNICIPALITY.search(text):
        named = _NAMED_MUNICIPALITY.search(text)
        return Payer(named.group(0) if named else text, "municipality")
    return None


def member_id(name: str, taken: set[str]) -> str:
    """A member's id: ``fk`` and ``af`` as every plan writes them, else from the name."""
    if name == "Försäkringskassan" and "fk" not in taken:
        return "fk"
    if name == "Arbetsförmedlingen" and "af" not in taken:
        return "af"
    return unique(slug(name, "medlem"), taken)


def slug(text: str, fallback: str, limit: int = 40) -> str:
    """An id from a text: lower case a–z, digits and ``-`` (å, ä, ö → a, a, o)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    s = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0] or s[:limit]
    return s if s and s[0].isalnum() else fallback


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … : the first not taken; it is then taken."""
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name
