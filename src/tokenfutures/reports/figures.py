"""PNG figures of the reproduction (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from tokenfutures.quant.montecarlo import MonteCarloResult
from tokenfutures.quant.sensitivity import Evaluation

_META = {"Software": None}


def _save(fig: Figure, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata=_META)
    plt.close(fig)
    return path


def fan_chart(mc: MonteCarloResult, path: Path) -> Path:
    """Figure 6 analogue: mean path, 50 % and 90 % bands, two sample paths, by month."""
    months = 12.0 * mc.times
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.fill_between(months, mc.quantiles[0.05], mc.quantiles[0.95], alpha=0.2, label="90 % band")
    ax.fill_between(months, mc.quantiles[0.25], mc.quantiles[0.75], alpha=0.35, label="50 % band")
    ax.plot(months, mc.mean_path, lw=2, label="mean path")
    for k, sample in enumerate(mc.sample_paths):
        ax.plot(months, sample, lw=0.7, alpha=0.8, label=f"sample path {k + 1}")
    ax.set_xlabel("month")
    ax.set_ylabel("price ($/M SIT)")
    ax.set_title(f"TPI Monte Carlo, Table 3 ({mc.n_paths:,} paths, seed {mc.seed})")
    ax.legend(loc="upper right", fontsize=8)
    return _save(fig, path)


def vol_term_structure_chart(mc: MonteCarloResult, path: Path) -> Path:
    """Simulated and closed-form volatility term structure next to the paper's claims."""
    months = 12.0 * mc.vol_horizons
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(months, 100 * mc.vol_term_structure, "o-", label="Monte Carlo")
    if mc.model_vol_term_structure.size == months.size:
        ax.plot(months, 100 * mc.model_vol_term_structure, "--", label="closed form")
    ax.plot([1, 3, 6, 12, 24, 36], [35, 35, 55, 55, 40, 40], "s:", label="paper (§8.2, prose)")
    ax.set_xlabel("horizon (months)")
    ax.set_ylabel("annualised volatility (%)")
    ax.set_title("Volatility term structure: sd of ln(P_t / P_0) / sqrt(t)")
    ax.legend(fontsize=8)
    return _save(fig, path)


def cost_distribution_chart(evaluation: Evaluation, path: Path) -> Path:
    """Distribution of the 12-month average cost per M SIT: unhedged, strip at h*, rolling at h = 1."""
    outcome = evaluation.outcome
    unhedged = outcome.cost
    h_star = evaluation.strip_optimal.ratio
    fig, ax = plt.subplots(figsize=(7, 4))
    lo, hi = np.quantile(unhedged, [0.001, 0.999])
    bins = [float(b) for b in np.linspace(float(lo), float(hi), 80)]
    ax.hist(unhedged, bins=bins, alpha=0.5, density=True, label="unhedged")
    ax.hist(
        unhedged - h_star * outcome.strip_payoff,
        bins=bins,
        alpha=0.5,
        density=True,
        label=f"strip hedge, h* = {h_star:.2f}",
    )
    ax.hist(
        unhedged - outcome.rolling_payoff,
        bins=bins,
        histtype="step",
        density=True,
        label="rolling front month, h = 1",
    )
    ax.set_xlabel("average cost over 12 months ($/M SIT)")
    ax.set_ylabel("density")
    ax.set_title("Baseline procurement program")
    ax.legend(fontsize=8)
    return _save(fig, path)
