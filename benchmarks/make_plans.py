"""Generate plan files for N made-up förbund, reproducibly from a seed.

    python benchmarks/make_plans.py OUT_DIR [-n 76] [--seed 2026] [--year 2027]

Sizes, member counts and cost structures lie in realistic ranges: a state allocation of
0,8–16 mnkr (the national 339 mnkr over 76 förbund averages 4,5), one region and 1–13
municipalities splitting their quarter by population (one förbund in 40 is a municipality
without a region, like Gotland), administration 12–40 % of costs, development work 5–30 %,
projects the rest, each project an insats with a period and, for most, an evaluation. About
a third declare their own cost groups (2–5, one or two counting as administration, the
rest as insatser, with their own titles, total labels and row labels); the others use the
three groups of a plan that declares none. The names are invented. Every plan is valid YAML
for finsamplan; some break rules, as real plans do. The same seed gives the same files,
byte for byte.
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path
from typing import Any

import yaml

PLACES = [
    "Ådal",
    "Björkvik",
    "Ekeby",
    "Fjällnäs",
    "Granhult",
    "Hagaby",
    "Ingevik",
    "Junsele",
    "Kvarnby",
    "Lövsta",
    "Mossby",
    "Norrvik",
    "Ornäs",
    "Prästbo",
    "Rönnby",
    "Sjövik",
    "Tallbo",
    "Ulvsby",
    "Vallby",
    "Ystorp",
    "Älvdal",
    "Östby",
    "Askeby",
    "Bredsjö",
]
PROJECTS = [
    "Vägen in",
    "Steget",
    "Unga till arbete",
    "Hela vägen",
    "Samverkansteam",
    "Arbetslivsresurs",
    "Nya steg",
    "Kraftsamling",
    "Individen i centrum",
    "Bryggan",
]
DEVELOPMENT = [
    "Kompetensutveckling",
    "Kartläggning av behov",
    "Frukostseminarier",
    "Metodstöd IPS",
    "Utvärderingsstöd",
    "Nätverksträffar",
]

ADMIN_GROUPS = [
    ("styrning", "Styrning, ledning och administration", "Styrning"),
    ("kansli", "Kansli och förbundsgemensamt", "Kansli"),
    ("styrelse", "Styrelse och revision", "Styrelse"),
]
INSATS_GROUPS = [
    ("individ", "Individinriktade insatser", "Individinriktat"),
    ("struktur", "Strukturövergripande insatser", "Strukturövergripande"),
    ("samverkan", "Samverkan och kompetens", "Samverkan"),
    ("metod", "Metodutveckling", "Metod"),
]
PROJECT_GROUPS = [
    ("projekt", "Tidsbegränsade projekt", "Projekt"),
    ("projektmedel", "Insatser med projektmedel", "Projektmedel"),
]
LABELS = [
    {"income_total": "Summa intäkter och eget kapital", "room": "Utrymme för nya insatser"},
    {"summary_title": "Sammanställning av budgeten", "costs_total": "Summa kostnader totalt"},
    {"insatser_total": "Summa insatser", "surplus": "Eget kapital vid årets slut"},
]


def _split(total: int, weights: list[int]) -> list[int]:
    parts = [total * w // sum(weights) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def _round(value: float, to: int = 1000) -> int:
    return round(value / to) * to


def make_plan(rng: random.Random, index: int, year: int) -> tuple[str, dict[str, Any]]:
    place = (
        f"{PLACES[index % len(PLACES)]}{'' if index < len(PLACES) else index // len(PLACES) + 1}"
    )
    years = [year - 1, year, year + 1, year + 2]
    kinds = ["budget", "budgetplan", "prognos", "prognos"]
    gotland = rng.random() < 1 / 40
    n_mun = (
        0
        if gotland
        else rng.choices(range(1, 14), weights=[8, 7, 6, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1])[0]
    )
    members: list[dict[str, Any]] = [
        {"id": "fk", "name": "Försäkringskassan", "side": "state"},
        {"id": "af", "name": "Arbetsförmedlingen", "side": "state", "paid_by": "fk"},
    ]
    if gotland:
        members.append(
            {"id": "rk", "name": f"Region {place}", "side": "municipality_without_region"}
        )
    else:
        members.append({"id": "region", "name": f"Region {place}", "side": "region"})
        members += [
            {"id": f"k{i + 1}", "name": f"{place} kommun {i + 1}", "side": "municipality"}
            for i in range(n_mun)
        ]
    population = [rng.randint(4_000, 150_000) for _ in range(n_mun)]
    state = {y: _round(rng.uniform(800_000, 16_000_000) if y == years[0] else 0) for y in years}
    for prev, y in itertools.pairwise(years):
        state[y] = _round(state[prev] * rng.uniform(0.97, 1.04))
    income: list[dict[str, Any]] = [
        {"label": "Försäkringskassan", "member": "fk", "amounts": dict(state)}
    ]
    if gotland:
        income.append({"label": f"Region {place}", "member": "rk", "amounts": dict(state)})
    else:
        region = {y: state[y] // 2 for y in years}
        income.append({"label": f"Region {place}", "member": "region", "amounts": region})
        quarters = {y: state[y] - region[y] for y in years}
        shares = {y: _split(quarters[y], population) for y in years}
        income += [
            {"label": m["name"], "member": m["id"], "amounts": {y: shares[y][i] for y in years}}
            for i, m in enumerate(members[3:])
        ]
    contributions = {y: 2 * state[y] for y in years}
    budget_share = {y: rng.uniform(0.85, 1.06) for y in years}
    costs_total = {y: _round(contributions[y] * budget_share[y]) for y in years}
    admin_share = rng.uniform(0.12, 0.40)
    dev_share = rng.uniform(0.05, 0.30)

    def lines(share: float, labels: list[str], prefix: str) -> list[dict[str, Any]]:
        weights = [rng.randint(1, 10) for _ in labels]
        per_year = {y: _split(_round(costs_total[y] * share), weights) for y in years}
        return [
            {
                "id": f"{prefix}{i + 1}",
                "label": label,
                "amounts": {y: per_year[y][i] for y in years if per_year[y][i]},
            }
            for i, label in enumerate(labels)
        ]

    administration = lines(
        admin_share,
        [
            "Förbundschef och administratör",
            "Styrelse",
            "Revision",
            "Lokaler och IT",
            "Övrig administration",
        ],
        "adm",
    )
    development = lines(dev_share, rng.sample(DEVELOPMENT, rng.randint(2, 6)), "utv")
    n_proj = rng.randint(1, 8)
    projects = lines(1 - admin_share - dev_share, rng.sample(PROJECTS, n_proj), "proj")
    activities = []
    for i, p in enumerate(list(projects)):
        start = rng.randint(year - 3, year)
        end = rng.randint(max(start + 1, year), year + 3)
        p["amounts"] = {y: v for y, v in p["amounts"].items() if start <= y <= end}
        activities.append(
            {
                "id": p["id"],
                "kind": "projekt",
                "title": p["label"],
                "lines": [p["id"]],
                "period": {
                    "start": f"{start}-{rng.choice(['01', '03', '09'])}-01",
                    "end": f"{end}-{rng.choice(['06', '08', '12'])}-30",
                },
                "owner": f"{place} kommun {1 + i % max(n_mun, 1)}",
            }
        )
        if rng.random() < 0.7:
            eval_year = min(end, year + 2)
            projects.append(
                {
                    "id": f"{p['id']}-utv",
                    "label": f"Utvärdering {p['label']}",
                    "evaluates": p["id"],
                    "amounts": {eval_year: _round(rng.uniform(50_000, 250_000))},
                }
            )
            activities[-1]["lines"].append(f"{p['id']}-utv")
    reserve = {y: _round(contributions[y] * rng.uniform(0.0, 0.10)) for y in years}
    equity = {years[0]: _round(contributions[years[0]] * rng.uniform(0.05, 0.45))}
    for prev, y in itertools.pairwise(years):
        costs = sum(ln["amounts"].get(prev, 0) for ln in administration + development + projects)
        surplus = contributions[prev] + equity[prev] - costs
        equity[y] = max(
            0,
            min(
                surplus,
                reserve[prev] + _round(max(0, surplus - reserve[prev]) * rng.uniform(0, 0.5)),
            ),
        )
    income.append(
        {
            "label": "Eget kapital/sparade medel",
            "kind": "equity",
            "amounts": {y: v for y, v in equity.items() if v},
        }
    )
    plan = {
        "format": 1,
        "title": f"Verksamhets- och budgetplan {year}",
        "year": year,
        "forbund": {
            "name": f"Samordningsförbundet {place}",
            "short_name": f"Finsam {place}",
            "members": members,
        },
        "columns": [{"year": y, "kind": k} for y, k in zip(years, kinds, strict=True)],
        "income": income,
        "reserve": {"amounts": {y: v for y, v in reserve.items() if v}},
        "costs": {
            "administration": administration,
            "utvecklingsinsatser": development,
            "projekt": projects,
        },
        "activities": activities,
        "dates": {
            "adopted": f"{year - 1}-11-{rng.randint(10, 30)}",
            "consultations": [f"{year - 1}-10-{rng.randint(1, 28):02d}"],
        },
        "sections": [
            {
                "id": "sammanfattning",
                "title": "Sammanfattning",
                "numbered": False,
                "text": f"Samordningsförbundet {place} har {len(members) - 2} "
                "medlemmar utöver staten.",
            }
        ],
    }
    if rng.random() < 1 / 3:
        _declare_groups(rng, plan, administration, development, projects)
    slug = place.lower().translate(str.maketrans("åäöÅÄÖ", "aaoaao"))
    return f"{slug}-{year}", plan


def _declare_groups(
    rng: random.Random,
    plan: dict[str, Any],
    administration: list[dict[str, Any]],
    development: list[dict[str, Any]],
    projects: list[dict[str, Any]],
) -> None:
    """The plan's own cost groups (2–5): its administration in one or two groups, its
    development work in none to two, its projects (with their evaluations) in one."""
    admin = rng.sample(ADMIN_GROUPS, rng.choice([1, 1, 2]))
    dev = rng.sample(INSATS_GROUPS, rng.choice([0, 1, 1, 2]))
    proj = rng.choice(PROJECT_GROUPS)
    costs: dict[str, list[dict[str, Any]]] = {}
    for i, (group_id, _, _) in enumerate(admin):
        costs[group_id] = administration[i :: len(admin)]
    if dev:
        for i, (group_id, _, _) in enumerate(dev):
            costs[group_id] = development[i :: len(dev)]
        costs[proj[0]] = projects
    else:  # development work and projects in one group of insatser
        costs[proj[0]] = development + projects
    groups = []
    for (group_id, title, short), counts_as in [
        *((g, "administration") for g in admin),
        *((g, "insatser") for g in dev),
        (proj, "insatser"),
    ]:
        group: dict[str, Any] = {"id": group_id, "title": title, "counts_as": counts_as}
        if rng.random() < 0.5:
            group["short_title"] = short
            group["total_label"] = f"Summa {short.lower()}"
        if group_id == proj[0]:
            group["projects"] = True
        groups.append(group)
    plan["cost_groups"] = groups
    plan["costs"] = costs
    plan["labels"] = dict(rng.choice(LABELS))
    position = list(plan).index("costs")  # cost_groups and labels just before costs
    items = list(plan.items())
    ordered = [*items[:position], ("cost_groups", groups), ("labels", plan["labels"])]
    ordered += [(k, v) for k, v in items[position:] if k not in ("cost_groups", "labels")]
    plan.clear()
    plan.update(ordered)


def _dates_as_dates(plan: dict[str, Any]) -> dict[str, Any]:
    from datetime import date

    plan["dates"]["adopted"] = date.fromisoformat(plan["dates"]["adopted"])
    plan["dates"]["consultations"] = [date.fromisoformat(d) for d in plan["dates"]["consultations"]]
    for act in plan["activities"]:
        act["period"] = {
            k: date.fromisoformat(v) if k in ("start", "end") else v
            for k, v in act["period"].items()
        }
    return plan


def make_plans(out: Path, n: int = 76, seed: int = 2026, year: int = 2027) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, plan = make_plan(rng, i, year)
        path = out / f"{name}.yaml"
        text = yaml.safe_dump(_dates_as_dates(plan), allow_unicode=True, sort_keys=False, width=100)
        path.write_text(
            f"# Påhittat förbund nr {i + 1} (benchmarks/make_plans.py, seed {seed}).\n{text}",
            "utf-8",
        )
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=76)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--year", type=int, default=2027)
    args = parser.parse_args()
    paths = make_plans(args.out, args.n, args.seed, args.year)
    print(f"{len(paths)} planer i {args.out}")


if __name__ == "__main__":
    main()
