"""Rendering of tpi-2.0 move attributions: lines for people, JSON-ready dicts, a history plot."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tokenfutures.index.attribution import MoveAttribution
from tokenfutures.index.fixing import IndexFixing
from tokenfutures.index.sit_gate import EPOCH_CREDIT

PART_LABELS = {
    "matched": "matched price changes",
    "entry": "entries (quality-adjusted)",
    "exit": "exits (quality-adjusted)",
    "reweighting": "re-weighting",
}


def attribution_to_dict(a: MoveAttribution) -> dict[str, Any]:
    """An attribution as JSON-ready values (log changes as decimal strings)."""
    return {
        "previous_date": None if a.previous_date is None else a.previous_date.isoformat(),
        "previous_level": None if a.previous_level is None else str(a.previous_level),
        "log_change": str(a.log_change),
        "matched": str(a.matched),
        "entries_exits": str(a.entries_exits),
        "reweighting": str(a.reweighting),
        "route_counts": dict(a.route_counts),
        "routes": [
            {
                "part": r.part,
                "provider": r.provider,
                "model": r.model,
                "source": r.source,
                "log_effect": str(r.log_effect),
            }
            for r in a.routes
        ],
    }


def attribution_lines(a: MoveAttribution) -> list[str]:
    """The day's move in a few lines: total, the three parts, and the routes behind each."""
    since = f" since {a.previous_date} ({a.previous_level})" if a.previous_date else ""
    lines = [
        f"move{since}: {float(a.log_change):+.4%} in log",
        f"  matched price changes {float(a.matched):+.4%}, entries/exits "
        f"{float(a.entries_exits):+.4%}, re-weighting {float(a.reweighting):+.4%}",
    ]
    counts = dict(a.route_counts)
    for part, label in PART_LABELS.items():
        named = [r for r in a.routes if r.part == part]
        if named:
            routes = ", ".join(f"{r.provider}/{r.model} {float(r.log_effect):+.3%}" for r in named)
            lines.append(f"  {label} ({counts.get(part, 0)} routes): {routes}")
    return lines


def cumulative_parts(fixes: Sequence[IndexFixing]) -> dict[str, list[float]]:
    """Running sums of each part of the attributed log moves (0 on unexplained days)."""
    totals = {"matched": 0.0, "entries_exits": 0.0, "reweighting": 0.0}
    series: dict[str, list[float]] = {k: [] for k in totals}
    for fix in fixes:
        a = fix.audit.attribution
        if a is not None:
            totals["matched"] += float(a.matched)
            totals["entries_exits"] += float(a.entries_exits)
            totals["reweighting"] += float(a.reweighting)
        for key, value in totals.items():
            series[key].append(value)
    return series


def plot_attribution(fixes: Sequence[IndexFixing], path: Path) -> None:
    """Two panels: the index and its sub-indices (log scale); the cumulative attribution."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    days: Any = [f.as_of for f in fixes]
    top.plot(
        days,
        [float("nan") if f.level is None else float(f.level) for f in fixes],
        lw=2.5,
        color="black",
        label=f"TPI {fixes[0].methodology_version if fixes else ''}",
    )
    names = [s.name for s in fixes[0].sub_indices] if fixes else []
    for position, name in enumerate(names):
        top.plot(
            days,
            [
                float("nan")
                if f.sub_indices[position].level is None
                else float(f.sub_indices[position].level or 0)
                for f in fixes
            ],
            lw=1,
            label=name,
        )
    top.set_yscale("log")
    top.set_ylabel("USD per million SIT (log)")
    top.legend(loc="upper right", fontsize=8)
    top.grid(True, which="both", alpha=0.3)
    for key, values in cumulative_parts(fixes).items():
        bottom.plot(days, values, label=key.replace("_", "/"))
    bottom.axhline(0, color="grey", lw=0.5)
    bottom.set_ylabel("cumulative log change")
    bottom.legend(loc="lower left", fontsize=8)
    bottom.grid(True, alpha=0.3)
    figure.text(0.01, 0.005, EPOCH_CREDIT, fontsize=6)
    figure.suptitle("Token Price Index: history and every move explained")
    figure.autofmt_xdate()
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)
