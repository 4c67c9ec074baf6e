"""Charts for the board, as inline SVG: the cost split per year, and the economy against
the equity ceiling. matplotlib draws them (imported only here); text stays text in the
SVG so it can be searched and read from the PDF, and the output is deterministic.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from finsamplan.figures.budget import Budget
from finsamplan.judge.rules import equity_ceiling
from finsamplan.render.view import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

GROUP_COLORS = ("#4F6D8F", "#8DB0D3", "#E0A458", "#7A9E7E", "#B07AA1", "#9C755F", "#6B6B6B")
"""One colour per cost group, in the plan's order (cycled past seven groups)."""

COLORS = {
    "income": "#4F6D8F",
    "costs": "#E0A458",
    "equity": "#2E7D4F",
    "ceiling": "#B03A2E",
}


def _mnkr(value: float, _pos: object = None) -> str:
    return f"{value / 1_000_000:.1f}".replace(".", ",") + "\u00a0mnkr"


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        bbox_inches="tight",
        metadata={"Date": None, "Creator": "finsamplan"},
    )
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)


def _figure() -> tuple[Figure, Axes]:
    import matplotlib

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",
            "text.parse_math": False,  # plan text is drawn as written: "$5 och $6" is no formula
            "text.usetex": False,
            "svg.hashsalt": "finsamplan",
            "font.family": "DejaVu Sans",
            "font.size": 9,
        }
    )
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(6.6, 3.0))
    ax = fig.add_subplot()
    ax.yaxis.set_major_formatter(FuncFormatter(_mnkr))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def cost_split(budget: Budget) -> Chart:
    fig, ax = _figure()
    labels = [c.title for c in budget.columns]
    x = list(range(len(labels)))
    bottom = [0] * len(labels)
    groups = budget.plan.groups
    for i, group in enumerate(groups):
        values = [budget.totals[c.key].groups[group.id] for c in budget.columns]
        color = GROUP_COLORS[i % len(GROUP_COLORS)]
        ax.bar(x, values, 0.6, bottom=bottom, label=group.legend, color=color)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(x, labels)
    ncols = min(3, len(groups)) or 1
    ax.legend(frameon=False, ncols=ncols, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return Chart("kostnader", "Kostnader per grupp och år", _svg(fig))


def economy(budget: Budget) -> Chart:
    fig, ax = _figure()
    cols = budget.columns
    labels = [c.title for c in cols]
    x = list(range(len(labels)))
    t = [budget.totals[c.key] for c in cols]
    tiers = budget.plan.policy.equity_ceiling
    ax.bar(
        [i - 0.18 for i in x],
        [v.income for v in t],
        0.36,
        label="Årets intäkter",
        color=COLORS["income"],
    )
    ax.bar(
        [i + 0.18 for i in x],
        [v.costs for v in t],
        0.36,
        label="Kostnader",
        color=COLORS["costs"],
    )
    ax.plot(
        x,
        [v.surplus for v in t],
        marker="o",
        color=COLORS["equity"],
        label="Eget kapital vid årets slut",
    )
    ax.plot(
        x,
        [equity_ceiling(tiers, v.contributions)[0] for v in t],
        linestyle="--",
        marker="_",
        color=COLORS["ceiling"],
        label="Tak för eget kapital",
    )
    ax.set_xticks(x, labels)
    ax.legend(frameon=False, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return Chart("ekonomi", "Intäkter, kostnader och eget kapital mot taket", _svg(fig))


def all_charts(budget: Budget) -> tuple[Chart, ...]:
    return (cost_split(budget), economy(budget))
