"""Build each margin method from cleared contracts, today's settlement prices and price history.

The glue a daily risk run needs: per-lot prices from ticks, σ20 from the settlement history,
the contracts' own IM band and maintenance ratio, FHS scenarios from the same history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.margin.base import FloatArray
from tokenfutures.clearing.margin.paper import PaperMargin
from tokenfutures.clearing.margin.span import SpanMargin, span_from_volatility
from tokenfutures.clearing.margin.var import HistoricalVarMargin
from tokenfutures.clearing.margin.volatility import (
    filtered_scenarios,
    horizon_sums,
    log_returns,
    sigma_n,
)
from tokenfutures.core.errors import InvalidParameterError


def lot_prices(contracts: Sequence[ClearedContract], price_ticks: Mapping[str, int]) -> FloatArray:
    """Per-lot USD value of each contract at ``price_ticks`` (a float kernel input)."""
    try:
        return np.array([float(c.lot_value(price_ticks[c.symbol])) for c in contracts])
    except KeyError as missing:
        raise InvalidParameterError(
            "price_ticks", str(missing), "a price for every contract"
        ) from None


def _maintenance(contracts: Sequence[ClearedContract]) -> float:
    ratios = {c.maintenance_ratio for c in contracts}
    if len(ratios) != 1:
        raise InvalidParameterError("contracts", sorted(ratios), "one maintenance ratio")
    return float(ratios.pop())


def paper_for(
    contracts: Sequence[ClearedContract], price_ticks: Mapping[str, int], history: FloatArray
) -> PaperMargin:
    """Eq. 7 with σ20 from ``history`` (days × contracts, per-lot prices) and each contract's band."""
    return PaperMargin(
        tuple(c.symbol for c in contracts),
        lot_prices(contracts, price_ticks),
        sigma_n(np.asarray(history, dtype=np.float64), 20),
        floor_fraction=np.array([float(c.im_floor_fraction) for c in contracts]),
        cap_fraction=np.array([float(c.im_cap_fraction) for c in contracts]),
        maintenance_ratio=_maintenance(contracts),
    )


def span_for(
    contracts: Sequence[ClearedContract], price_ticks: Mapping[str, int], history: FloatArray
) -> SpanMargin:
    """SPAN scan with ranges from σ20 of ``history`` (ADR 0404)."""
    span = span_from_volatility(
        tuple(c.symbol for c in contracts),
        lot_prices(contracts, price_ticks),
        sigma_n(np.asarray(history, dtype=np.float64), 20),
    )
    return SpanMargin(span.contracts, span.scan_ranges, span.spread_charge, _maintenance(contracts))


def fhs_for(
    contracts: Sequence[ClearedContract],
    price_ticks: Mapping[str, int],
    history: FloatArray,
    stress_history: FloatArray,
    horizon_days: int = 2,
    confidence: float = 0.99,
) -> HistoricalVarMargin:
    """FHS VaR/ES from ``history`` with the stress floor from ``stress_history`` (both days × contracts)."""
    stress = horizon_sums(log_returns(np.asarray(stress_history, dtype=np.float64)), horizon_days)
    return HistoricalVarMargin(
        tuple(c.symbol for c in contracts),
        lot_prices(contracts, price_ticks),
        filtered_scenarios(np.asarray(history, dtype=np.float64), horizon_days),
        stress,
        confidence=confidence,
        maintenance_ratio=_maintenance(contracts),
    )
