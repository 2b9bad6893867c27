"""Hedge effectiveness of the simulated strip over a grid of trend (beta) and jump mean (mu_J).

The calibration (issue 12) finds the real TPI's trend and jump sign far from Table 3's
(beta -0.35/yr, mu_J +0.10): this surface shows how much the simulated study's E depends on
them. Every cell uses the same seed (common random numbers) and the study's program: the
listed contract's window (ADR 0130) and the assumed provider basis (ADR 0150).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tokenfutures.quant.params import PAPER_TABLE3, JumpDiffusionParams
from tokenfutures.quant.procurement import ProcurementProgram, model_forward, simulate_procurement

SURFACE_BETAS = (-1.0, -0.6, -0.35, 0.0, 0.35)
SURFACE_JUMP_MEANS = (-0.2, -0.1, 0.0, 0.1, 0.2)
#: Paths per cell at most (the surface is a picture of sensitivity, not a headline number).
SURFACE_MAX_PATHS = 1_000


@dataclass(frozen=True, slots=True)
class EffectivenessSurface:
    """Strip variance reduction at h*, ``values[i, j]`` for ``betas[i]`` and ``jump_means[j]``."""

    betas: tuple[float, ...]
    jump_means: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    ratios: tuple[tuple[float, ...], ...]
    n_paths: int
    seed: int
    basis_sigma: float
    basis_kappa: float
    settlement_fixes: int
    days_per_month: int

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, for results files."""
        return {
            "betas": list(self.betas),
            "jump_means": list(self.jump_means),
            "variance_reduction": [list(r) for r in self.values],
            "hedge_ratio": [list(r) for r in self.ratios],
            "n_paths": self.n_paths,
            "seed": self.seed,
            "basis_sigma": self.basis_sigma,
            "basis_kappa": self.basis_kappa,
            "settlement_fixes": self.settlement_fixes,
            "days_per_month": self.days_per_month,
        }


def effectiveness_surface(
    program: ProcurementProgram,
    n_paths: int,
    seed: int,
    base: JumpDiffusionParams = PAPER_TABLE3,
    betas: tuple[float, ...] = SURFACE_BETAS,
    jump_means: tuple[float, ...] = SURFACE_JUMP_MEANS,
) -> EffectivenessSurface:
    """E (strip, h*) for every (beta, mu_J) with the rest of ``base``; one seed for all cells."""
    paths = min(n_paths, SURFACE_MAX_PATHS)
    values, ratios = [], []
    for beta in betas:
        row, hrow = [], []
        for mu in jump_means:
            params = base.with_changes(beta=beta, jump_mean=mu)
            rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
            outcome = simulate_procurement(params, program, model_forward(params), paths, rng)
            fit = outcome.strip()
            row.append(fit.variance_reduction)
            hrow.append(fit.ratio)
        values.append(tuple(row))
        ratios.append(tuple(hrow))
    return EffectivenessSurface(
        tuple(betas),
        tuple(jump_means),
        tuple(values),
        tuple(ratios),
        paths,
        seed,
        program.basis_sigma,
        program.basis_kappa,
        program.settlement_fixes,
        program.days_per_month,
    )
