"""Rendering of the method comparison: a JSON-ready report and a two-panel PNG."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tokenfutures.index.compare import COVERAGE_EVENTS, MethodResult
from tokenfutures.index.sit_gate import EPOCH_CREDIT

LABELS = {
    "tpi-1.0": "tpi-1.0 (cheapest route per provider, arithmetic)",
    "tpi-2.0": "tpi-2.0 (time-dummy hedonic, headline)",
    "jevons": "chained matched-model Jevons",
    "geks": "GEKS-Törnqvist (rolling window)",
}


def compare_to_dict(results: Mapping[str, MethodResult]) -> dict[str, Any]:
    """Per method: range, levels at both ends, total log move and its split."""
    methods = {}
    for name, r in results.items():
        methods[name] = {
            "first": None if not r.levels else [r.levels[0][0].isoformat(), r.levels[0][1]],
            "last": None if not r.levels else [r.levels[-1][0].isoformat(), r.levels[-1][1]],
            "total_log_move": r.total,
            "matched": r.matched,
            "route_switches": r.route_switches,
            "entries_exits": r.entries_exits,
            "reweighting": r.reweighting,
            "matched_share": r.matched_share,
            "max_daily_move": r.max_daily_move,
            "coverage_events": {d.isoformat(): r.move_on(d) for d, _ in COVERAGE_EVENTS},
        }
    return {"methods": methods, "credit": EPOCH_CREDIT}


def plot_compare(results: Mapping[str, MethodResult], path: Path) -> None:
    """Levels of every method (log scale) and, per method, where its total move came from."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 9), height_ratios=(3, 2))
    for name, r in results.items():
        top.plot([d for d, _ in r.levels], [v for _, v in r.levels], label=LABELS.get(name, name))
    for day, label in COVERAGE_EVENTS:
        top.axvline(day, color="grey", ls=":", lw=1)
        top.annotate(
            label,
            (day, 0.98),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            rotation=90,
            va="top",
        )
    top.set_yscale("log")
    top.set_ylabel("USD per million SIT (log)")
    top.legend(fontsize=8)
    top.grid(True, which="both", alpha=0.3)
    names = list(results)
    parts = (
        ("matched", "matched price changes"),
        ("route_switches", "cheapest-route switches"),
        ("entries_exits", "entries/exits"),
        ("reweighting", "re-weighting / multilateral"),
    )
    width = 0.2
    for i, (key, label) in enumerate(parts):
        xs = [j + (i - 1.5) * width for j in range(len(names))]
        bottom.bar(xs, [getattr(results[n], key) for n in names], width, label=label)
    bottom.scatter(
        range(len(names)),
        [results[n].total for n in names],
        color="black",
        zorder=3,
        label="total log move",
    )
    bottom.set_xticks(
        range(len(names)), [f"{n}\nmatched share {_share(results[n])}" for n in names]
    )
    bottom.axhline(0, color="grey", lw=0.5)
    bottom.set_ylabel("log move over the range")
    bottom.legend(fontsize=8)
    figure.text(0.01, 0.005, EPOCH_CREDIT, fontsize=6)
    figure.suptitle("tpi-1.0 vs tpi-2.0 and comparison methods")
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _share(r: MethodResult) -> str:
    share = r.matched_share
    return "n/a" if share is None else f"{share:.0%}"
