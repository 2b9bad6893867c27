"""The live margin method's own backtest: per-lot IM of each day against the next 2-day move.

The end-of-day report carries it per contract (ADR 0407): the same series the live method
produces for one lot (``clearing.margin.live``), warm-up floor included, re-derived from the
settlement history, so it needs no state of its own and a replay reproduces it.
"""

from __future__ import annotations

import numpy as np

from tokenfutures.clearing.backtest import (
    KupiecResult,
    count_breaches,
    fhs_im_series,
    hs_es_im_series,
    kupiec_pof,
    paper_im_series,
    span_im_series,
)
from tokenfutures.clearing.margin.base import FloatArray
from tokenfutures.clearing.margin.live import (
    HS_ES,
    HS_LOOKBACK,
    MPOR_DAYS,
    SIGMA_WINDOW,
    HsEsConfig,
)
from tokenfutures.core.errors import InvalidParameterError


def live_im_series(
    name: str,
    prices: FloatArray,
    floor: float = 0.08,
    cap: float = 0.12,
    hs_es: HsEsConfig = HS_ES,
) -> tuple[FloatArray, FloatArray]:
    """Per-lot IM of a long and of a short lot on each day under the live method ``name``."""
    p = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    if p.shape[1] > SIGMA_WINDOW + 1:
        paper = paper_im_series(p, holding_days=MPOR_DAYS, floor=floor, cap=cap)
        paper = np.where(np.isfinite(paper), paper, floor * p)
    else:
        paper = floor * p
    if name == "paper-eq7" or p.shape[1] < 2 * MPOR_DAYS + 1:
        return paper, paper
    if name == "hs-es":
        long_im, short_im = hs_es_im_series(p, HS_LOOKBACK, MPOR_DAYS, hs_es.confidence)
    elif name == "fhs-var":
        long_im = short_im = (
            fhs_im_series(p, HS_LOOKBACK, MPOR_DAYS) if p.shape[1] > HS_LOOKBACK else paper
        )
    elif name == "span-scan":
        long_im = short_im = (
            span_im_series(p, holding_days=MPOR_DAYS) if p.shape[1] > SIGMA_WINDOW + 1 else paper
        )
    else:
        raise InvalidParameterError("margin_method", name, "a live margin method")
    warm = np.arange(p.shape[1]) < HS_LOOKBACK
    pick = np.isfinite(long_im) & np.isfinite(short_im)
    long_out = np.where(pick, long_im, paper)
    short_out = np.where(pick, short_im, paper)
    long_out = np.where(warm, np.fmax(long_out, paper), long_out)
    short_out = np.where(warm, np.fmax(short_out, paper), short_out)
    return long_out, short_out


def live_backtest(
    name: str, prices: FloatArray, floor: float = 0.08, cap: float = 0.12, coverage: float = 0.99
) -> KupiecResult | None:
    """Kupiec POF of ``name``'s per-lot IM over a settlement-price history (None: too short)."""
    p = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    if p.shape[1] <= MPOR_DAYS:
        return None
    long_im, short_im = live_im_series(name, p, floor, cap)
    breaches, n = count_breaches(p, long_im, MPOR_DAYS, short_im)
    return kupiec_pof(breaches, n, coverage) if n else None
