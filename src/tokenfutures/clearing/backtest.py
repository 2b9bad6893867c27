"""IM coverage backtests over price paths and the Kupiec proportion-of-failures test.

A breach is a 2-day loss on one lot (long or short) larger than the initial margin set at
the start of the window. Overlapping windows make breaches mildly dependent, which Kupiec's
test ignores; the test is a screen, as in daily CCP back-testing (RTS 153/2013 Art. 49).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tokenfutures.clearing.margin.base import FloatArray
from tokenfutures.clearing.margin.live import HS_ES
from tokenfutures.clearing.margin.span import span_scenarios
from tokenfutures.clearing.margin.var import tail_size
from tokenfutures.clearing.margin.volatility import (
    TRADING_DAYS_PER_YEAR,
    ewma_variance,
    log_returns,
)
from tokenfutures.core.errors import InvalidParameterError


@dataclass(frozen=True, slots=True)
class KupiecResult:
    """Kupiec POF: likelihood ratio, its chi-square(1) p-value, and rejection at ``alpha``.

    ``rejected`` is the two-sided test (too many or too few breaches); ``undercovered`` the
    one-sided one a coverage floor asks (EMIR RTS 153/2013 Art. 24: at least 99 %): too many
    breaches at ``alpha`` (ADR 0431).
    """

    observations: int
    breaches: int
    expected_rate: float
    breach_rate: float
    likelihood_ratio: float
    p_value: float
    rejected: bool
    undercovered: bool = False


def kupiec_pof(
    breaches: int, observations: int, coverage: float = 0.99, alpha: float = 0.05
) -> KupiecResult:
    """Kupiec's proportion-of-failures test of ``breaches`` in ``observations`` at ``coverage``."""
    if observations <= 0 or not 0 <= breaches <= observations:
        raise InvalidParameterError("breaches", (breaches, observations), "0 <= x <= n, n > 0")
    p = 1.0 - coverage
    n, x = observations, breaches
    phat = x / n

    def loglik(q: float) -> float:
        a = (n - x) * math.log1p(-q) if n > x else 0.0
        b = x * math.log(q) if x > 0 else 0.0
        return a + b

    lr = max(0.0, -2.0 * (loglik(p) - loglik(phat)))
    p_value = math.erfc(math.sqrt(lr / 2.0))  # chi-square with one degree of freedom
    one_sided = p_value / 2 if phat > p else 1.0  # only an excess of breaches counts
    return KupiecResult(n, x, p, phat, lr, p_value, p_value < alpha, one_sided < alpha)


def count_breaches(
    prices: FloatArray,
    im_per_lot: FloatArray,
    horizon_days: int = 2,
    short_im_per_lot: FloatArray | None = None,
) -> tuple[int, int]:
    """(breaches, observations) of long and short lots: |P[t+h] − P[t]| against IM[t].

    ``prices`` and ``im_per_lot`` are (paths × days); NaN IM marks days without a figure.
    ``short_im_per_lot`` is the short lot's margin where it differs from the long lot's.
    """
    p = np.atleast_2d(prices)
    im = np.atleast_2d(im_per_lot)
    short = im if short_im_per_lot is None else np.atleast_2d(short_im_per_lot)
    change = p[:, horizon_days:] - p[:, :-horizon_days]
    margin = im[:, :-horizon_days]
    valid = np.isfinite(margin)
    long_breach = (-change > margin) & valid
    short_breach = (change > short[:, :-horizon_days]) & valid
    return int(long_breach.sum() + short_breach.sum()), int(2 * valid.sum())


def paper_im_series(
    prices: FloatArray,
    alpha: float = 3.0,
    holding_days: int = 2,
    floor: float = 0.08,
    cap: float = 0.12,
    window: int = 20,
) -> FloatArray:
    """Eq. 7 per-lot IM on each day (NaN before ``window`` returns exist), paths × days."""
    sigma = rolling_sigma(prices, window)
    raw = alpha * sigma * math.sqrt(holding_days / TRADING_DAYS_PER_YEAR) * prices
    result: FloatArray = np.clip(raw, floor * prices, cap * prices)
    return result


def span_im_series(
    prices: FloatArray, alpha: float = 3.0, holding_days: int = 2, window: int = 20
) -> FloatArray:
    """SPAN scan per lot on each day: worst weighted scenario loss with range α·σ20·√T·P."""
    sigma = rolling_sigma(prices, window)
    scan_range = alpha * sigma * math.sqrt(holding_days / TRADING_DAYS_PER_YEAR) * prices
    price_moves, _vol, weight = span_scenarios()
    worst = float(np.max(np.abs(price_moves) * weight))
    result: FloatArray = worst * scan_range
    return result


def rolling_sigma(prices: FloatArray, window: int) -> FloatArray:
    """Annualised volatility of the last ``window`` log returns at each day (NaN before)."""
    r = log_returns(np.atleast_2d(prices).T).T  # paths × (days−1)
    out = np.full(np.atleast_2d(prices).shape, np.nan)
    if r.shape[1] < window:
        raise InvalidParameterError("prices", r.shape[1] + 1, f">= {window + 1} days")
    windows = np.lib.stride_tricks.sliding_window_view(r, window, axis=1)
    out[:, window:] = windows.std(axis=2, ddof=1) * math.sqrt(TRADING_DAYS_PER_YEAR)
    return out


def fhs_im_series(
    prices: FloatArray, lookback: int = 250, horizon_days: int = 2, confidence: float = 0.99
) -> FloatArray:
    """FHS ES per lot on each day, floored by the unfiltered VaR of all history so far (NaN before).

    Long and short lots get separate tails; the series is their maximum, so one figure
    covers both sides (as a single-contract CCP margin would).
    """
    p = np.atleast_2d(prices)
    r = log_returns(p.T).T  # paths × (days−1)
    var = ewma_variance(r.T).T
    out = np.full(p.shape, np.nan)
    k = tail_size(lookback - horizon_days + 1, confidence)
    for t in range(lookback, p.shape[1]):
        hist = r[:, t - lookback : t]
        now = 0.94 * var[:, t - 1] + 0.06 * r[:, t - 1] ** 2
        filtered = hist / np.sqrt(var[:, t - lookback : t]) * np.sqrt(now)[:, None]
        es = _two_sided_tail(filtered, p[:, t], horizon_days, k, expected_shortfall=True)
        kk = tail_size(t - horizon_days + 1, confidence)
        floor = _two_sided_tail(r[:, :t], p[:, t], horizon_days, kk, expected_shortfall=False)
        out[:, t] = np.maximum(es, floor)
    return out


def _two_sided_tail(
    daily: FloatArray, price: FloatArray, horizon: int, k: int, expected_shortfall: bool
) -> FloatArray:
    c = np.cumsum(daily, axis=1)
    c = np.concatenate([np.zeros((c.shape[0], 1)), c], axis=1)
    moves = np.expm1(c[:, horizon:] - c[:, :-horizon]) * price[:, None]
    losses = np.concatenate(
        [np.sort(-moves, axis=1)[:, -k:], np.sort(moves, axis=1)[:, -k:]], axis=1
    )
    long_tail, short_tail = losses[:, :k], losses[:, k:]
    if expected_shortfall:
        result: FloatArray = np.maximum(long_tail.mean(axis=1), short_tail.mean(axis=1))
    else:
        result = np.maximum(long_tail[:, 0], short_tail[:, 0])
    return np.maximum(result, 0.0)


def hs_es_im_series(
    prices: FloatArray, lookback: int = 250, horizon_days: int = 2, confidence: float = 0.99
) -> tuple[FloatArray, FloatArray]:
    """Historical-simulation ES per lot of a long and of a short lot on each day (ADR 0407).

    Day t's scenarios are the overlapping ``horizon_days`` relative moves that ended by day t
    within the last ``lookback`` days (fewer before that: the warm-up the live venue floors
    with eq. 7); unfiltered, equally weighted; ES at ``confidence`` over n scenarios is the
    mean of the worst n·(1 − confidence), the last one weighted by its fraction (ADR 0434).
    NaN before ``horizon_days + 1`` moves exist.
    """
    p = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    c = np.concatenate([np.zeros((p.shape[0], 1)), np.cumsum(log_returns(p.T).T, axis=1)], axis=1)
    moves = np.expm1(c[:, horizon_days:] - c[:, :-horizon_days])  # move i ends on day i + h
    long_im = np.full(p.shape, np.nan)
    short_im = np.full(p.shape, np.nan)
    first = 2 * horizon_days
    if p.shape[1] <= first:
        return long_im, short_im
    width = lookback - horizon_days + 1
    padded = np.concatenate([np.full((p.shape[0], width - 1), np.nan), moves], axis=1)
    # day t's window: moves max(0, t − lookback) .. t − h, i.e. padded row t − h .. t − h + width − 1
    windows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=1)[
        :, first - horizon_days :
    ]
    windows = windows[:, : p.shape[1] - first]
    counts = np.minimum(np.arange(first, p.shape[1]) - horizon_days + 1, width)
    ks = np.array([tail_size(int(n), confidence) for n in counts])
    mass = np.maximum(np.round(counts * (1.0 - confidence), 9), 1e-12)  # n·(1 − c) scenarios
    kmax = int(ks.max())
    for sign, out in ((-1.0, long_im), (1.0, short_im)):
        worst = np.where(np.isnan(windows), np.inf, -sign * windows)  # ascending = worst first
        top = np.sort(np.partition(worst, kmax - 1, axis=2)[:, :, :kmax], axis=2)
        losses = np.where(np.isfinite(top), -top, 0.0)
        sums = np.cumsum(losses, axis=2)
        whole = np.take_along_axis(sums, (ks - 1)[None, :, None], axis=2)[:, :, 0]
        last = np.take_along_axis(losses, (ks - 1)[None, :, None], axis=2)[:, :, 0]
        weight = np.minimum(mass, ks)  # below one scenario: the worst one alone
        out[:, first:] = (whole - (ks - weight) * last) / weight * p[:, first:]
    return np.maximum(long_im, 0.0), np.maximum(short_im, 0.0)


def coverage_backtest(
    prices: FloatArray,
    lookback: int = 250,
    horizon_days: int = 2,
    coverage: float = 0.99,
    es_confidence: float | None = None,
) -> dict[str, KupiecResult]:
    """Breaches and Kupiec test per margin method over price paths (paths × days).

    Every method is judged on the same days: from ``lookback`` (FHS needs the history) on.
    ``es_confidence`` is hs-es's ES level (default: the live one, ``HS_ES``, ADR 0434).
    """
    p = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    if p.shape[1] <= lookback + horizon_days:
        raise InvalidParameterError("prices", p.shape[1], f"> {lookback + horizon_days} days")
    out: dict[str, KupiecResult] = {}
    series = coverage_series(p, lookback, horizon_days, coverage, es_confidence)
    for name, (im, short) in series.items():
        breaches, n = count_breaches(p, im, horizon_days, short)
        out[name] = kupiec_pof(breaches, n, coverage)
    return out


def coverage_series(
    prices: FloatArray,
    lookback: int = 250,
    horizon_days: int = 2,
    coverage: float = 0.99,
    es_confidence: float | None = None,
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Per-lot IM of a long and a short lot per method, NaN before ``lookback`` (paths × days)."""
    p = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    level = HS_ES.confidence if es_confidence is None else es_confidence
    long_es, short_es = hs_es_im_series(p, lookback, horizon_days, level)
    series = {
        "paper-eq7": paper_im_series(p, holding_days=horizon_days),
        "span-scan": span_im_series(p, holding_days=horizon_days),
        "fhs-var": fhs_im_series(p, lookback, horizon_days, coverage),
    }
    out = {name: (im, im) for name, im in series.items()}
    out["hs-es"] = (long_es, short_es)
    for im, short in out.values():
        im[:, :lookback] = np.nan
        short[:, :lookback] = np.nan
    return out


def path_rejection_rates(
    prices: FloatArray,
    lookback: int = 250,
    horizon_days: int = 2,
    coverage: float = 0.99,
    es_confidence: float | None = None,
) -> dict[str, float]:
    """Share of paths whose own Kupiec test rejects at 5 % (≈ 5 % for a calibrated method)."""
    p = np.atleast_2d(np.asarray(prices, dtype=np.float64))
    out = {}
    series = coverage_series(p, lookback, horizon_days, coverage, es_confidence)
    for name, (im, short) in series.items():
        rejected = [
            kupiec_pof(*count_breaches(p[i], im[i], horizon_days, short[i]), coverage).rejected
            for i in range(p.shape[0])
        ]
        out[name] = float(np.mean(rejected))
    return out
