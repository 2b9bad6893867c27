"""The venue's live initial-margin method, chosen by name (ADR 0407).

``hs-es`` (the default) is historical-simulation expected shortfall over the last 250 daily
settlement moves (2-day MPOR), unfiltered and netted across the product's months, at the ES
level ``HS_ES.confidence`` calibrated so that two-day losses breach it 1 % of the time (99 %
coverage, ADR 0434); while fewer than 250 moves exist it is floored by eq. 7 (the warm-up). ``paper-eq7``,
``span-scan`` and ``fhs-var`` are the other methods of ``clearing.margin``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.margin.base import FloatArray, MarginMethod, MarginResult
from tokenfutures.clearing.margin.builders import lot_prices
from tokenfutures.clearing.margin.paper import PaperMargin
from tokenfutures.clearing.margin.span import SpanMargin, span_from_volatility
from tokenfutures.clearing.margin.var import HistoricalVarMargin
from tokenfutures.clearing.margin.volatility import filtered_scenarios, horizon_sums, sigma_n
from tokenfutures.core.errors import InvalidParameterError

#: The live method of a venue unless configured otherwise: passes Kupiec at 99 % (ADR 0407).
DEFAULT_LIVE_METHOD = "hs-es"
LIVE_METHODS = ("hs-es", "paper-eq7", "span-scan", "fhs-var")
#: Short names accepted wherever a person names the method (``serve --margin-method``).
METHOD_ALIASES = {"eq7": "paper-eq7", "span": "span-scan", "fhs": "fhs-var"}


def canonical_method(name: str) -> str:
    """The live method ``name`` names (an alias resolved), or ``InvalidParameterError``."""
    method = METHOD_ALIASES.get(name.strip().lower(), name.strip().lower())
    if method not in LIVE_METHODS:
        choices = ", ".join([*LIVE_METHODS, *METHOD_ALIASES])
        raise InvalidParameterError("margin_method", name, f"one of: {choices}")
    return method


#: Daily settlement moves in the historical-simulation window (one trading year).
HS_LOOKBACK = 250
#: Margin period of risk of listed futures, days (EMIR RTS 153/2013 Art. 26).
MPOR_DAYS = 2
#: Daily settlements needed for σ20; with fewer, eq. 7's floor (8 % of notional) applies.
SIGMA_WINDOW = 20


@dataclass(frozen=True, slots=True)
class HsEsConfig:
    """The parameter of ``hs-es`` beyond the venue's window and MPOR (ADR 0407, 0434).

    ``confidence`` is the ES level, not the coverage target: ES at it is the mean of the worst
    n·(1 − confidence) of the n two-day moves (fractional tail), chosen on training
    simulations so that losses exceed the margin on 1 % of days (99 % coverage).
    """

    confidence: float = 0.9855


#: ``hs-es`` as the venue runs it (ADR 0434: ES 98.55 %, fractional tail).
HS_ES = HsEsConfig()


@dataclass(frozen=True, slots=True)
class FlooredMargin:
    """The larger of two methods' requirements, account by account (the warm-up floor)."""

    primary: MarginMethod
    floor: MarginMethod

    @property
    def name(self) -> str:
        """The primary method's name: the floor is a warm-up detail, not another method."""
        return self.primary.name

    @property
    def contracts(self) -> tuple[str, ...]:
        """Column order of the positions matrix (the primary's)."""
        return self.primary.contracts

    def requirements(self, positions: FloatArray) -> MarginResult:
        """Each account's larger initial (and maintenance) requirement of the two."""
        a = self.primary.requirements(positions)
        b = self.floor.requirements(positions)
        return MarginResult(
            method=self.name,
            initial=np.maximum(a.initial, b.initial),
            maintenance=np.maximum(a.maintenance, b.maintenance),
            breakdown={**a.breakdown, "floor": b.initial},
        )


def history_matrix(
    contracts: Sequence[ClearedContract], history: Mapping[str, Sequence[int]], days: int
) -> FloatArray:
    """Per-lot settlement prices of the last ``days`` days (days × contracts), aligned at the end.

    A contract listed later than the longest one lacks the early days: it takes the product's
    average relative move on those days (a proxy, as CCPs do for new listings).
    """
    series = [
        [float(c.lot_value(t)) for t in list(history.get(c.symbol, ()))[-days:]] for c in contracts
    ]
    n = max((len(s) for s in series), default=0)
    if n < 2:
        raise InvalidParameterError("history", n, ">= 2 settlement days")
    returns = np.full((n - 1, len(contracts)), np.nan)
    for j, s in enumerate(series):
        if len(s) >= 2:
            returns[n - len(s) :, j] = np.diff(np.log(s))
    proxy = np.nanmean(returns, axis=1)
    filled = np.where(np.isfinite(returns), returns, proxy[:, None])
    last = np.array([s[-1] if s else 1.0 for s in series])
    levels = np.exp(np.vstack([np.zeros((1, len(contracts))), np.cumsum(filled, axis=0)]))
    result: FloatArray = levels / levels[-1] * last
    return result


def paper_live(
    contracts: Sequence[ClearedContract],
    price_ticks: Mapping[str, int],
    history: Mapping[str, Sequence[int]],
) -> PaperMargin:
    """Eq. 7 at ``price_ticks``; σ20 from each contract's settlement history (0 before 21 days)."""
    sigmas = []
    for contract in contracts:
        series = list(history.get(contract.symbol, ()))[-(SIGMA_WINDOW + 1) :]
        if len(series) > SIGMA_WINDOW:
            values = np.array([[float(contract.lot_value(t))] for t in series])
            sigmas.append(float(sigma_n(values, SIGMA_WINDOW)[0]))
        else:
            sigmas.append(0.0)
    return PaperMargin(
        tuple(c.symbol for c in contracts),
        lot_prices(contracts, price_ticks),
        np.array(sigmas),
        floor_fraction=np.array([float(c.im_floor_fraction) for c in contracts]),
        cap_fraction=np.array([float(c.im_cap_fraction) for c in contracts]),
        maintenance_ratio=float(contracts[0].maintenance_ratio) if contracts else 0.75,
    )


def live_method(
    name: str,
    contracts: Sequence[ClearedContract],
    price_ticks: Mapping[str, int],
    history: Mapping[str, Sequence[int]],
    hs_es: HsEsConfig = HS_ES,
) -> MarginMethod:
    """The method ``name`` over ``contracts`` at ``price_ticks`` from their settlement ``history``.

    Every method but ``paper-eq7`` falls back to eq. 7 until it has the history it needs, and
    is floored by eq. 7 until the full ``HS_LOOKBACK`` window exists (ADR 0407).
    """
    if name not in LIVE_METHODS:
        raise InvalidParameterError("margin_method", name, f"one of: {', '.join(LIVE_METHODS)}")
    paper = paper_live(contracts, price_ticks, history)
    days = max((len(history.get(c.symbol, ())) for c in contracts), default=0)
    if name == "paper-eq7" or days < 2 * MPOR_DAYS + 1:
        return paper
    window = history_matrix(contracts, history, HS_LOOKBACK + 1)
    symbols = tuple(c.symbol for c in contracts)
    prices = lot_prices(contracts, price_ticks)
    method: MarginMethod
    if name == "hs-es":
        moves = horizon_sums(np.diff(np.log(window), axis=0), MPOR_DAYS)
        method = HistoricalVarMargin(
            symbols,
            prices,
            moves,
            moves,
            confidence=hs_es.confidence,
            maintenance_ratio=paper.maintenance_ratio,
            name=name,
            fractional_tail=True,
        )
    elif name == "fhs-var":
        moves = horizon_sums(np.diff(np.log(window), axis=0), MPOR_DAYS)
        scenarios = filtered_scenarios(window, MPOR_DAYS)
        method = HistoricalVarMargin(
            symbols, prices, scenarios, moves, maintenance_ratio=paper.maintenance_ratio
        )
    else:
        if days <= SIGMA_WINDOW:
            return paper
        span: SpanMargin = span_from_volatility(symbols, prices, sigma_n(window, SIGMA_WINDOW))
        method = SpanMargin(
            span.contracts, span.scan_ranges, span.spread_charge, paper.maintenance_ratio
        )
    return method if days > HS_LOOKBACK else FlooredMargin(method, paper)


def per_lot_bound(method: MarginMethod) -> FloatArray:
    """Initial margin of one lot, long or short whichever is more, of each contract.

    For the coherent methods here ``Σ |q_c| · bound_c`` is never below the portfolio's
    requirement (subadditive, positively homogeneous), so it serves as a fast upper bound.
    """
    eye = np.eye(len(method.contracts))
    result = method.requirements(np.vstack([eye, -eye])).initial
    bound: FloatArray = np.maximum(result[: len(eye)], result[len(eye) :])
    return bound
