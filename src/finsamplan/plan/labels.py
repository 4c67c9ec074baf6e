"""Neutral Swedish wording for every row a generated table shows, when the plan says none.

A plan may set any of these in its ``labels:`` block (and each cost group its own title and
total label) so that the document speaks in the förbund's own words; these defaults are
deliberately plain, so that no förbund's house style becomes everyone's.
"""

from __future__ import annotations

DEFAULT_LABELS: dict[str, str] = {
    "income_title": "Intäkter och eget kapital",
    "income_total": "Summa intäkter och eget kapital",
    "summary_title": "Sammanställning",
    "insatser_total": "Summa kostnader för insatser",
    "costs_total": "Summa kostnader",
    "surplus": "Överskott: eget kapital vid årets slut",
    "reserve": "Reserv",
    "room": "Utrymme för ny verksamhet (efter reserv)",
}
"""Label of each generated row, by the key a plan's ``labels:`` block uses."""

DEFAULT_GROUPS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("administration", "Administration", "Summa administration", "administration", False),
    ("utvecklingsinsatser", "Utvecklingsinsatser", "Summa utvecklingsinsatser", "insatser", False),
    ("projekt", "Projekt", "Summa projekt", "insatser", True),
)
"""The cost groups of a plan that declares none: id, title, total label, counts as, projects.

These are the three groups every plan had before groups could be declared, so that an older
plan file keeps its structure and totals.
"""

TOTAL_NAMES: tuple[str, ...] = (
    "income",
    "equity",
    "available",
    "administration",
    "insatser",
    "activities",
    "costs",
    "surplus",
    "reserve",
    "room",
)
"""The totals every plan has, as ``render --format json`` and ``{{ name year }}`` name them.

``activities`` is the older name of ``insatser`` (all groups that count as insatser), kept
as an alias. Each cost group's total is named by the group's id as well.
"""

TOTAL_TITLES: dict[str, str] = {
    "income": "Intäkter",
    "equity": "Ingående eget kapital",
    "available": "Intäkter och kapital",
    "administration": "Administration",
    "insatser": "Insatser",
    "activities": "Insatser",
    "costs": "Kostnader totalt",
    "surplus": "Eget kapital vid årets slut",
    "reserve": "Reserv",
    "room": "Utrymme för ny verksamhet",
}
"""Short Swedish names of the totals, for summaries (forecast, follow-up, terminal)."""

EQUITY_AFTER_ROOM = "Eget kapital efter planerat använt utrymme"
"""The label of the year-end equity less the room the plan states it spends
(``figures.equity.AFTER_ROOM``); here, beside ``TOTAL_TITLES["surplus"]``, so that a light
command (``compare``) can name it without loading the models."""
