"""PNG figures of the reproduction (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from tokenfutures.quant.montecarlo import MonteCarloResult
from tokenfutures.quant.procurement import ProcurementProgram
from tokenfutures.quant.sensitivity import Evaluation
from tokenfutures.reports.backtest import BacktestResults
from tokenfutures.reports.surface import EffectivenessSurface

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


def cost_distribution_chart(
    evaluation: Evaluation, path: Path, program: ProcurementProgram | None = None
) -> Path:
    """Distribution of the 12-month average cost per M SIT: unhedged, strip at h*, rolling at h = 1.

    The figure states the basis assumption behind it (ADR 0150) and the settlement window.
    """
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
    ax.set_title("Baseline procurement program (simulated, Table 3)")
    if program is not None:
        ax.text(
            0.01,
            0.98,
            f"ASSUMED provider basis: OU, sigma_b = {program.basis_sigma:g}, kappa_b = "
            f"{program.basis_kappa:g}/yr (not measured; the real-data backtest measures it)\n"
            f"futures settle on the first {program.settlement_fixes} of "
            f"{program.days_per_month} daily fixes (listed contract's window, ADR 0130)",
            transform=ax.transAxes,
            fontsize=7,
            va="top",
        )
    ax.legend(fontsize=8, loc="center right")
    return _save(fig, path)


def surface_chart(surface: EffectivenessSurface, path: Path) -> Path:
    """Heat map of the strip's E at h* over trend (beta) and jump mean (mu_J)."""
    values = np.array(surface.values)
    fig, ax = plt.subplots(figsize=(7, 4.8))
    image = ax.imshow(values, origin="lower", cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(surface.jump_means)), [f"{m:+.2f}" for m in surface.jump_means])
    ax.set_yticks(range(len(surface.betas)), [f"{b:+.2f}" for b in surface.betas])
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=8, color="w")
    ax.set_xlabel("jump mean mu_J (sign: direction of jumps)")
    ax.set_ylabel("trend beta (per year)")
    ax.set_title(
        f"Strip E at h* (simulated, {surface.n_paths:,} paths); ASSUMED basis OU "
        f"sigma_b = {surface.basis_sigma:g}, kappa_b = {surface.basis_kappa:g}",
        fontsize=9,
    )
    fig.colorbar(image, ax=ax, label="variance reduction E")
    return _save(fig, path)


def backtest_chart(backtest: BacktestResults, path: Path, horizon: int = 3) -> Path:
    """Real data: the TPI, what each buyer paid (scaled to start at the TPI) and the settlements;
    beside it, each buyer's cost surprise against the strip's payoff at ``horizon``."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    index = next(b for b in backtest.buyers if b.name == "index")
    start = index.prices[min(index.prices)]
    for buyer in backtest.buyers:
        days = sorted(buyer.prices)
        scale = start / buyer.prices[days[0]]
        style = "--" if buyer.name == "locked" else "-"  # locked and basket overlap: both flat
        left.plot(days, [buyer.prices[d] * scale for d in days], style, lw=1, label=buyer.name)
    left.step(
        [s.window[1] for s in backtest.settled],
        [float(s.price) for s in backtest.settled],
        "k.",
        where="post",
        label="final settlement (contract's rule)",
    )
    left.set_yscale("log")
    left.tick_params(axis="x", labelrotation=30)
    left.set_ylabel("USD per M SIT (buyers scaled to start at the TPI)")
    left.set_title("Real TPI history and what each buyer paid", fontsize=10)
    left.legend(fontsize=7)
    for row in backtest.rows:
        if row.horizon == horizon:
            right.scatter(row.payoff, row.exposure, s=14, label=row.buyer)
    right.axhline(0.0, color="grey", lw=0.5)
    right.axvline(0.0, color="grey", lw=0.5)
    right.set_xlabel(f"strip payoff S/F - 1 ({horizon} months ahead)")
    right.set_ylabel("buyer's cost surprise cost/p_entry - 1")
    right.set_title("Basis MEASURED from data (no assumed basis)", fontsize=10)
    right.legend(fontsize=7)
    fig.suptitle(
        f"Hedging backtest on real data, SIT {backtest.spec_version} strips settled by the "
        "contract's final-settlement rule",
        fontsize=11,
    )
    return _save(fig, path)
