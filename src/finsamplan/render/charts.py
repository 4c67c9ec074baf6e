"""Charts for the board, as inline SVG: the cost split per year, and the economy against
the equity ceiling. matplotlib draws them (imported only here); text stays text in the
SVG so it can be searched and read from the PDF, and the output is deterministic.

Every chart carries its text alternative: the SVG has a ``<title>`` and a ``<desc>`` and
the role of an image, and the :class:`~finsamplan.render.view.Chart` holds the figures it
draws as a table, which the HTML shows under the chart. Ids inside an SVG are prefixed
with the chart's id, so two charts on one page never share an id. For Word the same
figure is drawn as PNG instead.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, Literal

from finsamplan.base.money import format_kronor, format_share, share_of
from finsamplan.figures.budget import Budget
from finsamplan.figures.equity import equity_ceiling
from finsamplan.render.view import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from finsamplan.year.compare import Comparison

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


Image = Literal["svg", "png"]


def _svg(
    fig: Figure,
    prefix: str = "",
    title: str = "",
    description: str = "",
    tooltips: dict[str, str] | None = None,
) -> str:
    """The figure as an inline ``<svg>``: ids prefixed, a title and description inside, and
    a ``<title>`` in each element whose gid is a key of ``tooltips``."""
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        bbox_inches="tight",
        metadata={"Date": None, "Creator": "finsamplan"},
    )
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    for gid, tip in (tooltips or {}).items():
        text = text.replace(f'<g id="{gid}">', f'<g id="{gid}"><title>{escape(tip)}</title>', 1)
    if prefix:
        text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
        text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    if title:
        head = text.index(">") + 1
        label = f"{prefix or 'diagram'}-title"
        desc = f"{prefix or 'diagram'}-desc"
        opening = text[: head - 1] + (
            f' role="img" aria-labelledby="{escape(label)}"'
            + (f' aria-describedby="{escape(desc)}"' if description else "")
            + ">"
        )
        inner = f'<title id="{escape(label)}">{escape(title)}</title>'
        if description:
            inner += f'<desc id="{escape(desc)}">{escape(description)}</desc>'
        text = opening + "\n" + inner + text[head:]
    return text


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def finish(
    fig: Figure,
    chart_id: str,
    title: str,
    description: str,
    data: tuple[tuple[str, ...], ...],
    image: Image = "svg",
    tooltips: dict[str, str] | None = None,
) -> Chart:
    """The chart as the documents use it: SVG (HTML, PDF) or PNG (Word), with its text."""
    if image == "png":
        return Chart(chart_id, title, "", description, data, _png(fig))
    svg = _svg(fig, f"diagram-{chart_id}", title, description, tooltips)
    return Chart(chart_id, title, svg, description, data)


def _kr(value: int) -> str:
    return f"{format_kronor(value)}\u00a0kr"


def _style() -> None:
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


def new_figure() -> tuple[Figure, Axes]:
    _style()
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(6.6, 3.0))
    ax = fig.add_subplot()
    ax.yaxis.set_major_formatter(FuncFormatter(_mnkr))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def cost_split(budget: Budget, image: Image = "svg") -> Chart:
    fig, ax = new_figure()
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
    data = (
        ("Kostnadsgrupp", *labels),
        *(
            (g.legend, *(_kr(budget.totals[c.key].groups[g.id]) for c in budget.columns))
            for g in groups
        ),
    )
    description = (
        "Staplade staplar, en per år, med kostnaderna uppdelade på "
        + ", ".join(g.legend.lower() for g in groups)
        + ". "
        + " ".join(
            f"{c.title}: "
            + ", ".join(
                f"{g.legend.lower()} {_kr(budget.totals[c.key].groups[g.id])}" for g in groups
            )
            + "."
            for c in budget.columns
        )
    )
    return finish(fig, "kostnader", "Kostnader per grupp och år", description, data, image)


def economy(budget: Budget, image: Image = "svg") -> Chart:
    fig, ax = new_figure()
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
    series = (
        ("Årets intäkter", [v.income for v in t]),
        ("Kostnader", [v.costs for v in t]),
        ("Eget kapital vid årets slut", [v.surplus for v in t]),
        ("Tak för eget kapital", [equity_ceiling(tiers, v.contributions)[0] for v in t]),
    )
    data = (("Belopp", *labels), *((name, *(_kr(v) for v in values)) for name, values in series))
    description = (
        "Staplar för årets intäkter och kostnader per år, och linjer för eget kapital vid "
        "årets slut och taket för eget kapital. "
        + " ".join(
            f"{label}: "
            + ", ".join(f"{name.lower()} {_kr(values[i])}" for name, values in series)
            + "."
            for i, label in enumerate(labels)
        )
    )
    title = "Intäkter, kostnader och eget kapital mot taket"
    return finish(fig, "ekonomi", title, description, data, image)


def all_charts(budget: Budget, image: Image = "svg") -> tuple[Chart, ...]:
    return (cost_split(budget, image), economy(budget, image))


CompareBars = tuple[list[tuple[str, Decimal]], list[tuple[str, int, int]]]


def _compare_bars(c: Comparison, limit: int) -> CompareBars:
    """(name, administration share) and (name, equity, ceiling), highest first."""
    admin = [
        (r.short_name or r.forbund, Decimal(r.values["admin_share"] or 0))
        for r in c.rows
        if r.values.get("admin_share") is not None
    ]
    equity = [
        (r.short_name or r.forbund, int(r.values.get("equity") or 0), int(r.values["ceiling"] or 0))
        for r in c.rows
        if r.values.get("ceiling")
    ]
    admin.sort(key=lambda x: x[1], reverse=True)
    equity.sort(key=lambda x: share_of(x[1], x[2]) or Decimal(0), reverse=True)  # ceiling > 0
    return admin[:limit], equity[:limit]


def _of_ceiling(equity: int, ceiling: int) -> str:
    return format_share(share_of(equity, ceiling), 0)


def _compare_data(c: Comparison) -> tuple[tuple[str, ...], ...]:
    def row(r: Any) -> tuple[str, ...]:
        share, ceiling = r.values.get("admin_share"), int(r.values.get("ceiling") or 0)
        equity = int(r.values.get("equity") or 0)
        return (
            r.short_name or r.forbund,
            format_share(share),
            _kr(equity),
            _kr(ceiling),
            _of_ceiling(equity, ceiling),
        )

    head = ("Förbund", "Administration", "Eget kapital", "Tak", "Andel av taket")
    return (head, *(row(r) for r in c.rows))


def _bar_axes(ax: Axes, names: list[str], title: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_title(title, loc="left", fontsize=9)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: f"{v:.0f}\u00a0%".replace("-", "\u2212"))
    )
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.margins(x=0.18)


def compare_chart(c: Comparison, image: Image = "svg", limit: int = 40) -> Chart:
    """Each förbund's administration share, and its equity as a share of its ceiling, as
    sorted horizontal bars labelled with the förbund's name (100 % marks the ceiling).
    Every bar's ``<title>`` names its förbund and value."""
    _style()
    from matplotlib.figure import Figure

    admin, equity = _compare_bars(c, limit)
    fig = Figure(figsize=(6.6, 1.6 + 0.5 * max(len(admin), len(equity), 1)))
    ax1, ax2 = fig.subplots(2, 1)
    tips: dict[str, str] = {}
    for i, (name, share) in enumerate(admin):
        ax1.barh(i, float(share * 100), 0.6, color=GROUP_COLORS[0])[0].set_gid(f"adm-{i}")
        tips[f"adm-{i}"] = f"{name}: administration {format_share(share)}"
        ax1.text(float(share * 100), i, f" {format_share(share)}", va="center", fontsize=8)
    _bar_axes(ax1, [n for n, _ in admin], "Administration, andel av kostnaderna")
    for i, (name, value, ceiling) in enumerate(equity):
        ratio = float(Decimal(value) / ceiling * 100)
        over = value > ceiling
        bar = ax2.barh(i, ratio, 0.6, color=COLORS["ceiling"] if over else COLORS["equity"])
        bar[0].set_gid(f"ek-{i}")
        tips[f"ek-{i}"] = (
            f"{name}: eget kapital {_kr(value)} är {_of_ceiling(value, ceiling)} av taket "
            f"{_kr(ceiling)} ({'över' if over else 'under'} taket)"
        )
        ax2.text(ratio, i, f" {_of_ceiling(value, ceiling)}", va="center", fontsize=8)
    ax2.axvline(100, color=COLORS["ceiling"], linestyle="--", linewidth=1)
    ax2.text(100, -0.7, "taket", color=COLORS["ceiling"], ha="center", va="bottom", fontsize=8)
    _bar_axes(ax2, [n for n, _, _ in equity], "Eget kapital vid årets slut, andel av taket")
    fig.tight_layout()
    more = f" ({limit} högst av {len(c.rows)})" if len(c.rows) > limit else ""
    title = f"Administration och eget kapital mot taket per förbund{more}"
    description = (
        "Två liggande stapeldiagram, högst överst. Administrationens andel av kostnaderna: "
        + "; ".join(f"{name} {format_share(share)}" for name, share in admin)
        + ". Eget kapital vid årets slut som andel av taket (100 % är taket): "
        + "; ".join(f"{name} {_of_ceiling(v, ceil)}" for name, v, ceil in equity)
        + "."
    )
    return finish(fig, "jamforelse", title, description, _compare_data(c), image, tips)
