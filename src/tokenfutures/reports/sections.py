"""Report sections of the real-data backtest and the effectiveness surface (report blocks)."""

from __future__ import annotations

from decimal import Decimal

from tokenfutures.reports.backtest import REFERENCE_SPEND, BacktestResults, HedgeRow
from tokenfutures.reports.document import Block, Figure, Heading, Paragraph, Table
from tokenfutures.reports.paper import effectiveness_cell
from tokenfutures.reports.study import StudyResults

SURFACE_FIGURE = "hedge_effectiveness_surface.png"
BACKTEST_FIGURE = "hedging_backtest_real.png"


def surface_blocks(results: StudyResults) -> list[Block]:
    surface = results.surface
    if surface is None:
        return []
    rows = tuple(
        (f"{beta:+.2f}", *(f"{v:.2f}" for v in values))
        for beta, values in zip(surface.betas, surface.values, strict=True)
    )
    return [
        Heading(2, "Hedge effectiveness over trend and jump sign"),
        Paragraph(
            "Strip E at h* (simulated, Table 3 otherwise, same seed in every cell, "
            f"{surface.n_paths:,} paths): rows are the trend beta, columns the jump mean mu_J. "
            f"Assumed provider basis sigma_b {surface.basis_sigma:g}, kappa_b "
            f"{surface.basis_kappa:g}."
        ),
        Table(("beta \\ mu_J", *(f"{m:+.2f}" for m in surface.jump_means)), rows),
        Figure(SURFACE_FIGURE, "E at h* over trend and jump mean (assumed basis stated)."),
    ]


def _pnl(row: HedgeRow) -> str:
    return f"${sum(row.pnl_usd, Decimal(0)):,.0f}"


def backtest_blocks(
    backtest: BacktestResults | None, series: str | None = None, figure: str = BACKTEST_FIGURE
) -> list[Block]:
    """The real-data backtest section on the index ``series`` (a note when no price history
    was given)."""
    heading = "Real-data hedging backtest" + (f" on {series}" if series else "")
    if backtest is None:
        return [
            Heading(2, heading),
            Paragraph("Not run: give `--csv ../shared/data/llm_price_history.csv`."),
        ]
    rows = tuple(
        (
            r.buyer,
            str(r.horizon),
            str(r.optimal.n),
            f"{r.optimal.ratio:.2f}",
            effectiveness_cell(r.optimal),
            effectiveness_cell(r.unit),
            f"{r.optimal.sd_unhedged:.3f} -> {r.optimal.sd_hedged:.3f}",
            _pnl(r),
        )
        for r in backtest.rows
    )
    basis = tuple(
        (
            b.buyer,
            f"{b.daily.sd:.3f}",
            f"{b.daily.kappa:.2f}",
            f"{b.daily.sigma:.3f}",
            f"{b.monthly_sd_change:.3f}",
        )
        for b in backtest.basis
    )
    return [
        Heading(2, heading),
        Paragraph(
            f"TPI fixed from the price history ({backtest.first_fix} to {backtest.end}); every "
            f"monthly SIT {backtest.spec_version} contract is final-settled by the contract's own "
            "rule (mean of the business-day fixes from the 1st to the third Wednesday, rounded to "
            f"the tick); {len(backtest.settled)} months settled, skipped: "
            f"{', '.join(s for s, _ in backtest.skipped) or 'none'}. Buyers: "
            + "; ".join(f"{b.name} = {b.description}" for b in backtest.buyers)
            + ". Month m's future is bought H months ahead at the spot TPI (ASSUMED: no futures "
            "market exists to observe, so the entry price is a martingale forward). E with a "
            f"95 % moving-block bootstrap interval (blocks of 3 months, seed {backtest.seed}); "
            f"strip P&L for a buyer spending ${REFERENCE_SPEND:,} a month, h = 1, whole lots."
        ),
        Table(
            ("buyer", "H", "months", "h*", "E at h*", "E at h = 1", "sd U -> hedged", "strip P&L"),
            rows,
        ),
        Paragraph(
            "Basis to the TPI, MEASURED (daily log-basis read as an OU; monthly: log cost over "
            "the final settlement price). The simulated study ASSUMES sigma_b 0.25, kappa_b 4 "
            f"(stationary sd 0.088). Window basis (month mean vs settlement window): sd "
            f"{backtest.window_basis_sd:.3f}."
        ),
        Table(("buyer", "daily sd", "kappa /yr", "sigma /yr", "monthly sd of change"), basis),
        Figure(figure, "Real data: prices paid, settlements and the basis measured."),
    ]
