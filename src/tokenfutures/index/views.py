"""Rendering of fixes for people and machines: JSON-ready dicts and the history plot (PNG)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tokenfutures.index.fixing import IndexFixing
from tokenfutures.index.publication import PublishedFix


def fixing_to_dict(fix: IndexFixing, *, audit: bool) -> dict[str, Any]:
    """A fix as JSON-ready values (Decimals as strings, weights as exact fractions 'n/d')."""
    ctd = fix.cheapest_to_deliver
    result: dict[str, Any] = {
        "date": fix.as_of.isoformat(),
        "level": None if fix.level is None else str(fix.level),
        "status": fix.status.value,
        "methodology_version": fix.methodology_version,
        "fallback_from": fix.fallback_from.isoformat() if fix.fallback_from else None,
        "providers": len(fix.audit.providers),
        "sub_indices": {
            s.name: {"level": None if s.level is None else str(s.level), "providers": s.providers}
            for s in fix.sub_indices
        },
        "cheapest_to_deliver": None
        if ctd is None
        else {"provider": ctd.provider, "model": ctd.model, "price": str(ctd.adjusted_price)},
    }
    if audit:
        result["audit"] = _audit_dict(fix)
    return result


def _audit_dict(fix: IndexFixing) -> dict[str, Any]:
    from tokenfutures.index.views_attribution import attribution_to_dict

    a = fix.audit
    return {
        "attribution": None if a.attribution is None else attribution_to_dict(a.attribution),
        "snapshot_date": a.snapshot_date.isoformat() if a.snapshot_date else None,
        "hedonic_slope": None if a.hedonic_slope is None else str(a.hedonic_slope),
        "cap_binding": a.cap_binding,
        "cap_infeasible": a.cap_infeasible,
        "notes": list(a.notes),
        "providers": [
            {
                "provider": p.provider,
                "route": p.model,
                "source": p.source,
                "price": str(p.price),
                "weight_before_cap": str(p.weight_before_cap),
                "weight": str(p.weight),
            }
            for p in a.providers
        ],
        "constituents": [
            {
                "provider": c.provider,
                "model": c.model,
                "source": c.source,
                "arena_model": c.arena_model,
                "effective": c.effective.isoformat(),
                "input": str(c.input),
                "output": str(c.output),
                "cached_input": None if c.cached_input is None else str(c.cached_input),
                "blended": str(c.blended),
                "margin": str(c.margin),
                "quality_factor": str(c.quality_factor),
                "adjusted": str(c.adjusted),
                "tier": c.tier,
                "open_weight": c.open_weight,
            }
            for c in a.constituents
        ],
        "exclusions": [
            {"provider": e.provider, "model": e.model, "source": e.source, "reason": e.reason}
            for e in a.exclusions
        ],
    }


def plot_history(fixes: Sequence[IndexFixing], path: Path) -> None:
    """Draw the TPI, its sub-indices and the cheapest SIT price on a log scale (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(11, 6))
    days: Any = [f.as_of for f in fixes]

    def draw(values: list[float | None], label: str, **style: Any) -> None:
        axes.plot(days, [float("nan") if v is None else v for v in values], label=label, **style)

    draw(
        [None if f.level is None else float(f.level) for f in fixes],
        "TPI (SIT, USD/M)",
        lw=2.5,
        color="black",
    )
    names = [s.name for s in fixes[0].sub_indices] if fixes else []
    for position, name in enumerate(names):
        draw(
            [
                None
                if f.sub_indices[position].level is None
                else float(f.sub_indices[position].level or 0)
                for f in fixes
            ],
            name,
            lw=1,
        )
    draw(
        [
            None if f.cheapest_to_deliver is None else float(f.cheapest_to_deliver.adjusted_price)
            for f in fixes
        ],
        "cheapest-to-deliver SIT",
        lw=1,
        ls="--",
        color="grey",
    )
    axes.set_yscale("log")
    axes.set_ylabel("USD per million tokens (log scale)")
    axes.set_title("Token Price Index and sub-indices (tiers: raw blended; others: SIT-adjusted)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(loc="upper right", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def published_to_dict(fix: PublishedFix, *, audit: bool) -> dict[str, Any]:
    """A published fix as JSON-ready values: the fixing, its published level and publication."""
    result = fixing_to_dict(fix.fixing, audit=audit)
    result["level"] = None if fix.level is None else str(fix.level)
    result["publication"] = fix.publication()
    return result
